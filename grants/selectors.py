"""The read side of the money: a project's grant per mobility and per category, built in a fixed number of
queries whatever the number of learners (the budget page, the export and the report all read it here)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, Prefetch, QuerySet, Sum, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from participants.models import Participant
from placements.models import Assignment, Project

from . import calculator
from .calculator import Figures, Rates
from .models import (
    UNIT_COST_CATEGORIES,
    AccompanyingPerson,
    AgencyPayment,
    Category,
    Location,
    MobilityGrant,
    Payment,
    PreparatoryVisit,
    ProjectGrant,
    RateTable,
    RealCost,
)

ZERO = Decimal("0.00")
# The Guide's limits for VET learners (DOMAIN.md, Money): days of activity, travel days excluded.
SHORT_TERM_DAYS = (10, 89)
ERASMUS_PRO_DAYS = (90, 365)
KA122_MOST_PARTICIPANTS = 30


def rate_table_for(call_year: int) -> RateTable | None:
    return RateTable.objects.filter(call_year=call_year).prefetch_related("bands", "groups").first()


def rates_for(call_year: int) -> Rates | None:
    """The call year's table with its bands and groups, in three queries without prefetch_related's machinery."""
    table = RateTable.objects.filter(call_year=call_year).first()
    if table is None:
        return None
    return Rates(table, bands=list(table.bands.all()), groups=list(table.groups.all()))


def project_real_costs(project: Project) -> dict[int, list[RealCost]]:
    """{assignment id: its real costs} of the whole project in one query (a prefetch makes one queryset per
    learner: a tenth of the budget page)."""
    found: dict[int, list[RealCost]] = defaultdict(list)
    for cost in RealCost.objects.filter(assignment__placement__project=project).select_related("receipt"):
        found[cost.assignment_id].append(cost)
    return found


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
    eligibility: list[str] = field(default_factory=list)
    costs: list[RealCost] = field(default_factory=list)  # the mobility's real costs, in the order entered

    @property
    def missing(self) -> list[str]:
        return list(dict.fromkeys(self.planned.missing + self.actual.missing))


@dataclass
class AccompanyingRow:
    stay: AccompanyingPerson
    figures: Figures


@dataclass
class PreparatoryRow:
    visit: PreparatoryVisit
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
    def is_unit_cost(self) -> bool:
        return self.category in UNIT_COST_CATEGORIES or self.category == calculator.PREPARATORY

    @property
    def remaining(self) -> Decimal:
        """Unit costs: what the activity has not earned yet; real costs: what has not been spent yet."""
        return self.awarded - (self.actual if self.is_unit_cost else self.spent)

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
    missing: list[str] = field(default_factory=list)
    received: Decimal = ZERO
    preparatory: list[PreparatoryRow] = field(default_factory=list)

    @property
    def unit_cost_categories(self) -> list[CategoryRow]:
        return [row for row in self.categories if row.is_unit_cost]

    @property
    def real_cost_categories(self) -> list[CategoryRow]:
        return [row for row in self.categories if not row.is_unit_cost]

    @property
    def award_entered(self) -> bool:
        return self.grant is not None and self.grant.award_entered

    @property
    def earned(self) -> Decimal:
        """The grant the mobilities have earned so far: unit costs by the activity (actual dates), real costs by
        what was entered with its reason and receipt."""
        return sum((row.actual for row in self.categories), ZERO)

    @property
    def to_come(self) -> Decimal:
        """The part of `earned` for stages that have not ended yet, counted at their dates as entered: the activity
        earns it when they end, so until then the balance is what the end will bring if they go as entered."""
        today = timezone.localdate()
        total = ZERO
        for row in self.mobilities:
            end = row.grant.actual_end or row.assignment.placement.end_date
            if end is not None and end > today:
                total += row.actual.total
        for stay in self.accompanying:
            if stay.stay.end is not None and stay.stay.end > today:
                total += stay.figures.total
        return total

    @property
    def due(self) -> Decimal:
        """What the agreement pays at the end: the earned grant, capped at the maximum grant."""
        if self.grant is None or self.grant.max_grant is None:
            return self.earned
        return min(self.earned, self.grant.max_grant)

    @property
    def prefinancing(self) -> Decimal | None:
        if self.grant is None or self.grant.max_grant is None or self.grant.prefinancing_percent is None:
            return None
        return calculator.cents(self.grant.max_grant * self.grant.prefinancing_percent / 100)

    @property
    def balance(self) -> Decimal:
        """Positive: the National Agency still owes it; negative: the school returns it."""
        return self.due - self.received

    @property
    def balance_returned(self) -> Decimal:
        """What the school returns, as a positive amount (0 when nothing is to be returned)."""
        return max(-self.balance, Decimal(0))

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
        found: Counter[tuple[int, str, int]] = Counter()
        for figures in [row.actual for row in self.mobilities] + [row.figures for row in self.accompanying]:
            if figures.days:
                # By distance (not by the label's text, where "2,000" sorts before "500"), in the reader's numbers
                km = figures.band.min_km if figures.band else -1
                found[km, figures.band_label or "–", figures.group.number if figures.group else 0] += 1
        return [(band, group or None, count) for (_km, band, group), count in sorted(found.items())]


def project_assignments(project: Project, with_placements: bool = True) -> QuerySet[Assignment]:
    """The project's assignments in the budget's order; `with_placements=False` when the caller has the
    placements already (each row would otherwise bring its own copy of its placement and receiving partner)."""
    return _assignments(project, with_placements).prefetch_related(
        Prefetch("real_costs", queryset=RealCost.objects.select_related("receipt"))
    )


def _assignments(project: Project, with_placements: bool) -> QuerySet[Assignment]:
    """project_assignments without their real costs (the budget reads them in one query of its own)."""
    fewer = Participant.barriers.through.objects.filter(participant_id=OuterRef("participant_id"))
    related = ["participant", "host_company__location", "grant"]
    if with_placements:
        related.insert(1, "placement__receiving_partner__location")
    return (
        Assignment.objects.filter(placement__project=project)
        .select_related(*related)
        .annotate(fewer_opportunities=Exists(fewer))
        .order_by("placement__start_date", "placement_id", "participant__name_key", "pk")
    )


# What the budget's rows and the Module's file read of a learner's record; the rest (contacts, documents, consents,
# needs) is left in the database: reading it was a fifth of the rows' cost, and no budget consumer shows it.
BUDGET_PARTICIPANT_FIELDS = frozenset(
    {"id", "first_name", "last_name", "date_of_birth", "gender", "nationality", "email", "anonymised_at"}
)


@cache
def _unread_fields() -> tuple[str, ...]:
    unread = [
        f"participant__{f.name}" for f in Participant._meta.concrete_fields if f.name not in BUDGET_PARTICIPANT_FIELDS
    ]
    return (*unread, "mentor", "tasks", "created_at", "updated_at")


def activity_limits(placement: Any) -> tuple[str, tuple[int, int]]:
    """Short-term VET mobility or ErasmusPro, told by the planned stay, with its days of activity."""
    if (placement.end_date - placement.start_date).days + 1 >= ERASMUS_PRO_DAYS[0]:
        return _("ErasmusPro"), ERASMUS_PRO_DAYS
    return _("short-term VET mobility"), SHORT_TERM_DAYS


@lru_cache(maxsize=1024)
def _day(day: date, language: str | None) -> str:
    """date_format(day) in `language` (the active one): a budget's rows repeat the same few dates."""
    return date_format(day)


