"""Allowances paid to learners, per flow: what each learner is due from the individual support, what the school
already paid for them as services (accommodation, meals: the flow's individual-support payments not made to a
learner, shared equally among the flow's learners), what was handed to them (cash or card, advances and partial
payments), what remains, and whether each hand-over's receipt came back signed. A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from placements.models import Assignment, Placement

from .calculator import cents
from .models import Category, Location, Payment
from .selectors import mobility_figures, project_assignments, project_rates

ZERO = Decimal("0.00")


@dataclass
class PaidShare:
    payment: Payment
    eur: Decimal
    shared_with: int  # how many learners the payment was for (1: this learner's own hand-over)

    @property
    def is_allowance(self) -> bool:
        """A hand-over to this learner alone: it has a receipt to print and to bring back signed."""
        return self.shared_with == 1

    @property
    def signed(self) -> bool:
        return self.payment.receipt_id is not None


@dataclass
class Payout:
    assignment: Assignment
    individual: Decimal  # the individual support of the actual stay (EUR)
    services: Decimal  # the learner's share of what was paid as services (EUR)
    paid: list[PaidShare] = field(default_factory=list)

    @property
    def due(self) -> Decimal:
        return max(self.individual - self.services, ZERO)

    @property
    def paid_eur(self) -> Decimal:
        return sum((share.eur for share in self.paid), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.due - self.paid_eur

    @property
    def to_sign(self) -> int:
        return sum(1 for share in self.paid if share.is_allowance and not share.signed)

    @property
    def handed(self) -> int:
        return sum(1 for share in self.paid if share.is_allowance)


@dataclass
class FlowPayouts:
    placement: Placement
    rows: list[Payout]
    services_total: Decimal
    services: list[Payment]
    rates_missing: bool

    @property
    def totals(self) -> dict[str, Decimal]:
        return {
            key: sum((getattr(row, key) for row in self.rows), ZERO)
            for key in ("individual", "services", "due", "paid_eur", "remaining")
        }


def individual_payments(placement: Placement) -> QuerySet[Payment]:
    """The flow's individual-support payments: services for the flow, and money handed to its learners."""
    return (
        Payment.objects.filter(category=Category.INDIVIDUAL)
        .filter(Q(placement=placement) | Q(assignments__placement=placement))
        .distinct()
        .select_related("receipt")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.only("pk", "placement_id")))
        .order_by("paid_on", "pk")
    )


def flow_payouts(placement: Placement) -> FlowPayouts:
    project = placement.project
    _grant, rates = project_rates(project)
    origin = Location.objects.filter(organisation_id=project.sending_organisation_id).first()
    assignments = list(project_assignments(project).filter(placement=placement))
    rows = []
    for assignment in assignments:
        individual = ZERO
        if rates is not None:
            figures = mobility_figures(rates, assignment, origin, project=project).actual
            individual = figures.by_category()[Category.INDIVIDUAL]
        rows.append(Payout(assignment, individual, ZERO))
    by_pk = {row.assignment.pk: row for row in rows}
    services: list[Payment] = []
    for payment in individual_payments(placement):
        learners = list(payment.assignments.all())
        if not learners:
            services.append(payment)
            continue
        share = cents(payment.amount_eur / len(learners))
        for learner in learners:
            if learner.pk in by_pk:
                by_pk[learner.pk].paid.append(PaidShare(payment, share, len(learners)))
    services_total = sum((payment.amount_eur for payment in services), ZERO)
    staying = [row for row in rows if row.individual > 0]
    if staying and services_total:
        share = cents(services_total / len(staying))
        for row in staying:
            row.services = min(share, row.individual)
    return FlowPayouts(placement, rows, services_total, services, rates is None)
