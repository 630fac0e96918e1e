"""What the signatures hold about people, under the rules of personal data (common.sections, signatures/
contributions.py): the learner's export shows their signatures, the links sent to sign their agreement and the
scans of their flow's weeks; anonymising the learner deletes the links (with their mail) and the scans no other
learner still needs, and keeps the signature events untouched (their chain stays intact); the daily retention
rule deletes expired links and scans past the retention period; the learner's page says what is kept and why."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from outbox.models import OutgoingMessage
from outbox.services import reference_to
from placements.models import Assignment
from privacy import services as privacy
from privacy.export import collect
from privacy.tasks import apply_retention_rules
from signatures import host_links, paper, services
from signatures.contributions import HOST_LINKS_KEPT_AFTER_EXPIRY
from signatures.models import HostSigningLink, PaperSheet, SignatureEvent

from .factories import AssignmentFactory, ParticipantFactory, PlacementFactory, ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def a_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def a_scan(world, placement, name):
    return paper.keep_scan(
        user=world.coordinator,
        placement=placement,
        monday=placement.start_date,
        upload=SimpleUploadedFile(name, a_pdf()),
    )


def a_signature(assignment, role, signer_name, **more):
    return services.append(
        document="attendance-week",
        subject=f"attendance-week:{assignment.pk}:2017-01-02",
        assignment=assignment,
        content=json.dumps({"learner": signer_name}),
        role=role,
        collected_by=None,
        consent_text="I confirm these days.",
        method=SignatureEvent.Method.CODE_DRAWN,
        signer_name=signer_name,
        ip_address="192.0.2.7",
        user_agent="Phone/1.0",
        strokes=[{"points": [{"x": 1.0, "y": 2.0, "time": 0}, {"x": 9.0, "y": 4.0, "time": 1}]}],
        **more,
    )


def a_link(assignment, email, expires_at, used_at=None):
    return HostSigningLink.objects.create(
        assignment=assignment,
        name="Joana Costa",
        email=email,
        token_hash=f"{email}-{expires_at.isoformat()}"[:64],
        expires_at=expires_at,
        used_at=used_at,
    )


@pytest.fixture
def held(world):
    """Everything the signatures hold about the world's learner and, apart, about the other learner: signature
    events (the learner's, their mentor's, the other learner's), a link sent to the host's representative for
    each, and a scan of a week of each flow."""
    world.learner_signature = a_signature(world.assignment, "learner", "Ștefan Țurcanu")
    world.mentor_signature = a_signature(world.assignment, "mentor", "Rui Gonçalves", signer=world.mentor)
    world.other_signature = a_signature(world.other_assignment, "learner", "Mădălina Stănescu")
    world.link, _token = host_links.send_link(
        user=world.coordinator, assignment=world.assignment, name="Joana Costa", email="joana@metalurgica.example"
    )
    world.other_link, _token = host_links.send_link(
        user=world.coordinator, assignment=world.other_assignment, name="Rita Lobo", email="rita@texteis.example"
    )
    world.sheet = a_scan(world, world.placement, "Țurcanu week 1 signed.pdf")
    world.other_sheet = a_scan(world, world.other_placement, "textile week 1.pdf")
    return world


def test_the_export_holds_the_learners_signatures_links_and_their_flows_scans(held):
    data = collect(held.learner)
    json.dumps(data, default=str)  # the export writes it as JSON
    assert [e["event_hash"] for e in data["signatures"]] == [held.learner_signature.event_hash]
    own = data["signatures"][0]
    assert (own["signer_name"], own["ip_address"], own["user_agent"]) == ("Ștefan Țurcanu", "192.0.2.7", "Phone/1.0")
    assert own["svg"].startswith("<svg") and own["strokes"]
    # The other signers of the learner's documents: who, as what, when; not their address or browser.
    assert [(e["role"], e["signer_name"], e["code"]) for e in data["signatures_by_others"]] == [
        ("mentor", "Rui Gonçalves", held.mentor_signature.code)
    ]
    assert "ip_address" not in data["signatures_by_others"][0]
    # The links sent to sign the learner's agreement, without the hashes of the link and the code.
    assert [(link["name"], link["email"]) for link in data["host_signing_links"]] == [
        ("Joana Costa", "joana@metalurgica.example")
    ]
    assert "token_hash" not in data["host_signing_links"][0] and "code_hash" not in data["host_signing_links"][0]
    # The scans of the learner's flow: what and when (the scan shows the other learners, it is not copied).
    assert [(s["original_name"], s["week_start"]) for s in data["paper_sheets"]] == [
        ("Țurcanu week 1 signed.pdf", held.placement.start_date)
    ]
    assert "path" not in data["paper_sheets"][0]
    everything = json.dumps(data, default=str, ensure_ascii=False)
    assert "Stănescu" not in everything and "rita@texteis.example" not in everything
    assert "textile week 1.pdf" not in everything


@pytest.fixture
def expired(held):
    """The project ended long enough ago; the learner's placement is completed."""
    held.project.start_date, held.project.end_date = date(2015, 9, 1), date(2017, 2, 28)
    held.project.save()
    Assignment.objects.filter(participant=held.learner).update(status=Assignment.Status.COMPLETED)
    return held


def test_anonymisation_deletes_the_links_with_their_mail_and_a_scan_nobody_else_needs(
    expired, django_capture_on_commit_callbacks
):
    reference = reference_to(expired.link)
    assert OutgoingMessage.objects.filter(reference=reference).exists()
    path = expired.sheet.path
    assert storages["private"].exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.anonymise(expired.learner, expired.coordinator)
    assert not HostSigningLink.objects.filter(assignment=expired.assignment).exists()
    assert not OutgoingMessage.objects.filter(reference=reference).exists()  # its subject named the learner
    assert not PaperSheet.objects.filter(pk=expired.sheet.pk).exists()
    assert not storages["private"].exists(path)
    # Another learner's link and scan are not touched.
    assert HostSigningLink.objects.filter(pk=expired.other_link.pk).exists()
    assert PaperSheet.objects.filter(pk=expired.other_sheet.pk).exists()
    assert storages["private"].exists(expired.other_sheet.path)


def test_anonymisation_keeps_the_signature_events_and_their_chain(expired):
    before = list(SignatureEvent.objects.order_by("pk").values())
    privacy.anonymise(expired.learner, expired.coordinator)
    assert list(SignatureEvent.objects.order_by("pk").values()) == before
    assert services.chain_is_intact()
    assert SignatureEvent.objects.get(pk=expired.learner_signature.pk).signer_name == "Ștefan Țurcanu"


def test_a_scan_other_learners_of_the_flow_still_need_stays_without_the_learners_name(
    expired, django_capture_on_commit_callbacks
):
    AssignmentFactory(
        participant=ParticipantFactory(project=expired.project, first_name="Ana", last_name="Lopes"),
        placement=expired.placement,
        status=Assignment.Status.COMPLETED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        privacy.anonymise(expired.learner, expired.coordinator)
    sheet = PaperSheet.objects.get(pk=expired.sheet.pk)
    assert sheet.original_name == "… week 1 signed.pdf"
    assert storages["private"].exists(sheet.path)


def test_the_daily_rule_deletes_expired_links_and_scans_past_the_retention(world, django_capture_on_commit_callbacks):
    now = timezone.now()
    kept_for = HOST_LINKS_KEPT_AFTER_EXPIRY
    old = a_link(world.assignment, "old@host.example", now - kept_for - timedelta(days=1))
    used = a_link(world.assignment, "used@host.example", now - kept_for - timedelta(days=1), used_at=now)
    recent = a_link(world.assignment, "recent@host.example", now - kept_for + timedelta(days=1))
    valid = a_link(world.assignment, "valid@host.example", now + timedelta(days=3))
    ended = ProjectFactory(start_date=date(2015, 9, 1), end_date=date(2017, 2, 28))
    old_flow = PlacementFactory(project=ended, start_date=date(2016, 3, 7), end_date=date(2016, 4, 1))
    old_sheet = a_scan(world, old_flow, "2016 week.pdf")
    young_sheet = a_scan(world, world.placement, "this year's week.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        result = apply_retention_rules()
    assert (result["host_signing_links"], result["paper_sheets"]) == (2, 1)
    assert set(HostSigningLink.objects.values_list("pk", flat=True)) == {recent.pk, valid.pk}
    assert not HostSigningLink.objects.filter(pk__in=[old.pk, used.pk]).exists()
    assert list(PaperSheet.objects.values_list("pk", flat=True)) == [young_sheet.pk]
    assert not storages["private"].exists(old_sheet.path) and storages["private"].exists(young_sheet.path)
    # The next day: nothing more to do.
    assert (apply_retention_rules()["host_signing_links"], apply_retention_rules()["paper_sheets"]) == (0, 0)


def test_the_learners_page_says_the_signatures_stay_and_until_when_the_scans_are_kept(held, client_for):
    url = reverse("participants:detail", args=[held.learner.pk])
    page = client_for(held.coordinator).get(url)
    html = " ".join(page.content.decode().split())
    assert page.status_code == 200
    assert 'data-signature-events="2"' in html and "stay, unchanged, when the learner is anonymised" in html
    assert 'data-paper-sheets="1"' in html and "until 28 February 2033" in html
    mentor_page = client_for(held.mentor).get(url)
    assert mentor_page.status_code == 200 and "data-signature-events" not in mentor_page.content.decode()
