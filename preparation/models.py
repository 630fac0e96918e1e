"""Before departure: each flow's preparation plan (minimum hours, meeting point, what to bring), the preparation
sessions with their attendance, insurance policies, and each learner's readiness (parental consent, support plan).

Attendance at sessions uses the workplace's statuses and their rules (attendance.AttendanceStatus: which count
hours, which need a reason); only the record is its own, since a session is not a working day."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.validators import phone_validator

HOURS = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class PreparationPlan(models.Model):
    """What a flow's learners must do and know before they leave."""

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="preparation_plan", verbose_name=_("flow")
    )
    minimum_hours = models.DecimalField(_("minimum preparation hours"), default=Decimal(20), **HOURS)

    class Meta:
        verbose_name = _("preparation plan")
        verbose_name_plural = _("preparation plans")

    def __str__(self):
        return str(self.placement)


class PreparationSession(models.Model):
    class Topic(models.TextChoices):
        LANGUAGE = "language", _("Language")
        CULTURE = "culture", _("Culture and everyday life")
        VOCABULARY = "vocabulary", _("The trade's vocabulary")
        SAFETY = "safety", _("Health and safety")
        EMERGENCY = "emergency", _("What to do if something goes wrong")
        OTHER = "other", _("Other")

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="preparation_sessions", verbose_name=_("flow")
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    trainer = models.CharField(_("trainer"), max_length=150)
    place = models.CharField(_("room or place"), max_length=150, blank=True)
    materials = models.TextField(_("materials"), blank=True, help_text=_("What is used or handed out; links allowed."))

    class Meta:
        verbose_name = _("preparation session")
        verbose_name_plural = _("preparation sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("preparation:session", args=[self.pk])


class SessionAttendance(models.Model):
    """One learner at one session, recorded with a workplace attendance status and its rules."""

    session = models.ForeignKey(PreparationSession, on_delete=models.CASCADE, related_name="attendance")
    assignment = models.ForeignKey(
        "placements.Assignment", on_delete=models.CASCADE, related_name="preparation_attendance"
    )
    status = models.ForeignKey("attendance.AttendanceStatus", on_delete=models.PROTECT, verbose_name=_("status"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2, default=Decimal(0))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("preparation attendance")
        verbose_name_plural = _("preparation attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "assignment"], name="one_attendance_per_session_and_learner")
        ]

    def __str__(self):
        return f"{self.assignment} – {self.session}: {self.status}"


class InsurancePolicy(models.Model):
    """Travel, accident or liability insurance covering a flow's learners."""

    class Cover(models.TextChoices):
        TRAVEL_ACCIDENT = "travel_accident", _("Travel and accident")
        LIABILITY = "liability", _("Third-party liability")
        OTHER = "other", _("Other")

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="insurance_policies", verbose_name=_("flow")
    )
    cover = models.CharField(_("cover"), max_length=20, choices=Cover.choices, default=Cover.TRAVEL_ACCIDENT)
    insurer = models.CharField(_("insurer"), max_length=150)
    number = models.CharField(_("policy number"), max_length=60)
    phone = models.CharField(_("assistance phone"), max_length=40, validators=[phone_validator])
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("insurance policy")
        verbose_name_plural = _("insurance policies")
        ordering = ["valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="policy_ends_after_start",
                violation_error_message=_("The policy must end after it starts."),
            )
        ]

    def __str__(self):
        return f"{self.insurer} {self.number}"


class Readiness(models.Model):
    """What the checklist cannot read elsewhere for one learner on one flow: the signed parental consent (a file
    kept through privacy's safe upload) and whether the support plan is ready. Changes are kept in history."""

    assignment = models.OneToOneField("placements.Assignment", on_delete=models.CASCADE, related_name="readiness")
    parental_consent_file = models.ForeignKey(
        "privacy.LearnerFile",
        verbose_name=_("signed parental consent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parental_consent_on = models.DateField(_("parental consent signed on"), null=True, blank=True)
    # Restricted: coordinators only (it says that the learner has special needs).
    support_plan_ready = models.BooleanField(_("support plan ready"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("readiness")
        verbose_name_plural = _("readiness")

    def __str__(self):
        return str(self.assignment)
