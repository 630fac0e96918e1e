"""Document jobs: recorded by the web process, rendered by a Celery worker, swept when lost.

The web process never renders: `request_document` stores the job and dispatches the task once the
transaction commits. If the broker cannot be reached the job stays queued and the sweep sends it later.
"""

import hashlib
import io
import logging
import zipfile
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from placements.models import Assignment, Placement, Project

from . import certificates
from .models import Certificate, DocumentJob

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def request_document(user, kind, params, title):
    job = DocumentJob.objects.create(kind=kind, params=params, title=title, requested_by=user)
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id):
    """Send the job to the worker; a broker that is down leaves it queued for the sweep, never an error page."""
    from .tasks import render_document

    try:
        render_document.apply_async(args=[job_id], retry=False)
    except Exception as error:  # the broker's errors vary by transport; the sweep will try again
        log.warning("document job %s left queued, broker unreachable: %r", job_id, error)
        return False
    DocumentJob.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    return True


def sweep(now=None):
    """Re-dispatch jobs that were never sent, or that a lost worker left queued or running too long."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.DOCUMENT_JOB_STALE_AFTER)
    jobs = DocumentJob.objects.filter(
        Q(status=DocumentJob.Status.QUEUED, dispatched_at__isnull=True)
        | Q(status=DocumentJob.Status.QUEUED, dispatched_at__lt=stale)
        | Q(status=DocumentJob.Status.RUNNING, started_at__lt=stale)
    )
    sent = 0
    for job in jobs:
        if job.attempts >= MAX_ATTEMPTS:
            DocumentJob.objects.filter(pk=job.pk).update(
                status=DocumentJob.Status.FAILED, error=_("Gave up after %(n)d attempts.") % {"n": job.attempts}
            )
            continue
        DocumentJob.objects.filter(pk=job.pk).update(status=DocumentJob.Status.QUEUED)
        sent += dispatch(job.pk)
    return sent


def _progress(job, value):
    DocumentJob.objects.filter(pk=job.pk).update(progress=value)


def run_job(job_id):
    """The task's body. Safe to run twice: a finished job is left alone and files are written under the
    job's own name, so a repeated delivery replaces rather than duplicates; certificates keep their number.

    A placement's certificates fan out: one task per certificate still to render, so that every worker
    process takes a share, then `assemble` packs them once all are there."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        if job.status == DocumentJob.Status.DONE:
            return job
        job.status, job.started_at, job.attempts, job.error = (
            DocumentJob.Status.RUNNING,
            timezone.now(),
            job.attempts + 1,
            "",
        )
        job.progress = 0
        job.save(update_fields=["status", "started_at", "attempts", "error", "progress"])
    try:
        if job.kind in ASSEMBLERS:
            return fan_out(job)
        content, filename = RENDERERS[job.kind](job)
    except certificates.NotIssuable as error:
        return _fail(job, str(error))
    return _finish(job, content, filename)


def _finish(job, content, filename):
    storage = storages["private"]
    path = f"documents/{job.pk}/{filename}"
    if storage.exists(path):
        storage.delete(path)
    storage.save(path, ContentFile(content))
    job.file, job.filename, job.size = path, filename, len(content)
    job.sha256 = hashlib.sha256(content).hexdigest()
    job.status, job.progress, job.finished_at = DocumentJob.Status.DONE, 100, timezone.now()
    job.save(update_fields=["file", "filename", "size", "sha256", "status", "progress", "finished_at"])
    return job


def _fail(job, message):
    job.status, job.error, job.finished_at = DocumentJob.Status.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def mark_failed(job_id, message):
    DocumentJob.objects.filter(pk=job_id).exclude(status=DocumentJob.Status.DONE).update(
        status=DocumentJob.Status.FAILED, error=message, finished_at=timezone.now()
    )


def _assignment(job):
    return Assignment.objects.select_related(
        "participant__qualification",
        "placement__project__sending_organisation",
        "placement__receiving_partner",
        "host_company",
        "mentor",
    ).get(pk=job.params["assignment"])


def render_certificate_job(job):
    certificate = certificates.issue_certificate(_assignment(job), job.requested_by)
    _progress(job, 50)
    pdf, _digest = certificates.render_certificate(certificate)
    return pdf, certificates.certificate_filename(certificate)


def render_stored_certificate(certificate_id):
    certificates.render_certificate(Certificate.objects.get(pk=certificate_id))


def issue_placement_certificates(job):
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
        raise certificates.NotIssuable(_("No learner of this placement can have a certificate yet."))
    return issued, skipped


