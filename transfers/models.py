import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What can be imported and exported; each has its columns in `transfers/kinds.py`."""

    PARTICIPANTS = "participants", _("Participants")
    ORGANISATIONS = "organisations", _("Organisations")
    PLACEMENTS = "placements", _("Placements")
    ASSIGNMENTS = "assignments", _("Assignments")


class ImportBatch(models.Model):
    """One uploaded file, from its preview to its commit: the import log.

    The file waits in private storage under the batch's random id and is deleted once the batch is
    committed or discarded; the record stays, saying who imported what and what it changed.
    """

    school_path = "uploaded_by__memberships__organisation"  # the way to its school, for accounts.roles.scoped

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        DONE = "done", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=200)
    file = models.CharField(max_length=200, blank=True, help_text="Path in the private storage; empty once deleted.")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.filename


class ExportRecord(models.Model):
    """Who exported which data, when, and whether the restricted columns were in it."""

    school_path = "exported_by__memberships__organisation"  # the way to its school, for accounts.roles.scoped

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file_format = models.CharField(_("format"), max_length=10)
    row_count = models.PositiveIntegerField(_("rows"))
    with_restricted_data = models.BooleanField(_("with restricted data"))
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("exported by"), on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(_("exported"), auto_now_add=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-exported_at"]

    def __str__(self):
        return f"{self.kind} {self.file_format} {self.exported_at:%Y-%m-%d %H:%M}"
