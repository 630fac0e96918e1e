"""The readiness checklist and preparation hours, read in a fixed number of queries per flow.

A learner is ready ("go") when every item holds: an ID document and an EHIC valid through the return date,
travel and accident insurance covering the stay, the consents (a parent's signed consent under 18), the
preparation hours done, the support plan where the learner has special needs, and an emergency contact. The
support-plan item is restricted: only coordinators see it; the others see "go" or "not yet" only."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from placements.models import Assignment, Placement

from .models import InsurancePolicy, PreparationPlan, Readiness, SessionAttendance

ITEMS = [
    ("id_document", _("ID or passport valid through the return")),
    ("ehic", _("European Health Insurance Card")),
    ("insurance", _("Travel and accident insurance")),
    ("consent", _("Consent")),
    ("preparation", _("Preparation hours")),
    ("support_plan", _("Support plan")),
    ("emergency_contact", _("Emergency contact")),
]
RESTRICTED_ITEMS = {"support_plan"}


@dataclass
class LearnerReadiness:
    assignment: Assignment
    readiness: Readiness | None
    hours: Decimal
    minimum: Decimal
    minor: bool
    items: dict[str, bool | None] = field(default_factory=dict)  # None: does not apply

    @property
    def go(self) -> bool:
        return all(value is not False for value in self.items.values())

    def visible_items(self, restricted: bool) -> list[tuple[str, str, bool | None]]:
        return [(code, label, self.items[code]) for code, label in ITEMS if restricted or code not in RESTRICTED_ITEMS]


def return_date(placement: Placement):
    return placement.end_date


def flow_readiness(placement: Placement, assignments=None) -> list[LearnerReadiness]:
    if assignments is None:
        assignments = (
            placement.assignments.active().select_related("participant", "readiness").order_by("participant__name_key")
        )
    assignments = list(assignments)
    plan = PreparationPlan.objects.filter(placement=placement).first()
    minimum = plan.minimum_hours if plan else Decimal(0)
    back = return_date(placement)
    insured = InsurancePolicy.objects.filter(
        placement=placement,
        cover=InsurancePolicy.Cover.TRAVEL_ACCIDENT,
        valid_from__lte=placement.start_date,
        valid_until__gte=back,
    ).exists()
    hours = defaultdict(Decimal)
    for assignment_id, total in (
        SessionAttendance.objects.filter(assignment__in=[a.pk for a in assignments])
        .values_list("assignment_id")
        .annotate(total=Sum("hours"))
        .order_by()
    ):
        hours[assignment_id] = total or Decimal(0)
    rows = []
    for assignment in assignments:
        participant = assignment.participant
        readiness = getattr(assignment, "readiness", None)
        minor = participant.age_on(placement.start_date) < 18
        row = LearnerReadiness(assignment, readiness, hours[assignment.pk], minimum, minor)
        row.items = {
            "id_document": bool(
                participant.id_document_number
                and participant.id_document_expiry
                and participant.id_document_expiry >= back
            ),
            "ehic": bool(
                participant.health_insurance_number
                and participant.health_insurance_expiry
                and participant.health_insurance_expiry >= back
            ),
            "insurance": insured,
            "consent": participant.processing_consent_in_force
            and (not minor or bool(readiness and readiness.parental_consent_file_id)),
            "preparation": hours[assignment.pk] >= minimum,
            "support_plan": (
                bool(readiness and readiness.support_plan_ready) if participant.special_needs.strip() else None
            ),
            "emergency_contact": bool(participant.emergency_contact_name and participant.emergency_contact_phone),
        }
        rows.append(row)
    return rows


def learner_readiness(assignment: Assignment) -> LearnerReadiness:
    return flow_readiness(assignment.placement, [assignment])[0]


def preparation_hours(project) -> list[dict]:
    """Per flow: sessions held, hours offered, learners, learners who reached the minimum, hours attended. For the
    final report (common.sections.FINAL_REPORT, key "preparation")."""
    result = []
    for placement in project.placements.order_by("start_date", "pk"):
        rows = flow_readiness(placement)
        sessions = list(placement.preparation_sessions.all())
        result.append(
            {
                "placement": placement.title,
                "sessions": len(sessions),
                "hours_offered": float(sum((s.hours for s in sessions), Decimal(0))),
                "minimum_hours": float(rows[0].minimum if rows else 0),
                "learners": len(rows),
                "reached_minimum": sum(1 for row in rows if row.items["preparation"]),
                "hours_attended": float(sum((row.hours for row in rows), Decimal(0))),
            }
        )
    return result
