"""The project's final conference: the event with its agenda and speakers, and the people who register.

A registration is confirmed while places last, then waits; a cancelled place goes to the first who waits
(conference.services holds those rules). The personal code is the registrant's only key: it cancels the
registration and is what the desk asks for on the day, so it is random, unique and never derived from a name.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participants.models import fold

# No 0/O, 1/I/L: a code read out at the desk or typed from a phone is not misread.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31^12, about 2^59: not guessable, even without the rate limit


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text):
    """What someone typed (spaces, dashes, lower case) as a stored code."""
    return "".join(c for c in (text or "").upper() if c.isalnum())[:40]


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def current(self):
        """The conference the public site shows: the latest published one."""
        return self.published().select_related("project").order_by("-starts_at", "-pk").first()


class Event(models.Model):
    project_path = "project"  # the way to its school, for accounts.roles.scoped
    project = models.ForeignKey(
        "placements.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=250)
    city = models.CharField(_("city"), max_length=100)
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("Optional: where to follow the conference online.")
    )
    description = models.TextField(_("description"), max_length=5000, blank=True)
    capacity = models.PositiveIntegerField(_("places"), help_text=_("Registrations beyond this number wait."))
    registration_open = models.BooleanField(_("registration open"), default=True)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Only a published conference is shown on the public site.")
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The conference must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="event_has_places",
                violation_error_message=_("A conference needs at least one place."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("conference:manage_event", args=[self.pk])


class AgendaItem(models.Model):
    project_path = "event__project"  # the way to its school, for accounts.roles.scoped
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    starts_at = models.TimeField(_("time"))
    title = models.CharField(_("title"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return self.title


class Speaker(models.Model):
    project_path = "event__project"  # the way to its school, for accounts.roles.scoped
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = models.TextField(_("short biography"), max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def search(self, text):
        """By name without minding diacritics ("tutuianu" finds "Țuțuianu"), organisation, email or code."""
        code = normalise_code(text)
        query = Q(name_key__contains=fold(text)) | Q(organisation__icontains=text) | Q(email__icontains=text)
        if len(code) >= 4:
            query |= Q(code__startswith=code)
        return self.filter(query)


class Registration(models.Model):
    project_path = "event__project"  # the way to its school, for accounts.roles.scoped

    class Type(models.TextChoices):
        SCHOOL = "school", _("School")
        EMPLOYER = "employer", _("Employer")
        AUTHORITY = "authority", _("Public authority")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("Waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    name = models.CharField(_("name"), max_length=150)
    name_key = models.CharField(max_length=150, editable=False, default="")  # fold(name), for the desk's search
    email = models.EmailField(_("email"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    type = models.CharField(_("type of organisation"), max_length=20, choices=Type.choices)
    local_employer = models.BooleanField(
        _("local employer"),
        default=False,
        help_text=_("An employer from the school's region: the partners the project wants to win over."),
    )
    accessibility_needs = models.TextField(_("accessibility needs"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE, editable=False)
    code = models.CharField(_("personal code"), max_length=20, unique=True, default=new_code, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The document job of the certificate the attendee asked for with their code (conference.views).
    certificate_job = models.ForeignKey(
        "documents.DocumentJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # When the retention rule (privacy.services) removed the name, email, organisation and needs; the type,
    # status and check-in stay for the figures.
    details_removed_at = models.DateTimeField(_("contact details removed"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="one_active_registration_per_email",
                violation_error_message=_("This email address is already registered for the conference."),
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="registration_cancelled_has_date",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_only_confirmed_check_in",
                violation_error_message=_("Only a confirmed registration can be checked in."),
            ),
            models.CheckConstraint(
                condition=Q(local_employer=False) | Q(type="employer"),
                name="registration_local_employer_is_employer",
                violation_error_message=_("Only an employer can be a local employer."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    @property
    def display_code(self):
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def checked_in(self):
        return self.checked_in_at is not None

    def get_confirmation_url(self):
        return reverse("conference:registered", args=[self.event.project.public_slug, self.code])

    def get_cancel_url(self):
        return reverse("conference:cancel", args=[self.event.project.public_slug, self.code])

    def get_certificate_url(self):
        return reverse("conference:my_certificate", args=[self.event.project.public_slug, self.code])
