"""Attendance rules: which days are expected, who may record what, saving, sign-off and summaries.

Views and tasks call these; every write goes through `save_days`, so the rules hold for the single tap
on the "Today" screen and for a whole week's grid alike.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

import holidays
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.roles import is_mentor
from common.exceptions import NotAllowed
from common.validators import parse_decimal, strip_control_characters
from placements.access import assignments_to_change
from placements.models import Assignment, Placement

from .models import AttendanceRecord, AttendanceStatus, WeekSignoff, WorkPattern, week_start


class AttendanceError(Exception):
    pass


# Expected days


@lru_cache(maxsize=64)
def _holidays(country, years):
    try:
        return dict(holidays.country_holidays(country, years=list(years)).items())
    except NotImplementedError:
        return {}


def holidays_between(country, start, end):
    return _holidays(str(country), tuple(range(start.year, end.year + 1)))


def pattern_for(placement):
    """The placement's work pattern; the default (Monday to Friday, 8 hours) until a coordinator sets one."""
    try:
        return placement.work_pattern
    except WorkPattern.DoesNotExist:
        return WorkPattern(placement=placement)


@dataclass
class PlannedDay:
    date: object
    hours: Decimal
    holiday: str = ""

    @property
    def expected(self):
        return self.hours > 0 and not self.holiday


def placement_days(placement, start=None, end=None, pattern=None):
    """Every day of the placement (or of start..end within it) with the pattern's hours and any public holiday."""
    pattern = pattern or pattern_for(placement)
    start = max(start or placement.start_date, placement.start_date)
    end = min(end or placement.end_date, placement.end_date)
    feast = holidays_between(placement.country, start, end) if start <= end else {}
    days = []
    day = start
    while day <= end:
        days.append(PlannedDay(day, pattern.hours_on(day), feast.get(day, "")))
        day += timedelta(days=1)
    return days


def working_placements(placement_ids, day):
    """The placements among `placement_ids` whose work pattern has hours on `day` (the default pattern where a
    placement has none: Monday to Friday). One query whatever their number."""
    patterns = {p.placement_id: p for p in WorkPattern.objects.filter(placement_id__in=placement_ids)}
    default = WorkPattern()
    return {pk for pk in placement_ids if patterns.get(pk, default).hours_on(day) > 0}


def week_of(placement, monday, pattern=None):
    """The days of one week to show in a grid: working days and holidays that fall on working days."""
    return [d for d in placement_days(placement, monday, monday + timedelta(days=6), pattern) if d.hours > 0]


def placement_weeks(placement):
    monday = week_start(placement.start_date)
    weeks = []
    while monday <= placement.end_date:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


# Writing


@dataclass
class DayEntry:
    """What a form says about one learner-day."""

    assignment_id: int
    date: object
    status_code: str
    hours: str = ""
    reason: str = ""
    version: int = 0

    @property
    def key(self):
        return f"{self.assignment_id}-{self.date:%Y%m%d}"


@dataclass
class SaveResult:
    saved: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)  # entry key -> message
    current: dict = field(default_factory=dict)  # entry key -> record as it is now, after a conflict
    # What the save read once and its answer may show without reading again: the writable assignments the entries
    # name (id -> Assignment, with participant and placement), every status (code -> AttendanceStatus) and, after
    # a save that went through, each entry's record as it now is (entry key -> AttendanceRecord).
    assignments: dict = field(default_factory=dict)
    statuses: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors


# The assignments whose days `user` may record: placements.access's write helper (a coordinator's schools where
# they are coordinator, a mentor's own learners'), so that another school's id in a POST body is refused.
writable_assignments = assignments_to_change


def _hours(entry, status, planned_hours):
    if not status.counts_hours:
        return Decimal(0)
    if not entry.hours.strip():
        if not planned_hours:
            raise AttendanceError(_("This is not a working day in the work pattern: enter the hours worked."))
        return planned_hours
    value = parse_decimal(entry.hours)  # None for "NaN" and "Infinity" too, which a hand-made post can send
    if value is None:
        raise AttendanceError(_("Hours must be a number, e.g. 6.5."))
    # Rounded before the check, so that "1e-9" is not stored as 0 hours present.
    if not Decimal(0) < value <= Decimal(24) or not value.quantize(Decimal("0.01")):
        raise AttendanceError(_("Hours must be more than 0 and at most 24."))
    return value.quantize(Decimal("0.01"))


# The fields a save changes on a record that exists.
SAVED_FIELDS = ["status", "hours", "reason", "planned", "version", "recorded_by", "recorded_at"]


