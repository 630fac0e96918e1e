"""Attendance for the demo's running placement: the first week approved, the second submitted,
a few late arrivals and a sick day, so that every screen has something true to show."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from placements.models import Placement

from .models import AttendanceRecord, AttendanceStatus, WeekSignoff
from .services import placement_days, week_start

EXCEPTIONS = {
    # (learner number on the placement, day index): (status code, reason, hours)
    (2, 1): ("late", "Missed the first bus", "6.5"),
    (5, 3): ("sick", "", "0"),
    (5, 4): ("sick", "", "0"),
    (9, 6): ("absent-excused", "Appointment at the consulate", "0"),
    (12, 7): ("left-early", "Dentist", "5"),
    (14, 8): ("absent-unexcused", "", "0"),
}


@transaction.atomic
def load_attendance(today=None):
    today = today or timezone.localdate()
    placement = Placement.objects.filter(title__startswith="Flow 1").select_related("project").first()
    if placement is None or AttendanceRecord.objects.filter(assignment__placement=placement).exists():
        return
    statuses = {s.code: s for s in AttendanceStatus.objects.all()}
    assignments = list(placement.assignments.select_related("mentor").order_by("participant__name_key"))
    days = [d for d in placement_days(placement, end=today - timedelta(days=1)) if d.expected]
    records = []
    for number, assignment in enumerate(assignments, start=1):
        for index, day in enumerate(days):
            code, reason, hours = EXCEPTIONS.get((number, index), ("present", "", str(day.hours)))
            recorded_at = timezone.make_aware(datetime.combine(day.date, time(16, 30)))
            records.append(
                AttendanceRecord(
                    assignment=assignment,
                    date=day.date,
                    status=statuses[code],
                    hours=hours,
                    reason=reason,
                    recorded_by=assignment.mentor,
                    recorded_at=recorded_at,
                )
            )
    AttendanceRecord.objects.bulk_create(records)
    mentor = assignments[0].mentor if assignments else None
    weeks = sorted({week_start(d.date) for d in days if week_start(d.date) + timedelta(days=4) < today})
    for number, monday in enumerate(weeks):
        approved = number < len(weeks) - 1
        WeekSignoff.objects.get_or_create(
            placement=placement,
            mentor=mentor,
            week_start=monday,
            defaults={
                "state": WeekSignoff.State.APPROVED if approved else WeekSignoff.State.SUBMITTED,
                "submitted_by": mentor,
                "submitted_at": timezone.make_aware(datetime.combine(monday + timedelta(days=4), time(17))),
            },
        )
