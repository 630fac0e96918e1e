"""Exchange rates as data (issue 18, item 7): InforEuro's monthly accounting rates loaded from its published file
by a command and a form (superusers load, the office reads); a payment in RON takes its month's rate unless the
bank's is given with a reason; a rate more than 10 % away or inverted is refused; with no rate for the month the
form says so and links to where to load it."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from grants import inforeuro
from grants.forms import AllowanceForm, PaymentForm
from grants.models import ExchangeRate, Payment

from . import test_grants

money = test_grants.money  # the fixtures, shared

SAMPLE = Path(__file__).parent / "data" / "inforeuro_sample_2026_03.json"
MARCH = date(2026, 3, 1)


def load_sample():
    return inforeuro.load(content=SAMPLE.read_bytes(), month=MARCH)


def test_the_command_loads_every_currency_of_inforeuros_file_for_the_month(db):
    out = io.StringIO()
    call_command("load_inforeuro", str(SAMPLE), "--month", "2026-03", stdout=out)
    assert "Loaded 3 rates for 2026-03" in out.getvalue()
    ron = ExchangeRate.objects.get(currency="RON", month=MARCH)
    assert ron.rate == Decimal("4.9770")
    assert "InforEuro" in ron.source and "03/2026" in ron.source


def test_loading_the_month_again_replaces_its_rates_and_keeps_other_months(db):
    load_sample()
    inforeuro.load(content=SAMPLE.read_bytes(), month=date(2026, 4, 17))
    load_sample()
    assert ExchangeRate.objects.filter(currency="RON").count() == 2
    assert ExchangeRate.objects.get(currency="RON", month=date(2026, 4, 1)).rate == Decimal("4.9770")


@pytest.mark.parametrize(
    "content",
    [b"not json", b"{}", b"[]", b'[{"isoA3Code": "RON"}]', b'[{"isoA3Code": "RON", "value": -4.97}]'],
)
def test_a_file_that_is_not_inforeuros_is_refused_and_nothing_is_loaded(db, content):
    with pytest.raises(inforeuro.NotInforEuro):
        inforeuro.load(content=content, month=MARCH)
    assert not ExchangeRate.objects.exists()


def test_the_command_says_what_is_wrong(db, tmp_path):
    bad = tmp_path / "rates.json"
    bad.write_text("[]")
    with pytest.raises(CommandError, match="no rates"):
        call_command("load_inforeuro", str(bad), "--month", "2026-03")
    with pytest.raises(CommandError, match="2026-03"):
        call_command("load_inforeuro", str(SAMPLE), "--month", "March")


def payment(world, **changes):
    data = {
        "paid_on": "2026-03-10",
        "payee": "CFR Călători",
        "category": "travel",
        "amount": "1000",
        "currency": "RON",
        "exchange_rate": "",
        "rate_reason": "",
    }
    return PaymentForm(data | changes, project=world.project)


def test_a_ron_payment_takes_the_rate_of_its_month(money):
    load_sample()
    form = payment(money)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["exchange_rate"] == Decimal("4.9770")


def test_the_banks_rate_is_accepted_with_a_reason_and_refused_without(money):
    load_sample()
    without = payment(money, exchange_rate="4,9900")
    assert not without.is_valid() and "rate_reason" in without.errors
    form = payment(money, exchange_rate="4,9900", rate_reason="BCR's rate on the day of the transfer")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["exchange_rate"] == Decimal("4.9900")


def test_a_rate_more_than_10_percent_from_the_months_is_refused_with_a_message(money):
    load_sample()
    form = payment(money, exchange_rate="5,5000", rate_reason="bank")  # 10.5 % above 4.9770
    assert not form.is_valid()
    assert "more than 10 % away" in str(form.errors["exchange_rate"])
    assert payment(money, exchange_rate="5,4700", rate_reason="bank").is_valid()  # 9.9 % above


def test_an_inverted_rate_is_refused_as_inverted(money):
    load_sample()
    form = payment(money, exchange_rate="0,2009", rate_reason="bank")
    assert not form.is_valid()
    assert "looks inverted" in str(form.errors["exchange_rate"])


def test_without_a_rate_for_the_month_the_form_says_so_and_links_to_the_rates_page(money, client_for):
    load_sample()  # March only
    url = reverse("grants:payment_create", args=[money.project.pk])
    data = {
        "paid_on": "2026-05-04",
        "payee": "CFR Călători",
        "category": "travel",
        "amount": "1000",
        "currency": "RON",
        "exchange_rate": "",
    }
    response = client_for(money.coordinator).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is no accounting rate (InforEuro) for RON" in page
    assert f'href="{reverse("grants:exchange_rates")}"' in page
    assert not Payment.objects.exists()


def test_a_payment_in_eur_has_the_rate_1(money):
    form = payment(money, currency="EUR")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["exchange_rate"] == Decimal("1")


def test_an_allowance_follows_the_same_rule(money):
    load_sample()
    data = {
        "assignment": str(money.assignment.pk),
        "paid_on": "2026-03-02",
        "amount": "500",
        "currency": "RON",
        "exchange_rate": "0,2009",
        "rate_reason": "bank",
        "method": "cash",
    }
    form = AllowanceForm(data, placement=money.placement, learners=[money.assignment])
    assert not form.is_valid() and "looks inverted" in str(form.errors["exchange_rate"])
    form = AllowanceForm(data | {"exchange_rate": ""}, placement=money.placement, learners=[money.assignment])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["exchange_rate"] == Decimal("4.9770")


def rates_url():
    return reverse("grants:exchange_rates")


def upload(month="2026-03"):
    return {"month": month, "rates_file": SimpleUploadedFile("rates.json", SAMPLE.read_bytes())}


def test_the_office_reads_the_rates_and_only_superusers_load_them(money, client_for, django_user_model):
    load_sample()
    page = client_for(money.staff).get(rates_url())
    assert page.status_code == 200 and "4.9770" in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    assert client_for(money.coordinator).post(rates_url(), upload("2026-04")).status_code == 403
    assert client_for(money.mentor).get(rates_url()).status_code == 403
    assert client_for(None).get(rates_url()).status_code == 302
    assert not ExchangeRate.objects.filter(month=date(2026, 4, 1)).exists()
    admin = django_user_model.objects.create_superuser("it", "it@example.org", "x" * 20)
    response = client_for(admin).post(rates_url(), upload("2026-04"))
    assert response.status_code == 302
    assert ExchangeRate.objects.get(currency="RON", month=date(2026, 4, 1)).rate == Decimal("4.9770")


def test_a_wrong_file_is_a_form_error(money, client_for, django_user_model):
    admin = django_user_model.objects.create_superuser("it", "it@example.org", "x" * 20)
    data = {"month": "2026-03", "rates_file": SimpleUploadedFile("rates.json", b"<html>")}
    response = client_for(admin).post(rates_url(), data)
    assert response.status_code == 200
    assert "not InforEuro's monthly file" in " ".join(response.context["form"].errors["rates_file"])
    assert not ExchangeRate.objects.exists()
