"""The grant's arithmetic, apart from the database: distance, band, days and amounts, each with the steps that
led to it, so that a page can show "2,853 km → band 2,000–2,999 km → 395 EUR".

Money is Decimal throughout; each amount is rounded once, to the cent, when its line is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import PREPARATORY, Category, CountryGroup, RateTable, TravelBand, TravelMode

CATEGORIES = tuple(Category.values)
EARTH_RADIUS_KM = 6371  # the EU distance calculator's sphere
CENT = Decimal("0.01")


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """The great-circle distance on a sphere of 6,371 km, in whole kilometres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return round(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a)))


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=16)
def _separators(language: str | None) -> dict[int, str]:
    """How `language` writes the English "," (thousands) and "." (decimal mark) of a number."""
    return {ord(","): get_format("THOUSAND_SEPARATOR"), ord("."): get_format("DECIMAL_SEPARATOR")}


def written(text: str) -> str:
    """A number written the English way ("1,904.50") as the reader's language writes it ("1.904,50" in Romanian):
    the steps must not read as 1.9 EUR where the amounts column says 1.904,50."""
    return text.translate(_separators(get_language()))


def eur(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return f"{written(text.removesuffix('.00'))} EUR"


def band_label(band: TravelBand) -> str:
    """The band as the reader's language writes its numbers ("2.000–2.999 km" in Romanian)."""
    if band.max_km is None:
        return _("%(min)s km and more") % {"min": written(f"{band.min_km:,}")}
    return f"{written(f'{band.min_km:,}')}–{written(f'{band.max_km:,}')} km"


class Rates:
    """A rate table with its bands and groups in memory (prefetch them: `rate_table_for`)."""

    def __init__(
        self, table: RateTable, bands: list[TravelBand] | None = None, groups: list[CountryGroup] | None = None
    ):
        self.table = table
        self.bands: list[TravelBand] = sorted(table.bands.all() if bands is None else bands, key=lambda b: b.min_km)
        self.groups: list[CountryGroup] = list(table.groups.all()) if groups is None else groups

    def band_for(self, km: int) -> TravelBand | None:
        for band in self.bands:
            if band.min_km <= km and (band.max_km is None or km <= band.max_km):
                return band
        return None

    def group_for(self, country: str) -> CountryGroup | None:
        for group in self.groups:
            if country.upper() in group.country_codes:
                return group
        return None

    def funded_travel_days(self, mode: str, declared: int | None) -> int:
        if mode == TravelMode.GREEN:
            most = self.table.green_travel_days
            return most if declared is None else min(declared, most)
        most = self.table.standard_travel_days
        return most if declared is None else min(declared, most)


@dataclass
class Line:
    category: str
    label: str
    steps: str
    amount: Decimal


@dataclass
class Figures:
    """One person's grant: the lines per category, the days and the band, what the page must warn about, and the
    rates the table still lacks (`missing`): a grant with a missing rate is not shown, whatever its other lines."""

    lines: list[Line] = field(default_factory=list)
    km: int | None = None
    band: TravelBand | None = None
    group: CountryGroup | None = None
    activity_days: int = 0
    travel_days: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def days(self) -> int:
        return self.activity_days + self.travel_days

    @property
    def band_label(self) -> str:
        return band_label(self.band) if self.band is not None else ""

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def by_category(self) -> dict[str, Decimal]:
        found = dict.fromkeys(CATEGORIES, Decimal("0.00"))
        for line in self.lines:
            found[line.category] += line.amount
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "km": self.km,
            "band": str(self.band) if self.band else "",
            "group": self.group.number if self.group else None,
            "activity_days": self.activity_days,
            "travel_days": self.travel_days,
            "lines": [
                {"category": line.category, "label": line.label, "steps": line.steps, "amount": str(line.amount)}
                for line in self.lines
            ],
        }


def _missing(figures: Figures, what: str) -> None:
    if what not in figures.missing:
        figures.missing.append(what)


