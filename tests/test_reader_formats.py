"""Dates and amounts as each language writes them: month and day names in lower case in Romanian and
Portuguese (the project's catalogue overrides Django's capitalised ones), money through one filter with the
language's separators and the currency after the amount; and a check of whole pages for what gives a page away
as written in the wrong language: a capitalised month or day inside a sentence, a bare amount of four or more
digits, a cedilla under s or t in Romanian, an English sentence on a Portuguese or Romanian page."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from common.templatetags.mobility_tags import money

from .test_grants import money as money_world  # noqa: F401  (the fixture)

MONTHS = {
    "ro": "Ianuarie Februarie Martie Aprilie Mai Iunie Iulie August Septembrie Octombrie Noiembrie Decembrie",
    "pt": "Janeiro Fevereiro Março Abril Maio Junho Julho Agosto Setembro Outubro Novembro Dezembro",
}
DAYS = {
    "ro": "Luni Marți Miercuri Joi Vineri Sâmbătă Duminică",
    "pt": "Segunda-feira Terça-feira Quarta-feira Quinta-feira Sexta-feira Sábado Domingo",
}
# A sentence in English: a few words that no Romanian or Portuguese sentence uses.
ENGLISH = re.compile(r"\b(?:the|and|is|with|your|this|has|have|not yet|was)\s+\w+", re.IGNORECASE)


def visible_text(html):
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.DOTALL)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def reader_faults(html, language):
    """What a reader of that language would not write; [] when the page reads right."""
    text = visible_text(html)
    faults = []
    for name in (MONTHS.get(language, "") + " " + DAYS.get(language, "")).split():
        # Inside a sentence: after a digit, a lower-case word or a comma, not at the start of a heading or cell.
        # A holiday's proper name keeps its capital (Sexta-feira Santa, Good Friday).
        for found in re.finditer(rf"(?:\d|[a-zăâîșțáàãâçéêíóôõú],?) {re.escape(name)}\b(?! Santa\b)", text):
            faults.append(f"capitalised {name!r}: …{text[max(0, found.start() - 30) : found.end() + 10]}…")
    for found in re.finditer(r"(?<![\d.,\u00a0])\d{4,}[.,]\d{2}\b", text):
        faults.append(f"amount without its separator: {found.group()!r}")
    if language == "ro" and set("şţŞŢ") & set(text):
        faults.append("ş or ţ with a cedilla")
    if language in ("ro", "pt"):
        faults += [f"English: {found.group()!r}" for found in ENGLISH.finditer(text)]
    return faults


def test_the_check_catches_each_fault():
    assert reader_faults("<p>Plecare duminică 28 Februarie 2027</p>", "ro")
    assert reader_faults("<td>13035,00</td>", "ro")
    assert reader_faults("<p>Şcoala</p>", "ro")
    assert reader_faults("<p>Guardar the week</p>", "pt")
    assert reader_faults("<p>chega na Sexta-feira à noite</p>", "pt")
    assert not reader_faults("<td>sex 26/03 Sexta-feira Santa</td>", "pt")
    assert not reader_faults("<h2>Februarie</h2><td>13.035,00</td><p>duminică, 28 februarie 2027</p>", "ro")


@pytest.mark.parametrize(
    ("language", "written"),
    [("ro", "13.035,50 EUR"), ("pt", "13.035,50 EUR"), ("en", "13,035.50 EUR")],
)
def test_money_has_the_languages_separators_and_the_currency_after(language, written):
    with translation.override(language):
        assert money(Decimal("13035.5"), "EUR") == written.replace(" ", "\u00a0")
        assert (
            money(Decimal("-82000"), "")
            == written.replace("13", "-82").replace("035,50", "000,00").replace("035.50", "000.00").split(" ")[0]
        )
        assert money(None) == ""


def test_the_filter_is_the_one_templates_use():
    with translation.override("ro"):
        html = Template('{% load mobility_tags %}{{ amount|money:"RON" }}').render(Context({"amount": 2985}))
    assert html == "2.985,00\u00a0RON"


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("ro", "duminică, 28 februarie 2027"),
        ("pt", "domingo, 28 fevereiro 2027"),
        ("en", "Sunday, 28 February 2027"),
    ],
)
def test_day_and_month_names_are_written_as_the_language_writes_them(language, written):
    with translation.override(language):
        assert date_format(date(2027, 2, 28), "l, j F Y") == written


def test_a_portuguese_date_reads_with_de_and_lower_case():
    with translation.override("pt"):
        assert date_format(date(2026, 9, 1)) == "1 de setembro de 2026"
    with translation.override("ro"):
        assert date_format(date(2026, 9, 1)) == "1 septembrie 2026"


@pytest.mark.parametrize("language", ["ro", "en"])
def test_the_budget_page_writes_every_amount_with_its_separators(money_world, client_for, language):  # noqa: F811
    world = money_world
    world.coordinator.language = language
    world.coordinator.save()
    html = client_for(world.coordinator).get(reverse("grants:budget", args=[world.project.pk])).content.decode()
    assert re.findall(r"\d\.\d{3},\d{2}" if language == "ro" else r"\d,\d{3}\.\d{2}", html), visible_text(html)
    faults = [fault for fault in reader_faults(html, language) if not fault.startswith("English")]
    assert not faults, faults


def test_a_portuguese_mentors_week_grid_reads_as_portuguese(world, client_for):
    world.mentor.language = "pt"
    world.mentor.save()
    placement = world.placement
    html = (
        client_for(world.mentor)
        .get(reverse("attendance:week", args=[placement.pk, f"{placement.start_date:%Y-%m-%d}"]))
        .content.decode()
    )
    faults = [fault for fault in reader_faults(html, "pt") if world.placement.title not in fault]
    assert not faults, faults


@pytest.mark.parametrize("language", ["ro", "pt", "en"])
@pytest.mark.parametrize(
    ("url_name", "of"), [("grants:payments", "project"), ("grants:payouts", "placement"), ("grants:budget", "project")]
)
def test_each_money_page_reads_right_in_each_language(money_world, client_for, language, url_name, of):  # noqa: F811
    world = money_world
    world.coordinator.language = language
    world.coordinator.save()
    target = world.project if of == "project" else world.placement
    html = client_for(world.coordinator).get(reverse(url_name, args=[target.pk])).content.decode()
    # The office's pages are offered in Romanian and English; Portuguese only checks the figures and dates.
    faults = [f for f in reader_faults(html, language) if not f.startswith("English") or language == "ro"]
    # What people typed (titles, the example rate table's name) stays in the language they typed it in.
    from grants.models import RateTable

    typed = [world.project.title, world.placement.title, *(str(table) for table in RateTable.objects.all())]
    faults = [f for f in faults if not any(f.split("'")[1] in text for text in typed)]
    assert not faults, faults
