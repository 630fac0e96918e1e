"""The project checklist's steps on preparation and travel (common.sections.PROJECT_STEPS): no query of their
own, however many flows: the flows come with their sessions, journeys and accommodations counted (flow_figures)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from placements.checklist import Step, flow_count
from placements.models import Placement, Project


def flow_figures() -> dict[str, Count]:
    """Each flow's preparation sessions, journeys and accommodations (common.sections.FLOW_FIGURES)."""
    return {
        "sessions": flow_count("preparation_sessions"),
        "legs": flow_count("travel_legs"),
        "stays": flow_count("accommodations"),
    }


def project_steps(project: Project, today: date, flows: list[Placement]) -> list[Step]:
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
    none = (
        []
        if flows
        else [(_("Make a flow first."), reverse("placements:project_detail", args=[project.pk]) + "#placements")]
    )
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
