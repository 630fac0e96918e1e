"""The project checklist's steps on the call and the selection (common.sections.PROJECT_STEPS). One query."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from placements.checklist import Step
from placements.models import Placement, Project

from .models import Call


def project_steps(project: Project, today: date, flows: list[Placement]) -> list[Step]:
    # The columns the steps read: the calls' texts would be grouped by too, and cost more to build than to skip.
    calls = list(
        Call.objects.filter(project=project)
        .only("pk", "title", "published", "opens_on", "closes_on", "confirmed_at")
        .annotate(flow_count=Count("flows"))
        .order_by("opens_on", "pk")
    )
    call_missing = []
    selection_missing = []
    if not calls:
        call_missing.append(
            (_("No call for applications yet."), f"{reverse('selection:call_create')}?project={project.pk}")
        )
    for call in calls:
        if not call.flow_count:
            call_missing.append(
                (
                    _("%(call)s offers no places on a flow yet.") % {"call": call.title},
                    reverse("selection:flows", args=[call.pk]),
                )
            )
        elif not call.published:
            call_missing.append(
                (
                    _("%(call)s is not published on the public site.") % {"call": call.title},
                    reverse("selection:call_edit", args=[call.pk]),
                )
            )
        if not call.confirmed_at:
            text = (
                _("%(call)s: applications close on %(day)s; confirm the selection after that.")
                if call.closes_on >= today
                else _("%(call)s: the selection is not confirmed yet.")
            )
            selection_missing.append(
                (text % {"call": call.title, "day": call.closes_on.strftime("%d.%m.%Y")}, call.get_absolute_url())
            )
    first_open = min((c.closes_on for c in calls if not c.confirmed_at), default=None)
    return [
        Step(40, "call", _("Call for applications"), not call_missing, reverse("selection:calls"), call_missing),
        Step(
            50,
            "selection",
            _("Selection"),
            bool(calls) and not selection_missing,
            calls[0].get_absolute_url() if calls else reverse("selection:calls"),
            selection_missing or ([] if calls else [(_("Make a call first."), reverse("selection:calls"))]),
            not_before=first_open,
        ),
    ]