def save_days(user: Any, entries: Iterable[DayEntry], *, today: date | None = None) -> SaveResult:
    """Validate every entry, then write all of them in one transaction, or none.

    A mentor writes only for their own learners, for today and earlier days of weeks they have not
    submitted; nobody writes into an approved week; a coordinator may enter a planned absence ahead.
    An entry based on an out-of-date version is refused and the current record is returned.

    In four steps, each read once whatever the number of entries: what the user may write (`_writable`: the
    statuses, the assignments, else NotAllowed, and the week's sign-offs), the days as they are, locked
    (`_locked_days`), the entries checked against them (`_check`), and the write with its history rows (`_write`).
    """
    result = SaveResult()
    entries = [e for e in entries if e.status_code]
    if not entries:
        return result
    signoffs = _writable(user, entries, result)
    new = []
    try:
        with transaction.atomic():
            existing, signoffs = _locked_days(entries, result.assignments, signoffs)
            new, changed = _check(user, entries, today, existing, signoffs, result)
            if result.errors:
                transaction.set_rollback(True)
                return result
            _write(user, new, changed)
    except IntegrityError:
        # Someone created one of these days between our read and our write: nothing of this save is kept.
        result.records = {}
        for record in new:
            result.errors[f"{record.assignment_id}-{record.date:%Y%m%d}"] = conflict_message(None)
        return result
    result.saved = new + changed
    return result


# What checking an entry and answering it read of its assignment (a learner's forty columns would cost more).
ASSIGNMENT_FIELDS = (
    "mentor_id",
    "participant__first_name",
    "participant__last_name",
    "placement__title",
    "placement__start_date",
    "placement__end_date",
    "placement__work_pattern",
    # Its clock: "today" and "not happened yet" are the workplace's.
    "placement__country",
    "placement__time_zone",
)


def _writable(user, entries, result):
    """Every status, and the assignments the entries name, with what checking and answering them needs (the
    placement's dates and work pattern, the learner's name), one query each; NotAllowed if any of the assignments
    is not the user's to record. Entries of one week (a tap on Today, a week grid) read that week's sign-offs in
    the same query: returns them, or None for entries of several weeks."""
    result.statuses = {s.code: s for s in AttendanceStatus.objects.all()}
    wanted = {e.assignment_id for e in entries}
    found = (
        writable_assignments(user)
        .filter(pk__in=wanted)
        .order_by()
        .select_related("participant", "placement__work_pattern")
        .only(*ASSIGNMENT_FIELDS)
    )
    weeks = {week_start(e.date) for e in entries}
    monday = weeks.pop() if len(weeks) == 1 else None
    if monday:
        states = WeekSignoff.objects.filter(placement=OuterRef("placement_id"), mentor=OuterRef("mentor_id"))
        found = found.annotate(week_state=Subquery(states.filter(week_start=monday).values("state")[:1]))
    result.assignments = {a.pk: a for a in found}
    if len(result.assignments) != len(wanted):
        raise NotAllowed("not allowed to record attendance for one of these learners")
    if not monday:
        return None
    return {
        (a.placement_id, a.mentor_id, monday): WeekSignoff(state=a.week_state)
        for a in result.assignments.values()
        if a.week_state
    }


def _locked_days(entries, assignments, signoffs):
    """The records of the entries' days, locked until the transaction ends, and (unless read with the assignments)
    the week sign-offs around them."""
    dates = [e.date for e in entries]
    # Only the records' own rows are locked (no join: a join would lock the status rows every save shares).
    existing = {
        (r.assignment_id, r.date): r
        for r in AttendanceRecord.objects.select_for_update()
        .filter(assignment_id__in=assignments, date__range=(min(dates), max(dates)))
        .order_by()
    }
    if signoffs is None:
        signoffs = {
            (s.placement_id, s.mentor_id, s.week_start): s
            for s in WeekSignoff.objects.filter(
                placement_id__in={a.placement_id for a in assignments.values()},
                week_start__range=(week_start(min(dates)), week_start(max(dates))),
            ).order_by()
        }
    return existing, signoffs


