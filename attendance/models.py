from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

HOURS = {"max_digits": 4, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(24)]}


def week_start(day):
    """The Monday of the week that holds `day`."""
    return day - timedelta(days=day.weekday())


# The labels the data migration loads, here so that they are translated; a label a coordinator
# types in is shown as typed.
DEFAULT_LABELS = [
    gettext_noop("Present"),
    gettext_noop("Late"),
    gettext_noop("Left early"),
    gettext_noop("Absent, excused"),
    gettext_noop("Absent, unexcused"),
    gettext_noop("Sick"),
    gettext_noop("Public holiday / closed"),
]


class AttendanceStatus(models.Model):
    """What a day can be recorded as, with the rules that go with it. Reference data, editable by coordinators."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("label"), max_length=60)
    is_excused = models.BooleanField(
        _("excused"), default=False, help_text=_("An absence that does not count against the learner.")
    )
    counts_hours = models.BooleanField(
        _("counts hours"), default=False, help_text=_("The learner worked that day: the day counts as attended.")
    )
    mentor_may_use = models.BooleanField(_("mentors may use it"), default=True)
    needs_reason = models.BooleanField(_("needs a reason"), default=False)
    not_a_working_day = models.BooleanField(
        _("not a working day"), default=False, help_text=_("The workplace was closed: the day is not expected.")
    )
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("attendance status")
        verbose_name_plural = _("attendance statuses")
        ordering = ["position", "pk"]

    def __str__(self):
        return gettext(self.label)


class WorkPattern(models.Model):
    """Hours a learner works on each weekday of a placement; days with 0 hours are not working days."""

    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="work_pattern", verbose_name=_("placement")
    )
    monday = models.DecimalField(_("Monday"), default=Decimal(8), **HOURS)
    tuesday = models.DecimalField(_("Tuesday"), default=Decimal(8), **HOURS)
    wednesday = models.DecimalField(_("Wednesday"), default=Decimal(8), **HOURS)
    thursday = models.DecimalField(_("Thursday"), default=Decimal(8), **HOURS)
    friday = models.DecimalField(_("Friday"), default=Decimal(8), **HOURS)
    saturday = models.DecimalField(_("Saturday"), default=Decimal(0), **HOURS)
    sunday = models.DecimalField(_("Sunday"), default=Decimal(0), **HOURS)

    DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    class Meta:
        verbose_name = _("work pattern")
        verbose_name_plural = _("work patterns")

    def __str__(self):
        return str(self.placement)

    def hours_on(self, day):
        return getattr(self, self.DAYS[day.weekday()])


class AttendanceRecord(models.Model):
    """One learner's day. `version` grows with every change, so that a save based on an old view is refused."""

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "assignment__participant"  # the way to its learner: a consortium member school sees its own

    assignment = models.ForeignKey(
        "placements.Assignment", on_delete=models.CASCADE, related_name="attendance", verbose_name=_("assignment")
    )
    date = models.DateField(_("date"))
    status = models.ForeignKey(AttendanceStatus, on_delete=models.PROTECT, verbose_name=_("status"))
    hours = models.DecimalField(_("hours"), **HOURS)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    planned = models.BooleanField(_("planned in advance"), default=False)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "date"], name="one_attendance_record_per_day"),
        ]

    def __str__(self):
        return f"{self.assignment} {self.date}: {self.status}"


class WeekSignoff(models.Model):
    """A mentor's week on a placement: submitted by the mentor, approved (and so locked) by a coordinator."""

    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Reopened")

    placement = models.ForeignKey("placements.Placement", on_delete=models.CASCADE, related_name="signoffs")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signoffs")
    week_start = models.DateField(_("week starting"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True)
    reopen_reason = models.CharField(_("reason for reopening"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("week sign-off")
        verbose_name_plural = _("week sign-offs")
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "mentor", "week_start"], name="one_signoff_per_mentor_week"),
            models.CheckConstraint(condition=~Q(state="reopened") | ~Q(reopen_reason=""), name="reopening_has_reason"),
        ]

    def __str__(self):
        return f"{self.placement} {self.week_start} {self.mentor}"

    @property
    def locks_mentor(self):
        return self.state in (self.State.SUBMITTED, self.State.APPROVED)

    @property
    def locks_everyone(self):
        return self.state == self.State.APPROVED
