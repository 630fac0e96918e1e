"""What the money contributes to other apps' pages and rules (common.sections), without their importing it: the
hold on anonymising a learner whose project's accounts are still open, and the learner page's note on the
payment records kept about them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import OFFICE, has_role, in_schools
from placements.models import Assignment, Project
from privacy.services import add_years

from .models import Payment, ProjectGrant


def accounts_hold(participant: Any) -> str | None:
    """common.sections.ANONYMISATION_HOLD: a learner who took part in a mobility keeps their name until the
    National Agency has accepted the project's final report: the report and its checks list them by name, and
    an "Anonymised #9" would still claim a grant nobody can trace. A project whose grant is not kept here (no
    grant record) holds nobody."""
    if not Assignment.objects.filter(participant=participant).exists():
        return None
    project = participant.project
    grant = ProjectGrant.objects.filter(project=project).values("final_report_accepted_on").first()
    if grant is None or grant["final_report_accepted_on"] is not None:
        return None
    return _(
        "The learner took part in a mobility of a project whose final report the National Agency has not accepted "
        "yet: the report and its checks need their name. Anonymise after the acceptance (the project ends on "
        "%(end)s; the coordinator records the acceptance with the grant awarded)."
    ) % {"end": date_format(project.end_date, "DATE_FORMAT")}


def participant_record(participant: Any, user: Any) -> list[dict[str, Any]]:
    """common.sections.PARTICIPANT_RECORD: how many payment records name the learner and how long they are kept,
    for the office of the project's own school (a consortium's money stays the consortium's)."""
    if not has_role(user, OFFICE):
        return []
    if not in_schools(Project.objects.filter(pk=participant.project_id), user).exists():
        return []
    count = Payment.objects.filter(assignments__participant=participant).distinct().count()
    if not count:
        return []
    years = settings.PERSONAL_DATA_RETENTION_YEARS
    context = {
        "count": count,
        "years": years,
        "until": add_years(participant.project.end_date, years),
    }
    return [{"template": "grants/partials/record_panel.html", "context": context}]
