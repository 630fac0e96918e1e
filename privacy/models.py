"""What the school must be able to show about a learner's personal data: who looked at it, exported it or deleted
it (an append-only log beside django-simple-history's record of changes), and the files it holds about them."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.private_files import PrivateFile


class AppendOnly(Exception):
    pass


class PersonalDataLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("The personal-data log is append-only.")

    def delete(self):
        raise AppendOnly("The personal-data log is append-only.")


class PersonalDataLog(models.Model):
    """One look at, export of, or deletion of a learner's personal data. Rows are added, never changed."""

    project_path = "participant__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "participant"  # the way to its learner: a consortium member school sees its own

    class Action(models.TextChoices):
        VIEWED = "viewed", _("looked at the restricted data")
        EDIT_OPENED = "edit_opened", _("opened the restricted data to edit")
        FILE_OPENED = "file_opened", _("opened a file")
        FILE_ADDED = "file_added", _("added a file")
        FILE_DELETED = "file_deleted", _("deleted a file")
        EXPORT_REQUESTED = "export_requested", _("asked for the export of all data")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("recorded the withdrawal of a consent")
        ANONYMISED = "anonymised", _("anonymised the learner")

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="data_log", verbose_name=_("participant")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    # What was concerned, without personal values: a file's kind, a consent's name, a count.
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = PersonalDataLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal-data log entry")
        verbose_name_plural = _("personal-data log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("The personal-data log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("The personal-data log is append-only.")


def record(participant, user, action, detail=""):
    return PersonalDataLog.objects.create(participant=participant, user=user, action=action, detail=str(detail))


def random_file_name(extension):
    """A name that says nothing about the learner and cannot be guessed."""
    return str(PurePosixPath("learners") / f"{uuid.uuid4().hex}.{extension}")


class LearnerFile(PrivateFile):
    """A file held about a learner (ID scan, signed agreement, photo), kept in the private files folder."""

    project_path = "participant__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "participant"  # the way to its learner: a consortium member school sees its own

    class Kind(models.TextChoices):
        ID_SCAN = "id_scan", _("ID document scan")
        SIGNED_AGREEMENT = "signed_agreement", _("Signed agreement or consent form")
        PHOTO = "photo", _("Photo")

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="files", verbose_name=_("participant")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # path, original_name, content_type, size, uploaded_by, uploaded_at: common.private_files.PrivateFile

    class Meta:
        verbose_name = _("learner's file")
        verbose_name_plural = _("learners' files")
        ordering = ["kind", "-uploaded_at", "-pk"]

    def __str__(self):
        return self.description or self.get_kind_display()
