"""Allowances handed to learners: the payout list per flow (due, services, paid, remaining), partial payments and
advances, the receipt each learner signs (a PDF in Romanian with the amount in words) and its signed copy."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import DocumentJob
from grants import allowances, services
from grants.demo import RECEIPT_PDF
from grants.models import Payment
from grants.receipts import receipts_pdf

from . import test_documents, test_grants
from .test_grants import add_learners
from .tools import pdf_text

money = test_grants.money  # the fixtures, shared
eager = test_documents.eager


def hand(world, amount, currency="RON", rate="4.9770", advance=False, assignment=None):
    return services.record_allowance(
        placement=world.placement,
        assignment=assignment or world.assignment,
        paid_on=world.placement.start_date,
        amount=Decimal(amount),
        currency=currency,
        exchange_rate=Decimal(rate if currency == "RON" else "1"),
        method="cash",
        advance=advance,
        description="",
        user=world.coordinator,
    )


def row_for(world):
    payouts = allowances.flow_payouts(world.placement)
    return next(row for row in payouts.rows if row.assignment.pk == world.assignment.pk)


def test_the_due_amount_is_the_individual_support_minus_the_services_share(money):
    row = row_for(money)
    assert row.individual == Decimal("1904.00")  # 28 days: 14 × 80 + 14 × 56 (70 % from day 15)
    services.save_payment(
        payment=Payment(
            paid_on=money.placement.start_date,
            payee="Residence",
            category="individual",
            placement=money.placement,
            amount=Decimal("600"),
            currency="EUR",
            exchange_rate=Decimal("1"),
        ),
        project=money.project,
        assignments=[],
        upload=None,
        user=money.coordinator,
    )
    row = row_for(money)
    assert row.services == Decimal("600.00")  # the flow's only learner bears it all
    assert row.due == Decimal("1304.00")  # 1,904 - 600


def test_an_advance_and_a_partial_payment_add_up_and_leave_the_rest(money):
    hand(money, "995.40", advance=True)  # 200 EUR at 4.9770
    hand(money, "1000", currency="EUR")
    row = row_for(money)
    assert row.paid_eur == Decimal("1200.00")
    assert row.remaining == Decimal("704.00")  # 1,904 - 1,200
    assert row.handed == 2 and row.to_sign == 2


def test_a_coordinator_records_an_allowance_from_the_payout_page(money, client_for):
    url = reverse("grants:allowance_create", args=[money.placement.pk])
    data = {
        "assignment": str(money.assignment.pk),
        "paid_on": money.placement.start_date.isoformat(),
        "amount": "500",
        "currency": "RON",
        "exchange_rate": "4.9770",
        "rate_reason": "The bank's rate of the day",
        "method": "card",
        "advance": "on",
    }
    assert client_for(money.coordinator).post(url, data).status_code == 302
    payment = Payment.objects.get()
    assert (payment.category, payment.method, payment.advance, payment.amount_eur) == (
        "individual",
        "card",
        True,
        Decimal("100.46"),
    )
    assert list(payment.assignments.all()) == [money.assignment]
    assert payment.history.first().history_user == money.coordinator


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"exchange_rate": "0"}, "exchange_rate"),
        ({"assignment": "other"}, "assignment"),
    ],
)
def test_bad_input_is_refused_on_the_field(money, client_for, changes, field):
    data = {
        "assignment": str(money.assignment.pk),
        "paid_on": money.placement.start_date.isoformat(),
        "amount": "500",
        "currency": "RON",
        "exchange_rate": "4.9770",
        "rate_reason": "The bank's rate of the day",
        "method": "cash",
    } | changes
    if data["assignment"] == "other":
        data["assignment"] = str(money.other_assignment.pk)  # a learner of the other flow
    response = client_for(money.coordinator).post(reverse("grants:allowance_create", args=[money.placement.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Payment.objects.exists()


def test_the_signed_copy_is_uploaded_and_the_learner_shows_signed(money, client_for, private_files):
    payment = hand(money, "500")
    client = client_for(money.coordinator)
    page = client.get(reverse("grants:payouts", args=[money.placement.pk])).content.decode()
    assert "1 receipt not signed yet" in page
    upload = SimpleUploadedFile("signed.pdf", RECEIPT_PDF, content_type="application/pdf")
    response = client.post(reverse("grants:allowance_signed", args=[payment.pk]), {"signed_copy": upload})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.receipt is not None and payment.receipt.content_type == "application/pdf"
    page = client.get(reverse("grants:payouts", args=[money.placement.pk])).content.decode()
    assert "all receipts signed" in page
    assert row_for(money).to_sign == 0


def test_a_signed_copy_that_is_not_a_pdf_or_image_is_refused_on_the_field(money, client_for, private_files):
    payment = hand(money, "500")
    upload = SimpleUploadedFile("signed.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(money.coordinator).post(
        reverse("grants:allowance_signed", args=[payment.pk]), {"signed_copy": upload}
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    payment.refresh_from_db()
    assert payment.receipt is None


def test_the_receipt_is_in_romanian_with_the_amount_in_words_and_the_eu_statement(money):
    payment = hand(money, "1234.50", advance=True)
    pdf, name = receipts_pdf(money.placement.pk, [payment.pk])
    text = " ".join(pdf_text(pdf).split())
    assert "1.234,50 lei" in text
    assert "o mie două sute treizeci și patru de lei și cincizeci de bani" in text
    assert "ca avans din sprijinul individual" in text
    assert "Țurcanu Ștefan" in text
    assert "Cofinanțat de Uniunea Europeană" in text or "Co-funded by the European Union" in text
    assert "semnătura" in text
    assert name.startswith("chitanta-turcanu-stefan-")


def test_the_flows_receipts_are_one_pdf_a_page_each(money, tmp_path):
    add_learners(money, 2)
    for assignment in money.placement.assignments.all():
        hand(money, "300", assignment=assignment)
    pdf, name = receipts_pdf(money.placement.pk)
    text = pdf_text(pdf)
    (tmp_path / "flow.pdf").write_bytes(pdf)
    assert text.count("Chitanță pentru sprijinul individual") == 3, text
    assert name == "chitante-flow-1-mechanics.pdf"


def test_receipts_are_asked_for_through_the_documents_engine(
    money, client_for, eager, django_capture_on_commit_callbacks, private_files
):
    payment = hand(money, "500")
    client = client_for(money.coordinator)
    for slug, pk in (("allowance-receipt", payment.pk), ("allowance-receipts", money.placement.pk)):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse("documents:request", args=[slug, pk])).status_code == 302
        job = DocumentJob.objects.latest("pk")
        assert job.status == "done", job.error
    staff_asks = client_for(money.staff).post(reverse("documents:request", args=["allowance-receipt", payment.pk]))
    assert staff_asks.status_code == 403


def test_staff_read_the_payout_list_but_cannot_write_mentors_see_nothing(money, client_for, private_files):
    payment = hand(money, "500")
    url = reverse("grants:payouts", args=[money.placement.pk])
    page = client_for(money.staff).get(url)
    assert page.status_code == 200
    assert "Upload signed copy" not in page.content.decode()
    create = reverse("grants:allowance_create", args=[money.placement.pk])
    assert client_for(money.staff).post(create, {}).status_code == 403
    upload = SimpleUploadedFile("signed.pdf", RECEIPT_PDF, content_type="application/pdf")
    signed = reverse("grants:allowance_signed", args=[payment.pk])
    assert client_for(money.staff).post(signed, {"signed_copy": upload}).status_code == 403
    for mentor in (money.mentor, money.other_mentor):
        assert client_for(mentor).get(url).status_code == 403
        assert client_for(mentor).post(signed, {}).status_code == 403


@pytest.mark.parametrize("extra", [0, 6])
def test_the_payout_page_query_count_does_not_grow_with_learners(money, client_for, django_assert_num_queries, extra):
    add_learners(money, extra)
    for assignment in money.placement.assignments.all():
        hand(money, "300", assignment=assignment)
    client = client_for(money.coordinator)
    with django_assert_num_queries(14):  # one for the role in the flow's school
        assert client.get(reverse("grants:payouts", args=[money.placement.pk])).status_code == 200
