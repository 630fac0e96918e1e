"""The read side of attendance: what the Today screen and the week grid show, built in one place with the
queries they need, so that tests can pin their count.

Rows and cells are plain data the templates print as they are. What every row or cell shares (a status's
<option>, the row of status buttons, a status's badge) is rendered once per page and reused: rendered through
the template engine once per learner-day, those parts cost most of the week grid's and the Today screen's
time (a 30-learner week grid renders some 1,000 options). Everything taken from the database is escaped here
or by the template's autoescaping; the prebuilt parts are marked safe only after escaping.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import FilteredRelation, Q, QuerySet
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import RECORDERS, coordinates, has_role, is_mentor
from common.urls import url_for_each
from placements.access import assignments_to_change
from placements.models import Assignment, Placement

from . import services
from .models import AttendanceRecord, AttendanceStatus, WeekSignoff
from .services import DayEntry, SaveResult


class Statuses:
    """Every attendance status by id (a record may show one the user may not choose), and those the user may
    record, with each one's shared HTML rendered once."""

    def __init__(self, user: User, statuses: Iterable[AttendanceStatus] | None = None) -> None:
        self.all = list(AttendanceStatus.objects.all() if statuses is None else statuses)
        self.by_pk = {s.pk: s for s in self.all}
        self.labels = {s.pk: str(s) for s in self.all}  # str() translates the label
        mentor = is_mentor(user)
        self.usable = [s for s in self.all if s.mentor_may_use or not mentor]
        self._options: dict[tuple[str, str | None], SafeString] = {}
        self._buttons: dict[int | None, SafeString] = {}
        self._badges: dict[int, SafeString] = {}

    def __iter__(self) -> Iterator[AttendanceStatus]:
        return iter(self.usable)

    def __len__(self) -> int:
        return len(self.usable)

    def code_of(self, status_id: int | None) -> str:
        status = self.by_pk.get(status_id) if status_id is not None else None
        return status.code if status else ""

    def options(self, selected_code: str, empty_label: str | None = None) -> SafeString:
        """The <option>s of a week-grid cell; `empty_label` adds the leading "nothing recorded" option."""
        key = (selected_code, empty_label)
        if key not in self._options:
            parts = [format_html('<option value="">{}</option>', empty_label)] if empty_label is not None else []
            parts += [
                format_html(
                    '<option value="{}"{}>{}</option>',
                    s.code,
                    " selected" if s.code == selected_code else "",
                    self.labels[s.pk],
                )
                for s in self.usable
            ]
            self._options[key] = mark_safe("".join(parts))
        return self._options[key]

    def buttons(self, pressed_id: int | None) -> SafeString:
        """The Today row's status buttons, the recorded status pressed."""
        if pressed_id not in self._buttons:
            self._buttons[pressed_id] = mark_safe(
                "\n".join(
                    format_html(
                        '<button type="submit" name="status" value="{}" class="btn btn-sm {}" aria-pressed="{}">'
                        "{}</button>",
                        s.code,
                        "btn-primary" if s.pk == pressed_id else "btn-outline-primary",
                        "true" if s.pk == pressed_id else "false",
                        self.labels[s.pk],
                    )
                    for s in self.usable
                )
            )
        return self._buttons[pressed_id]

    def badge(self, status_id: int) -> SafeString:
        """A recorded status as the Today row shows it: green when it counts hours, grey when excused."""
        if status_id not in self._badges:
            status = self.by_pk[status_id]
            colour = "success" if status.counts_hours else "secondary" if status.is_excused else "danger"
            self._badges[status_id] = format_html(
                '<span class="badge text-bg-{}">{}</span>', colour, self.labels[status_id]
            )
        return self._badges[status_id]


def statuses_for(user: User, statuses: Iterable[AttendanceStatus] | None = None) -> Statuses:
    """The statuses as `user` records them; `statuses`: every status, already read (e.g. by a save)."""
    return Statuses(user, statuses)


def hours_text(hours: Decimal, memo: dict[Decimal, str] | None = None) -> str:
    """Hours as the pages print them: 8, 6.50 (the template filter floatformat:"-2", localised). A grid
    passes a `memo` dict: it shows the same few values a hundred times."""
    if memo is None:
        return floatformat(hours, "-2")
    if hours not in memo:
        memo[hours] = floatformat(hours, "-2")
    return memo[hours]


# Today: one row per learner, one tap per status


def today_assignments(user: User, day: date) -> QuerySet[Assignment]:
    """The learners the user records on `day`: active, on a placement running that day."""
    return (
        Assignment.objects.visible_to(user)
        .active()
        .filter(placement__start_date__lte=day, placement__end_date__gte=day)
        # By placement, then name: the page links each placement's week grid once, after its learners.
        .order_by("placement__start_date", "placement_id", "participant__name_key")
    )


