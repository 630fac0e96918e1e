"""What a learner carries away from a stage: the Europass Mobility document the coordinator reviews and issues.

Its facts (holder, organisations, mentor, dates, attendance, the mentor's final ratings) are taken from the
learner's mobility certificate, which froze them when it was issued, so that the two documents never disagree.
The texts (activities, skills) start from what the application recorded and are the coordinator's to edit until
the document is issued; issuing freezes them, and the PDFs and the digital credential are made from that copy.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EuropassMobility(models.Model):
    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "assignment__participant"  # a consortium's member school sees its own learners'

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft: being reviewed")
        ISSUED = "issued", _("Issued")

    assignment = models.OneToOneField(
        "placements.Assignment", on_delete=models.PROTECT, related_name="europass", verbose_name=_("learner")
    )
    # The digital credential's own identifier: the same file whenever it is exported again.
    credential_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activities = models.TextField(
        _("activities and tasks carried out"),
        help_text=_("One per line. What the learner did at the workplace, in plain words."),
    )
    job_skills = models.TextField(
        _("job-related skills and competences"),
        help_text=_("One per line. Filled from the mentor's final ratings; change the words, not the results."),
    )
    language_skills = models.TextField(_("language skills"), blank=True)
    digital_skills = models.TextField(_("digital skills"), blank=True)
    organisational_skills = models.TextField(_("organisational and managerial skills"), blank=True)
    communication_skills = models.TextField(_("communication and interpersonal skills"), blank=True)
    other_skills = models.TextField(_("other skills"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The certificate's frozen facts and the texts as issued: what every file is made from.
    data = models.JSONField(default=dict, blank=True)
    # The files made from `data` once issued, by name ("pdf-ro", "pdf-en", "elm"): path in the private storage.
    files = models.JSONField(default=dict, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Europass Mobility document")
        verbose_name_plural = _("Europass Mobility documents")

    def __str__(self):
        return str(self.assignment.participant)

    @property
    def issued(self):
        return self.status == self.Status.ISSUED
