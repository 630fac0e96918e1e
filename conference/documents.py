"""What the conference gives the document engine (documents.registry): certificates of attendance, and the
final report's conference table and dissemination entries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.roles import OFFICE
from common import sections
from documents import registry
from documents.jobs import progress
from documents.models import DocumentJob

from . import services
from .access import event_for, registration_for


def render_certificate(job: DocumentJob) -> tuple[bytes, str]:
    from .certificates import certificate_pdf

    return certificate_pdf(job.params["registration"])


def render_certificates(job: DocumentJob) -> tuple[bytes, str]:
    from .certificates import certificates_zip

    return certificates_zip(job.params["event"], progress=lambda value: progress(job, value))


def _certificate(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:

    registration = registration_for(request.user, pk)
    return {"registration": registration.pk}, _("Certificate of attendance of %(name)s") % {"name": registration.name}


def _certificates(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:

    event = event_for(request.user, pk)
    return {"event": event.pk}, _("Certificates of attendance, %(event)s") % {"event": event.title}


def final_report_sections(project: Any) -> dict[str, Any]:
    found = services.figures(project)
    return {"conference": found, "dissemination": services.dissemination_entries(found)}


def register() -> None:
    registry.register_renderer(DocumentJob.Kind.CONFERENCE_CERTIFICATE, render_certificate)
    registry.register_renderer(DocumentJob.Kind.CONFERENCE_CERTIFICATES, render_certificates)
    registry.register_request(
        "conference-certificate", kind=DocumentJob.Kind.CONFERENCE_CERTIFICATE, roles=OFFICE, prepare=_certificate
    )
    registry.register_request(
        "conference-certificates", kind=DocumentJob.Kind.CONFERENCE_CERTIFICATES, roles=OFFICE, prepare=_certificates
    )
    sections.contribute(sections.FINAL_REPORT, final_report_sections)
