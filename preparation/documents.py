"""What preparation gives the document engine: the parental consent form (in Romanian, with the trip's facts)
and contributes to the final report (preparation sessions and hours, common.sections.FINAL_REPORT)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.roles import WRITERS
from common import sections
from documents import registry
from documents.models import DocumentJob

PARENTAL_CONSENT = "parental_consent_form"


def render_parental_consent(job: DocumentJob) -> tuple[bytes, str]:
    from documents.rendering import render_pdf
    from placements.models import Assignment

    from .models import InsurancePolicy

    assignment = Assignment.objects.select_related(
        "participant", "placement__project__sending_organisation", "host_company"
    ).get(pk=job.params["assignment"])
    placement = assignment.placement
    context = {
        "assignment": assignment,
        "participant": assignment.participant,
        "placement": placement,
        "project": placement.project,
        "school": placement.project.sending_organisation,
        "teachers": list(placement.accompanying_persons.all()),
        "policies": list(InsurancePolicy.objects.filter(placement=placement)),
    }
    pdf = render_pdf("preparation/documents/parental_consent.html", context, language="ro")
    return pdf, f"acord-parental-{assignment.pk}-{slugify(assignment.participant.full_name) or 'elev'}.pdf"


def _parental_consent(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
    from .views import get_assignment_for

    assignment = get_assignment_for(request.user, pk)
    return {"assignment": assignment.pk}, _("Parental consent form for %(name)s") % {
        "name": assignment.participant.full_name
    }


def final_report_sections(project: Any) -> dict[str, Any]:
    from .selectors import preparation_hours

    return {"preparation": preparation_hours(project)}


def register() -> None:
    registry.register_renderer(PARENTAL_CONSENT, render_parental_consent)
    registry.register_request("parental-consent", kind=PARENTAL_CONSENT, roles=WRITERS, prepare=_parental_consent)
    sections.contribute(sections.FINAL_REPORT, final_report_sections)