def _travel(figures: Figures, rates: Rates, km: int | None, mode: str, real_cost: Decimal, justification: str) -> None:
    """The band's amount, or, when the standard amount covers less than the table's share (70 %) of the real
    cost of the journey, the share (80 %) of the real cost instead of it (exceptional costs for expensive travel)."""
    if km is None:
        figures.warnings.append(_("The distance is unknown: give both organisations their coordinates."))
        return
    figures.km = km
    figures.band = band = rates.band_for(km)
    if band is None:
        figures.warnings.append(
            _("No distance band of the rate table covers %(km)s km: add the band to the table.")
            % {"km": written(f"{km:,}")}
        )
        return
    amount = cents(band.amount_for(mode))
    green = _(" (green travel)") if mode == TravelMode.GREEN and band.green_amount is not None else ""
    steps = _("%(km)s km → band %(band)s → %(amount)s%(green)s") % {
        "km": written(f"{km:,}"),
        "band": band_label(band),
        "amount": eur(amount),
        "green": green,
    }
    table = rates.table
    if real_cost:
        threshold = cents(real_cost * table.exceptional_travel_threshold / 100)
        test = {
            "amount": eur(amount),
            "percent": table.exceptional_travel_threshold,
            "cost": eur(real_cost),
            "threshold": eur(threshold),
        }
        if amount < threshold:
            paid = cents(real_cost * table.exceptional_travel_share / 100)
            test.update(share=table.exceptional_travel_share, paid=eur(paid))
            steps = (
                _(
                    "%(amount)s < %(percent)s %% of the real cost %(cost)s (%(threshold)s): "
                    "%(share)s %% of %(cost)s = %(paid)s replaces the standard travel amount"
                )
                % test
            )
            figures.lines.append(Line(Category.EXCEPTIONAL, _("Exceptional costs for expensive travel"), steps, paid))
            if not justification.strip():
                figures.warnings.append(_("Expensive travel is claimed without saying why the travel was expensive."))
            return
        figures.notes.append(
            _(
                "Expensive travel not claimable: %(amount)s ≥ %(percent)s %% of the real cost %(cost)s "
                "(%(threshold)s), the standard amount stays."
            )
            % test
        )
    figures.lines.append(Line(Category.TRAVEL, _("Travel"), steps, amount))


def _daily(figures: Figures, rates: Rates, rate: Decimal | None, label: str, what: str) -> None:
    """Days × the rate; from the table's day (15) on, the table's share (70 %) of the rate. Travel days count."""
    if rate is None:
        _missing(figures, what)
        return
    days = figures.days
    table = rates.table
    if days >= table.long_stay_from_day:
        full_days = table.long_stay_from_day - 1
        reduced_rate = cents(rate * table.long_stay_percent / 100)
        full, reduced = cents(rate * full_days), cents(reduced_rate * (days - full_days))
        amount = full + reduced
        steps = _(
            "days 1–%(last_full)s × %(rate)s = %(full)s; days %(first_reduced)s–%(days)s × %(share)s × %(rate)s "
            "(%(reduced_rate)s) = %(reduced)s; %(amount)s"
        ) % {
            "last_full": full_days,
            "first_reduced": full_days + 1,
            "days": days,
            "rate": eur(rate),
            "share": written(str(Decimal(table.long_stay_percent) / 100)),
            "reduced_rate": eur(reduced_rate),
            "full": eur(full),
            "reduced": eur(reduced),
            "amount": eur(amount),
        }
    else:
        amount = cents(rate * days)
        steps = _("%(days)s days × %(rate)s = %(amount)s") % {"days": days, "rate": eur(rate), "amount": eur(amount)}
    figures.lines.append(Line(Category.INDIVIDUAL, label, steps, amount))


def _days(
    figures: Figures, rates: Rates, start: date | None, end: date | None, mode: str, declared: int | None
) -> None:
    if start is None or end is None or end < start:
        return
    figures.activity_days = (end - start).days + 1
    figures.travel_days = rates.funded_travel_days(mode, declared)


def _group(figures: Figures, rates: Rates, country: str) -> CountryGroup | None:
    figures.group = group = rates.group_for(country)
    if group is None:
        figures.warnings.append(_("The country %(country)s is in no group of the rate table.") % {"country": country})
    return group


def _organisational(figures: Figures, rates: Rates, participant_number: int) -> None:
    table = rates.table
    if participant_number <= table.organisational_support_up_to:
        amount, steps = (
            table.organisational_support,
            _("per participant, up to the %(nth)sth") % {"nth": table.organisational_support_up_to},
        )
        what = _("organisational support per participant")
    else:
        amount, steps = (
            table.organisational_support_beyond,
            _("per participant beyond the %(nth)sth") % {"nth": table.organisational_support_up_to},
        )
        what = _("organisational support per participant beyond the %(nth)sth") % {
            "nth": table.organisational_support_up_to
        }
    if amount is None:
        _missing(figures, what)
        return
    figures.lines.append(Line(Category.ORGANISATIONAL, _("Organisational support"), steps, cents(amount)))


