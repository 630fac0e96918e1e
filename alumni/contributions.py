"""What alumni gives other apps through common.sections: the final report's recognition and graduates' tables,
the public home page's follow-up counts, the learner's page panel, and forgetting notes on anonymisation."""

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.roles import OFFICE, has_role
from placements.models import Assignment

from . import services
from .models import FollowUp, FollowUpLink, Recognition


def public_results(project: Any) -> dict[str, Any]:
    return {"graduates": services.path_counts(project.pk)}


def final_report_sections(project: Any) -> dict[str, Any]:
    decisions = Recognition.Decision
    rows = []
    per_placement = (
        Assignment.objects.filter(placement__project=project)
        .active()
        .values("placement__title", "placement__start_date")
        .annotate(
            learners=Count("pk"),
            full=Count("pk", filter=Q(recognition__decision=decisions.FULL)),
            partial=Count("pk", filter=Q(recognition__decision=decisions.PARTIAL)),
            none=Count("pk", filter=Q(recognition__decision=decisions.NONE)),
        )
        .order_by("placement__start_date", "placement__title")
    )
    for row in per_placement:
        undecided = row["learners"] - row["full"] - row["partial"] - row["none"]
        rows.append([row["placement__title"], row["learners"], row["full"], row["partial"], row["none"], undecided])
    situations = FollowUp.Situation
    paths = [
        [_("after %(n)d months") % {"n": row["months"]}, row["total"], *(row[s] for s in situations.values)]
        for row in services.path_counts(project.pk)
    ]
    return {
        "tables": [
            {
                "key": "recognition",
                "title": _("Recognition of learning outcomes"),
                "sheet": _("Recognition"),
                "headers": [
                    _("Placement"),
                    _("Learners"),
                    str(decisions.FULL.label),
                    str(decisions.PARTIAL.label),
                    str(decisions.NONE.label),
                    _("Not decided yet"),
                ],
                "rows": rows,
                "widths": [40, 11, 14, 14, 14, 14],
            },
            {
                "key": "graduates",
                "title": _("Graduates' paths"),
                "sheet": _("Graduates"),
                "headers": [_("Checkpoint"), _("Graduates"), *(str(s.label) for s in situations)],
                "rows": paths,
                "widths": [18, 12, 14, 14, 14, 14, 12],
                "empty": _("No graduate has reached the first checkpoint (3 months after their stage) yet."),
            },
        ]
    }


def participant_record(participant: Any, user: Any) -> list[dict[str, Any]]:
    assignments = list(
        Assignment.objects.visible_to(user)
        .filter(participant=participant)
        .select_related("placement", "recognition__decided_by")
        .prefetch_related("recognition__outcomes", "follow_ups")
        .order_by("placement__start_date")
    )
    if not assignments:
        return []
    rows = []
    for assignment in assignments:
        recognition = getattr(assignment, "recognition", None)
        rows.append({"assignment": assignment, "recognition": recognition, "follow_ups": assignment.follow_ups.all()})
    return [
        {"template": "alumni/partials/record_panel.html", "context": {"rows": rows, "office": has_role(user, OFFICE)}}
    ]


def forget_learner(participant_id: int, assignment_ids: Any, values: Any, scrub: Any) -> None:
    """common.sections.ANONYMISE: the decisions and situations stay for the counts, the notes go."""
    services.forget_learner(participant_id)


def export_learner(participant: Any, assignment_ids: Any, row: Any) -> dict[str, Any]:
    """common.sections.LEARNER_EXPORT: recognition, follow-ups and the follow-up links (without their token)."""
    recognitions = Recognition.objects.filter(assignment_id__in=assignment_ids).prefetch_related("outcomes")
    return {
        "recognition": [{**row(r), "outcomes": [outcome.text for outcome in r.outcomes.all()]} for r in recognitions],
        "follow_ups": [row(f) for f in FollowUp.objects.filter(assignment_id__in=assignment_ids)],
        "follow_up_links": [
            {key: value for key, value in row(link).items() if key != "token_hash"}
            for link in FollowUpLink.objects.filter(assignment_id__in=assignment_ids)
        ],
    }
