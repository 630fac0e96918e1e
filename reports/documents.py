"""The documents this app makes, registered with the document engine (documents.registry).

Mobility certificates (one per learner, or a placement's as one ZIP or one PDF, rendered in parallel), the
learning agreement, attendance records and sheets (printouts), and the final report.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.roles import OFFICE, READERS, get_for, has_role
from attendance.forms import parse_day
from attendance.models import week_start
from documents import registry
from documents.models import DocumentJob
from placements.access import assignment_for, placement_for
from placements.models import Assignment, Placement, Project

from . import certificates
from .models import Certificate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Kind = DocumentJob.Kind


def _assignment(job: DocumentJob) -> Assignment:
    return Assignment.objects.select_related(
        "participant__qualification",
        "placement__project__sending_organisation",
        "placement__receiving_partner",
        "host_company",
        "mentor",
    ).get(pk=job.params["assignment"])


def _placement(job: DocumentJob) -> Placement:
    return Placement.objects.select_related("project", "qualification", "receiving_partner").get(
        pk=job.params["placement"]
    )


def _project(job: DocumentJob) -> Project:
    return Project.objects.select_related("sending_organisation").get(pk=job.params["project"])


# Renderers: job -> (bytes, filename)


def render_certificate_job(job: DocumentJob) -> tuple[bytes, str]:
    from documents.jobs import progress

    certificate = certificates.issue_certificate(_assignment(job), job.requested_by)
    progress(job, 50)
    pdf, _digest = certificates.render_certificate(certificate)
    return pdf, certificates.certificate_filename(certificate)


def render_learning_agreement(job: DocumentJob) -> tuple[bytes, str]:
    from .printouts import learning_agreement

    return learning_agreement(_assignment(job), with_contacts=has_role(job.requested_by, OFFICE))


def render_attendance_record(job: DocumentJob) -> tuple[bytes, str]:
    from .printouts import attendance_record

    return attendance_record(_assignment(job))


def render_attendance_sheet(job: DocumentJob) -> tuple[bytes, str]:
    from .printouts import attendance_sheet

    return attendance_sheet(_placement(job), date.fromisoformat(job.params["week"]))


def render_final_report(job: DocumentJob) -> tuple[bytes, str]:
    from .final_report import report_pdf

    return report_pdf(_project(job))


def render_final_report_xlsx(job: DocumentJob) -> tuple[bytes, str]:
    from .final_report import report_xlsx

    return report_xlsx(_project(job))


# A placement's certificates: issued at once, rendered one task each, packed once all are there.


def issue_placement_certificates(job: DocumentJob) -> tuple[list[int], list[str]]:
    """Issue (or find) the certificate of every learner of the placement; those who cannot have one yet are
    named in `skipped`. If nobody can, the job fails with that reason."""
    assignments = (
        Assignment.objects.filter(placement_id=job.params["placement"])
        .exclude(status=Assignment.Status.WITHDRAWN)
        .select_related(
            "participant__qualification",
            "placement__project__sending_organisation",
            "placement__receiving_partner",
            "host_company",
            "mentor",
        )
        .order_by("participant__name_key")
    )
    issued, skipped = [], []
    for assignment in assignments:
        try:
            issued.append(certificates.issue_certificate(assignment, job.requested_by))
        except certificates.NotIssuable as error:
            skipped.append(str(error))
    if not issued:
        placement = Placement.objects.only("end_date").get(pk=job.params["placement"])
        if placement.end_date > timezone.localdate():
            raise certificates.NotIssuable(
                gettext_lazy("The stage ends on %(end)s: its certificates can be made from that day on."),
                {"end": placement.end_date},
                not_before=placement.end_date,
            )
        raise certificates.NotIssuable(gettext_lazy("No learner of this placement can have a certificate yet."))
    return [certificate.pk for certificate in issued], skipped


def render_stored_certificate(certificate_id: int) -> None:
    certificates.render_certificate(Certificate.objects.get(pk=certificate_id))


def rendered_certificates(ids: Sequence[int]) -> set[int]:
    return set(Certificate.objects.filter(pk__in=ids).exclude(file="").values_list("pk", flat=True))


def _rendered_pdfs(ids: list[int]) -> tuple[list[tuple[Certificate, bytes]], str]:
    issued = list(Certificate.objects.filter(pk__in=ids).select_related("assignment__placement"))
    issued.sort(key=lambda c: ids.index(c.pk))
    pdfs = [(certificate, certificates.render_certificate(certificate)[0]) for certificate in issued]
    return pdfs, slugify(issued[0].assignment.placement.title)


# Fixed timestamps inside archives, so that the same certificates give the same ZIP.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def certificates_zip(job: DocumentJob, ids: list[int], skipped: list[str]) -> tuple[bytes, str]:
    """One PDF per learner in one ZIP, and a note naming those who could not have one yet."""
    pdfs, name = _rendered_pdfs(ids)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate, pdf in pdfs:
            info = zipfile.ZipInfo(certificates.certificate_filename(certificate), date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, pdf)
        if skipped:
            # Named and written in the job's language, like the certificates it lists the absence of.
            note = slugify(pgettext("file name", "not included")) or "not-included"
            text = "\n".join([_("Learners without a certificate in this archive, and why:"), "", *skipped])
            archive.writestr(zipfile.ZipInfo(f"{note}.txt", date_time=ZIP_TIME), text + "\n")
    return buffer.getvalue(), f"{_certificates_word()}-{name}.zip"


def certificates_pdf(job: DocumentJob, ids: list[int], skipped: list[str]) -> tuple[bytes, str]:
    """The same certificates as one PDF to print in one go; each keeps the pages it was issued with."""
    from pypdf import PdfReader, PdfWriter

    pdfs, name = _rendered_pdfs(ids)
    writer = PdfWriter()
    for _certificate, pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), f"{_certificates_word()}-{name}.pdf"


def _certificates_word() -> str:
    """ "certificates" as a file name in the job's language (documents.jobs.assemble runs under it)."""
    return slugify(pgettext("file name", "certificates")) or "certificates"