def eligibility(project: Project, placement: Any, start: date | None, end: date | None, early: bool) -> list[str]:
    """What the Guide's limits say about these dates, in words (empty: nothing to say)."""
    if start is None or end is None:
        return []
    found = []
    kind, (least, most) = activity_limits(placement)
    days = (end - start).days + 1
    if days > most or (days < least and not early):
        found.append(
            _("%(days)s days of activity: a %(kind)s lasts %(least)s–%(most)s days (travel days excluded).")
            % {"days": calculator.written(f"{days:,}"), "kind": kind, "least": least, "most": most}
        )
    if start < project.start_date or end > project.end_date:
        found.append(
            _("The dates %(start)s – %(end)s lie outside the project (%(first)s – %(last)s).")
            % {
                "start": _day(start, get_language()),
                "end": _day(end, get_language()),
                "first": _day(project.start_date, get_language()),
                "last": _day(project.end_date, get_language()),
            }
        )
    return found


def _learner(rates: Rates, memo: dict[Any, Any] | None, **facts: Any) -> Figures:
    """calculator.learner, computed once per page for the same facts (`memo`: the page's, None: no reuse): a
    project's learners share a few flows, dates and bands. The key holds every argument and the language of the
    steps; of the participant's number only whether it is beyond the table's limit, all that the steps depend on.
    The rows then share one Figures, which nobody changes once made (as planned and actual already did)."""
    if memo is None:
        return calculator.learner(rates, **facts)
    key = (
        "learner",
        get_language(),
        *(
            (name, tuple(value) if isinstance(value, list) else value)
            for name, value in facts.items()
            if name != "participant_number"
        ),
        facts["participant_number"] <= rates.table.organisational_support_up_to,
    )
    if key not in memo:
        memo[key] = calculator.learner(rates, **facts)
    return memo[key]


