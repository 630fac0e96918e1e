"""What signatures give the final report (common.sections.FINAL_REPORT): per flow, the learner-weeks with
recorded days and how many of them stand signed by the mentor and the learner, by one of the two only, by
neither, or carry a signature that a later change to a signed day made void. Counts only, no names; read from
the signature events this application keeps, in four queries whatever the number of learners and weeks."""

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from attendance.models import AttendanceRecord
from placements.models import Assignment, Placement

from . import services
from .models import SignatureEvent

MENTOR, LEARNER = SignatureEvent.Role.MENTOR, SignatureEvent.Role.LEARNER


def week_tally(assignments, records, events):
    """Each placement's tally {"weeks", "both", "one", "none", "void"} from the assignments (with participant and
    placement), their attendance records and their week signature events (in the order they were made)."""
    by_week = defaultdict(list)
    for record in records:
        by_week[(record.assignment_id, services.week_start_of(record.date))].append(record)
    latest = {}
    for event in events:
        latest[(event.assignment_id, event.week_start, event.role)] = event
    weeks = set(by_week) | {(assignment_id, monday) for assignment_id, monday, _role in latest}
    assignments = {a.pk: a for a in assignments}
    tally: dict[int, dict[str, int]] = defaultdict(lambda: {"weeks": 0, "both": 0, "one": 0, "none": 0, "void": 0})
    for assignment_id, monday in weeks:
        assignment = assignments.get(assignment_id)
        if assignment is None:
            continue
        own = by_week.get((assignment_id, monday), [])
        count = tally[assignment.placement_id]
        count["weeks"] += bool(own)
        signed = [latest.get((assignment_id, monday, role)) for role in (MENTOR, LEARNER)]
        signed = [event for event in signed if event is not None]
        content_hash = services.digest(
            services.canonical(services.week_data(assignment, assignment.placement, monday, own))
        )
        if any(event.content_hash != content_hash for event in signed):
            count["void"] += 1
        elif len(signed) == 2:
            count["both"] += 1
        elif signed:
            count["one"] += 1
        elif own:
            count["none"] += 1
    return tally


def final_report_sections(project: Any) -> dict[str, Any]:
    placements = list(Placement.objects.filter(project=project).order_by("start_date", "title"))
    assignments = list(Assignment.objects.filter(placement__project=project).select_related("participant", "placement"))
    records = AttendanceRecord.objects.filter(assignment__placement__project=project).select_related("status")
    events = SignatureEvent.objects.filter(assignment__placement__project=project, document=services.DOCUMENT).order_by(
        "pk"
    )
    tally = week_tally(assignments, records, events)
    keys = ("weeks", "both", "one", "none", "void")
    rows = [[placement.title, *(tally[placement.pk][key] for key in keys)] for placement in placements]
    total = [_("Total"), *(sum(row[i] for row in rows) for i in range(1, len(keys) + 1))]
    return {
        "tables": [
            {
                "key": "signed_weeks",
                "title": _(
                    "Signed attendance weeks per flow (a learner's week with recorded days; source: the electronic "
                    "signatures kept by this application)"
                ),
                "sheet": _("Signed weeks"),
                "headers": [
                    _("Flow"),
                    _("Weeks with recorded days"),
                    _("Signed by mentor and learner"),
                    _("Signed by one of them only"),
                    _("Not signed"),
                    _("Changed after signing (void)"),
                ],
                "rows": rows,
                "total": total if rows else None,
                "widths": [40, 16, 16, 16, 14, 18],
                "empty": _("No flow yet."),
            }
        ]
    }