def fan_out(job):
    from .tasks import assemble_document, render_certificate_file

    issued, skipped = issue_placement_certificates(job)
    job.params = {**job.params, "certificates": [c.pk for c in issued], "skipped": skipped}
    job.save(update_fields=["params"])
    for certificate in issued:
        if not certificate.file:
            render_certificate_file.delay(certificate.pk)
    assemble_document.apply_async(args=[job.pk], countdown=0.5)
    return job


def assemble(job_id):
    """Pack the placement's certificates once every one is rendered. Returns False while some are missing,
    after moving the progress bar on, so that the task can look again shortly."""
    job = DocumentJob.objects.get(pk=job_id)
    if job.status != DocumentJob.Status.RUNNING:
        return True
    issued = list(Certificate.objects.filter(pk__in=job.params["certificates"]).select_related("assignment"))
    rendered = sum(1 for c in issued if c.file)
    if rendered < len(issued):
        _progress(job, int(90 * rendered / len(issued)))
        return False
    issued.sort(key=lambda c: job.params["certificates"].index(c.pk))
    pdfs = [(certificate, certificates.render_certificate(certificate)[0]) for certificate in issued]
    name = slugify(issued[0].assignment.placement.title)
    content, filename = ASSEMBLERS[job.kind](pdfs, job.params.get("skipped", []), name)
    _finish(job, content, filename)
    return True


# Fixed timestamps inside archives, so that the same certificates give the same ZIP.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def certificates_zip(pdfs, skipped, name):
    """One PDF per learner in one ZIP, and a note naming those who could not have one yet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate, pdf in pdfs:
            info = zipfile.ZipInfo(certificates.certificate_filename(certificate), date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, pdf)
        if skipped:
            archive.writestr(zipfile.ZipInfo("not-included.txt", date_time=ZIP_TIME), "\n".join(skipped))
    return buffer.getvalue(), f"certificates-{name}.zip"


def certificates_pdf(pdfs, skipped, name):
    """The same certificates as one PDF to print in one go; each keeps the pages it was issued with."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for _certificate, pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), f"certificates-{name}.pdf"


ASSEMBLERS = {
    DocumentJob.Kind.PLACEMENT_CERTIFICATES: certificates_zip,
    DocumentJob.Kind.PLACEMENT_CERTIFICATES_PDF: certificates_pdf,
}


def _placement(job):
    return Placement.objects.select_related("project", "qualification", "receiving_partner").get(
        pk=job.params["placement"]
    )


def _project(job):
    return Project.objects.select_related("sending_organisation").get(pk=job.params["project"])


def render_learning_agreement(job):
    from accounts.roles import OFFICE, has_role

    from .printouts import learning_agreement

    return learning_agreement(_assignment(job), with_contacts=has_role(job.requested_by, OFFICE))


def render_attendance_record(job):
    from .printouts import attendance_record

    return attendance_record(_assignment(job))


def render_attendance_sheet(job):
    from .printouts import attendance_sheet

    return attendance_sheet(_placement(job), date.fromisoformat(job.params["week"]))


def render_final_report(job):
    from .final_report import report_pdf

    return report_pdf(_project(job))


def render_final_report_xlsx(job):
    from .final_report import report_xlsx

    return report_xlsx(_project(job))


def render_conference_certificate(job):
    from conference.certificates import certificate_pdf

    return certificate_pdf(job.params["registration"])


def render_conference_certificates(job):
    from conference.certificates import certificates_zip

    return certificates_zip(job.params["event"], progress=lambda value: _progress(job, value))


def render_learner_data_export(job):
    from privacy.export import render_learner_data_export

    return render_learner_data_export(job)


RENDERERS = {
    DocumentJob.Kind.CERTIFICATE: render_certificate_job,
    DocumentJob.Kind.CONFERENCE_CERTIFICATE: render_conference_certificate,
    DocumentJob.Kind.CONFERENCE_CERTIFICATES: render_conference_certificates,
    DocumentJob.Kind.LEARNING_AGREEMENT: render_learning_agreement,
    DocumentJob.Kind.ATTENDANCE_RECORD: render_attendance_record,
    DocumentJob.Kind.ATTENDANCE_SHEET: render_attendance_sheet,
    DocumentJob.Kind.FINAL_REPORT: render_final_report,
    DocumentJob.Kind.FINAL_REPORT_XLSX: render_final_report_xlsx,
    DocumentJob.Kind.LEARNER_DATA_EXPORT: render_learner_data_export,
}
