"""What this app gives the learners' pages (participants, below it) through common.sections: the learner's
placements on their page, in the list and on the archive page, and when their mentor sees the emergency contact."""

from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.roles import sees_restricted_of

from .models import Assignment


def participant_record(participant: Any, user: Any) -> list[dict[str, Any]]:
    """common.sections.PARTICIPANT_RECORD: the learner's placements that `user` sees, with their links; the
    withdrawal's reason and the links that change an assignment for whom reads the learner's restricted data (the
    rule that decides the learner's page's changes, accounts.roles.sees_restricted_of)."""
    assignments = (
        Assignment.objects.visible_to(user)
        .filter(participant=participant)
        .select_related("placement", "host_company", "mentor")
    )
    context = {
        "assignments": assignments,
        "restricted": sees_restricted_of(user, participant),
        "today": timezone.localdate(),  # certificates from the stage's last day
    }
    return [{"template": "placements/partials/learner_panel.html", "context": context}]


# Mentors see the emergency contact from a few days before the placement (travel) until a few days after it.
CONTACT_MARGIN = timedelta(days=3)


def mentor_sees_emergency_contact(participant: Any, mentor: Any, today: Any = None) -> bool:
    """common.sections.EMERGENCY_CONTACT."""
    today = today or timezone.localdate()
    return (
        Assignment.objects.visible_to(mentor)
        .filter(
            participant=participant,
            placement__start_date__lte=today + CONTACT_MARGIN,
            placement__end_date__gte=today - CONTACT_MARGIN,
        )
        .exclude(status=Assignment.Status.WITHDRAWN)
        .exists()
    )


def open_assignments(participant: Any) -> QuerySet[Assignment]:
    """Assignments that still expect the learner: archive only after they are withdrawn or completed."""
    return participant.assignments.exclude(
        status__in=[Assignment.Status.WITHDRAWN, Assignment.Status.COMPLETED]
    ).select_related("placement")


def archive_hold(participant: Any) -> list[dict[str, Any]]:
    """common.sections.ARCHIVE_HOLD: the open assignments, each with the page that withdraws the learner."""
    return [
        {
            "title": assignment.placement.title,
            "status": assignment.get_status_display(),
            "url": reverse("placements:assignment_edit", args=[assignment.pk]),
        }
        for assignment in open_assignments(participant)
    ]


def participant_rows(participants: Any, user: Any) -> dict[int, list[dict[str, Any]]]:
    """common.sections.PARTICIPANT_ROWS: each learner's placements and their status, one query for the page."""
    labels = dict(Assignment.Status.choices)
    found: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    assignments = (
        Assignment.objects.visible_to(user)
        .filter(participant__in=[participant.pk for participant in participants])
        .values_list("participant_id", "status", "placement__title")
    )
    for participant_id, status, title in assignments:
        found[participant_id].append({"title": title, "status": labels.get(status, status)})
    return found


def participant_filters(queryset: Any, params: Any) -> Any:
    """common.sections.PARTICIPANT_FILTERS: `assigned`, "yes" or "no": with an assignment not withdrawn."""
    assigned = params.get("assigned")
    if assigned == "yes":
        return queryset.filter(assignments__in=Assignment.objects.active()).distinct()
    if assigned == "no":
        return queryset.exclude(assignments__in=Assignment.objects.active())
    return queryset
