"""The demo's graduates: the school's earlier, finished project (a handful of its learners, as many girls as boys,
3 weeks in March 2026 at the same two companies near Braga), so that recognition and the follow-ups at 3 and
6 months are about a stage that really ended. The running project's Flow 1 (ends 11 December 2026) gets none:
nothing can be recognised or followed up before a stage is over, and a follow-up dated in the future would be a
lie the public counts would repeat.

`load_earlier_project` makes the project, its two placements, learners and attendance; `load_recognition` the
decisions and the follow-ups (a mix of situations, some unknown). Dates are fixed, like the running project's;
a checkpoint not reached on the day the demo is loaded gets no follow-up. Idempotent: a second load finds what
the first made."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from assessments.models import Outcome
from attendance.models import AttendanceRecord, AttendanceStatus
from participants.models import Participant
from placements.models import Assignment, Placement, Project, Qualification

from .models import FollowUp, Recognition
from .services import add_months

REFERENCE = "2025-1-RO01-KA122-VET-000154309"
MECHANIC = "Maintenance mechanic"
TEXTILE = "Textile and leather products manufacturing"
SCHOOL_OID = "E10000101"
PARTNER_OID = "E10000202"
START, END = date(2026, 3, 2), date(2026, 3, 20)  # 3 weeks, Monday to Friday

# title, qualification, city, host company
PLACEMENTS = [
    ("Earlier project – Maintenance mechanic, Braga", MECHANIC, "Braga", "Metalúrgica do Cávado, Lda."),
    ("Earlier project – Textile and leather, Guimarães", TEXTILE, "Guimarães", "Têxteis Guimarães, S.A."),
]
# Per placement: first name, last name, gender, date of birth (as many girls as boys in all)
LEARNERS = {
    MECHANIC: [
        ("Adrian", "Ursu", "male", "2005-04-11"),
        ("Valentin", "Crăciun", "male", "2006-10-03"),
        ("Fănel", "Rădulescu", "male", "2004-01-19"),
        ("Larisa", "Ghiță", "female", "2006-06-24"),
        ("Ionela", "Paraschiv", "female", "2005-02-08"),
    ],
    TEXTILE: [
        ("Claudia", "Ursu", "female", "2007-03-15"),
        ("Mirela", "Sandu", "female", "2004-09-02"),
        ("Carmen", "Lupu", "female", "2006-12-20"),
        ("Sebastian", "Tudose", "male", "2005-07-30"),
        ("Emil", "Roman", "male", "2006-05-05"),
    ],
}
# (learner in loading order, day index): status, hours, reason; every other working day is "present", 8 hours
EXCEPTIONS = {
    (1, 4): ("sick", "0", ""),
    (3, 9): ("late", "6.5", "Missed the first bus"),
    (6, 2): ("absent-excused", "0", "Appointment at the consulate"),
}

HOW = {
    MECHANIC: (
        "Credited as the practical training of the module “Maintenance of machines and installations”; "
        "the module's practical exam is waived."
    ),
    TEXTILE: "Credited as the practical training of the module “Sewing and assembling”; its practical exam is waived.",
}
PARTIAL = {2, 8}  # the learners (in loading order, from 0) recognised in part; the others in full
# Per learner in loading order: the situation at 3 and at 6 months; None = nobody reached them (counted unknown).
PATHS = [
    ("trade", "trade"),
    ("looking", "trade"),
    ("education", "education"),
    ("trade", "other_field"),
    ("unknown", "unknown"),
    ("other_field", "trade"),
    ("trade", "trade"),
    ("looking", "looking"),
    (None, "unknown"),
    ("trade", None),
]
NOTES = {"unknown": "Phone switched off; no answer to the letter.", "looking": "Interview at a local employer."}


def earlier_assignments():
    return list(
        Assignment.objects.filter(placement__project__reference=REFERENCE)
        .active()
        .select_related("placement")
        .order_by("placement__title", "participant__last_name", "pk")
    )


@transaction.atomic
def load_earlier_project():
    school = Organisation.objects.filter(oid=SCHOOL_OID).first()
    partner = Organisation.objects.filter(oid=PARTNER_OID, schools=school).first()
    coordinator = User.objects.filter(username="coordinator").first()
    if school is None or partner is None or coordinator is None:
        return
    project, _created = Project.objects.get_or_create(
        reference=REFERENCE,
        defaults={
            "title": "Practice abroad for Second Chance learners",
            "key_action": Project.KeyAction.KA1_VET_SHORT,
            "start_date": date(2025, 9, 1),
            "end_date": date(2026, 8, 31),
            "sending_organisation": school,
            "summary": (
                "The school's earlier project: 28 learners of the Second Chance programme, 14 girls and 14 boys, "
                "trained for 3 weeks at two companies in northern Portugal. The demo keeps ten of them."
            ),
        },
    )
    for title, qualification_name, city, host_name in PLACEMENTS:
        qualification = Qualification.objects.get(name=qualification_name)
        host = Organisation.objects.get(name=host_name)
        placement, _created = Placement.objects.get_or_create(
            project=project,
            title=title,
            defaults={
                "qualification": qualification,
                "receiving_partner": partner,
                "city": city,
                "country": "PT",
                "start_date": START,
                "end_date": END,
                "status": Placement.Status.COMPLETED,
            },
        )
        for first, last, gender, born in LEARNERS[qualification_name]:
            participant, _created = Participant.objects.get_or_create(
                project=project,
                first_name=first,
                last_name=last,
                date_of_birth=date.fromisoformat(born),
                defaults={
                    "gender": gender,
                    "qualification": qualification,
                    "address": "Bacău",
                    "consent_data_processing_on": date(2025, 10, 6),
                    "consent_dissemination_on": date(2025, 10, 6),
                },
            )
            # No mentor account: the companies' mentors had none then, and the running project's mentors
            # see only their own learners.
            Assignment.objects.get_or_create(
                participant=participant,
                placement=placement,
                defaults={"host_company": host, "status": Assignment.Status.COMPLETED},
            )
    load_earlier_attendance(coordinator)


def load_earlier_attendance(coordinator):
    """Every working day recorded (by the office, from the accompanying teacher's sheets): what the final report's
    attendance figures and the certificates need."""
    assignments = earlier_assignments()
    if AttendanceRecord.objects.filter(assignment__in=assignments).exists():
        return
    statuses = {s.code: s for s in AttendanceStatus.objects.all()}
    days = [START + timedelta(days=n) for n in range((END - START).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    records = []
    for number, assignment in enumerate(assignments):
        for index, day in enumerate(days):
            code, hours, reason = EXCEPTIONS.get((number, index), ("present", "8", ""))
            records.append(
                AttendanceRecord(
                    assignment=assignment,
                    date=day,
                    status=statuses[code],
                    hours=Decimal(hours),
                    reason=reason,
                    recorded_by=coordinator,
                    recorded_at=timezone.make_aware(datetime.combine(day, time(17, 0))),
                )
            )
    AttendanceRecord.objects.bulk_create(records)


@transaction.atomic
def load_recognition(today=None):
    today = today or timezone.localdate()
    coordinator = User.objects.filter(username="coordinator").first()
    assignments = earlier_assignments()
    if coordinator is None or not assignments:
        return
    if not Recognition.objects.filter(assignment__in=assignments).exists():
        for index, assignment in enumerate(assignments):
            outcomes = list(Outcome.objects.filter(unit__qualification_id=assignment.placement.qualification_id))
            partial = index in PARTIAL
            recognition = Recognition.objects.create(
                assignment=assignment,
                decision=Recognition.Decision.PARTIAL if partial else Recognition.Decision.FULL,
                how=HOW[assignment.placement.qualification.name],
                decided_on=date(2026, 4, 15),
                decided_by=coordinator,
            )
            recognition.outcomes.set(outcomes[: len(outcomes) // 2] if partial else outcomes)
    for assignment, situations in zip(assignments, PATHS, strict=False):
        for months, situation in zip((3, 6), situations, strict=True):
            recorded_on = add_months(assignment.placement.end_date, months) + timedelta(days=3)
            if situation is None or recorded_on > today:
                continue
            FollowUp.objects.get_or_create(
                assignment=assignment,
                months=months,
                defaults={
                    "situation": situation,
                    "consent": situation != FollowUp.Situation.UNKNOWN,
                    "note": NOTES.get(situation, ""),
                    "recorded_on": recorded_on,
                    "recorded_by": coordinator,
                },
            )
