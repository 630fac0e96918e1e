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
from placements.access import assignment_for, placement_for

PARENTAL_CONSENT = "parental_consent_form"
MY_TRIP = "my_trip"
EMERGENCY_SHEET = "emergency_sheet"


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

    assignment = assignment_for(request.user, pk)
    return {"assignment": assignment.pk}, _("Parental consent form for %(name)s") % {
        "name": assignment.participant.full_name
    }


def render_my_trip(job: DocumentJob) -> tuple[bytes, str]:
    """One page, Romanian first, the English version on a second page for those who read it."""
    from documents.rendering import qr_svg, render_pdf
    from placements.models import Assignment

    from .selectors import my_trip

    assignment = Assignment.objects.select_related("participant", "placement", "host_company", "mentor").get(
        pk=job.params["assignment"]
    )
    context = my_trip(assignment) | {"printing": True}
    if context["map_url"]:
        context["map_qr"] = qr_svg(context["map_url"])
    language = job.params.get("language", "ro")
    pdf = render_pdf("preparation/documents/my_trip.html", context | {"lang": language}, language=language)
    return pdf, f"my-trip-{language}-{assignment.pk}-{slugify(assignment.participant.full_name) or 'learner'}.pdf"


def render_emergency_sheet(job: DocumentJob) -> tuple[bytes, str]:
    from documents.rendering import render_pdf
    from placements.models import Placement

    from .selectors import emergency_sheet

    placement = Placement.objects.select_related("project").get(pk=job.params["placement"])
    context = {
        "placement": placement,
        "project": placement.project,
        "rows": emergency_sheet(placement),
        "policies": list(placement.insurance_policies.all()),
        "teachers": list(placement.accompanying_persons.all()),
    }
    return render_pdf("preparation/documents/emergency_sheet.html", context), f"emergency-sheet-{placement.pk}.pdf"


def _my_trip(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:

    assignment = assignment_for(request.user, pk)
    language = "en" if request.POST.get("language") == "en" else "ro"
    return {"assignment": assignment.pk, "language": language}, _("My trip of %(name)s") % {
        "name": assignment.participant.full_name
    }


def _emergency_sheet(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
    from .services import log_emergency_sheet

    placement = placement_for(request.user, pk)
    log_emergency_sheet(user=request.user, placement_id=placement.pk, printed=True)
    return {"placement": placement.pk}, _("Emergency sheet, %(flow)s") % {"flow": placement.title}


def final_report_sections(project: Any) -> dict[str, Any]:
    from .selectors import preparation_hours

    return {"preparation": preparation_hours(project)}


def register() -> None:
    registry.register_renderer(PARENTAL_CONSENT, render_parental_consent)
    registry.register_request("parental-consent", kind=PARENTAL_CONSENT, roles=WRITERS, prepare=_parental_consent)
    registry.register_renderer(MY_TRIP, render_my_trip)
    registry.register_request("my-trip", kind=MY_TRIP, roles=WRITERS, prepare=_my_trip)
    registry.register_renderer(EMERGENCY_SHEET, render_emergency_sheet, coordinator_only=True)
    registry.register_request("emergency-sheet", kind=EMERGENCY_SHEET, roles=WRITERS, prepare=_emergency_sheet)
    sections.contribute(sections.FINAL_REPORT, final_report_sections)