def _check(user, entries, today, existing, signoffs, result):
    """The rules and the version check of every entry; the records to create and to change, already set to what
    the entries say (errors go into `result`)."""
    mentor = is_mentor(user)
    statuses_by_pk = {s.pk: s for s in result.statuses.values()}
    new, changed = [], []
    now = timezone.now()
    for entry in entries:
        assignment = result.assignments[entry.assignment_id]
        placement = assignment.placement
        try:
            status = result.statuses.get(entry.status_code)
            if status is None:
                raise AttendanceError(_("Choose one of the statuses."))
            if not placement.start_date <= entry.date <= placement.end_date:
                raise AttendanceError(_("This day is outside the placement."))
            signoff = signoffs.get((placement.pk, assignment.mentor_id, week_start(entry.date)))
            if signoff and signoff.locks_everyone:
                raise AttendanceError(_("This week is approved and locked. A coordinator can reopen it."))
            planned = entry.date > (today or placement.local_today())
            if mentor:
                if planned:
                    raise AttendanceError(_("Days that have not happened yet cannot be recorded."))
                if signoff and signoff.locks_mentor:
                    raise AttendanceError(_("You submitted this week. Ask the coordinator to reopen it."))
                if not status.mentor_may_use:
                    raise AttendanceError(_("Only a coordinator can record “%(status)s”.") % {"status": status})
            elif planned and status.counts_hours:
                raise AttendanceError(_("Only an absence can be planned ahead; attendance is recorded on the day."))
            reason = strip_control_characters(entry.reason).strip()[:300]
            if status.needs_reason and not reason:
                raise AttendanceError(_("Give a reason for “%(status)s”.") % {"status": status})
            hours = _hours(entry, status, pattern_for(placement).hours_on(entry.date))
        except AttendanceError as error:
            result.errors[entry.key] = str(error)
            continue

        record = existing.get((entry.assignment_id, entry.date))
        current_version = record.version if record else 0
        if entry.version != current_version:
            if record is not None:
                record.status = statuses_by_pk[record.status_id]  # for the message, without a query
            result.errors[entry.key] = conflict_message(record)
            result.current[entry.key] = record
            continue
        result.records[entry.key] = record
        if record is None:
            record = result.records[entry.key] = AttendanceRecord(assignment=assignment, date=entry.date, version=1)
            new.append(record)
        elif (record.status_id, record.hours, record.reason) == (status.pk, hours, reason):
            continue  # nothing changed: keep the version, so that nobody else gets a false conflict
        else:
            record.version += 1
            changed.append(record)
        record.status, record.hours, record.reason, record.planned = status, hours, reason, planned
        record.recorded_by, record.recorded_at = user, now
    if result.errors:
        result.records = {}  # nothing is written: the records set above are not what the database holds
    return new, changed


def _write(user, new, changed):
    """The records and a history row each. One record (a tap on Today) is one INSERT or UPDATE and one history
    INSERT; more (a week grid) go in bulk, a few statements for them all."""
    if len(new) + len(changed) == 1:
        record = (new or changed)[0]
        record._history_user = user
        record.save(update_fields=None if new else SAVED_FIELDS)
        return
    if new:
        bulk_create_with_history(new, AttendanceRecord, default_user=user)
    if changed:
        bulk_update_with_history(changed, AttendanceRecord, SAVED_FIELDS, default_user=user)


def conflict_message(record):
    if record is None:
        return _("Someone else recorded this day a moment ago. Check it and save again.")
    return _("%(user)s changed this day at %(time)s to “%(status)s”. Check it and save again.") % {
        "user": record.recorded_by,
        "time": date_format(timezone.localtime(record.recorded_at), "H:i"),
        "status": record.status,
    }


def mark_all_present(user, day, assignments):
    """Record "present" for every one of `assignments` that has no record for `day` yet and works that day: on a
    day off of its placement's pattern a learner who worked is recorded alone, with the hours."""
    working = working_placements({a.placement_id for a in assignments}, day)
    assignments = [a for a in assignments if a.placement_id in working]
    recorded = set(
        AttendanceRecord.objects.filter(assignment__in=assignments, date=day).values_list("assignment_id", flat=True)
    )
    entries = [DayEntry(a.pk, day, "present") for a in assignments if a.pk not in recorded]
    return save_days(user, entries)


# Sign-off


def days_still_to_record(placement, monday, mentor, today=None):
    """The working days of the week, from today on, that are not yet recorded for every one of the mentor's
    learners on the placement (a day with no learners to record counts as not recorded)."""
    today = today or placement.local_today()
    days = [d.date for d in week_of(placement, monday) if d.expected and d.date >= today]
    if not days:
        return []
    learners = list(placement.assignments.active().filter(mentor=mentor).values_list("pk", flat=True))
    recorded = Counter(
        AttendanceRecord.objects.filter(assignment_id__in=learners, date__in=days).values_list("date", flat=True)
    )
    return [day for day in days if not learners or recorded[day] < len(learners)]


def submit_week(user, placement, monday, mentor, today=None):
    """The mentor (or a coordinator on their behalf) hands in a week for approval, once its working days are
    over or recorded: a week handed in ahead would lock the mentor out of recording it."""
    if days_still_to_record(placement, monday, mentor, today):
        raise AttendanceError(
            _("This week still has working days to come that are not recorded: submit it once they are over.")
        )
    signoff, _created = WeekSignoff.objects.get_or_create(placement=placement, mentor=mentor, week_start=monday)
    if signoff.state == WeekSignoff.State.APPROVED:
        raise AttendanceError(_("This week is already approved."))
    signoff.state = WeekSignoff.State.SUBMITTED
    signoff.submitted_by, signoff.submitted_at = user, timezone.now()
    signoff.reopen_reason = ""
    signoff._history_user = user
    signoff.save()
    return signoff