def mobility_figures(
    rates: Rates,
    assignment: Assignment,
    origin: Location | None,
    participant_number: int = 1,
    project: Project | None = None,
    costs: list[RealCost] | None = None,
    memo: dict[Any, Any] | None = None,
) -> MobilityRow:
    """`costs`: the assignment's real costs when read already (`project_real_costs`), else its prefetched ones.
    `memo`: a dict that lives as long as the page (one rate table, one project), for what its rows share."""
    placement = assignment.placement
    project = project or placement.project
    if memo is None:
        grant = mobility_grant(assignment)
    else:
        try:
            grant = assignment.grant
        except MobilityGrant.DoesNotExist:
            # The learners without a record share one unsaved default (standard travel, planned dates), tied to
            # none of them: the rows read it, nobody saves it (an instance per learner was a tenth of the rows).
            grant = memo.setdefault("default grant", MobilityGrant())
    destination = _location(assignment.host_company) or _location(placement.receiving_partner)
    km = distance_km(origin, destination)
    costs = list(assignment.real_costs.all()) if costs is None else costs
    common = {
        "km": km,
        "mode": grant.travel_mode,
        "declared_travel_days": grant.travel_days,
        "country": country_code(placement.country),
        "fewer_opportunities": bool(getattr(assignment, "fewer_opportunities", False)),
        "real_costs": [(cost.reason, cost.amount) for cost in costs if cost.kind == RealCost.Kind.INCLUSION],
        "exceptional_costs": [
            (f"{cost.get_kind_display()}: {cost.reason}", cost.amount)
            for cost in costs
            if cost.kind != RealCost.Kind.INCLUSION
        ],
        "exceptional_travel_cost": grant.exceptional_travel_cost,
        "exceptional_travel_justification": grant.exceptional_travel_justification,
        "linguistic": grant.linguistic_support,
        "participant_number": participant_number,
    }
    planned = _learner(rates, memo, start=placement.start_date, end=placement.end_date, **common)
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
    same = (start, end) == (placement.start_date, placement.end_date)
    actual = planned if same else _learner(rates, memo, start=start, end=end, **common)
    if planned.total != actual.total and not (planned.missing or actual.missing):
        changes.append(
            _("The grant changes from %(planned)s to %(actual)s.")
            % {"planned": calculator.eur(planned.total), "actual": calculator.eur(actual.total)}
        )
    early = assignment.status == Assignment.Status.WITHDRAWN
    if memo is None:
        checks = eligibility(project, placement, start, end, early)
    else:
        # The words depend on the flow's planned dates, the project's and these (one project per page).
        key = ("eligibility", get_language(), placement.pk, start, end, early)
        if key not in memo:
            memo[key] = eligibility(project, placement, start, end, early)
        checks = list(memo[key])
    return MobilityRow(assignment, grant, planned, actual, changes, at_risk, checks, costs)


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


def call_year(project: Project, grant: ProjectGrant | None = None) -> int:
    """The grant's call year, else the one the Erasmus+ reference begins with (2026-1-RO01-…), else the start's."""
    if grant is not None:
        return grant.call_year
    head = project.reference[:4]
    return int(head) if head.isdigit() else project.start_date.year