# What a Today row shows of a record, read as named tuples: model instances cost more than the row's HTML.
DAY_RECORD_FIELDS = ("assignment_id", "status_id", "version", "reason")


def day_record(assignment_id: int, day: date) -> Any:
    return (
        AttendanceRecord.objects.filter(assignment_id=assignment_id, date=day)
        .values_list(*DAY_RECORD_FIELDS, named=True)
        .first()
    )


def today_row(
    statuses: Statuses,
    day: date,
    *,
    pk: int,
    name: str,
    placement: dict[str, Any],
    record: Any,
    url: str | None = None,
    error: str | None = None,
    entry: DayEntry | None = None,
) -> dict[str, Any]:
    """One learner's row on the Today screen. `placement` is {"pk", "title"}, for the links to week grids;
    `entry` is what was posted, shown again with its `error`."""
    status_id = record.status_id if record else None
    return {
        "pk": pk,
        "name": name,
        "placement": placement,
        "url": url or reverse("attendance:record_day", args=[pk, f"{day:%Y-%m-%d}"]),
        "version": record.version if record else 0,
        "status_code": statuses.code_of(status_id),
        "badge": statuses.badge(record.status_id) if record else None,
        "reason": record.reason if record else "",
        "buttons": statuses.buttons(status_id),
        "error": error,
        "reason_value": entry.reason if entry else record.reason if record else "",
        "hours_value": entry.hours if entry else "",
    }


def today_rows(user: User, day: date, statuses: Statuses) -> list[dict[str, Any]]:
    """Every row of the Today screen, with two queries whatever the number of learners."""
    assignments = list(
        today_assignments(user, day).values_list(
            "pk", "participant__first_name", "participant__last_name", "placement_id", "placement__title"
        )
    )
    records = {
        r.assignment_id: r
        for r in AttendanceRecord.objects.filter(assignment__in=[a[0] for a in assignments], date=day).values_list(
            *DAY_RECORD_FIELDS, named=True
        )
    }
    # One URL reversed, the others made from it: reversing costs more than the rest of a row.
    record_day_url = url_for_each("attendance:record_day", f"{day:%Y-%m-%d}")
    placements: dict[int, dict[str, Any]] = {}
    rows = []
    for pk, first_name, last_name, placement_id, placement_title in assignments:
        rows.append(
            today_row(
                statuses,
                day,
                pk=pk,
                name=f"{first_name} {last_name}",
                placement=placements.setdefault(placement_id, {"pk": placement_id, "title": placement_title}),
                record=records.get(pk),
                url=record_day_url(pk),
            )
        )
    return rows


# The week grid

class WeekRecord(NamedTuple):
    """What a cell shows of a record (a conflict's current record, a model instance, has the same attributes)."""

    assignment_id: int
    date: date
    status_id: int
    hours: Decimal
    reason: str
    version: int


@dataclass(frozen=True, slots=True)
class GridLearner:
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class GridAssignment:
    """A row's assignment as the grid and its signatures read it (an Assignment's `pk`, `mentor_id` and
    `participant`'s names), read as values: three model instances a row cost more than the row's cells."""

    pk: int
    mentor_id: int | None
    participant: GridLearner


