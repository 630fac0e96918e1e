from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.tokens import token_of, unknown_token_hash


class Recognition(models.Model):
    """The school's decision, after the stage, on which learning outcomes of a learner's placement it recognises
    (the "how the school recognises them" of the learning agreement): what, how, when and who decided."""

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "assignment__participant"  # the way to its learner: a consortium member school sees its own

    class Decision(models.TextChoices):
        FULL = "full", _("Recognised in full")
        PARTIAL = "partial", _("Recognised in part")
        NONE = "none", _("Not recognised")

    assignment = models.OneToOneField(
        "placements.Assignment", verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="recognition"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    outcomes = models.ManyToManyField(
        "assessments.Outcome", verbose_name=_("learning outcomes recognised"), blank=True, related_name="+"
    )
    how = models.TextField(
        _("how the school recognises them"),
        blank=True,
        max_length=1000,
        help_text=_("e.g. “credited as the practical training of module 3; the module's practical exam is waived”."),
    )
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[outcomes])

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")

    def __str__(self):
        return f"{self.assignment}: {self.get_decision_display()}"


class FollowUp(models.Model):
    """Where a graduate is some months after the stage, as the coordinator heard on a call or the learner
    answered by link. Counted on the public site (never a name); "unknown" is counted too, never hidden."""

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "assignment__participant"  # the way to its learner: a consortium member school sees its own

    class Situation(models.TextChoices):
        TRADE = "trade", _("Working in the trade")
        OTHER_FIELD = "other_field", _("Working in another field")
        EDUCATION = "education", _("In education or training")
        LOOKING = "looking", _("Looking for work")
        UNKNOWN = "unknown", _("Unknown")

    class Source(models.TextChoices):
        CALL = "call", _("Coordinator, after a call")
        LEARNER = "learner", _("The learner, by link")

    CHECKPOINTS = (3, 6, 12)

    assignment = models.ForeignKey(
        "placements.Assignment", verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    months = models.PositiveSmallIntegerField(
        _("months after the stage"), choices=[(m, _("%(n)d months") % {"n": m}) for m in CHECKPOINTS]
    )
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    consent = models.BooleanField(
        _("the learner agrees to be asked"),
        default=False,
        help_text=_("Asked at every contact: may the school record what they do now? Without it, only “unknown”."),
    )
    source = models.CharField(_("recorded by"), max_length=10, choices=Source.choices, default=Source.CALL)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("graduate follow-up")
        verbose_name_plural = _("graduate follow-ups")
        ordering = ["assignment_id", "months"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "months"], name="one_follow_up_per_checkpoint"),
            models.CheckConstraint(
                condition=Q(consent=True) | Q(situation="unknown"),
                name="follow_up_situation_needs_consent",
                violation_error_message=_("Without the learner's consent, the situation stays “unknown”."),
            ),
        ]

    def __str__(self):
        return f"{self.assignment} +{self.months}: {self.get_situation_display()}"


class FollowUpLinkQuerySet(models.QuerySet):
    def usable(self):
        """Links that still open the form: the learner neither anonymised, withdrawn, nor without consent to
        data processing (checked on every request, so the link goes with the learner)."""
        return self.filter(
            assignment__participant__anonymised_at__isnull=True,
            assignment__participant__consent_data_processing_withdrawn_on__isnull=True,
        ).exclude(assignment__status="withdrawn")


class FollowUpLink(models.Model):
    """A graduate's personal link to the two-question follow-up form of one checkpoint; answered once."""

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "assignment__participant"  # the way to its learner: a consortium member school sees its own

    assignment = models.ForeignKey(
        "placements.Assignment", verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="follow_up_links"
    )
    months = models.PositiveSmallIntegerField(_("months after the stage"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False, default=unknown_token_hash)
    language = models.CharField(_("language"), max_length=10, default="ro")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = FollowUpLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up link")
        verbose_name_plural = _("follow-up links")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "months"], name="one_follow_up_link_per_checkpoint")
        ]

    def __str__(self):
        return f"{self.assignment} +{self.months}"

    def get_absolute_url(self):
        return reverse("alumni:answer", args=[token_of(self)])