def project_grant(project: Project, *, received: bool = True) -> ProjectGrant | None:
    """The project's grant with what the National Agency paid so far (`received`, returns subtracted; without
    it, a plain look that is cheaper to build)."""
    if not received:
        found = ProjectGrant.objects.filter(project=project).first()
        if found is not None:
            found.project = project
        return found
    signed = Case(
        When(agency_payments__kind=AgencyPayment.Kind.RECOVERY, then=-F("agency_payments__amount")),
        default=F("agency_payments__amount"),
    )
    grant = ProjectGrant.objects.filter(project=project).annotate(received=Sum(signed)).first()
    if grant is not None:
        grant.project = project
    return grant


def project_rates(project: Project, *, received: bool = True) -> tuple[ProjectGrant | None, Rates | None]:
    grant = project_grant(project, received=received)
    return grant, rates_for(call_year(project, grant))


def participant_numbers(project: Project) -> dict[int, int]:
    """Each assignment's place among the project's participants (organisational support pays less beyond the
    100th), in the budget's order; one query of ids."""
    ids = project_assignments(project).values_list("pk", flat=True)
    return {pk: number for number, pk in enumerate(ids, start=1)}


def _origin(project: Project) -> Location | None:
    """The sending organisation's coordinates: read with the project when the caller selected them
    (`select_related("sending_organisation__location")`, no query of their own), else in one query."""
    if Project.sending_organisation.is_cached(project):
        organisation = project.sending_organisation
        if type(organisation).location.is_cached(organisation):
            return _location(organisation)
    return Location.objects.filter(organisation_id=project.sending_organisation_id).first()


def project_budget(project: Project, placements: list[Any] | None = None, *, rows_only: bool = False) -> Budget:
    """Every mobility's and accompanying person's figures, and the categories' totals against the award.
    `placements`: the project's, with their receiving partners' locations, when the caller reads them anyway
    (the budget page lists them): the rows then share them. `rows_only`: the rows without the totals, the
    preparatory visits, the spending and the warnings (the Module's file writes the rows only; two queries and a
    tenth of its time fewer)."""
    shared = {placement.pk: placement for placement in placements} if placements is not None else None
    grant, rates = project_rates(project, received=not rows_only)
    origin = _origin(project)
    warnings = []
    mobilities: list[MobilityRow] = []
    accompanying: list[AccompanyingRow] = []
    if rates is None:
        warnings.append(_("There is no rate table for the call year %(year)s.") % {"year": call_year(project, grant)})
    else:
        if rates.table.is_example:
            warnings.append(
                _("The rate table “%(table)s” holds example figures: check them against the National Agency's.")
                % {"table": rates.table}
            )
        costs = project_real_costs(project)
        assignments = list(_assignments(project, with_placements=shared is None).defer(*_unread_fields()))
        stays = list(
            AccompanyingPerson.objects.filter(placement__project=project).select_related(
                "person", *(["placement__receiving_partner__location"] if shared is None else [])
            )
        )
        if shared is not None:
            for assignment in assignments:
                assignment.placement = shared[assignment.placement_id]
            for person in stays:
                person.placement = shared[person.placement_id]
        memo: dict[Any, Any] = {}
        mobilities = [
            mobility_figures(rates, a, origin, number, project, costs.get(a.pk, []), memo)
            for number, a in enumerate(assignments, start=1)
        ]
        accompanying = [accompanying_figures(rates, stay, origin) for stay in stays]
    if rows_only:
        return Budget(project, grant, rates, mobilities, accompanying, [], warnings)
    visits = list(PreparatoryVisit.objects.filter(project=project))
    preparatory = [
        PreparatoryRow(visit, calculator.preparatory_visit(rates, visit.persons) if rates else Figures())
        for visit in visits
    ]
    if origin is None:
        warnings.append(_("The sending organisation has no coordinates: travel cannot be computed."))
    missing = list(
        dict.fromkeys(
            [what for row in mobilities for what in row.missing]
            + [what for row in accompanying for what in row.figures.missing]
            + [what for row in preparatory for what in row.figures.missing]
        )
    )
    warnings += _participant_warnings(project, mobilities)
    spent = dict(
        Payment.objects.filter(project=project).values_list("category").annotate(total=Sum("amount_eur")).order_by()
    )
    # One pass over the lines (the page's cost grows with the learners: no per-category walk of every row).
    planned = {category.value: ZERO for category in Category}
    actual = dict(planned)
    for row in mobilities:
        for line in row.planned.lines:
            planned[line.category] += line.amount
        for line in row.actual.lines:
            actual[line.category] += line.amount
    for stay in accompanying:
        for line in stay.figures.lines:
            planned[line.category] += line.amount
            actual[line.category] += line.amount
    # Preparatory visits: a budget item of their own (a unit cost per person), listed after organisational support
    # once the project has one; a visit is earned when it has taken place.
    planned[calculator.PREPARATORY] = actual[calculator.PREPARATORY] = ZERO
    today = timezone.localdate()
    for prep in preparatory:
        for line in prep.figures.lines:
            planned[line.category] += line.amount
            if prep.visit.visited_on <= today:
                actual[line.category] += line.amount
    kinds: list[tuple[str, str]] = [(category.value, str(category.label)) for category in Category]
    if visits:
        after = kinds.index((Category.ORGANISATIONAL.value, str(Category.ORGANISATIONAL.label))) + 1
        kinds.insert(after, (calculator.PREPARATORY, _("Preparatory visits")))
    categories = [
        CategoryRow(
            category,
            label,
            grant.awarded(category) if grant else ZERO,
            planned[category],
            actual[category],
            calculator.cents(Decimal(spent.get(category) or ZERO)),
        )
        for category, label in kinds
    ]
    if grant is not None and grant.award_entered:
        warnings += _award_warnings(categories, rates)
    received = calculator.cents(Decimal(getattr(grant, "received", None) or ZERO))
    return Budget(project, grant, rates, mobilities, accompanying, categories, warnings, missing, received, preparatory)


