"""Numbers read as people write them (issue 18, item 5): every money field takes "3450,50", "3.450,50",
"3 450,50" and "3450.50" as one amount on a Romanian page, never drops a separator, and refuses an ambiguous
value with a message; the Module's workbook is read the same way, and nothing is saved from a file with a
refused cell."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from common.numbers import NotANumber, parse_decimal
from grants.forms import AllowanceForm, BandFormSet, PaymentForm, ProjectGrantForm, RealCostForm
from grants.models import ModuleFigures, Payment

from . import test_grants

money = test_grants.money  # the fixtures, shared

SAME_AMOUNT = ["3450,50", "3.450,50", "3 450,50", "3450.50", "3\u00a0450,50", "3,450.50"]


@pytest.mark.parametrize("text", SAME_AMOUNT)
def test_one_amount_written_six_ways_is_read_as_3450_50(text):
    assert parse_decimal(text) == Decimal("3450.50")


@pytest.mark.parametrize("text", ["1.904,00", "1 904,00", "1,904.00", "1904", "1904,00"])
def test_the_modules_figures_written_any_way_are_1904(text):
    assert parse_decimal(text) == Decimal("1904")


@pytest.mark.parametrize("text", ["2,240", "3.450", "1,000"])
def test_one_separator_before_three_digits_is_refused_as_ambiguous(text):
    with pytest.raises(NotANumber) as error:
        parse_decimal(text)
    assert "could be read two ways" in error.value.reason


@pytest.mark.parametrize("text", ["abc", "1..2", "1,2,3", "3 45,50", "1.2.3,4", "12-5", ""])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(NotANumber):
        parse_decimal(text)


def test_an_exchange_rate_has_no_thousands_so_4_977_is_a_decimal():
    assert parse_decimal("4,977", thousands=False) == Decimal("4.977")
    assert parse_decimal("4,9712", thousands=False) == Decimal("4.9712")
    with pytest.raises(NotANumber):
        parse_decimal("4.977,1", thousands=False)


def payment_data(world, **changes):
    data = {
        "paid_on": "2026-03-02",
        "payee": "CFR Călători",
        "category": "travel",
        "amount": "3450,50",
        "currency": "RON",
        "exchange_rate": "4,9712",
        "rate_reason": "The bank's rate of the day",
        "description": "",
    }
    return data | changes


@pytest.mark.parametrize("text", SAME_AMOUNT[:4])
def test_a_payment_typed_in_romanian_keeps_its_decimal_comma(money, text):
    with translation.override("ro"):
        form = PaymentForm(payment_data(money, amount=text), project=money.project)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("3450.50")
    assert form.cleaned_data["exchange_rate"] == Decimal("4.9712")


def test_the_payment_page_saves_3450_50_ron_at_4_9712(money, client_for):
    url = reverse("grants:payment_create", args=[money.project.pk])
    client = client_for(money.coordinator)
    client.cookies["django_language"] = "ro"
    response = client.post(url, payment_data(money))
    assert response.status_code == 302, response.context["form"].errors
    payment = Payment.objects.get()
    assert (payment.amount, payment.exchange_rate) == (Decimal("3450.50"), Decimal("4.9712"))


def test_an_ambiguous_amount_is_a_form_error_and_nothing_is_saved(money, client_for):
    url = reverse("grants:payment_create", args=[money.project.pk])
    response = client_for(money.coordinator).post(url, payment_data(money, amount="2,240"))
    assert response.status_code == 200
    assert "could be read two ways" in str(response.context["form"].errors["amount"])
    assert not Payment.objects.exists()


def test_money_fields_are_text_boxes_with_the_decimal_keypad(money):
    forms = [
        PaymentForm(project=money.project),
        RealCostForm(),
        ProjectGrantForm(),
        AllowanceForm(placement=money.placement, learners=[]),
        BandFormSet().forms[0],
    ]
    for form in forms:
        for name in form.fields:
            if name in ("amount", "exchange_rate", "awarded_travel", "standard_amount"):
                html = str(form[name])
                assert 'type="text"' in html and 'inputmode="decimal"' in html, (type(form), name)


def test_a_saved_amount_is_shown_as_a_romanian_would_type_it_and_read_back_the_same(money):
    cost = RealCostForm(initial={"amount": Decimal("3450.50")})
    with translation.override("ro"):
        html = str(cost["amount"])
    assert 'value="3450,50"' in html
    assert parse_decimal("3450,50") == Decimal("3450.50")


def test_the_allowance_form_reads_a_comma_rate(money):
    data = {
        "assignment": str(money.assignment.pk),
        "paid_on": "2026-03-02",
        "amount": "1 000,00",
        "currency": "RON",
        "exchange_rate": "4,977",
        "rate_reason": "The bank's rate of the day",
        "method": "cash",
    }
    form = AllowanceForm(data, placement=money.placement, learners=[money.assignment])
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["amount"], form.cleaned_data["exchange_rate"]) == (Decimal("1000"), Decimal("4.977"))


def workbook(world, rows):
    """A workbook as the Module gives it: the ID column and the travel amount as text."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Mobility activity ID", "Participant first name", "Participant last name", "Travel (EUR)"])
    for assignment, amount in rows:
        sheet.append(
            [f"M-{assignment.pk}", assignment.participant.first_name, assignment.participant.last_name, amount]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("module.xlsx", buffer.getvalue())


def import_url(world):
    return reverse("grants:module_import", args=[world.project.pk])


@pytest.mark.parametrize("text", ["1.904,00", "1 904,00", "1,904.00"])
def test_the_reconciliation_import_reads_1904_however_written(money, client_for, text):
    client = client_for(money.coordinator)
    checked = client.post(import_url(money), {"workbook": workbook(money, [(money.assignment, text)])})
    assert checked.status_code == 200 and not ModuleFigures.objects.exists()  # the dry run saves nothing
    response = client.post(import_url(money), {"payload": checked.context["payload"]})
    assert response.status_code == 302
    assert ModuleFigures.objects.get(assignment=money.assignment).travel == Decimal("1904.00")


def test_an_ambiguous_cell_is_refused_with_its_row_and_reason_and_nothing_is_saved(money, client_for):
    rows = [(money.assignment, "1.904,00"), (money.other_assignment, "2,240")]
    response = client_for(money.coordinator).post(import_url(money), {"workbook": workbook(money, rows)})
    assert response.status_code == 200
    error = str(response.context["form"].errors["workbook"])
    assert "row 3" in error and "Travel (EUR)" in error and "could be read two ways" in error
    assert not ModuleFigures.objects.exists()  # the good row 2 is not saved either