def approve_week(user, signoff):
    if signoff.state != WeekSignoff.State.SUBMITTED:
        raise AttendanceError(_("Only a submitted week can be approved."))
    signoff.state = WeekSignoff.State.APPROVED
    signoff.approved_by, signoff.approved_at = user, timezone.now()
    signoff._history_user = user
    signoff.save()
    return signoff


def reopen_week(user, signoff, reason):
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceError(_("Give the reason for reopening the week."))
    signoff.state = WeekSignoff.State.REOPENED
    signoff.reopen_reason = reason[:300]
    signoff.approved_by = signoff.approved_at = None
    signoff._history_user = user
    signoff.save()
    return signoff


# Summaries


@dataclass
class LearnerSummary:
    assignment: object
    expected_days: int = 0  # over the whole placement, less days the workplace was closed
    elapsed_days: int = 0  # expected days up to and including today
    present_days: int = 0
    hours_done: Decimal = Decimal(0)
    hours_expected: Decimal = Decimal(0)
    excused: int = 0
    unexcused: int = 0
    not_recorded: int = 0
    at_risk: bool = False

    @property
    def rate(self):
        if not self.elapsed_days:
            return None
        return round(100 * self.present_days / self.elapsed_days)


def summarise(placement, assignments, records, required_rate, today=None):
    """Per learner figures from records already loaded (one query for the whole placement)."""
    today = today or placement.local_today()
    days = [d for d in placement_days(placement) if d.expected]
    by_assignment = defaultdict(dict)
    for record in records:
        by_assignment[record.assignment_id][record.date] = record
    summaries = []
    for assignment in assignments:
        own = by_assignment.get(assignment.pk, {})
        s = LearnerSummary(assignment)
        remaining = 0
        for day in days:
            record = own.get(day.date)
            if record and record.status.not_a_working_day:
                continue
            s.expected_days += 1
            if day.date > today:
                remaining += 1
                continue
            s.elapsed_days += 1
            s.hours_expected += day.hours
            if record is None:
                if day.date < today:
                    s.not_recorded += 1
                continue
            if record.status.counts_hours:
                s.present_days += 1
                s.hours_done += record.hours
            elif record.status.is_excused:
                s.excused += 1
            else:
                s.unexcused += 1
        withdrawn = assignment.status == Assignment.Status.WITHDRAWN
        if s.expected_days and not withdrawn:
            # Days not recorded yet may still turn out present: warn only when the rate is out of reach.
            reachable = s.present_days + s.not_recorded + remaining
            s.at_risk = 100 * reachable < required_rate * s.expected_days
        summaries.append(s)
    return summaries


def missing_and_pending(project, today=None, flows=None):
    """For the dashboard: learner-days not recorded in running placements, and weeks awaiting approval.

    A day before today is missing for each active learner of the placement without a record of it (as `summarise`
    counts `not_recorded`): the placement's expected days times its learners, less the records of them, counted
    by the database per placement and day. Three queries, however many placements, learners and days; two when
    `flows` are every flow of the project already read, in their order, with their work pattern and their active
    learners counted (`learners`). A day is over when it is over where the learners work (the placement's clock),
    unless `today` is given."""
    given, today = today, today or timezone.localdate()
    read = None if flows is None else {placement.pk: placement for placement in flows}
    if flows is None:
        active = ~Q(assignments__status=Assignment.Status.WITHDRAWN)
        placements = list(
            Placement.objects.filter(project=project, start_date__lt=today, end_date__gte=today - timedelta(days=14))
            .select_related("work_pattern")
            .annotate(learners=Count("assignments", filter=active))
        )
    else:
        placements = [p for p in flows if p.start_date < today and p.end_date >= today - timedelta(days=14)]
    # No flow running (most of the year): nothing to count, and nothing to build the count for.
    recorded = placements and {
        (placement_id, day): count
        for placement_id, day, count in AttendanceRecord.objects.filter(
            assignment__placement__in=placements, date__lt=today
        )
        .exclude(assignment__status=Assignment.Status.WITHDRAWN)
        .values_list("assignment__placement_id", "date")
        .annotate(count=Count("pk"))
        .order_by()
    }
    missing = []
    for placement in placements:
        yesterday = (given or placement.local_today()) - timedelta(days=1)
        days = [d.date for d in placement_days(placement, end=yesterday) if d.expected]
        count = sum(placement.learners - recorded.get((placement.pk, day), 0) for day in days)
        if count:
            missing.append({"placement": placement, "count": count})
    pending = WeekSignoff.objects.filter(placement__project=project, state=WeekSignoff.State.SUBMITTED)
    if read is None:
        return missing, list(pending.select_related("placement", "mentor").order_by("week_start"))
    pending = list(pending.select_related("mentor").order_by("week_start"))
    for signoff in pending:
        signoff.placement = read[signoff.placement_id]
    return missing, pending
