"""The read side of the money: a project's grant per mobility and per category, built in a fixed number of
queries whatever the number of learners (the budget page, the export and the report all read it here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from participants.models import Participant
from placements.models import Assignment, Project

from . import calculator
from .calculator import Figures, Rates
from .models import AccompanyingPerson, Category, Location, MobilityGrant, Payment, ProjectGrant, RateTable, RealCost

ZERO = Decimal("0.00")


def rate_table_for(call_year: int) -> RateTable | None:
    return RateTable.objects.filter(call_year=call_year).prefetch_related("bands", "groups").first()


def country_code(country: Any) -> str:
    """The ISO code of a CountryField's value (a Country object at run time)."""
    return str(getattr(country, "code", country))


def distance_km(origin: Location | None, destination: Location | None) -> int | None:
    if origin is None or destination is None:
        return None
    return calculator.great_circle_km(
        float(origin.latitude), float(origin.longitude), float(destination.latitude), float(destination.longitude)
    )


def _location(organisation: Any) -> Location | None:
    if organisation is None:
        return None
    try:
        return organisation.location
    except Location.DoesNotExist:
        return None


def mobility_grant(assignment: Assignment) -> MobilityGrant:
    """The assignment's grant record, or an unsaved default one (standard travel, planned dates)."""
    try:
        return assignment.grant
    except MobilityGrant.DoesNotExist:
        return MobilityGrant(assignment=assignment)


@dataclass
class MobilityRow:
    assignment: Assignment
    grant: MobilityGrant
    planned: Figures
    actual: Figures
    changes: list[str] = field(default_factory=list)
    at_risk: bool = False


@dataclass
class AccompanyingRow:
    stay: AccompanyingPerson
    figures: Figures


@dataclass
class CategoryRow:
    category: str
    label: str
    awarded: Decimal
    planned: Decimal
    actual: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.awarded - self.spent

    @property
    def planned_over(self) -> bool:
        return self.planned > self.awarded

    @property
    def spent_over(self) -> bool:
        return self.spent > self.awarded


@dataclass
class Budget:
    project: Project
    grant: ProjectGrant | None
    rates: Rates | None
    mobilities: list[MobilityRow]
    accompanying: list[AccompanyingRow]
    categories: list[CategoryRow]
    warnings: list[str]

    @property
    def total(self) -> CategoryRow:
        return CategoryRow(
            "total",
            _("Total"),
            *(
                sum((getattr(row, key) for row in self.categories), ZERO)
                for key in ("awarded", "planned", "actual", "spent")
            ),
        )

    def counts(self) -> list[tuple[str, int | None, int]]:
        """Participants (learners and accompanying persons, actual figures) per distance band and country group."""
        found: Counter[tuple[str, int | None]] = Counter()
        for figures in [row.actual for row in self.mobilities] + [row.figures for row in self.accompanying]:
            if figures.days:
                found[str(figures.band) if figures.band else "–", figures.group.number if figures.group else None] += 1
        return [(band, group, count) for (band, group), count in sorted(found.items(), key=lambda item: str(item[0]))]


def project_assignments(project: Project) -> QuerySet[Assignment]:
    fewer = Participant.barriers.through.objects.filter(participant_id=OuterRef("participant_id"))
    return (
        Assignment.objects.filter(placement__project=project)
        .select_related(
            "participant",
            "placement__receiving_partner__location",
            "host_company__location",
            "grant",
        )
        .prefetch_related(Prefetch("real_costs", queryset=RealCost.objects.select_related("receipt")))
        .annotate(fewer_opportunities=Exists(fewer))
        .order_by("placement__start_date", "placement_id", "participant__name_key", "pk")
    )


