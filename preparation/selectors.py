"""The readiness checklist and preparation hours, read in a fixed number of queries per flow.

A learner is ready ("go") when every item holds: an ID document and an EHIC valid through the return date,
travel and accident insurance covering the stay, the consents (a parent's signed consent under 18), the
preparation hours done, the support plan where the learner has special needs, and an emergency contact. The
support-plan item is restricted: only coordinators see it; the others see "go" or "not yet" only."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from placements.models import Assignment, Placement, Project

from .models import InsurancePolicy, PreparationPlan, Readiness, SessionAttendance

ITEMS = [
    ("id_document", _("ID or passport valid through the return")),
    ("ehic", _("European Health Insurance Card")),
    ("insurance", _("Travel and accident insurance")),
    ("consent", _("Consents")),  # to data processing, and a parent's signed copy under 18
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
        return [
            (code, str(label), self.items[code]) for code, label in ITEMS if restricted or code not in RESTRICTED_ITEMS
        ]


def return_date(placement: Placement) -> date:
    """The day the learners are home: the last return leg's arrival, else the placement's last day."""
    from django.db.models import Max
    from django.utils import timezone

    arrival = placement.travel_legs.filter(direction="return").aggregate(last=Max("arrives_at"))["last"]
    return max(placement.end_date, timezone.localdate(arrival)) if arrival else placement.end_date


def flow_readiness(placement: Placement, assignments: Iterable[Assignment] | None = None) -> list[LearnerReadiness]:
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


def preparation_hours(project: Project) -> list[dict]:
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


# --- My trip ----------------------------------------------------------------------------------------------------


def map_url(address: str) -> str:
    from urllib.parse import quote_plus

    return f"https://www.openstreetmap.org/search?query={quote_plus(address)}"


def qr_svg(text: str) -> str:
    """A QR code as inline SVG. Drawn with segno here rather than through documents.rendering, which would load
    WeasyPrint into the web process; the PDF uses the document engine's own."""
    import io

    import segno
    from django.utils.safestring import mark_safe

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(
        buffer, kind="svg", xmldecl=False, svgns=True, nl=False, scale=1, border=4, omitsize=True, svgclass="qr"
    )
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 (segno draws paths; the text is not copied in)


def my_trip(assignment: Assignment) -> dict:
    """Everything "My trip" shows one learner, and nothing of anyone else: their own legs, their own room (no
    room-mates' names), their host company, and the people to call."""
    from .models import PreparationPlan, Room, TravelLeg

    placement = assignment.placement
    plan = PreparationPlan.objects.filter(placement=placement).first()
    legs = list(
        TravelLeg.objects.filter(placement=placement, travellers=assignment)
        .select_related("placement")
        .order_by("departs_at")
    )
    room = Room.objects.filter(occupants=assignment).select_related("accommodation").first()
    host = assignment.host_company
    address = ", ".join(part for part in [host.address, host.city] if part) if host else ""
    return {
        "assignment": assignment,
        "participant": assignment.participant,
        "placement": placement,
        "plan": plan,
        "outbound": [leg for leg in legs if leg.direction == "outbound"],
        "returning": [leg for leg in legs if leg.direction == "return"],
        "bring": [line.strip(" -•") for line in (plan.what_to_bring if plan else "").splitlines() if line.strip(" -•")],
        "room": room,
        "host": host,
        "host_address": address,
        "map_url": map_url(address) if address else "",
        "map_qr": qr_svg(map_url(address)) if address else "",
        "mentor": assignment.mentor,
        "teachers": list(placement.accompanying_persons.all()),
        "policies": list(InsurancePolicy.objects.filter(placement=placement)),
    }


def emergency_sheet(placement: Placement) -> list[dict]:
    """Every learner's emergency contact, EHIC, room and the support notes shared with the teachers."""
    from .models import Room

    assignments = list(
        placement.assignments.active().select_related("participant", "readiness").order_by("participant__name_key")
    )
    rooms = {}
    for room in Room.objects.filter(accommodation__placement=placement).prefetch_related("occupants"):
        for occupant in room.occupants.all():
            rooms[occupant.pk] = room
    return [
        {
            "participant": a.participant,
            "room": rooms.get(a.pk),
            "notes": getattr(getattr(a, "readiness", None), "shared_with_teachers", ""),
        }
        for a in assignments
    ]
