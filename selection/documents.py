"""What the selection gives the document engine (documents.registry): a decision letter per applicant, in the
applicant's language, with the appeal route. Rendered in the worker, never in a request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.roles import OFFICE
from documents import registry
from documents.models import DocumentJob

# Not (yet) among DocumentJob.Kind's choices: adding it there is a choices-only change for the documents app.
DECISION_LETTER = "selection_decision_letter"


def render_decision_letter(job: DocumentJob) -> tuple[bytes, str]:
    from documents.rendering import render_pdf

    from .models import Application

    application = Application.objects.select_related("call__project__sending_organisation", "placement").get(
        pk=job.params["application"]
    )
    call = application.call
    if call.ranked_at is None and application.status != Application.Status.INELIGIBLE:
        raise registry.NotIssuable(_("The ranking is not decided yet: there is no decision to write."))
    context = {
        "application": application,
        "call": call,
        "project": call.project,
        "school": call.project.sending_organisation,
        "flow": application.call.flows.filter(placement=application.placement).first(),
    }
    pdf = render_pdf("selection/documents/decision_letter.html", context, language=application.language)
    return pdf, f"decision-{application.pk}-{slugify(application.full_name) or 'applicant'}.pdf"


def _decision_letter(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
    from .views import get_application_for

    application = get_application_for(request.user, pk)
    return {"application": application.pk}, _("Decision letter for %(name)s") % {"name": application.full_name}


def register() -> None:
    registry.register_renderer(DECISION_LETTER, render_decision_letter)
    registry.register_request("decision-letter", kind=DECISION_LETTER, roles=OFFICE, prepare=_decision_letter)
