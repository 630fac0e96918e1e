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
    qualifications = list(
        Qualification.objects.filter(placements__project=project)
        .exclude(placements__status=Placement.Status.CANCELLED)
        .annotate(outcome_count=Count("assessment_units__outcomes", distinct=True))
        .order_by("name")
        .distinct()
    )
    missing = [
        (
            _("%(qualification)s has no learning outcomes: a mentor cannot rate the learners.")
            % {"qualification": q.name},
            reverse("assessments:framework", args=[q.pk]),
        )
        for q in qualifications
        if not q.outcome_count
    ]
    if not qualifications:
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