def mobility_figures(rates: Rates, assignment: Assignment, origin: Location | None) -> MobilityRow:
    placement = assignment.placement
    grant = mobility_grant(assignment)
    destination = _location(assignment.host_company) or _location(placement.receiving_partner)
    km = distance_km(origin, destination)
    costs = [(cost.reason, cost.amount) for cost in assignment.real_costs.all()]
    common = {
        "km": km,
        "mode": grant.travel_mode,
        "declared_travel_days": grant.travel_days,
        "country": country_code(placement.country),
        "fewer_opportunities": bool(getattr(assignment, "fewer_opportunities", False)),
        "real_costs": costs,
        "exceptional_travel_cost": grant.exceptional_travel_cost,
        "linguistic": grant.linguistic_support,
    }
    planned = calculator.learner(rates, start=placement.start_date, end=placement.end_date, **common)
    start: date | None = grant.actual_start or placement.start_date
    end: date | None = grant.actual_end or placement.end_date
    changes, at_risk = [], False
    if assignment.status == Assignment.Status.WITHDRAWN:
        if grant.withdrawn_on is None:
            start = end = None
            changes.append(_("Withdrawn before leaving (no date of return given): nothing is due."))
        else:
            end = grant.withdrawn_on
            day = (end - (grant.actual_start or placement.start_date)).days + 1
            changes.append(
                _("Came home on %(date)s, day %(day)s of the stay: paid for the days actually spent.")
                % {"date": date_format(end), "day": day}
            )
            if grant.force_majeure:
                changes.append(_("Force majeure: the days spent are due."))
            else:
                at_risk = True
                changes.append(
                    _(
                        "Not force majeure: the grant for this mobility may be lost; the National Agency decides. "
                        "The figures assume the days spent are paid."
                    )
                )
    elif grant.actual_start or grant.actual_end:
        changes.append(
            _("Actual dates %(start)s – %(end)s instead of the planned ones.")
            % {
                "start": date_format(grant.actual_start or placement.start_date),
                "end": date_format(grant.actual_end or placement.end_date),
            }
        )
    actual = calculator.learner(rates, start=start, end=end, **common)
    if planned.total != actual.total:
        changes.append(
            _("The grant changes from %(planned)s to %(actual)s.")
            % {"planned": calculator.eur(planned.total), "actual": calculator.eur(actual.total)}
        )
    return MobilityRow(assignment, grant, planned, actual, changes, at_risk)


def accompanying_figures(rates: Rates, stay: AccompanyingPerson, origin: Location | None) -> AccompanyingRow:
    km = distance_km(origin, _location(stay.placement.receiving_partner))
    figures = calculator.accompanying(
        rates,
        km=km,
        mode=stay.travel_mode,
        declared_travel_days=stay.travel_days,
        country=country_code(stay.placement.country),
        start=stay.start,
        end=stay.end,
    )
    return AccompanyingRow(stay, figures)


def project_rates(project: Project) -> tuple[ProjectGrant | None, Rates | None]:
    grant = ProjectGrant.objects.filter(project=project).first()
    year = grant.call_year if grant else project.start_date.year
    table = rate_table_for(year)
    return grant, (Rates(table) if table else None)


def project_budget(project: Project) -> Budget:
    """Every mobility's and accompanying person's figures, and the categories' totals against the award."""
    grant, rates = project_rates(project)
    origin = Location.objects.filter(organisation_id=project.sending_organisation_id).first()
    warnings = []
    mobilities: list[MobilityRow] = []
    accompanying: list[AccompanyingRow] = []
    if rates is None:
        year = grant.call_year if grant else project.start_date.year
        warnings.append(_("There is no rate table for the call year %(year)s.") % {"year": year})
    else:
        if rates.table.is_example:
            warnings.append(
                _("The rate table “%(table)s” holds example figures: check them against the National Agency's.")
                % {"table": rates.table}
            )
        mobilities = [mobility_figures(rates, a, origin) for a in project_assignments(project)]
        stays = AccompanyingPerson.objects.filter(placement__project=project).select_related(
            "person", "placement__receiving_partner__location"
        )
        accompanying = [accompanying_figures(rates, stay, origin) for stay in stays]
    if origin is None:
        warnings.append(_("The sending organisation has no coordinates: travel cannot be computed."))
    spent = dict(
        Payment.objects.filter(project=project).values_list("category").annotate(total=Sum("amount_eur")).order_by()
    )
    categories = []
    for category in Category:
        planned = sum((row.planned.by_category()[category] for row in mobilities), ZERO)
        actual = sum((row.actual.by_category()[category] for row in mobilities), ZERO)
        staff = sum((row.figures.by_category()[category] for row in accompanying), ZERO)
        categories.append(
            CategoryRow(
                category.value,
                str(category.label),
                grant.awarded(category.value) if grant else ZERO,
                planned + staff,
                actual + staff,
                calculator.cents(Decimal(spent.get(category.value) or ZERO)),
            )
        )
    for row in categories:
        if row.planned_over:
            warnings.append(_("%(category)s: the planned grant exceeds what was awarded.") % {"category": row.label})
        if row.spent_over:
            warnings.append(_("%(category)s: more was spent than awarded.") % {"category": row.label})
    return Budget(project, grant, rates, mobilities, accompanying, categories, warnings)


def budget_summary(budget: Budget) -> dict[str, Any]:
    """The figures a report states, as plain JSON values (kept in a snapshot)."""
    return {
        "rate_table": str(budget.rates.table) if budget.rates else "",
        "categories": [
            {
                "category": row.category,
                "awarded": str(row.awarded),
                "planned": str(row.planned),
                "actual": str(row.actual),
                "spent": str(row.spent),
            }
            for row in budget.categories
        ],
        "counts": [{"band": band, "group": group, "participants": count} for band, group, count in budget.counts()],
        "mobilities": {str(row.assignment.pk): row.actual.as_dict() for row in budget.mobilities},
    }
