"""The project checklist's step on learning outcomes (common.sections.PROJECT_STEPS): every flow's qualification
has outcomes for the mentor to rate. One query."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from placements.checklist import Step
from placements.models import Placement, Project, Qualification


def project_steps(project: Project, today: date, flows: list[Placement]) -> list[Step]:
    # The flows' qualifications (the flows are those not cancelled) with their outcomes counted: their ids are read
    # with the flows, and two columns cost less to build than the qualifications' rows.
    qualifications = (
        Qualification.objects.filter(pk__in={flow.qualification_id for flow in flows})
        .order_by("name")
        .values_list("pk", "name")
        .annotate(outcomes=Count("assessment_units__outcomes"))
    )
    missing = [
        (
            _("%(qualification)s has no learning outcomes: a mentor cannot rate the learners.")
            % {"qualification": name},
            reverse("assessments:framework", args=[pk]),
        )
        for pk, name, outcomes in qualifications
        if not outcomes
    ]
    if not flows:
        missing.append(
            (_("No flow names a qualification yet."), reverse("placements:qualification_list")),
        )
    return [
        Step(
            20,
            "outcomes",
            _("Qualifications with learning outcomes"),
            not missing,
            reverse("assessments:framework_list"),
            missing,
        )
    ]
