"""The grant's arithmetic, apart from the database: distance, band, days and amounts, each with the steps that
led to it, so that a page can show "2,853 km → band 2,000–2,999 km → 395 EUR".

Money is Decimal throughout; each amount is rounded once, to the cent, when its line is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import Category, CountryGroup, RateTable, TravelBand, TravelMode

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


def eur(value: Decimal) -> str:
    return f"{value:,.2f} EUR".replace(".00 EUR", " EUR")


class Rates:
    """A rate table with its bands and groups in memory (prefetch them: `rate_table_for`)."""

    def __init__(self, table: RateTable):
        self.table = table
        self.bands: list[TravelBand] = sorted(table.bands.all(), key=lambda band: band.min_km)
        self.groups: list[CountryGroup] = list(table.groups.all())

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
    """One person's grant: the lines per category, the days and the band, and what the page must warn about."""

    lines: list[Line] = field(default_factory=list)
    km: int | None = None
    band: TravelBand | None = None
    group: CountryGroup | None = None
    activity_days: int = 0
    travel_days: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def days(self) -> int:
        return self.activity_days + self.travel_days

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def by_category(self) -> dict[str, Decimal]:
        found = {category.value: Decimal("0.00") for category in Category}
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


def _travel(figures: Figures, rates: Rates, km: int | None, mode: str) -> None:
    if km is None:
        figures.warnings.append(_("The distance is unknown: give both organisations their coordinates."))
        return
    figures.km = km
    figures.band = band = rates.band_for(km)
    if band is None:
        figures.warnings.append(_("No distance band of the rate table covers %(km)s km.") % {"km": f"{km:,}"})
        return
    amount = cents(band.amount_for(mode))
    green = _(" (green travel)") if mode == TravelMode.GREEN and band.green_amount is not None else ""
    steps = _("%(km)s km → band %(band)s → %(amount)s%(green)s") % {
        "km": f"{km:,}",
        "band": band,
        "amount": eur(amount),
        "green": green,
    }
    figures.lines.append(Line(Category.TRAVEL, _("Travel"), steps, amount))


def _daily(figures: Figures, rates: Rates, rate: Decimal, label: str) -> None:
    days = figures.days
    table = rates.table
    if table.long_stay_from_day and days >= table.long_stay_from_day:
        full_days = table.long_stay_from_day - 1
        reduced_days = days - full_days
        share = Decimal(table.long_stay_percent) / 100
        amount = cents(rate * full_days + rate * share * reduced_days)
        steps = _("%(full)s days × %(rate)s + %(reduced)s days × %(rate)s × %(share)s %% = %(amount)s") % {
            "full": full_days,
            "reduced": reduced_days,
            "rate": eur(rate),
            "share": table.long_stay_percent,
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
    exceptional_travel_cost: Decimal = Decimal("0.00"),
    linguistic: bool = False,
) -> Figures:
    """A learner's grant from `start` to `end` (None: no mobility took place, nothing is due)."""
    figures = Figures()
    if start is None or end is None:
        return figures
    _days(figures, rates, start, end, mode, declared_travel_days)
    _travel(figures, rates, km, mode)
    figures.group = group = rates.group_for(country)
    if group is None:
        figures.warnings.append(_("The country %(country)s is in no group of the rate table.") % {"country": country})
    else:
        _daily(figures, rates, group.learner_per_day, _("Individual support"))
    table = rates.table
    organisational = cents(table.organisational_support)
    figures.lines.append(
        Line(Category.ORGANISATIONAL, _("Organisational support"), _("per participant"), organisational)
    )
    if fewer_opportunities:
        amount = cents(table.inclusion_support)
        figures.lines.append(
            Line(Category.INCLUSION, _("Inclusion support"), _("per participant with fewer opportunities"), amount)
        )
    for reason, amount in real_costs:
        figures.lines.append(Line(Category.INCLUSION, _("Inclusion support, real cost"), reason, cents(amount)))
    if linguistic:
        figures.lines.append(
            Line(
                Category.LINGUISTIC,
                _("Linguistic support"),
                _("per participant"),
                cents(table.linguistic_support),
            )
        )
    if exceptional_travel_cost:
        share = Decimal(table.exceptional_travel_share) / 100
        amount = cents(exceptional_travel_cost * share)
        steps = _("%(share)s %% of %(cost)s") % {
            "share": table.exceptional_travel_share,
            "cost": eur(exceptional_travel_cost),
        }
        figures.lines.append(Line(Category.EXCEPTIONAL, _("Exceptional travel costs"), steps, amount))
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
    """An accompanying person's travel and individual support, at staff rates."""
    figures = Figures()
    _days(figures, rates, start, end, mode, declared_travel_days)
    _travel(figures, rates, km, mode)
    figures.group = group = rates.group_for(country)
    if group is None:
        figures.warnings.append(_("The country %(country)s is in no group of the rate table.") % {"country": country})
    else:
        _daily(figures, rates, group.accompanying_per_day, _("Individual support (accompanying person)"))
    return figures
