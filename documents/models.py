"""The document engine's record: a document someone asked for, its state, and where its file is.

The table keeps the name it had when the engine lived in `reports` (`reports_documentjob`): the model moved
between apps in the migrations' state only, so that no row had to be copied.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentJob(models.Model):
    """A document someone asked for. The web process only records it; a Celery task renders it.

    The record is the truth about the job (status, progress, file, error), so a page can poll it and a
    sweep can re-dispatch what a lost worker or an unreachable broker left behind.
    """

    school_path = "requested_by__memberships__organisation"  # the way to its school, for accounts.roles.scoped

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Mobility certificate")
        PLACEMENT_CERTIFICATES = "placement_certificates", _("All certificates of a placement (ZIP)")
        PLACEMENT_CERTIFICATES_PDF = "placement_certificates_pdf", _("All certificates of a placement (one PDF)")
        LEARNING_AGREEMENT = "learning_agreement", _("Learning agreement")
        ATTENDANCE_RECORD = "attendance_record", _("Attendance record of a learner")
        ATTENDANCE_SHEET = "attendance_sheet", _("Weekly attendance sheet")
        FINAL_REPORT = "final_report", _("Final report (PDF)")
        FINAL_REPORT_XLSX = "final_report_xlsx", _("Final report (spreadsheet)")
        CONFERENCE_CERTIFICATE = "conference_certificate", _("Certificate of attendance at the conference")
        CONFERENCE_CERTIFICATES = "conference_certificates", _("All certificates of attendance at the conference (ZIP)")
        LEARNER_DATA_EXPORT = "learner_data_export", _("Everything held about a learner (ZIP)")
        BENEFICIARY_MODULE = "beneficiary_module", _("Beneficiary Module export (spreadsheet)")
        ALLOWANCE_RECEIPT = "allowance_receipt", _("Allowance receipt for a learner to sign")
        ALLOWANCE_RECEIPTS = "allowance_receipts", _("Allowance receipts of a flow (one PDF)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("document"), max_length=40, choices=Kind.choices)
    params = models.JSONField(default=dict)
    title = models.CharField(_("title"), max_length=250)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_jobs")
    # The language the document is made in: the requester's when they asked (the worker has none of its own).
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.CharField(max_length=300, blank=True)  # path inside the private files folder
    filename = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # What the person who asked reads: a reason they can act on; empty for an unexpected failure, for which the
    # page says so in their language with the job's number as the reference.
    error = models.TextField(blank=True)
    # What went wrong, for coordinators and the log only: never shown to the person who asked.
    error_detail = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document job")
        verbose_name_plural = _("document jobs")
        ordering = ["-created_at", "-pk"]
        db_table = "reports_documentjob"
        indexes = [models.Index(fields=["status", "dispatched_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:job", args=[self.pk])

    @property
    def retry_from(self):
        """The day from which trying again can work (a stage not ended yet), or None."""
        value = self.params.get("retry_from") if isinstance(self.params, dict) else None
        return date.fromisoformat(value) if value else None

    @property
    def can_retry(self):
        return self.status == self.Status.FAILED and (not self.retry_from or timezone.localdate() >= self.retry_from)

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
