from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# An agreement is flagged on the dashboard this many days before its renewal is due.
RENEWAL_WARNING_DAYS = 60


class PartnerProfile(models.Model):
    """What the partnership needs to know about an organisation (accounts.Organisation: the same table for
    schools, receiving partners, hosts and local employers): its sector, the qualifications it hires for,
    what it committed to, and whether it agreed to be named on the public site."""

    school_path = "organisation__schools"  # the organisation's schools, for accounts.roles.scoped

    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="profile"
    )
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    qualifications = models.ManyToManyField(
        "placements.Qualification", verbose_name=_("qualifications they hire for"), blank=True, related_name="+"
    )
    offers_jobs = models.BooleanField(_("committed to job offers"), default=False)
    offers_interviews = models.BooleanField(_("committed to interviews"), default=False)
    hosts_visits = models.BooleanField(_("committed to company visits"), default=False)
    commitments = models.TextField(_("what they committed to, in words"), blank=True, max_length=2000)
    public_listing_agreed_on = models.DateField(
        _("agreed to be named on the public site on"),
        null=True,
        blank=True,
        help_text=_("Leave empty until they agree: only then is the name shown on the public site."),
    )

    history = HistoricalRecords(m2m_fields=[qualifications])

    class Meta:
        verbose_name = _("partner profile")
        verbose_name_plural = _("partner profiles")

    def __str__(self):
        return str(self.organisation)


class ContactEvent(models.Model):
    """One contact with an organisation: a call, a visit, a meeting, an email; the history of the partnership."""

    school_path = "organisation__schools"  # the organisation's schools, for accounts.roles.scoped

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("Email or letter")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contact_events",
    )
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    summary = models.CharField(_("what was said or agreed"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return f"{self.happened_on} {self.get_kind_display()}"


class Offer(models.Model):
    """A job or apprenticeship offered by an employer, for a qualification."""

    school_path = "organisation__schools"  # the organisation's schools, for accounts.roles.scoped

    class Kind(models.TextChoices):
        JOB = "job", _("Job")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("employer"), on_delete=models.CASCADE, related_name="offers"
    )
    qualification = models.ForeignKey(
        "placements.Qualification", verbose_name=_("qualification"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JOB)
    title = models.CharField(_("title"), max_length=200)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    open_until = models.DateField(_("open until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.organisation})"

    @property
    def is_open(self):
        return self.open_until is None or self.open_until >= timezone.localdate()


class Introduction(models.Model):
    """A graduate introduced to an employer (for an offer, or in general), only with the graduate's consent,
    recorded with its date and who recorded it; then what came of it."""

    project_path = "participant__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "participant"  # the way to its learner: a consortium member school sees its own

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting")
        INTERVIEW = "interview", _("Invited to an interview")
        HIRED = "hired", _("Hired")
        NOT_HIRED = "not_hired", _("Not hired")
        DECLINED = "declined", _("The graduate declined")

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="introductions"
    )
    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="introductions"
    )
    participant = models.ForeignKey(
        "participants.Participant", verbose_name=_("graduate"), on_delete=models.PROTECT, related_name="introductions"
    )
    consent_on = models.DateField(_("the graduate agreed on"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("consent recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    introduced_on = models.DateField(_("introduced on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-introduced_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_on__lte=F("introduced_on")),
                name="introduction_after_consent",
                violation_error_message=_("A graduate is introduced only after they agreed."),
            )
        ]

    def __str__(self):
        return f"{self.participant} → {self.organisation}"


class AgreementQuerySet(models.QuerySet):
    def lapsing(self, today=None, days=RENEWAL_WARNING_DAYS):
        """Agreements whose renewal falls due within `days` (or already passed) and that have not ended."""
        today = today or timezone.localdate()
        return self.filter(renewal_due_on__lte=today + timedelta(days=days), ends_on__gte=today)


class Agreement(models.Model):
    """A partnership agreement with a receiving partner or an employer: dates, scope, when to renew it."""

    school_path = "organisation__schools"  # the organisation's schools, for accounts.roles.scoped

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), max_length=3000, help_text=_("What each side commits to."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    renewal_due_on = models.DateField(
        _("renewal due on"), help_text=_("When to start renewing it; the dashboard warns two months before.")
    )

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["renewal_due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("The agreement must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(renewal_due_on__lte=F("ends_on")),
                name="agreement_renewal_before_end",
                violation_error_message=_("Renewal must be due before the agreement ends."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("employers:detail", args=[self.organisation_id]) + f"#agreement-{self.pk}"
