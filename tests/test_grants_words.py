"""Amounts in Romanian words for the learners' receipts."""

from decimal import Decimal

import pytest

from grants.words import amount_figures, amount_words, number_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1", "un leu"),
        ("2", "doi lei"),
        ("3", "trei lei"),
        ("10", "zece lei"),
        ("11", "unsprezece lei"),
        ("12", "doisprezece lei"),
        ("14", "paisprezece lei"),
        ("16", "șaisprezece lei"),
        ("19", "nouăsprezece lei"),
        ("20", "douăzeci de lei"),
        ("21", "douăzeci și unu de lei"),
        ("22", "douăzeci și doi de lei"),
        ("60", "șaizeci de lei"),
        ("99", "nouăzeci și nouă de lei"),
        ("100", "o sută de lei"),
        ("101", "o sută unu lei"),
        ("102", "o sută doi lei"),
        ("112", "o sută doisprezece lei"),
        ("120", "o sută douăzeci de lei"),
        ("200", "două sute de lei"),
        ("999", "nouă sute nouăzeci și nouă de lei"),
        ("1000", "o mie de lei"),
        ("1001", "o mie unu lei"),
        ("1234.50", "o mie două sute treizeci și patru de lei și cincizeci de bani"),
        ("2000", "două mii de lei"),
        ("2002", "două mii doi lei"),
        ("12000", "douăsprezece mii de lei"),
        ("20000", "douăzeci de mii de lei"),
        ("21000", "douăzeci și una de mii de lei"),
        ("22000", "douăzeci și două de mii de lei"),
        ("100000", "o sută de mii de lei"),
        ("200000", "două sute de mii de lei"),
        ("1000000", "un milion de lei"),
        ("2000000", "două milioane de lei"),
        ("2500000", "două milioane cinci sute de mii de lei"),
        ("1000000000", "un miliard de lei"),
        ("0.01", "un ban"),
        ("0.02", "doi bani"),
        ("0.12", "doisprezece bani"),
        ("0.50", "cincizeci de bani"),
        ("1.01", "un leu și un ban"),
        ("0", "zero lei"),
        ("2985.00", "două mii nouă sute optzeci și cinci de lei"),
    ],
)
def test_lei_and_bani_in_words(amount, words):
    assert amount_words(Decimal(amount), "RON") == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1", "un euro"),
        ("2", "doi euro"),
        ("21", "douăzeci și unu de euro"),
        ("1640", "o mie șase sute patruzeci de euro"),
        ("0.01", "un cent"),
        ("12.12", "doisprezece euro și doisprezece cenți"),
        ("100.20", "o sută de euro și douăzeci de cenți"),
    ],
)
def test_euro_and_cents_in_words(amount, words):
    assert amount_words(Decimal(amount), "EUR") == words


def test_amounts_are_rounded_to_the_cent_once():
    assert amount_words(Decimal("1.005"), "RON") == "un leu și un ban"


def test_a_negative_amount_has_no_words():
    with pytest.raises(ValueError):
        amount_words(Decimal("-1"), "RON")


def test_feminine_and_neuter_counts():
    assert number_words(2, "f") == "două"
    assert number_words(12, "f") == "douăsprezece"
    assert number_words(21, "f") == "douăzeci și una"


def test_figures_are_written_the_romanian_way():
    assert amount_figures(Decimal("1234.5"), "RON") == "1.234,50 lei"
    assert amount_figures(Decimal("12"), "EUR") == "12,00 euro"
    assert amount_figures(Decimal("1234567.89"), "RON") == "1.234.567,89 lei"
