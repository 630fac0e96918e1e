"""The figures a project shows the public and its funders: counts of people, days and shares, never a person.

Everything is read per flow (placement) in a fixed number of queries, then totalled per project. What is
published goes through `published()`, which hides small counts (openfigures.suppression) before anyone sees them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Organisation
from alumni.models import FollowUp
from alumni.services import path_counts
from attendance.models import AttendanceRecord
from attendance.services import summarise
from placements.models import Assignment, Placement, Project

from .suppression import Sum, Suppressed, column_sums, row_sums, suppress

WITHDRAWN, COMPLETED = Assignment.Status.WITHDRAWN, Assignment.Status.COMPLETED
GREEN = "green"  # grants.TravelMode.GREEN
# Counts of people in the flows' table, and the whole each subset is part of.
FLOW_PEOPLE = (
    "participants",
    "fewer_opportunities",
    "completed",
    "green_travel",
    "recognition_decided",
    "certificates",
    "credentials",
)
FLOW_SUBSETS = {column: "participants" for column in FLOW_PEOPLE[1:]}
# Not counts of people, but they would give a hidden count away.
FLOW_FOLLOWS = {"days_planned": "participants", "days_attended": "participants", "completion_rate": "participants"}
SITUATIONS = tuple(FollowUp.Situation.values)


def threshold() -> int:
    return settings.OPEN_FIGURES_MIN_COUNT


@dataclass
class Figures:
    flows: Suppressed
    graduates: Suppressed
    employers: list[dict[str, Any]]
    threshold: int


def flow_rows(projects: Sequence[Project]) -> list[dict[str, Any]]:
    """One row per flow of `projects`, then one total row per project (`flow` empty)."""
    placements = list(
        Placement.objects.filter(project__in=projects)
        .select_related("project", "qualification", "work_pattern")
        .order_by("project__start_date", "project_id", "start_date", "pk")
    )
    active = ~Q(assignments__status=WITHDRAWN)
    counted = {
        row["pk"]: row
        for row in Placement.objects.filter(pk__in=[p.pk for p in placements])
        .values("pk")
        .annotate(
            participants=Count("assignments", filter=active, distinct=True),
            fewer_opportunities=Count(
                "assignments", filter=active & Q(assignments__participant__barriers__isnull=False), distinct=True
            ),
            completed=Count("assignments", filter=Q(assignments__status=Assignment.Status.COMPLETED), distinct=True),
            green_travel=Count(
                "assignments", filter=active & Q(assignments__grant__travel_mode="green"), distinct=True
            ),
            recognition_decided=Count(
                "assignments", filter=active & Q(assignments__recognition__isnull=False), distinct=True
            ),
            certificates=Count(
                "assignments",
                filter=Q(assignments__certificate__isnull=False, assignments__certificate__revoked_at__isnull=True),
                distinct=True,
            ),
            credentials=Count("assignments", filter=Q(assignments__europass__status="issued"), distinct=True),
        )
    }
    days = _attendance(placements)
    rows: list[dict[str, Any]] = []
    by_project: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for placement in placements:
        row = {
            "project": placement.project.reference or placement.project.title,
            "flow": placement.title,
            "qualification": placement.qualification.name,
            "host_country": placement.country.code,
            "start": placement.start_date.isoformat(),
            "end": placement.end_date.isoformat(),
            **{column: counted[placement.pk][column] for column in FLOW_PEOPLE},
            "days_planned": counted[placement.pk]["participants"] * placement.duration_days,
            "days_attended": days[placement.pk][0],
            "days_expected": days[placement.pk][1],
        }
        by_project[placement.project_id].append(row)
    for project in projects:
        own = by_project.get(project.pk, [])
        rows.extend(own)
        total: dict[str, Any] = {
            "project": project.reference or project.title,
            "flow": "",
            "qualification": "",
            "host_country": "",
            "start": project.start_date.isoformat(),
            "end": project.end_date.isoformat(),
        }
        for column in (*FLOW_PEOPLE, "days_planned", "days_attended", "days_expected"):
            total[column] = sum(row[column] for row in own)
        rows.append(total)
    for row in rows:
        row["completion_rate"] = (
            round(100 * row["days_attended"] / row["days_expected"], 1) if row["days_expected"] else None
        )
    return rows


def _attendance(placements: Sequence[Placement]) -> dict[int, tuple[int, int]]:
    """Per flow: days attended and days expected so far, as the final report counts them (one query)."""
    today = timezone.localdate()
    learners: dict[int, list[SimpleNamespace]] = defaultdict(list)
    for pk, placement_id in (
        Assignment.objects.filter(placement__in=placements).exclude(status=WITHDRAWN).values_list("pk", "placement_id")
    ):
        learners[placement_id].append(SimpleNamespace(pk=pk, status=""))
    records: dict[int, list[Any]] = defaultdict(list)
    for record in (
        AttendanceRecord.objects.filter(assignment__placement__in=placements)
        .exclude(assignment__status=WITHDRAWN)
        .select_related("status", "assignment")
    ):
        records[record.assignment.placement_id].append(record)
    found = {}
    for placement in placements:
        present = expected = 0
        as_of = min(today, placement.project.end_date)
        for summary in summarise(
            placement,
            learners[placement.pk],
            records[placement.pk],
            placement.project.required_attendance_rate,
            today=as_of,
        ):
            present += summary.present_days
            expected += summary.elapsed_days
        found[placement.pk] = (present, expected)
    return found


def graduate_rows(projects: Sequence[Project]) -> list[dict[str, Any]]:
    """Per project and checkpoint reached (3, 6, 12 months after the stage): graduates by situation, the
    unknown included."""
    rows = []
    for project in projects:
        for row in path_counts(project.pk):
            rows.append(
                {
                    "project": project.reference or project.title,
                    "months": row["months"],
                    "graduates": row["total"],
                    **{situation: row[situation] for situation in SITUATIONS},
                }
            )
    return rows


def employer_rows(projects: Sequence[Project]) -> list[dict[str, Any]]:
    """Per project: the local employers in its school's address book (organisations, not people)."""
    schools = {project.sending_organisation_id for project in projects}
    counts = dict(
        Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER, schools__in=schools)
        .values_list("schools")
        .annotate(n=Count("pk", distinct=True))
    )
    return [
        {"project": project.reference or project.title, "employers": counts.get(project.sending_organisation_id, 0)}
        for project in projects
    ]


