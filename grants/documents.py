"""What this app gives the document engine: the Beneficiary Module export, a coordinator's (it names learners
and says who has fewer opportunities)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.roles import WRITERS, get_for
from documents import registry
from documents.models import DocumentJob
from placements.models import Project


def render_beneficiary_module(job: DocumentJob) -> tuple[bytes, str]:
    from .beneficiary_module import export_xlsx

    project = Project.objects.select_related("sending_organisation").get(pk=job.params["project"])
    return export_xlsx(project)


def _prepare(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
    project = get_for(request.user, Project.objects.all(), pk=pk)
    return {"project": project.pk}, _("Beneficiary Module export of %(project)s") % {"project": project.title}


def register() -> None:
    registry.register_renderer(DocumentJob.Kind.BENEFICIARY_MODULE, render_beneficiary_module, coordinator_only=True)
    registry.register_request(
        "beneficiary-module", kind=DocumentJob.Kind.BENEFICIARY_MODULE, roles=WRITERS, prepare=_prepare
    )
