"""A project's own checklist: where the project stands and the next step, each step ticked from the data.

`project_checklist(project)` gathers placements' own steps (partners and host companies, flows, stages) and the
steps other apps contribute through `common.sections.PROJECT_STEPS` (learning outcomes, call, selection,
preparation, travel, budget, certificates, final report), without importing them. The project's flows are read
once, with the figures each app counts on them (`common.sections.FLOW_FIGURES`), and handed to every contributor;
each reads the rest of its step in a fixed number of queries, so the checklist costs the same for a project of one
flow or of ten (tests/test_checklist.py pins it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organisation
from common.sections import FLOW_FIGURES, PROJECT_STEPS, contributions

from .models import Assignment, Placement, Project


@dataclass
class Step:
    """One step: `missing` says what is missing, each with the link that fixes it; `url` opens the step."""

    order: int
    key: str
    title: str
    done: bool
    url: str
    missing: list[tuple[str, str]] = field(default_factory=list)
    # When the step cannot be done yet whatever the coordinator does (e.g. certificates before a stage ends).
    not_before: date | None = None


def flow_count(relation: str, filter: Q | None = None) -> Count:
    """How many distinct of the flow's `relation` (matching `filter`, written from the flow), for the flows' one
    query: its joins multiply each other's rows, so every figure counts distinct rows."""
    return Count(relation, filter=filter, distinct=True)


def contributed_figures() -> dict[str, Count]:
    """Every figure of common.sections.FLOW_FIGURES, to annotate the project's flows with."""
    figures: dict[str, Count] = {}
    for contributed in contributions(FLOW_FIGURES):
        figures.update(contributed)
    return figures


def checklist_flows(placements: list[Placement]) -> list[Placement]:
    """The checklist's flows out of every flow of a project already read (with `learners`, `unplaced` and the
    figures of contributed_figures): those not cancelled, in project_flows' order."""
    flows = [flow for flow in placements if flow.status != Placement.Status.CANCELLED]
    return sorted(flows, key=lambda flow: (flow.start_date, flow.pk))


def project_flows(project: Project) -> list[Placement]:
    """The project's flows not cancelled, in order, with the learners on each, those still without a host company
    or mentor, and every figure of common.sections.FLOW_FIGURES: one query."""
    active = ~Q(assignments__status=Assignment.Status.WITHDRAWN)
    figures = {
        "learners": flow_count("assignments", active),
        "unplaced": flow_count(
            "assignments", active & (Q(assignments__host_company__isnull=True) | Q(assignments__mentor__isnull=True))
        ),
        **contributed_figures(),
    }
    return list(
        Placement.objects.filter(project=project)
        .exclude(status=Placement.Status.CANCELLED)
        .annotate(**figures)
        .only("pk", "title", "start_date", "end_date", "qualification")
        .order_by("start_date", "pk")
    )


def with_next(url: str, back: str) -> str:
    """`url` with `?next=back`, for the pages that return the coordinator where they were."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'next': back})}"


def own_steps(project: Project, today: date, flows: list[Placement]) -> list[Step]:
    back = reverse("placements:project_detail", args=[project.pk])
    # Which of the two kinds the school's address book holds: the kinds themselves, cheaper to ask than counts.
    kinds = set(
        Organisation.objects.filter(
            schools=project.sending_organisation_id, kind__in=[Organisation.Kind.RECEIVING, Organisation.Kind.HOST]
        )
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )
    new_organisation = reverse("placements:organisation_create")
    partners_missing = []
    if Organisation.Kind.RECEIVING not in kinds:
        partners_missing.append(
            (_("No receiving partner in the address book yet."), with_next(f"{new_organisation}?kind=receiving", back))
        )
    if Organisation.Kind.HOST not in kinds:
        partners_missing.append(
            (_("No host company in the address book yet."), with_next(f"{new_organisation}?kind=host", back))
        )
    flows_missing = []
    if not flows:
        flows_missing.append(
            (
                _("No flow yet: a flow is one group's stage abroad for one qualification."),
                with_next(f"{reverse('placements:create')}?project={project.pk}", back),
            )
        )
    stages_missing = []
    for flow in flows:
        if not flow.learners:
            stages_missing.append((_("%(flow)s has no learner yet.") % {"flow": flow.title}, flow.get_absolute_url()))
        elif flow.unplaced:
            stages_missing.append(
                (
                    ngettext(
                        "%(flow)s: %(count)d learner without a host company or mentor.",
                        "%(flow)s: %(count)d learners without a host company or mentor.",
                        flow.unplaced,
                    )
                    % {"flow": flow.title, "count": flow.unplaced},
                    flow.get_absolute_url() + "#learners",
                )
            )
        elif flow.end_date >= today:
            stages_missing.append(
                (
                    _("%(flow)s runs until %(day)s.") % {"flow": flow.title, "day": flow.end_date.strftime("%d.%m.%Y")},
                    reverse("attendance:placement", args=[flow.pk]),
                )
            )
    return [
        Step(
            10,
            "partners",
            _("Partners and host companies"),
            not partners_missing,
            reverse("placements:organisation_list"),
            partners_missing,
        ),
        Step(30, "flows", _("Flows (placements)"), bool(flows), back + "#placements", flows_missing),
        Step(
            80,
            "stages",
            _("Stages"),
            bool(flows) and not stages_missing,
            reverse("placements:list") + f"?project={project.pk}",
            stages_missing if flows else [(_("Make a flow first."), flows_missing[0][1])],
            not_before=max((f.end_date for f in flows), default=None),
        ),
    ]


def project_checklist(project: Project, today: date | None = None, flows: list[Placement] | None = None) -> dict:
    """{"steps": [Step, ...] in order, "next": the first step not done, or None, "done": count}. `flows`: the
    project's flows as project_flows gives them, when the page has read them already (checklist_flows)."""
    today = today or timezone.localdate()
    if flows is None:
        flows = project_flows(project)
    steps = own_steps(project, today, flows)
    for contributed in contributions(PROJECT_STEPS, project, today, flows):
        steps.extend(contributed)
    steps.sort(key=lambda step: step.order)
    return {
        "steps": steps,
        "next": next((step for step in steps if not step.done), None),
        "done": sum(1 for step in steps if step.done),
    }