def published(projects: Sequence[Project]) -> Figures:
    """The figures of `projects` as they may be shown to anyone: small counts hidden, and what would give them
    away hidden too."""
    limit = threshold()
    flows = flow_rows(projects)
    sums: list[Sum] = []
    # Each project's total row is the sum of its flows' rows, for every additive column.
    start = 0
    for index, row in enumerate(flows):
        if row["flow"] == "":
            block = flows[start : index + 1]
            for constraint in column_sums(block, (*FLOW_PEOPLE, "days_planned"), total_row=len(block) - 1):
                sums.append(
                    Sum(
                        (constraint.total[0] + start, constraint.total[1]),
                        tuple((i + start, c) for i, c in constraint.parts),
                    )
                )
            start = index + 1
    flows_published = suppress(
        flows,
        people=FLOW_PEOPLE,
        threshold=limit,
        subsets=FLOW_SUBSETS,
        sums=sums,
        follows=FLOW_FOLLOWS,
    )
    for row in flows_published.rows:
        # Attendance days are the rate's parts; the rate alone is published (a file of days would let a reader
        # work back to a hidden one through the other flows).
        row.pop("days_attended")
        row.pop("days_expected")
    graduates = graduate_rows(projects)
    graduates_published = suppress(
        graduates,
        people=("graduates", *SITUATIONS),
        threshold=limit,
        sums=row_sums(graduates, "graduates", SITUATIONS),
    )
    return Figures(flows_published, graduates_published, employer_rows(projects), limit)
