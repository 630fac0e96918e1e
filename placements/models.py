from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, Role
from common.locales import today_in, validate_zone, zone_name_of_country
from common.validators import phone_validator


class Project(models.Model):
    """One Erasmus+ project; an installation can hold a school's projects year after year."""

    project_path = ""  # the way to its school, for accounts.roles.scoped
    member_schools_see = True  # a consortium's member schools see the project (and only their own learners in it)

    class KeyAction(models.TextChoices):
        KA1_VET = "KA121-VET", _("KA1 accredited VET mobility (KA121-VET)")
        KA1_VET_SHORT = "KA122-VET", _("KA1 short-term VET mobility (KA122-VET)")
        KA1_OTHER = "KA1", _("Key Action 1, other")
        KA2 = "KA2", _("Key Action 2")

    title = models.CharField(_("title"), max_length=250)
    reference = models.CharField(
        _("Erasmus+ reference number"), max_length=60, unique=True, help_text=_("e.g. 2026-1-RO01-KA122-VET-000123456")
    )
    key_action = models.CharField(
        _("key action"), max_length=20, choices=KeyAction.choices, default=KeyAction.KA1_VET_SHORT
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    sending_organisation = models.ForeignKey(
        Organisation, verbose_name=_("sending organisation"), on_delete=models.PROTECT, related_name="projects"
    )
    member_schools = models.ManyToManyField(
        Organisation,
        verbose_name=_("member schools (consortium)"),
        blank=True,
        related_name="consortium_projects",
        limit_choices_to={"kind": "sending"},
        help_text=_(
            "For a consortium's project: the schools that send learners through it. Each member school's "
            "coordinators and staff see only their own learners here; the consortium's see them all."
        ),
    )
    summary = models.TextField(_("summary"), blank=True)
    required_attendance_rate = models.PositiveSmallIntegerField(
        _("required attendance rate (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # The project's own public site lives at /p/<public_slug>/ (public.urls); the coordinator may change it.
    public_slug = models.SlugField(
        _("public site address"),
        max_length=60,
        unique=True,
        help_text=_("The public site's address: /p/<this>/. Lowercase letters, digits and hyphens."),
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("The project must end after it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.public_slug:
            self.public_slug = free_public_slug(self.reference or self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("placements:project_detail", args=[self.pk])


def free_public_slug(text: str, exclude_pk: int | None = None) -> str:
    """A public site address made from `text` that no other project uses (a number added when taken)."""
    base = slugify(text)[:50].strip("-") or "project"
    taken = set(
        Project.objects.filter(public_slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("public_slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


class ContactPerson(models.Model):
    school_path = "organisation__schools"  # the way to its schools, for accounts.roles.scoped

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class Qualification(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(_("national code"), max_length=40, blank=True)
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"), default=3, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, user: Any, members: bool = False) -> "PlacementQuerySet":
        from accounts.roles import scoped

        return scoped(self, user, mentor="assignments__mentor", members=members)

    def for_list(self, user=None):
        """With each flow's count of learners: of the learners `user` sees, when given (a consortium's member
        school counts its own)."""
        learners = ~Q(assignments__status="withdrawn")
        if user is not None:
            from accounts.roles import in_schools

            every = Assignment.objects.all()
            seen = in_schools(every, user)
            if seen is not every:
                learners &= Q(assignments__in=seen)
        return self.select_related("project", "qualification", "receiving_partner").annotate(
            learner_count=Count("assignments", filter=learners, distinct=True)
        )


class Placement(models.Model):
    """A mobility flow: one group's practice stage abroad for one qualification."""

    project_path = "project"  # the way to its school, for accounts.roles.scoped
    member_schools_see = True  # a consortium's member schools see the flow (and only their own learners on it)

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PREPARING = "preparing", _("In preparation")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="placements")
    title = models.CharField(_("title"), max_length=200)
    qualification = models.ForeignKey(
        Qualification, verbose_name=_("qualification"), on_delete=models.PROTECT, related_name="placements"
    )
    receiving_partner = models.ForeignKey(
        Organisation,
        verbose_name=_("receiving partner"),
        on_delete=models.PROTECT,
        related_name="received_placements",
        limit_choices_to={"kind": Organisation.Kind.RECEIVING},
    )
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_zone],
        help_text=_("Leave empty for the time of the country's capital."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    accompanying_persons = models.ManyToManyField(
        ContactPerson,
        verbose_name=_("accompanying persons"),
        blank=True,
        related_name="accompanied_placements",
        help_text=_("Teachers of the sending school who travel with the group."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    description = models.TextField(_("description"), blank=True)
    tasks = models.TextField(
        _("activities and tasks"),
        blank=True,
        help_text=_("What the learners do at the workplace, one task per line; printed on their certificates."),
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="placement_ends_after_start",
                violation_error_message=_("The placement must end after it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("placements:placement_detail", args=[self.pk])

    @property
    def duration_days(self):
        return (self.end_date - self.start_date).days + 1

    @property
    def zone_name(self) -> str:
        """The clock of the workplace: its own, or its country's."""
        return self.time_zone or zone_name_of_country(self.country)

    def local_today(self, now=None):
        """The date it is where the learners work: what "today", the week and "not happened yet" are judged by."""
        return today_in(self.zone_name, now)


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "AssignmentQuerySet":
        from accounts.roles import scoped

        return scoped(self, user, mentor="mentor")

    def active(self):
        return self.exclude(status=Assignment.Status.WITHDRAWN)


class Assignment(models.Model):
    """A participant going on a placement, at a host company, with a mentor."""

    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "participant"  # the way to its learner: a consortium member school sees its own

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        TRAVELLING = "travelling", _("Travelling")
        IN_PLACEMENT = "in_placement", _("In placement")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    participant = models.ForeignKey(
        "participants.Participant", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="assignments"
    )
    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.PROTECT, related_name="assignments"
    )
    host_company = models.ForeignKey(
        Organisation,
        verbose_name=_("host company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_assignments",
        limit_choices_to={"kind": Organisation.Kind.HOST},
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentored_assignments",
        limit_choices_to={"role": Role.MENTOR},
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    tasks = models.TextField(
        _("this learner's activities and tasks"),
        blank=True,
        help_text=_("One task per line; leave empty when they are the placement's. Printed on the certificate."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["participant__name_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "placement"],
                name="one_assignment_per_participant_and_placement",
                violation_error_message=_("This participant is already assigned to this placement."),
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="withdrawal_has_reason",
                violation_error_message=_("Give the reason for the withdrawal."),
            ),
        ]

    def __str__(self):
        return f"{self.participant} – {self.placement}"

    @property
    def tasks_carried_out(self):
        """The certificate's list: this learner's own tasks, else the placement's."""
        text = self.tasks.strip() or self.placement.tasks.strip()
        return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]
