"""Signing a learner's learning agreement with the same machinery as the weeks: what is signed is the agreement's
content (the learner, the flow, its dates, the host, the learning outcomes), each signer agrees to its SHA-256;
the learner signs on the mentor's or the coordinator's device with their code and a drawn signature, the host's
mentor signed in, the school as a coordinator past the second factor. Wrong people and another school's ids are
refused; a change to the content voids the signatures, and the flow's page counts them."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from assessments.models import Outcome, Unit
from placements.models import Assignment
from signatures import services
from signatures.models import SignatureEvent

from .factories import ParticipantFactory, PlacementFactory, ProjectFactory, SchoolFactory, UserFactory
from .test_signatures import STROKES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def agreement(running):
    unit = Unit.objects.create(qualification=running.placement.qualification, title="Welding", position=1)
    Outcome.objects.create(unit=unit, kind=Outcome.Kind.SKILLS, text="Welds a butt joint", position=1)
    running.unit = unit
    return running


def url(assignment):
    return reverse("signatures:sign_agreement", args=[assignment.pk])


def shown(assignment):
    return services.agreement_states([assignment])[assignment.pk]["hash"]


def sign(client, target, who, **more):
    data = {"who": who, "consent": "1", "shown_hash": shown(target), "device_time": "2026-12-06T09:00"}
    if who == "learner":
        data |= {"code": services.current_code(target), "strokes": json.dumps(STROKES)}
    return client.post(url(target), data | more, HTTP_USER_AGENT="Tablet/1.0")


def test_what_is_signed_is_the_agreements_content(agreement):
    state = services.agreement_states([agreement.assignment])[agreement.assignment.pk]
    data = state["data"]
    assert data["document"] == "learning-agreement" and data["learner"] == agreement.learner.full_name
    assert data["host"] == agreement.host.name and data["units"] == [
        {"title": "Welding", "outcomes": [["skills", "Welds a butt joint"]]}
    ]
    assert state["hash"] == services.digest(services.canonical(data))


def test_the_learner_signs_on_the_mentors_phone_with_code_and_drawing(agreement, client_for):
    response = sign(client_for(agreement.mentor), agreement.assignment, "learner")
    assert response.status_code == 302
    event = SignatureEvent.objects.get()
    assert (event.document, event.subject, event.role, event.method) == (
        "learning-agreement",
        f"learning-agreement:{agreement.assignment.pk}",
        "learner",
        "code-drawn",
    )
    assert event.collected_by == agreement.mentor and event.signer_name == agreement.learner.full_name
    assert event.content_hash == shown(agreement.assignment) and "learning agreement" in event.consent_text
    assert event.user_agent == "Tablet/1.0" and event.svg.startswith("<svg") and services.chain_is_intact()


def test_the_learner_signs_on_the_coordinators_device_too(agreement, client_for):
    assert sign(client_for(agreement.coordinator), agreement.assignment, "learner").status_code == 302
    assert SignatureEvent.objects.get().collected_by == agreement.coordinator


def test_a_wrong_code_signs_nothing_and_counts(agreement, client_for):
    right = services.current_code(agreement.assignment)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    response = sign(client_for(agreement.mentor), agreement.assignment, "learner", code=wrong)
    assert response.status_code == 400 and "Tries left before signing locks: 2" in response.content.decode()
    assert not SignatureEvent.objects.exists()


def test_the_hosts_mentor_signs_for_the_host_company(agreement, client_for):
    assert sign(client_for(agreement.mentor), agreement.assignment, "host").status_code == 302
    event = SignatureEvent.objects.get()
    assert (event.role, event.method, event.signer) == ("host", "session", agreement.mentor)
    assert agreement.host.name in event.signer_name and "host company" in event.consent_text


def test_the_school_signs_as_a_coordinator_past_the_second_factor(agreement, client_for):
    assert sign(client_for(agreement.coordinator), agreement.assignment, "school").status_code == 302
    event = SignatureEvent.objects.get()
    assert (event.role, event.method, event.signer) == ("school", "session-2fa", agreement.coordinator)
    assert "sending school" in event.consent_text


def test_a_coordinator_without_the_second_factor_does_not_sign_for_the_school(agreement, client):
    client.force_login(agreement.coordinator)  # signed in, no code typed in this session
    assert sign(client, agreement.assignment, "school").status_code in (302, 403)
    assert not SignatureEvent.objects.exists()


def test_the_wrong_person_signs_nothing(agreement, client_for):
    # A coordinator is not the host; a mentor is not the school; another host's mentor does not reach the learner.
    assert sign(client_for(agreement.coordinator), agreement.assignment, "host").status_code == 403
    assert sign(client_for(agreement.mentor), agreement.assignment, "school").status_code == 403
    assert sign(client_for(agreement.other_mentor), agreement.assignment, "host").status_code == 404
    assert sign(client_for(agreement.other_mentor), agreement.assignment, "learner").status_code == 404
    assert sign(client_for(agreement.staff), agreement.assignment, "learner").status_code == 403
    assert client_for(None).get(url(agreement.assignment)).status_code == 302
    assert sign(client_for(agreement.mentor), agreement.assignment, "mentor").status_code == 404
    assert not SignatureEvent.objects.exists()


def test_another_schools_ids_in_the_url_and_the_body_are_refused(agreement, client_for):
    school = SchoolFactory(name="Colegiul Tehnic Iași", city="Iași")
    project = ProjectFactory(sending_organisation=school)
    foreign = Assignment.objects.create(
        participant=ParticipantFactory(project=project),
        placement=PlacementFactory(project=project, qualification=agreement.placement.qualification),
        host_company=agreement.host,
    )
    stranger = UserFactory(username="stranger", role=Role.COORDINATOR, school=school)
    # The other school's coordinator reaches neither our learner's page nor its form.
    assert client_for(stranger).get(url(agreement.assignment)).status_code == 404
    assert sign(client_for(stranger), agreement.assignment, "school").status_code == 404
    # Our coordinator and mentor do not reach the other school's learner by its id in the URL.
    assert sign(client_for(agreement.coordinator), foreign, "school").status_code == 404
    assert sign(client_for(agreement.mentor), foreign, "learner").status_code == 404
    assert not SignatureEvent.objects.exists()
    # An id in the body does not change what is signed: the URL's assignment is the one checked and signed.
    sign(client_for(agreement.coordinator), agreement.assignment, "school", assignment=foreign.pk, pk=foreign.pk)
    assert list(SignatureEvent.objects.values_list("subject", flat=True)) == [
        f"learning-agreement:{agreement.assignment.pk}"
    ]


def test_a_change_to_the_agreement_voids_its_signatures_and_says_what_changed(agreement, client_for):
    client = client_for(agreement.coordinator)
    sign(client, agreement.assignment, "school")
    sign(client, agreement.assignment, "learner")
    page = client.get(url(agreement.assignment)).content.decode()
    assert 'data-signature="school" data-state="signed"' in page
    assert 'data-signature="host" data-state="unsigned"' in page
    Outcome.objects.create(unit=agreement.unit, kind=Outcome.Kind.SKILLS, text="Reads a drawing", position=2)
    page = client.get(url(agreement.assignment)).content.decode()
    assert 'data-signature="school" data-state="void"' in page and "changed: the learning outcomes" in page
    assert sign(client, agreement.assignment, "school").status_code == 302  # signed again on the new content


def test_content_changed_while_the_page_was_open_is_not_signed(agreement, client_for):
    response = sign(client_for(agreement.coordinator), agreement.assignment, "school", shown_hash="0" * 64)
    assert response.status_code == 400 and "changed while the page was open" in response.content.decode()
    assert not SignatureEvent.objects.exists()


def test_no_consent_no_signature(agreement, client_for):
    response = sign(client_for(agreement.coordinator), agreement.assignment, "school", consent="")
    assert response.status_code == 400 and not SignatureEvent.objects.exists()


def test_the_flow_page_shows_which_agreements_are_signed_in_constant_queries(agreement, client_for):
    client = client_for(agreement.coordinator)
    for who in ("school", "learner"):
        sign(client, agreement.assignment, who)
    sign(client_for(agreement.mentor), agreement.assignment, "host")
    summary = reverse("attendance:placement", args=[agreement.placement.pk])
    client = client_for(agreement.coordinator)
    page = client.get(summary).content.decode()
    assert "signed by learner, host and school: 1 of 1" in " ".join(page.split())
    assert f'data-agreement="{agreement.assignment.pk}"' in page
    with CaptureQueriesContext(connection) as few:
        client.get(summary)
    for number in range(4):
        Assignment.objects.create(
            participant=ParticipantFactory(project=agreement.project, first_name=f"L{number}"),
            placement=agreement.placement,
            host_company=agreement.host,
            mentor=agreement.mentor,
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(summary).content.decode()
    assert "signed by learner, host and school: 1 of 5" in " ".join(page.split())
    assert len(many) == len(few)


def test_the_signing_page_fits_a_phone(agreement, client_for):
    page = client_for(agreement.mentor).get(url(agreement.assignment)).content.decode()
    assert 'id="pad"' in page and 'class="signature-canvas"' in page and "css/signatures.css" in page
    assert 'name="who" value="host"' in page and 'name="who" value="school"' not in page


def made_by_the_worker(user, assignment):
    """The learning agreement's PDF as the Celery task makes it (documents.jobs.run_job, the task's body)."""
    from django.core.files.storage import storages

    from documents import jobs
    from documents.models import DocumentJob

    job = jobs.request_document(
        user, DocumentJob.Kind.LEARNING_AGREEMENT, {"assignment": assignment.pk}, "Agreement", language="en"
    )
    job = jobs.run_job(job.pk)
    assert job.status == "done", job.error
    with storages["private"].open(job.file, "rb") as kept:
        return kept.read()


def validated_seal(pdf):
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    from signatures.seal import outside_event_loop

    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    return outside_event_loop(lambda: validate_pdf_signature(signature))


def test_the_signed_agreement_pdf_shows_the_signatures_ends_with_their_evidence_and_is_sealed(
    agreement, client_for, settings, tmp_path
):
    from signatures.seal import make_demo_certificate

    from .test_printouts import flat

    settings.SIGNATURE_SEAL_KEY, settings.SIGNATURE_SEAL_CERT = map(str, make_demo_certificate(tmp_path))
    client = client_for(agreement.coordinator)
    sign(client, agreement.assignment, "school")
    sign(client, agreement.assignment, "learner", strokes="", typed_name="Ștefan Țurcanu")
    school, learner = SignatureEvent.objects.order_by("pk")
    pdf = made_by_the_worker(agreement.coordinator, agreement.assignment)
    text = flat(pdf)
    # The three boxes stand side by side: their lines interleave in the text, so each is looked for alone.
    assert "Ștefan Țurcanu" in text and f"Signed electronically · {learner.code}" in text
    assert school.code in text and school.signer_name.split(" (")[0] in text
    assert text.count("Signed electronically") == 2  # the host has not signed: its box stays blank for paper
    assert "Signature and stamp" in text
    assert "evidence of the electronic signatures" in text.lower()  # a heading, in capitals
    assert "learning agreement's content" in text
    flat_hashes = text.replace(" ", "")
    # The fingerprints wrap in their narrow column: the first 16 characters stay on one line.
    assert learner.content_hash[:16] in flat_hashes and school.consent_hash[:16] in flat_hashes
    status = validated_seal(pdf)
    assert status.intact and status.signing_cert.subject.human_friendly.endswith("NOT a qualified electronic seal")
    assert "it is not a qualified electronic seal" in text
    tampered = pdf[:2000] + (b"Y" if pdf[2000:2001] != b"Y" else b"Z") + pdf[2001:]
    assert not validated_seal(tampered).intact  # any change to the file breaks the seal


def test_a_void_signature_is_not_printed_as_standing_nor_sealed(agreement, client_for, settings, tmp_path):
    from signatures.seal import make_demo_certificate

    from .test_printouts import flat

    settings.SIGNATURE_SEAL_KEY, settings.SIGNATURE_SEAL_CERT = map(str, make_demo_certificate(tmp_path))
    sign(client_for(agreement.coordinator), agreement.assignment, "school")
    school = SignatureEvent.objects.get()
    Outcome.objects.create(unit=agreement.unit, kind=Outcome.Kind.SKILLS, text="Reads a drawing", position=2)
    pdf = made_by_the_worker(agreement.coordinator, agreement.assignment)
    text = flat(pdf)
    assert "changed after signing: sign again" in text
    assert "Signed electronically" not in text and school.code not in text
    assert "evidence of the electronic signatures" not in text.lower() and b"/ByteRange" not in pdf
    assert text.count("Signature and stamp") == 2  # both boxes blank again, for signing anew or on paper


def test_an_unsigned_agreement_keeps_its_blank_boxes_and_is_not_sealed(agreement, settings, tmp_path):
    from signatures.seal import make_demo_certificate

    from .test_printouts import flat

    settings.SIGNATURE_SEAL_KEY, settings.SIGNATURE_SEAL_CERT = map(str, make_demo_certificate(tmp_path))
    pdf = made_by_the_worker(agreement.coordinator, agreement.assignment)
    text = flat(pdf)
    assert text.count("Signature and stamp") == 2 and "Signed electronically" not in text
    assert "changed after signing" not in text and b"/ByteRange" not in pdf
