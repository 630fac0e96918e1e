"""What the selection gives the document engine (documents.registry): a decision letter per applicant, in the
applicant's language, with the appeal route; all the letters of a call or of one flow as one PDF to print in one
go, each letter in its applicant's language. Rendered in the worker, never in a request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.roles import OFFICE, WRITERS, get_for
from documents import registry
from documents.models import DocumentJob

from .access import application_for, call_for

# Not (yet) among DocumentJob.Kind's choices: adding it there is a choices-only change for the documents app.
DECISION_LETTER = "selection_decision_letter"
MINUTES = "selection_minutes"
DECISION_LETTERS = "selection_decision_letters"


def render_decision_letter(job: DocumentJob) -> tuple[bytes, str]:
    from .models import Application

    application = Application.objects.select_related("call__project__sending_organisation", "placement").get(
        pk=job.params["application"]
    )
    call = application.call
    if call.ranked_at is None and application.status != Application.Status.INELIGIBLE:
        raise registry.NotIssuable(_("The ranking is not decided yet: there is no decision to write."))
    return _letter_pdf(application), f"decision-{application.pk}-{slugify(application.full_name) or 'applicant'}.pdf"


def render_decision_letters(job: DocumentJob) -> tuple[bytes, str]:
    """Every decision of the call (or of one flow, `placement`) as one PDF, in the order of the ranking per flow
    then the applications found not eligible; each letter in its applicant's language."""
    import io

    from pypdf import PdfReader, PdfWriter

    from documents.jobs import progress

    from .models import Application, Call

    call = Call.objects.get(pk=job.params["call"])
    if call.ranked_at is None:
        raise registry.NotIssuable(_("The ranking is not decided yet: there are no decisions to write."))
    applications = (
        call.applications.select_related("call__project__sending_organisation", "placement")
        .filter(erased_at=None)
        .exclude(status__in=[Application.Status.RECEIVED, Application.Status.WITHDRAWN])
        .order_by("placement__start_date", "placement_id", "rank", "last_name", "first_name", "pk")
    )
    if job.params.get("placement"):
        applications = applications.filter(placement_id=job.params["placement"])
    letters = list(applications)
    if not letters:
        raise registry.NotIssuable(_("There is no decision letter to print."))
    writer = PdfWriter()
    for done, application in enumerate(letters, start=1):
        writer.append(PdfReader(io.BytesIO(_letter_pdf(application))))
        progress(job, done * 100 // len(letters))
    buffer = io.BytesIO()
    writer.write(buffer)
    suffix = f"-flow-{job.params['placement']}" if job.params.get("placement") else ""
    return buffer.getvalue(), f"decision-letters-{call.pk}{suffix}.pdf"


def _letter_pdf(application: Any) -> bytes:
    from documents.rendering import render_pdf

    call = application.call
    context = {
        "application": application,
        "call": call,
        "project": call.project,
        "school": call.project.sending_organisation,
        "flow": application.call.flows.filter(placement=application.placement).first(),
    }
    return render_pdf("selection/documents/decision_letter.html", context, language=application.language)


def render_minutes(job: DocumentJob) -> tuple[bytes, str]:
    """The committee's minutes: the call, the criteria, who sat and who stepped back from whom, the ranking per
    flow with the tie-break rule, the fairness summary (counts) and who signed when."""
    from documents.rendering import render_pdf

    from . import selectors
    from .models import Call, Conflict

    call = Call.objects.select_related("project__sending_organisation").get(pk=job.params["call"])
    if call.ranked_at is None:
        raise registry.NotIssuable(_("The ranking is not decided yet: there are no minutes to print."))
    context = {
        "call": call,
        "project": call.project,
        "school": call.project.sending_organisation,
        "criteria": list(call.criteria.all()),
        "members": list(call.committee.select_related("user")),
        "conflicts": list(
            Conflict.objects.filter(member__call=call).select_related("member__user", "application").order_by("pk")
        ),
        "ranking": selectors.ranked_flows(call),
        "fairness": selectors.labelled_fairness(call),
    }
    return render_pdf("selection/documents/minutes.html", context), f"minutes-{call.pk}.pdf"


def _minutes(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:

    call = call_for(request.user, pk)
    return {"call": call.pk}, _("Minutes of the selection, %(call)s") % {"call": call.title}


def _decision_letter(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:

    application = application_for(request.user, pk)
    return {"application": application.pk}, _("Decision letter for %(name)s") % {"name": application.full_name}


def _decision_letters(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:

    call = call_for(request.user, pk)
    return {"call": call.pk}, _("Decision letters, %(call)s") % {"call": call.title}


def _flow_decision_letters(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
    from .models import CallFlow

    flow = get_for(request.user, CallFlow.objects.select_related("placement"), pk=pk)
    call = call_for(request.user, flow.call_id)
    return {"call": call.pk, "placement": flow.placement_id}, _("Decision letters, %(call)s, %(flow)s") % {
        "call": call.title,
        "flow": flow.placement,
    }


def register() -> None:
    registry.register_renderer(DECISION_LETTER, render_decision_letter)
    registry.register_request("decision-letter", kind=DECISION_LETTER, roles=OFFICE, prepare=_decision_letter)
    registry.register_renderer(DECISION_LETTERS, render_decision_letters, coordinator_only=True)
    registry.register_request("decision-letters", kind=DECISION_LETTERS, roles=WRITERS, prepare=_decision_letters)
    registry.register_request(
        "decision-letters-flow", kind=DECISION_LETTERS, roles=WRITERS, prepare=_flow_decision_letters
    )
    registry.register_renderer(MINUTES, render_minutes)
    registry.register_request("selection-minutes", kind=MINUTES, roles=OFFICE, prepare=_minutes)