def _participant_warnings(project: Project, mobilities: list[MobilityRow]) -> list[str]:
    """The Guide's limits, per learner and for the project, named so that the coordinator finds them."""
    found = []
    for row in mobilities:
        found += [f"{row.assignment.participant}: {text}" for text in row.eligibility]
        if row.at_risk:
            found.append(
                _("%(learner)s came home early without force majeure: the grant for this mobility is at risk.")
                % {"learner": row.assignment.participant}
            )
    going = sum(1 for row in mobilities if row.actual.days)  # a learner who withdrew before leaving never went
    if project.key_action == Project.KeyAction.KA1_VET_SHORT and going > KA122_MOST_PARTICIPANTS:
        found.append(
            _(
                "%(count)s participants: a short-term project (KA122) takes at most %(most)s "
                "(accompanying persons not counted)."
            )
            % {"count": going, "most": KA122_MOST_PARTICIPANTS}
        )
    return found


def _award_warnings(categories: list[CategoryRow], rates: Rates | None) -> list[str]:
    """Compared with the award only once it is typed; money moved into a category is checked against the
    agreement's budget flexibility stored with the call year's table."""
    found = []
    limit = rates.table.transfer_limit_percent if rates else None
    for row in categories:
        if row.spent_over and not row.is_unit_cost:
            found.append(_("%(category)s: more was spent than awarded.") % {"category": row.label})
        if not row.planned_over:
            continue
        moved = row.planned - row.awarded
        if limit is None:
            found.append(
                _(
                    "%(category)s: the planned grant exceeds the award by %(moved)s; the agreement's limit on moving "
                    "money between categories is not in the rate table yet."
                )
                % {"category": row.label, "moved": calculator.eur(moved)}
            )
        elif moved > row.awarded * limit / 100:
            found.append(
                _(
                    "%(category)s: the planned grant exceeds the award by %(moved)s, more than the %(limit)s %% the "
                    "agreement lets a category grow (%(most)s)."
                )
                % {
                    "category": row.label,
                    "moved": calculator.eur(moved),
                    "limit": limit,
                    "most": calculator.eur(calculator.cents(row.awarded * limit / 100)),
                }
            )
    return found


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
