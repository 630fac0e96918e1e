"""The learner signs the receipt of an allowance handed to them on the coordinator's tablet, with the same
machinery as the weeks and the agreement: the receipt's amount and date are what is signed; a change voids it;
the flow's page counts the receipts signed here, on paper and not at all."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from grants import services as grants_services
from grants.models import Payment
from signatures import services
from signatures.models import SignatureEvent

from .test_signatures import STROKES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def handed(running):
    running.payment = grants_services.record_allowance(
        placement=running.placement,
        assignment=running.assignment,
        paid_on=running.placement.start_date,
        amount=Decimal("250.00"),
        currency="RON",
        exchange_rate=Decimal("4.9770"),
        method="cash",
        advance=False,
        description="Week 1",
        user=running.coordinator,
    )
    return running


def url(payment):
    return reverse("signatures:sign_receipt", args=[payment.pk])


def state_of(payment):
    found = services.allowance_payments(Payment.objects.filter(pk=payment.pk))
    return services.receipt_states(found)[payment.pk]


def sign(client, payment, **more):
    data = {
        "who": "learner",
        "consent": "1",
        "shown_hash": state_of(payment)["hash"],
        "code": services.current_code(payment.assignments.get()),
        "strokes": json.dumps(STROKES),
    }
    return client.post(url(payment), data | more)


def test_the_learner_signs_the_receipt_on_the_coordinators_tablet(handed, client_for):
    page = client_for(handed.coordinator).get(url(handed.payment)).content.decode()
    assert "250.00 RON" in page and 'id="pad"' in page
    assert sign(client_for(handed.coordinator), handed.payment).status_code == 302
    event = SignatureEvent.objects.get()
    assert (event.document, event.subject, event.role, event.method) == (
        "receipt",
        f"receipt:{handed.payment.pk}",
        "learner",
        "code-drawn",
    )
    content = json.loads(event.content)
    assert (content["amount"], content["currency"], content["paid_on"]) == (
        "250.00",
        "RON",
        f"{handed.placement.start_date:%Y-%m-%d}",
    )
    assert event.collected_by == handed.coordinator and event.assignment == handed.assignment
    assert "handed the amount" in event.consent_text and services.chain_is_intact()


def test_a_wrong_code_signs_no_receipt(handed, client_for):
    right = services.current_code(handed.assignment)
    response = sign(client_for(handed.coordinator), handed.payment, code=f"{(int(right) + 1) % 10**6:06d}")
    assert response.status_code == 400 and not SignatureEvent.objects.exists()


def test_a_changed_amount_voids_the_signed_receipt(handed, client_for):
    client = client_for(handed.coordinator)
    sign(client, handed.payment)
    assert 'data-signature="learner" data-state="signed"' in client.get(url(handed.payment)).content.decode()
    Payment.objects.filter(pk=handed.payment.pk).update(amount=Decimal("260.00"))
    page = client.get(url(handed.payment)).content.decode()
    assert 'data-signature="learner" data-state="void"' in page and "changed: the amount" in page


def test_only_the_schools_coordinator_collects_the_signature(handed, client_for):
    assert sign(client_for(handed.mentor), handed.payment).status_code == 403
    assert sign(client_for(handed.staff), handed.payment).status_code == 403
    assert client_for(None).get(url(handed.payment)).status_code == 302
    assert not SignatureEvent.objects.exists()


def test_another_schools_payment_and_a_shared_payment_are_refused(handed, client_for):
    from .factories import ProjectFactory, SchoolFactory, UserFactory

    school = SchoolFactory(name="Colegiul Tehnic Iași", city="Iași")
    stranger = UserFactory(username="stranger", role="coordinator", school=school)
    assert client_for(stranger).get(url(handed.payment)).status_code == 404
    assert sign(client_for(stranger), handed.payment).status_code == 404
    foreign = Payment.objects.create(
        project=ProjectFactory(sending_organisation=school),
        paid_on=handed.placement.start_date,
        payee="Someone",
        category=handed.payment.category,
        amount=Decimal("10.00"),
        currency="EUR",
        exchange_rate=Decimal("1"),
        amount_eur=Decimal("10.00"),
    )
    assert client_for(handed.coordinator).get(url(foreign)).status_code == 404
    # A payment for two learners has no one learner to sign its receipt.
    handed.payment.assignments.add(handed.other_assignment)
    assert client_for(handed.coordinator).get(url(handed.payment)).status_code == 404
    assert not SignatureEvent.objects.exists()


def test_the_flow_page_counts_the_receipts(handed, client_for):
    summary = reverse("attendance:placement", args=[handed.placement.pk])
    page = " ".join(client_for(handed.coordinator).get(summary).content.decode().split())
    assert "signed electronically: 0 of 1" in page and "not signed: 1" in page
    sign(client_for(handed.coordinator), handed.payment)
    page = " ".join(client_for(handed.coordinator).get(summary).content.decode().split())
    assert "signed electronically: 1 of 1" in page
    assert 'id="h-placement-receipts"' not in client_for(handed.mentor).get(summary).content.decode()
    payouts = client_for(handed.coordinator).get(reverse("grants:payouts", args=[handed.placement.pk]))
    assert url(handed.payment) in payouts.content.decode()


def made_by_the_worker(handed):
    """The receipt's PDF as the Celery task makes it (documents.jobs.run_job, the task's body), in Romanian."""
    from django.core.files.storage import storages

    from documents import jobs
    from documents.models import DocumentJob

    params = {"payment": handed.payment.pk, "placement": handed.placement.pk}
    job = jobs.request_document(handed.coordinator, DocumentJob.Kind.ALLOWANCE_RECEIPT, params, "Receipt")
    job = jobs.run_job(job.pk)
    assert job.status == "done", job.error
    with storages["private"].open(job.file, "rb") as kept:
        return kept.read()


def test_the_signed_receipt_pdf_shows_the_signature_ends_with_its_evidence_and_is_sealed(
    handed, client_for, settings, tmp_path
):
    from signatures.seal import make_demo_certificate

    from .test_printouts import flat
    from .test_signatures_agreement import validated_seal

    settings.SIGNATURE_SEAL_KEY, settings.SIGNATURE_SEAL_CERT = map(str, make_demo_certificate(tmp_path))
    unsigned = made_by_the_worker(handed)
    assert "Semnat electronic" not in flat(unsigned) and b"/ByteRange" not in unsigned  # blank, for paper
    sign(client_for(handed.coordinator), handed.payment, strokes="", typed_name="Ștefan Țurcanu")
    event = SignatureEvent.objects.get()
    pdf = made_by_the_worker(handed)
    text = flat(pdf)
    assert f"Ștefan Țurcanu Semnat electronic · {event.code}" in text  # the typed name, then the code
    assert "Dovezile semnăturilor electronice" in text or "DOVEZILE SEMNĂTURILOR ELECTRONICE" in text
    assert event.content_hash[:16] in text.replace(" ", "") and event.consent_hash[:16] in text.replace(" ", "")
    status = validated_seal(pdf)
    assert status.intact and status.signing_cert.subject.human_friendly.endswith("NOT a qualified electronic seal")
    assert "nu este un sigiliu electronic calificat" in text


def test_a_void_receipt_signature_is_not_printed_as_standing_nor_sealed(handed, client_for, settings, tmp_path):
    from signatures.seal import make_demo_certificate

    from .test_printouts import flat

    settings.SIGNATURE_SEAL_KEY, settings.SIGNATURE_SEAL_CERT = map(str, make_demo_certificate(tmp_path))
    sign(client_for(handed.coordinator), handed.payment)
    event = SignatureEvent.objects.get()
    Payment.objects.filter(pk=handed.payment.pk).update(amount=Decimal("260.00"))
    pdf = made_by_the_worker(handed)
    text = flat(pdf)
    assert "modificat după semnare: semnați din nou" in text
    assert "Semnat electronic" not in text and event.code not in text and b"/ByteRange" not in pdf
    assert "Dovezile semnăturilor electronice".lower() not in text.lower()
