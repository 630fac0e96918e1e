"""The demo's preparation: a plan per flow (12 hours minimum), four sessions each with attendance, the group's
travel and accident insurance, and the parents' signed consents for most learners under 18. A few learners
stay "not yet" (hours missed, a consent not back, the two ID documents that expire), as in a real spring."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from attendance.models import AttendanceStatus
from placements.models import Project

from .models import (
    Accommodation,
    Incident,
    InsurancePolicy,
    PreparationPlan,
    PreparationSession,
    Readiness,
    Room,
    SessionAttendance,
    TravelLeg,
)
from .services import attach_parental_consent, create_trip_link

ACCOMMODATION = {
    "Braga": (
        "Residencial Avenida",
        "Avenida da Liberdade 610, 4710-249 Braga",
        "Sr. Joaquim Martins",
        "+351 253 000 610",
    ),
    "Guimarães": ("Casa do Toural", "Largo do Toural 22, 4800-154 Guimarães", "Sra. Helena Costa", "+351 253 000 022"),
}

SESSIONS = [
    ("language", "Portuguese for the first day", "Ana Pereira", "Phrase cards (printed), audio on the class tablets"),
    ("culture", "Life in Portugal: meals, money, manners", "Mirela Constantinescu", "Photo cards; a map of the town"),
    ("vocabulary", "The workshop's words", "Ana Pereira", "Picture dictionary of tools and materials"),
    ("emergency", "Safety at work and what to do if something goes wrong", "Ion Vasilescu", "The emergency card"),
]
# A tiny valid PDF: the signed copies are scans in real life.
SIGNED_COPY = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load_preparation():
    project = Project.objects.filter(reference="2026-1-RO01-KA122-VET-000187412").first()
    if project is None or PreparationSession.objects.filter(placement__project=project).exists():
        return
    coordinator = User.objects.filter(username="coordinator").first()
    if coordinator is None:
        return
    with transaction.atomic():
        _load(project, coordinator)


def _load(project, coordinator):
    present = AttendanceStatus.objects.get(code="present")
    absent = AttendanceStatus.objects.get(code="absent-excused")
    for placement in project.placements.order_by("start_date"):
        departure = timezone.make_aware(datetime.combine(placement.start_date - timedelta(days=1), datetime.min.time()))
        PreparationPlan.objects.get_or_create(
            placement=placement,
            defaults={
                "minimum_hours": Decimal(12),
                "meeting_point": "In front of the school, Strada Mioriței 12, Bacău",
                "meeting_at": departure + timedelta(hours=4),
                "what_to_bring": "Your ID card\nYour European health card (EHIC)\nWork shoes\nYour medicines\n"
                "Clothes for 4 weeks\nA phone charger",
                "local_transport": "The company's minibus picks you up at 7:30 in front of the house.",
                "school_phone": "+40 234 000 000",
            },
        )
        InsurancePolicy.objects.create(
            placement=placement,
            insurer="Asirom VIG",
            number=f"CT-2026-{placement.pk:04d}",
            phone="+40 21 9392",
            valid_from=placement.start_date - timedelta(days=1),
            valid_until=placement.end_date + timedelta(days=1),
        )
        assignments = list(placement.assignments.active().select_related("participant").order_by("pk"))
        _travel(placement, assignments, departure)
        first_day = placement.start_date - timedelta(days=30)
        for number, (topic, title, trainer, materials) in enumerate(SESSIONS):
            session = PreparationSession.objects.create(
                placement=placement,
                topic=topic,
                title=title,
                starts_at=timezone.make_aware(
                    datetime.combine(first_day + timedelta(days=7 * number), datetime.min.time())
                )
                + timedelta(hours=14),
                hours=Decimal(3),
                trainer=trainer,
                place="Room 12",
                materials=materials,
            )
            for position, assignment in enumerate(assignments):
                missed = position % 7 == 3 and number == 2
                SessionAttendance.objects.create(
                    session=session,
                    assignment=assignment,
                    status=absent if missed else present,
                    hours=Decimal(0) if missed else session.hours,
                    reason="Family matter" if missed else "",
                    recorded_by=coordinator,
                )
        for position, assignment in enumerate(assignments):
            participant = assignment.participant
            if participant.special_needs.strip():
                Readiness.objects.update_or_create(
                    assignment=assignment, defaults={"support_plan_ready": position % 2 == 0}
                )
            create_trip_link(assignment_id=assignment.pk, created_by_id=coordinator.pk)
            if participant.age_on(placement.start_date) < 18 and position % 5 != 1:
                attach_parental_consent(
                    assignment_id=assignment.pk,
                    upload=SimpleUploadedFile("acord-semnat.pdf", SIGNED_COPY, content_type="application/pdf"),
                    signed_on=first_day,
                    user=coordinator,
                )


def _travel(placement, assignments, departure):
    teachers = list(placement.accompanying_persons.all())
    back = timezone.make_aware(datetime.combine(placement.end_date + timedelta(days=1), datetime.min.time()))
    legs = [
        (
            "outbound",
            "bus",
            "Atlassib",
            "Bacău, in front of the school",
            departure + timedelta(hours=4, minutes=30),
            "Henri Coandă airport, Bucharest",
            departure + timedelta(hours=10),
            "",
        ),
        (
            "outbound",
            "plane",
            "TAP Air Portugal",
            "Bucharest OTP",
            departure + timedelta(hours=13, minutes=5),
            "Porto OPO",
            departure + timedelta(hours=16, minutes=10),
            f"TP{placement.pk}K7Q",
        ),
        (
            "return",
            "plane",
            "TAP Air Portugal",
            "Porto OPO",
            back + timedelta(hours=11, minutes=40),
            "Bucharest OTP",
            back + timedelta(hours=17, minutes=25),
            f"TP{placement.pk}R2M",
        ),
        (
            "return",
            "bus",
            "Atlassib",
            "Henri Coandă airport, Bucharest",
            back + timedelta(hours=18, minutes=30),
            "Bacău, in front of the school",
            back + timedelta(hours=23, minutes=50),
            "",
        ),
    ]
    for direction, mode, carrier, start, departs, end, arrives, booking in legs:
        leg = TravelLeg.objects.create(
            placement=placement,
            direction=direction,
            mode=mode,
            carrier=carrier,
            departure_place=start,
            departs_at=departs,
            arrival_place=end,
            arrives_at=arrives,
            booking_reference=booking,
        )
        leg.travellers.set(assignments)
        leg.accompanying.set(teachers)
    name, address, contact, phone = ACCOMMODATION.get(placement.city, ACCOMMODATION["Braga"])
    place = Accommodation.objects.create(
        placement=placement, name=name, address=address, host_contact=contact, host_phone=phone
    )
    # Rooms of up to three, girls and boys apart.
    number = 1
    for gender in ("female", "male", "other"):
        group = [a for a in assignments if a.participant.gender == gender]
        for start in range(0, len(group), 3):
            room = Room.objects.create(accommodation=place, name=str(100 + number))
            room.occupants.set(group[start : start + 3])
            number += 1
    if placement.start_date <= timezone.localdate() <= placement.end_date and assignments:
        Incident.objects.create(
            placement=placement,
            assignment=assignments[2],
            kind=Incident.Kind.ILLNESS,
            occurred_at=timezone.make_aware(
                datetime.combine(placement.start_date + timedelta(days=3), datetime.min.time())
            )
            + timedelta(hours=8),
            description="Fever in the morning; stayed at the residence.",
            action_taken="Seen by the doctor at the health centre with the EHIC; two days of rest.",
            follow_up="Back at work on the third day.",
            closed=True,
            recorded_by=User.objects.get(username="coordinator"),
        )