@dataclass(frozen=True, slots=True)
class GridMentor:
    """A mentor in the sign-off list: printed as the account is (User.__str__: full name, else username)."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


def week_context(
    user: User,
    placement: Placement,
    monday: date,
    posted: Mapping[str, str] | None = None,
    result: SaveResult | None = None,
) -> dict[str, Any]:
    """Learners × days for one week, with what is recorded, the sign-off state and any errors of a save."""
    pattern = services.pattern_for(placement)
    days = services.week_of(placement, monday, pattern)
    assignments: list[GridAssignment] = []
    mentors: dict[int, GridMentor] = {}
    records: dict[tuple[int, date], WeekRecord] = {}
    # Learners and their recorded days in one query: a row per learner-day recorded (a learner with none, one row
    # of nulls), by the join's condition the week's days only.
    week = FilteredRelation("attendance", condition=Q(attendance__date__range=(monday, monday + timedelta(days=6))))
    for pk, first_name, last_name, mentor_id, username, mentor_first, mentor_last, *record in (
        Assignment.objects.visible_to(user)
        .filter(placement=placement)
        .active()
        .annotate(week=week)
        .order_by("participant__name_key", "pk")
        .values_list(
            "pk",
            "participant__first_name",
            "participant__last_name",
            "mentor_id",
            "mentor__username",
            "mentor__first_name",
            "mentor__last_name",
            *(f"week__{name}" for name in WeekRecord._fields[1:]),
        )
    ):
        if not assignments or assignments[-1].pk != pk:
            assignments.append(GridAssignment(pk, mentor_id, GridLearner(first_name, last_name)))
        if record[0] is not None:
            records[(pk, record[0])] = WeekRecord(pk, *record)
        if mentor_id is not None and mentor_id not in mentors:
            mentors[mentor_id] = GridMentor(mentor_id, f"{mentor_first} {mentor_last}".strip() or username)
    ids = [a.pk for a in assignments]
    signoffs: dict[int | None, WeekSignoff] = {
        s.mentor_id: s for s in WeekSignoff.objects.filter(placement=placement, week_start=monday)
    }
    statuses = statuses_for(user)
    today = placement.local_today()
    errors = result.errors if result else {}
    current = result.current if result else {}
    posted = posted or {}
    mentor = is_mentor(user)
    recorder = has_role(user, RECORDERS)
    # Roles per school: the rows the user records are those they may change (a mentor's own learners; the learners
    # of the schools where they are coordinator, the flow's school's or, in a consortium's flow, a member school's
    # own), and the week's sign-off is the flow's school's coordinator's. Staff record nothing: no query; the flow's
    # coordinator, one (every learner of the flow is theirs); a member school's coordinator, two.
    coordinator = recorder and not mentor and coordinates(user, placement)
    if recorder and not mentor and not coordinator:
        mine = set(assignments_to_change(user).filter(pk__in=ids).values_list("pk", flat=True))
    else:
        mine = set(ids) if recorder else set()
    hours_seen: dict[Decimal, str] = {}
    labels_seen: dict[tuple[int, Decimal], str] = {}
    learner_url = url_for_each("attendance:learner")
    columns = [
        {
            "day": day,
            "future": day.date > today,
            "suffix": f"{day.date:%Y%m%d}",
            "weekday": date_format(day.date, "l"),
            "hours_placeholder": f"{hours_text(day.hours)} h",
            "empty_label": _("planned absence?") if day.date > today else _("not recorded"),
        }
        for day in days
    ]
    rows = []
    any_editable = False
    for assignment in assignments:
        signoff = signoffs.get(assignment.mentor_id)
        week_closed = signoff is not None and (signoff.locks_everyone or (mentor and signoff.locks_mentor))
        name = assignment.participant.full_name
        cells = []
        for column in columns:
            day = column["day"]
            editable = assignment.pk in mine and not day.holiday and not week_closed
            editable = editable and not (mentor and column["future"])
            any_editable = any_editable or editable
            key = f"{assignment.pk}-{column['suffix']}"
            record = current[key] if key in current else records.get((assignment.pk, day.date))
            error = errors.get(key)
            cell = {
                "key": key,
                "error": error,
                "css": "table-danger" if error else "table-warning" if day.holiday else "",
                "editable": editable,
                "record": bool(record),
                "holiday": day.holiday,
                "future": column["future"],
            }
            if record:
                # A week shows a few labels (status, hours) over and over: each made once.
                label_key = (record.status_id, record.hours)
                if label_key not in labels_seen:
                    label = statuses.labels[record.status_id]
                    if statuses.by_pk[record.status_id].counts_hours:
                        label = f"{label} · {hours_text(record.hours, hours_seen)} h"
                    labels_seen[label_key] = label
                cell["label"] = labels_seen[label_key]
                cell["title"] = record.reason
            if editable:
                selected = posted.get(f"s-{key}") or (statuses.code_of(record.status_id) if record else "")
                hours = posted.get(f"h-{key}", "")
                if not hours and record and record.hours != day.hours:
                    hours = hours_text(record.hours, hours_seen)
                cell.update(
                    label_for=f"{name}, {column['weekday']}",
                    options=statuses.options(selected, None if record else column["empty_label"]),
                    version=record.version if record else 0,
                    reason=posted.get(f"r-{key}", record.reason if record else ""),
                    hours=hours,
                    hours_placeholder=column["hours_placeholder"],
                )
            cells.append(cell)
        rows.append({"assignment": assignment, "cells": cells, "signoff": signoff, "url": learner_url(assignment.pk)})
    weeks = services.placement_weeks(placement)
    return {
        "placement": placement,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "days": days,
        "rows": rows,
        "statuses": statuses,
        "signoffs": [(m, signoffs.get(m.pk)) for m in sorted(mentors.values(), key=str)],
        "previous_week": monday - timedelta(days=7) if monday > weeks[0] else None,
        "next_week": monday + timedelta(days=7) if monday < weeks[-1] else None,
        "errors": errors,
        "can_record": any_editable,
        "is_coordinator": coordinator,
    }