# Requests: (request, pk) -> (params, title), the object fetched through its access check


def _assignment_document(title: StrOrPromise) -> registry.Prepare:
    def prepare(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
        assignment = assignment_for(request.user, pk)
        return {"assignment": assignment.pk}, str(title) % {"name": assignment.participant.full_name}

    return prepare


def _attendance_sheet(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
    placement = placement_for(request.user, pk)
    day = parse_day(request.POST.get("week", "")) or timezone.localdate()
    monday = week_start(min(max(day, placement.start_date), placement.end_date))
    title = _("Attendance sheet of %(placement)s, week of %(day)s") % {"placement": placement.title, "day": monday}
    return {"placement": placement.pk, "week": monday.isoformat()}, title


def _final_report(title: StrOrPromise) -> registry.Prepare:
    def prepare(request: HttpRequest, pk: int) -> tuple[dict[str, Any], str]:
        project = get_for(request.user, Project.objects.all(), pk=pk)
        return {"project": project.pk}, str(title) % {"project": project.title}

    return prepare


def register() -> None:
    registry.register_renderer(Kind.CERTIFICATE, render_certificate_job)
    registry.register_renderer(Kind.LEARNING_AGREEMENT, render_learning_agreement)
    registry.register_renderer(Kind.ATTENDANCE_RECORD, render_attendance_record)
    registry.register_renderer(Kind.ATTENDANCE_SHEET, render_attendance_sheet)
    registry.register_renderer(Kind.FINAL_REPORT, render_final_report)
    registry.register_renderer(Kind.FINAL_REPORT_XLSX, render_final_report_xlsx)
    for kind, assemble in (
        (Kind.PLACEMENT_CERTIFICATES, certificates_zip),
        (Kind.PLACEMENT_CERTIFICATES_PDF, certificates_pdf),
    ):
        registry.register_fan_out(
            kind,
            registry.FanOut(
                parts=issue_placement_certificates,
                render_part=render_stored_certificate,
                rendered=rendered_certificates,
                assemble=assemble,
            ),
        )
    registry.register_request(
        "learning-agreement",
        kind=Kind.LEARNING_AGREEMENT,
        roles=READERS,
        prepare=_assignment_document(gettext_lazy("Learning agreement of %(name)s")),
    )
    registry.register_request(
        "attendance-record",
        kind=Kind.ATTENDANCE_RECORD,
        roles=READERS,
        prepare=_assignment_document(gettext_lazy("Attendance record of %(name)s")),
    )
    registry.register_request("attendance-sheet", kind=Kind.ATTENDANCE_SHEET, roles=READERS, prepare=_attendance_sheet)
    registry.register_request(
        "final-report",
        kind=Kind.FINAL_REPORT,
        roles=OFFICE,
        prepare=_final_report(gettext_lazy("Final report of %(project)s")),
    )
    registry.register_request(
        "final-report-xlsx",
        kind=Kind.FINAL_REPORT_XLSX,
        roles=OFFICE,
        prepare=_final_report(gettext_lazy("Final report of %(project)s (spreadsheet)")),
    )
