"""The project checklist's step on the award and the budget (common.sections.PROJECT_STEPS). One query."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from placements.checklist import Step
from placements.models import Placement, Project

from .models import ProjectGrant


def project_steps(project: Project, today: date, flows: list[Placement]) -> list[Step]:
    awarded = ProjectGrant.objects.filter(project=project).exists()
    missing = (
        []
        if awarded
        else [
            (
                _("The grant agreement's amounts are not entered yet."),
                reverse("grants:grant_edit", args=[project.pk]),
            )
        ]
    )
    return [
        Step(75, "budget", _("Award and budget"), awarded, reverse("grants:budget", args=[project.pk]), missing),
    ]
