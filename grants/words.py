"""Amounts in Romanian words, as a receipt states them: 1.234,50 lei → "o mie două sute treizeci și patru de lei și
cincizeci de bani".

The rules followed: the numeral agrees with the noun (doi lei, două mii, două milioane; unu/una at the end of a
compound); "de" comes before the noun when the number's last two digits are 00 or from 20 up (douăzeci de lei,
o sută de lei, but doisprezece lei, o sută unu lei); one of a thing is "un leu", "o mie", "un milion".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MASCULINE, FEMININE, NEUTER = "m", "f", "n"
ONES = ["", "unu", "doi", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă"]
TEENS = [
    "zece",
    "unsprezece",
    "doisprezece",
    "treisprezece",
    "paisprezece",
    "cincisprezece",
    "șaisprezece",
    "șaptesprezece",
    "optsprezece",
    "nouăsprezece",
]
TENS = ["", "", "douăzeci", "treizeci", "patruzeci", "cincizeci", "șaizeci", "șaptezeci", "optzeci", "nouăzeci"]
# Larger units: (size, gender, one, plural)
SCALES = [
    (10**9, NEUTER, "un miliard", "miliarde"),
    (10**6, NEUTER, "un milion", "milioane"),
    (10**3, FEMININE, "o mie", "mii"),
]
CURRENCIES = {
    # code: ((one unit, units), (one hundredth, hundredths)); all masculine: doi lei, doi bani, doi euro, doi cenți
    "RON": (("un leu", "lei"), ("un ban", "bani")),
    "EUR": (("un euro", "euro"), ("un cent", "cenți")),
}


def _one(digit: int, gender: str) -> str:
    if digit == 1:
        return "una" if gender == FEMININE else "unu"
    if digit == 2:
        return "doi" if gender == MASCULINE else "două"
    return ONES[digit]


def below_thousand(number: int, gender: str = MASCULINE) -> str:
    """1–999 as counted things of `gender` are counted (a compound ends in unu/una, doi/două)."""
    hundreds, rest = divmod(number, 100)
    words = []
    if hundreds == 1:
        words.append("o sută")
    elif hundreds:
        words.append(f"{_one(hundreds, FEMININE)} sute")
    if 10 <= rest < 20:
        words.append("douăsprezece" if rest == 12 and gender != MASCULINE else TEENS[rest - 10])
    elif rest >= 20:
        tens, digit = divmod(rest, 10)
        words.append(f"{TENS[tens]} și {_one(digit, gender)}" if digit else TENS[tens])
    elif rest:
        words.append(_one(rest, gender))
    return " ".join(words)


def needs_de(number: int) -> bool:
    """ "de" before the noun: douăzeci de lei, o sută de lei, but nouăsprezece lei, o sută unu lei."""
    rest = number % 100
    return number > 0 and (rest == 0 or rest >= 20)


def counted(number: int, one: str, plural: str, gender: str = MASCULINE) -> str:
    """`number` things: "un leu", "doi lei", "douăzeci de lei", "o mie de lei", "două mii"."""
    if number == 1:
        return one
    return f"{number_words(number, gender)} {'de ' if needs_de(number) else ''}{plural}"


def number_words(number: int, gender: str = MASCULINE) -> str:
    """A whole number from 0 up, for counting things of `gender`."""
    if number < 0:
        raise ValueError("A negative amount has no words on a receipt.")
    if number == 0:
        return "zero"
    words = []
    rest = number
    for size, scale_gender, one, plural in SCALES:
        count, rest = divmod(rest, size)
        if count:
            words.append(counted(count, one, plural, scale_gender) if count > 1 else one)
    if rest:
        words.append(below_thousand(rest, gender))
    return " ".join(words)


def amount_words(amount: Decimal, currency: str = "RON") -> str:
    """An amount of RON or EUR in words, the hundredths after "și": "doi lei și cincizeci de bani"."""
    (unit_one, units), (cent_one, cents) = CURRENCIES[currency]
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("A negative amount has no words on a receipt.")
    whole = int(amount)
    hundredths = int((amount - whole) * 100)
    if whole and hundredths:
        return f"{counted(whole, unit_one, units)} și {counted(hundredths, cent_one, cents)}"
    if hundredths:
        return counted(hundredths, cent_one, cents)
    return f"zero {units}" if whole == 0 else counted(whole, unit_one, units)


def amount_figures(amount: Decimal, currency: str = "RON") -> str:
    """The amount as Romanian writes it: 1.234,50 lei, 12,00 euro."""
    text = f"{amount.quantize(Decimal('0.01')):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{text} {'lei' if currency == 'RON' else 'euro'}"
