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

from .models import InsurancePolicy, PreparationPlan, PreparationSession, Readiness, SessionAttendance
from .services import attach_parental_consent

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
        PreparationPlan.objects.get_or_create(placement=placement, defaults={"minimum_hours": Decimal(12)})
        InsurancePolicy.objects.create(
            placement=placement,
            insurer="Asirom VIG",
            number=f"CT-2026-{placement.pk:04d}",
            phone="+40 21 9392",
            valid_from=placement.start_date - timedelta(days=1),
            valid_until=placement.end_date + timedelta(days=1),
        )
        assignments = list(placement.assignments.active().select_related("participant").order_by("pk"))
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
            if participant.age_on(placement.start_date) < 18 and position % 5 != 1:
                attach_parental_consent(
                    assignment_id=assignment.pk,
                    upload=SimpleUploadedFile("acord-semnat.pdf", SIGNED_COPY, content_type="application/pdf"),
                    signed_on=first_day,
                    user=coordinator,
                )
