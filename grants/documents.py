"""What this app gives the document engine: the Beneficiary Module export, a coordinator's (it names learners
and says who has fewer opportunities), and the allowance receipts learners sign."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from accounts.roles import WRITERS, get_for
from documents import registry
from documents.models import DocumentJob
from placements.models import Placement, Project


def render_beneficiary_module(job: DocumentJob) -> tuple[bytes, str]:
    from .beneficiary_module import export_xlsx

    project = Project.objects.select_related("sending_organisation").get(pk=job.params["project"])
    return export_xlsx(project)


def _prepare(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
    project = get_for(request.user, Project.objects.all(), pk=pk)
    return {"project": project.pk}, _("Beneficiary Module export of %(project)s") % {"project": project.title}


def render_allowance_receipt(job: DocumentJob) -> tuple[bytes, str]:
    from .receipts import receipts_pdf

    return receipts_pdf(job.params["placement"], [job.params["payment"]])


def render_allowance_receipts(job: DocumentJob) -> tuple[bytes, str]:
    from .receipts import receipts_pdf

    return receipts_pdf(job.params["placement"])


def _allowance_receipt(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
    from .models import Category, Payment

    payment = get_for(request.user, Payment.objects.prefetch_related("assignments__participant"), pk=pk)
    learners = list(payment.assignments.all())
    if payment.category != Category.INDIVIDUAL or len(learners) != 1 or payment.placement_id is None:
        raise Http404  # only money handed to one learner of a flow has a receipt; the page offers no other
    return {"payment": payment.pk, "placement": payment.placement_id}, _("Allowance receipt of %(name)s, %(date)s") % {
        "name": learners[0].participant,
        "date": payment.paid_on.isoformat(),
    }


def _allowance_receipts(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
    from .receipts import allowance_payments

    placement = get_for(request.user, Placement.objects.select_related("project"), pk=pk)
    if not allowance_payments(placement):
        raise Http404  # nothing handed out yet: the page offers no button
    return {"placement": placement.pk}, _("Allowance receipts of %(flow)s") % {"flow": placement.title}


def register() -> None:
    registry.register_renderer(DocumentJob.Kind.BENEFICIARY_MODULE, render_beneficiary_module, coordinator_only=True)
    registry.register_request(
        "beneficiary-module", kind=DocumentJob.Kind.BENEFICIARY_MODULE, roles=WRITERS, prepare=_prepare
    )
    registry.register_renderer(DocumentJob.Kind.ALLOWANCE_RECEIPT, render_allowance_receipt, coordinator_only=True)
    registry.register_renderer(DocumentJob.Kind.ALLOWANCE_RECEIPTS, render_allowance_receipts, coordinator_only=True)
    registry.register_request(
        "allowance-receipt", kind=DocumentJob.Kind.ALLOWANCE_RECEIPT, roles=WRITERS, prepare=_allowance_receipt
    )
    registry.register_request(
        "allowance-receipts", kind=DocumentJob.Kind.ALLOWANCE_RECEIPTS, roles=WRITERS, prepare=_allowance_receipts
    )