def learner(
    rates: Rates,
    *,
    km: int | None,
    mode: str,
    declared_travel_days: int | None,
    country: str,
    start: date | None,
    end: date | None,
    fewer_opportunities: bool,
    real_costs: list[tuple[str, Decimal]] = (),  # type: ignore[assignment]
    exceptional_costs: list[tuple[str, Decimal]] = (),  # type: ignore[assignment]
    exceptional_travel_cost: Decimal = Decimal("0.00"),
    exceptional_travel_justification: str = "",
    linguistic: bool = False,
    participant_number: int = 1,
) -> Figures:
    """A learner's grant from `start` to `end` (None: no mobility took place, nothing is due).

    `participant_number` is the learner's place among the project's participants (organisational support pays
    less beyond the 100th); `real_costs` are inclusion support at real cost, `exceptional_costs` the visas,
    permits, vaccinations and medical certificates, both paid at 100 %."""
    figures = Figures()
    if start is None or end is None:
        return figures
    table = rates.table
    _days(figures, rates, start, end, mode, declared_travel_days)
    _travel(figures, rates, km, mode, exceptional_travel_cost, exceptional_travel_justification)
    group = _group(figures, rates, country)
    if group is not None:
        what = _("Group %(number)s: learners, per day") % {"number": group.number}
        _daily(figures, rates, group.learner_per_day, _("Individual support"), what)
    _organisational(figures, rates, participant_number)
    if fewer_opportunities:
        if table.inclusion_support is None:
            _missing(figures, _("inclusion support per participant with fewer opportunities"))
        else:
            amount = cents(table.inclusion_support)
            figures.lines.append(
                Line(Category.INCLUSION, _("Inclusion support"), _("per participant with fewer opportunities"), amount)
            )
    for reason, amount in real_costs:
        figures.lines.append(Line(Category.INCLUSION, _("Inclusion support, real cost"), reason, cents(amount)))
    for reason, amount in exceptional_costs:
        steps = _("100 %% of the real cost: %(reason)s") % {"reason": reason}
        figures.lines.append(Line(Category.EXCEPTIONAL, _("Exceptional costs"), steps, cents(amount)))
    if linguistic:
        if table.linguistic_support is None:
            _missing(figures, _("linguistic support per participant"))
        else:
            amount = cents(table.linguistic_support)
            figures.lines.append(Line(Category.LINGUISTIC, _("Linguistic support"), _("per participant"), amount))
    return figures


def accompanying(
    rates: Rates,
    *,
    km: int | None,
    mode: str,
    declared_travel_days: int | None,
    country: str,
    start: date,
    end: date,
) -> Figures:
    """An accompanying person's travel and individual support, at staff rates (no organisational support)."""
    figures = Figures()
    _days(figures, rates, start, end, mode, declared_travel_days)
    _travel(figures, rates, km, mode, Decimal("0.00"), "")
    group = _group(figures, rates, country)
    if group is not None:
        what = _("Group %(number)s: accompanying persons, per day") % {"number": group.number}
        _daily(figures, rates, group.accompanying_per_day, _("Individual support (accompanying person)"), what)
    return figures


def preparatory_visit(rates: Rates, persons: int) -> Figures:
    """A preparatory visit: the table's unit cost per person, for at most the table's number of persons (3)."""
    figures = Figures()
    table = rates.table
    if table.preparatory_visit is None:
        _missing(figures, _("preparatory visit, per person"))
        return figures
    counted = min(persons, table.preparatory_visit_persons)
    if persons > counted:
        figures.warnings.append(
            _("A preparatory visit is funded for at most %(most)s persons.") % {"most": table.preparatory_visit_persons}
        )
    amount = cents(table.preparatory_visit * counted)
    steps = _("%(persons)s × %(rate)s = %(amount)s") % {
        "persons": counted,
        "rate": eur(table.preparatory_visit),
        "amount": eur(amount),
    }
    # A budget item of its own: the budget page lists it after organisational support (selectors.project_budget).
    figures.lines.append(Line(PREPARATORY, _("Preparatory visit"), steps, amount))
    return figures
