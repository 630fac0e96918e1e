"""The project checklist's steps on preparation and travel (common.sections.PROJECT_STEPS): one query for every
flow of the project, however many."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from placements.checklist import Step
from placements.models import Placement, Project


def project_steps(project: Project, today: date) -> list[Step]:
    flows = list(
        Placement.objects.filter(project=project)
        .exclude(status=Placement.Status.CANCELLED)
        .annotate(
            sessions=Count("preparation_sessions", distinct=True),
            legs=Count("travel_legs", distinct=True),
            stays=Count("accommodations", distinct=True),
        )
        .only("pk", "title")
        .order_by("start_date", "pk")
    )
    preparation_missing = []
    travel_missing = []
    for flow in flows:
        if not flow.sessions:
            preparation_missing.append(
                (
                    _("%(flow)s has no preparation session yet.") % {"flow": flow.title},
                    reverse("preparation:session_create", args=[flow.pk]),
                )
            )
        if not flow.legs:
            travel_missing.append(
                (_("%(flow)s has no journey yet.") % {"flow": flow.title}, reverse("preparation:legs", args=[flow.pk]))
            )
        if not flow.stays:
            travel_missing.append(
                (
                    _("%(flow)s has no accommodation yet.") % {"flow": flow.title},
                    reverse("preparation:accommodation", args=[flow.pk]),
                )
            )
    none = [(_("Make a flow first."), reverse("placements:project_detail", args=[project.pk]) + "#placements")]
    return [
        Step(
            60,
            "preparation",
            _("Preparation and readiness"),
            bool(flows) and not preparation_missing,
            reverse("preparation:overview"),
            preparation_missing if flows else none,
        ),
        Step(
            70,
            "travel",
            _("Travel and accommodation"),
            bool(flows) and not travel_missing,
            reverse("preparation:overview"),
            travel_missing if flows else none,
        ),
    ]
