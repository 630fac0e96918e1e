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

from common.locales import validate_zone
from common.tokens import token_of, unknown_token_hash
from common.validators import phone_validator

HOURS = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class PreparationPlan(models.Model):
    """What a flow's learners must do and know before they leave."""

    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="preparation_plan", verbose_name=_("flow")
    )
    minimum_hours = models.DecimalField(_("minimum preparation hours"), default=Decimal(20), **HOURS)
    # What every learner of the flow reads on "My trip".
    meeting_point = models.CharField(_("where to meet"), max_length=200, blank=True)
    meeting_at = models.DateTimeField(_("when to meet"), null=True, blank=True)
    what_to_bring = models.TextField(
        _("what to bring"), blank=True, help_text=_("One thing per line, in plain words, e.g. “your ID card”.")
    )
    local_transport = models.TextField(
        _("how the learners get to work"), blank=True, help_text=_("e.g. “Bus 12 at 7:30 from the stop by the house.”")
    )
    school_phone = models.CharField(
        _("the school's phone during the stay"), max_length=40, blank=True, validators=[phone_validator]
    )

    class Meta:
        verbose_name = _("preparation plan")
        verbose_name_plural = _("preparation plans")

    def __str__(self):
        return str(self.placement)


class PreparationSession(models.Model):
    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped

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

    project_path = "session__placement__project"  # the way to its school, for accounts.roles.scoped

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

    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped

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

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "assignment__participant"  # the way to its learner: a consortium member school sees its own

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
    # Shown to the accompanying teachers on the emergency sheet; the restricted fields never are.
    shared_with_teachers = models.TextField(
        _("support notes for the accompanying teachers"),
        blank=True,
        help_text=_("Printed on the emergency sheet. Write only what they need, e.g. “takes medicine at 8:00”."),
    )
    # Restricted: coordinators only (it says that the learner has special needs).
    support_plan_ready = models.BooleanField(_("support plan ready"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("readiness")
        verbose_name_plural = _("readiness")

    def __str__(self):
        return str(self.assignment)


class TravelLeg(models.Model):
    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", _("Going")
        RETURN = "return", _("Coming back")

    class Mode(models.TextChoices):
        PLANE = "plane", _("Plane")
        BUS = "bus", _("Bus")
        TRAIN = "train", _("Train")
        MINIBUS = "minibus", _("Minibus or car")

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="travel_legs", verbose_name=_("flow")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    mode = models.CharField(_("by"), max_length=10, choices=Mode.choices)
    carrier = models.CharField(_("carrier"), max_length=100)
    departure_place = models.CharField(_("from"), max_length=150)
    departs_at = models.DateTimeField(_("departs at"))
    # Each end's clock, as a ticket gives it: empty is the school's country going out and the placement's
    # coming back (and the other way round for arrivals); times are entered and shown in these zones.
    departure_zone = models.CharField(
        _("time zone of departure"), max_length=64, blank=True, validators=[validate_zone]
    )
    arrival_place = models.CharField(_("to"), max_length=150)
    arrives_at = models.DateTimeField(_("arrives at"))
    arrival_zone = models.CharField(_("time zone of arrival"), max_length=64, blank=True, validators=[validate_zone])
    booking_reference = models.CharField(_("booking reference"), max_length=60, blank=True)
    travellers = models.ManyToManyField(
        "placements.Assignment", verbose_name=_("learners on this leg"), blank=True, related_name="travel_legs"
    )
    accompanying = models.ManyToManyField(
        "placements.ContactPerson", verbose_name=_("accompanying"), blank=True, related_name="travel_legs"
    )

    class Meta:
        verbose_name = _("travel leg")
        verbose_name_plural = _("travel legs")
        ordering = ["departs_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrives_at__gt=models.F("departs_at")),
                name="leg_arrives_after_departure",
                violation_error_message=_("A leg must arrive after it departs."),
            )
        ]

    def __str__(self):
        return f"{self.departure_place} → {self.arrival_place}"

    @property
    def departure_zone_name(self) -> str:
        return self.departure_zone or self._end_zone(home=self.direction == self.Direction.OUTBOUND)

    @property
    def arrival_zone_name(self) -> str:
        return self.arrival_zone or self._end_zone(home=self.direction == self.Direction.RETURN)

    def _end_zone(self, *, home: bool) -> str:
        """At home it is the school's clock (the installation's); abroad, the placement's."""
        return settings.TIME_ZONE if home else self.placement.zone_name


class Accommodation(models.Model):
    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="accommodations", verbose_name=_("flow")
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=250)
    host_contact = models.CharField(_("host's contact person"), max_length=150, blank=True)
    host_phone = models.CharField(_("host's phone"), max_length=40, blank=True, validators=[phone_validator])

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodation")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Room(models.Model):
    project_path = "accommodation__placement__project"  # the way to its school, for accounts.roles.scoped
    accommodation = models.ForeignKey(Accommodation, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=60)
    occupants = models.ManyToManyField(
        "placements.Assignment", verbose_name=_("who sleeps here"), blank=True, related_name="rooms"
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.accommodation} – {self.name}"


class TripLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class TripLink(models.Model):
    """A learner's personal link to "My trip": an unguessable token, no account needed; revoked, it answers 404.
    Only the token's hash is kept (common.tokens): the link is shown once, when it is made."""

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "assignment__participant"  # the way to its learner: a consortium member school sees its own

    assignment = models.ForeignKey("placements.Assignment", on_delete=models.CASCADE, related_name="trip_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False, default=unknown_token_hash)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = TripLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.assignment} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("trip:my_trip", args=[token_of(self)])


class Incident(models.Model):
    """Something that happened during the stay, with what was done and the follow-up. Coordinators only."""

    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped

    class Kind(models.TextChoices):
        ILLNESS = "illness", _("Illness")
        ACCIDENT = "accident", _("Accident")
        LOST_DOCUMENT = "lost_document", _("Lost document")
        CONFLICT = "conflict", _("Conflict")
        OTHER = "other", _("Other")

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="incidents", verbose_name=_("flow")
    )
    assignment = models.ForeignKey(
        "placements.Assignment",
        verbose_name=_("learner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    description = models.TextField(_("what happened"))
    action_taken = models.TextField(_("what was done"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    closed = models.BooleanField(_("closed"), default=False)
    led_to_withdrawal = models.BooleanField(
        _("led to a withdrawal"),
        default=False,
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("preparation:incident", args=[self.pk])
