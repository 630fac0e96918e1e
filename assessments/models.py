from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from common.locales import every_language, in_reader_language

# The scale the data migration loads, here so that its texts are translated; a text a coordinator types in
# is shown as typed. (code, points, label, descriptor); "not observed" has no points.
DEFAULT_SCALE = [
    (
        "not-yet",
        1,
        gettext_noop("Not yet"),
        gettext_noop("Cannot yet do the task, even when shown how."),
    ),
    (
        "with-help",
        2,
        gettext_noop("With help"),
        gettext_noop("Does the task when the mentor shows or reminds them of the steps."),
    ),
    (
        "independently",
        3,
        gettext_noop("Independently"),
        gettext_noop("Does the task correctly without help, at the pace of the workplace."),
    ),
    (
        "can-explain",
        4,
        gettext_noop("Independently and can explain"),
        gettext_noop("Does the task without help and can explain to someone else how and why it is done."),
    ),
    (
        "not-observed",
        None,
        gettext_noop("Not observed"),
        gettext_noop("There was no chance to see the learner do this during the period."),
    ),
]


class ScaleLevel(models.Model):
    """A level of the workplace rating scale, or "not observed" (no points). Reference data loaded by a data
    migration; the coordinator edits labels and descriptors, not the points."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    points = models.PositiveSmallIntegerField(
        _("points"),
        null=True,
        blank=True,
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("Empty for “not observed”, which does not count in averages."),
    )
    label = models.CharField(_("label"), max_length=60)
    descriptor = models.CharField(_("descriptor"), max_length=250)
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=1, points__lte=9),
                name="assessment_scale_points_between_1_and_9",
                violation_error_message=_("Points go from 1 to 9."),
            )
        ]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self):
        return gettext(self.label)

    @property
    def display_descriptor(self):
        return gettext(self.descriptor)

    @property
    def is_observed(self):
        return self.points is not None


class Unit(models.Model):
    """A unit of learning outcomes of a qualification, as in the learning agreement."""

    qualification = models.ForeignKey(
        "placements.Qualification",
        verbose_name=_("qualification"),
        on_delete=models.CASCADE,
        related_name="assessment_units",
    )
    title = models.CharField(_("title"), max_length=200)
    # The title in the other readers' languages ({"pt": "...", "en": "..."}): a Portuguese mentor rates what a
    # Romanian school wrote. See common.locales.in_reader_language.
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("unit of learning outcomes")
        verbose_name_plural = _("units of learning outcomes")
        ordering = ["qualification", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["qualification", "title"],
                name="assessment_unique_unit_title_per_qualification",
                violation_error_message=_("This qualification already has a unit with this title."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessments:framework", args=[self.qualification_id]) + f"#unit-{self.pk}"

    @property
    def shown_title(self) -> str:
        return in_reader_language(self.title, self.title_translations)

    @property
    def every_title(self) -> list[tuple[str, str]]:
        return every_language(self.title, self.title_translations)


class Outcome(models.Model):
    """A learning outcome, in one of the three EQF columns."""

    class Kind(models.TextChoices):
        KNOWLEDGE = "knowledge", _("Knowledge")
        SKILLS = "skills", _("Skills")
        RESPONSIBILITY = "responsibility", _("Responsibility and autonomy")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(
        _("learning outcome"), max_length=300, help_text=_("What the learner can do, starting with a verb.")
    )
    text_translations = models.JSONField(_("learning outcome in other languages"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("learning outcome")
        verbose_name_plural = _("learning outcomes")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "text"],
                name="assessment_unique_outcome_text_per_unit",
                violation_error_message=_("This unit already has this learning outcome."),
            )
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.unit.get_absolute_url()

    @property
    def shown_text(self) -> str:
        return in_reader_language(self.text, self.text_translations)

    @property
    def every_text(self) -> list[tuple[str, str]]:
        return every_language(self.text, self.text_translations)


class AssessmentRound(models.Model):
    """One rating of every learning outcome of a learner's qualification at one moment of the placement."""

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "assignment__participant"  # the way to its learner: a consortium member school sees its own

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline (first week)")
        MIDPOINT = "midpoint", _("Mid-point (optional)")
        FINAL = "final", _("Final (last week)")
        SELF = "self", _("Self-assessment (with the mentor)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    assignment = models.ForeignKey(
        "placements.Assignment",
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="assessment_rounds",
    )
    kind = models.CharField(_("round"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("last saved at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["assignment", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind"],
                name="assessment_one_round_of_each_kind",
                violation_error_message=_("This learner already has a round of this kind."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="assessment_submitted_round_has_who_and_when",
                violation_error_message=_("A submitted round records who submitted it and when."),
            ),
        ]

    def __str__(self):
        return f"{self.assignment.participant} – {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("assessments:round", args=[self.assignment_id, self.kind])

    @property
    def is_locked(self):
        return self.status == self.Status.SUBMITTED


# For table headers, where the full names do not fit on a phone.
SHORT_KIND_LABELS = {
    AssessmentRound.Kind.BASELINE: _("Baseline"),
    AssessmentRound.Kind.MIDPOINT: _("Mid-point"),
    AssessmentRound.Kind.FINAL: _("Final"),
    AssessmentRound.Kind.SELF: _("Self"),
}


class OutcomeRating(models.Model):
    """The level one learning outcome reached in one round."""

    project_path = "round__assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "round__assignment__participant"  # the way to its learner: a consortium member school sees its own

    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="ratings"
    )
    outcome = models.ForeignKey(
        Outcome, verbose_name=_("learning outcome"), on_delete=models.PROTECT, related_name="ratings"
    )
    level = models.ForeignKey(ScaleLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("outcome rating")
        verbose_name_plural = _("outcome ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "outcome"],
                name="assessment_one_rating_per_outcome_and_round",
                violation_error_message=_("This outcome is already rated in this round."),
            )
        ]

    def __str__(self):
        return f"{self.outcome}: {self.level}"


class RoundReopening(models.Model):
    """A coordinator unlocked a submitted round; kept for the record."""

    project_path = "round__assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "round__assignment__participant"  # the way to its learner: a consortium member school sees its own

    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reopenings"
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reopened by"), on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(_("reopened at"))
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("reopening of a round")
        verbose_name_plural = _("reopenings of rounds")
        ordering = ["-reopened_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="assessment_reopening_has_reason",
                violation_error_message=_("Give the reason for reopening the round."),
            )
        ]

    def __str__(self):
        return f"{self.round} ({self.reopened_at:%Y-%m-%d})"
