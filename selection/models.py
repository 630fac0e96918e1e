"""The call for applications and the selection: a call per project with places per flow, criteria with weights
and descriptors, a committee that scores independently, a ranking with a stated tie-break rule, and the
applications that become participants when the coordinator confirms the selection.

Committee members are a membership table (`CommitteeMember`), not a role: a member is an office account (a
teacher, the director) and the membership opens only the scoring pages of that one call. A new role would have to
be placed in every other view's rules; a membership changes none of them."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.private_files import PrivateFile
from common.validators import phone_validator


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Call(models.Model):
    """A call for applications for one project's flows."""

    project_path = "project"  # the way to its school, for accounts.roles.scoped

    class TieBreak(models.TextChoices):
        FEWER_OPPORTUNITIES = (
            "fewer_opportunities",
            _("Equal totals: a learner with fewer opportunities first, then the earlier application"),
        )
        EARLIER = "earlier", _("Equal totals: the earlier application first")

    project = models.ForeignKey(
        "placements.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField(_("title"), max_length=200)
    text_ro = models.TextField(_("the call in Romanian"))
    text_en = models.TextField(_("the call in English"))
    plain_ro = models.TextField(
        _("plain-language version in Romanian"), help_text=_("Short sentences, everyday words.")
    )
    plain_en = models.TextField(_("plain-language version in English"), help_text=_("Short sentences, everyday words."))
    eligibility = models.TextField(
        _("eligibility rules"), help_text=_("Who may apply, one rule per line, e.g. “enrolled in the qualification”.")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age at departure"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age at departure"), null=True, blank=True)
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    interviews_on = models.DateField(_("interviews on"), null=True, blank=True)
    decision_on = models.DateField(_("decision on"))
    appeals_until = models.DateField(_("appeals until"))
    appeal_route = models.TextField(
        _("how to appeal"), help_text=_("Printed on every decision letter: to whom, how and by when.")
    )
    tie_break = models.CharField(
        _("tie-break rule"), max_length=30, choices=TieBreak.choices, default=TieBreak.FEWER_OPPORTUNITIES
    )
    published = models.BooleanField(_("published on the public site"), default=False)
    ranked_at = models.DateTimeField(_("ranked"), null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("selection confirmed"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="call_closes_after_opening",
                violation_error_message=_("Applications must close after they open."),
            ),
            models.CheckConstraint(
                condition=Q(decision_on__gte=models.F("closes_on")),
                name="call_decision_after_closing",
                violation_error_message=_("The decision comes after applications close."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("selection:call", args=[self.pk])

    def accepts_applications(self, today):
        """Whether the public form takes applications: published, between its dates, no ranking decided yet."""
        return self.published and self.opens_on <= today <= self.closes_on and self.ranked_at is None

    def confirmable_from(self):
        """The first day the selection may be confirmed: the day after applications close."""
        return self.closes_on + timedelta(days=1)

    def text_in(self, language):
        return (self.text_ro, self.plain_ro) if language == "ro" else (self.text_en, self.plain_en)


class CallFlow(models.Model):
    """The places a call offers on one flow (placement)."""

    project_path = "call__project"  # the way to its school, for accounts.roles.scoped

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="flows")
    placement = models.ForeignKey(
        "placements.Placement", verbose_name=_("flow"), on_delete=models.PROTECT, related_name="call_flows"
    )
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    reserve_places = models.PositiveSmallIntegerField(_("places on the reserve list"), default=3)

    class Meta:
        verbose_name = _("flow of the call")
        verbose_name_plural = _("flows of the call")
        ordering = ["placement__start_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "placement"], name="one_call_flow_per_placement")]

    def __str__(self):
        return str(self.placement)


class Criterion(models.Model):
    """A selection criterion: its weight multiplies the score; the descriptors say what each score means.
    An automatic criterion is not scored by the committee: it gives its highest score to an applicant with
    fewer opportunities (the priority the coordinator weights), nothing otherwise."""

    project_path = "call__project"  # the way to its school, for accounts.roles.scoped

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=150)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=4, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    descriptors = models.TextField(
        _("what each score means"),
        blank=True,
        help_text=_("One line per score from 0 up, e.g. “0: no motivation stated”."),
    )
    fewer_opportunities = models.BooleanField(
        _("priority for fewer opportunities"),
        default=False,
        help_text=_("Scored automatically: the highest score for an applicant with fewer opportunities."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.max_score is None:
            return
        beyond = [line for low, high, line in _numbered_lines(self.descriptors) if high > self.max_score]
        if beyond:
            raise ValidationError(
                {
                    "descriptors": _("“%(line)s” names a score above the highest score (%(max)s).")
                    % {"line": beyond[0], "max": self.max_score}
                }
            )

    def descriptor_lines(self):
        """What each score from 0 to the highest means, as written. Lines that start with their score ("0: …",
        "5: …", "10: …", or a range "1-4: …") describe that score, the number not repeated; lines without one are
        read from 0 up, one a score. A score no line names means nothing more than its number ("")."""
        lines = [line.strip() for line in self.descriptors.splitlines() if line.strip()]
        meanings = dict.fromkeys(range(self.max_score + 1), "")
        numbered = _numbered_lines(self.descriptors)
        if not numbered:
            for score, line in enumerate(lines[: self.max_score + 1]):
                meanings[score] = line
            return meanings
        for low, high, line in numbered:
            text = DESCRIPTOR_LINE.match(line).group("text")  # type: ignore[union-attr]
            for score in range(low, min(high, self.max_score) + 1):
                meanings[score] = text
        return meanings


# A descriptor line that names its score or range of scores: "5: …", "5. …", "5) …", "5 – …", "1-4: …", "1 – 4: …".
DESCRIPTOR_LINE = re.compile(
    r"^(?P<low>\d{1,2})(?:\s*[-–—]\s*(?P<high>\d{1,2}))?\s*(?:[:.)=]|[-–—](?=\s*\D))\s*(?P<text>.*)$"
)


def _numbered_lines(descriptors: str) -> list[tuple[int, int, str]]:
    """(lowest, highest score, the line) of each line that names its score; a line without a number that follows
    a numbered one continues it."""
    found: list[tuple[int, int, str]] = []
    for raw in descriptors.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = DESCRIPTOR_LINE.match(line)
        if match:
            low = int(match.group("low"))
            high = int(match.group("high") or low)
            found.append((min(low, high), max(low, high), line))
        elif found:
            low, high, previous = found[-1]
            found[-1] = (low, high, f"{previous} {line}")
    return found


class CommitteeMember(models.Model):
    project_path = "call__project"  # the way to its school, for accounts.roles.scoped
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="committee")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="committees"
    )
    signed_minutes_at = models.DateTimeField(_("signed the minutes"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["user__last_name", "user__first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="one_membership_per_call")]

    def __str__(self):
        return str(self.user)


class ApplicationQuerySet(models.QuerySet):
    def in_competition(self):
        """The applications the committee scores: eligible, not withdrawn."""
        return self.exclude(status__in=[Application.Status.INELIGIBLE, Application.Status.WITHDRAWN])


class Application(models.Model):
    project_path = "call__project"  # the way to its school, for accounts.roles.scoped

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        INELIGIBLE = "ineligible", _("Not eligible")
        SELECTED = "selected", _("Selected")
        RESERVE = "reserve", _("Reserve list")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Language(models.TextChoices):
        RO = "ro", _("Romanian")
        EN = "en", _("English")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    placement = models.ForeignKey(
        "placements.Placement", verbose_name=_("flow"), on_delete=models.PROTECT, related_name="applications"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(
        _("gender"),
        max_length=10,
        choices=[("female", _("Female")), ("male", _("Male")), ("other", _("Other / prefers not to say"))],
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    qualification = models.ForeignKey(
        "placements.Qualification", verbose_name=_("qualification"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language of letters"), max_length=2, choices=Language.choices, default="ro")
    # Restricted: coordinators only; the fairness summary counts it, no list shows it.
    fewer_opportunities = models.BooleanField(_("learner with fewer opportunities"), default=False)
    # Restricted as the flag: carried into the participant when the selection is confirmed.
    barriers = models.ManyToManyField(
        "participants.Barrier",
        verbose_name=_("fewer-opportunities categories"),
        blank=True,
        related_name="+",
        help_text=_("If known: the participant gets them when the selection is confirmed."),
    )
    motivation = models.TextField(_("why they want to go"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    ineligible_reason = models.CharField(_("why not eligible"), max_length=250, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True, editable=False)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False)
    participant = models.OneToOneField(
        "participants.Participant",
        verbose_name=_("participant"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="application",
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    # Set when the personal data of an application that made no participant was erased (services.erase_unselected).
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("selection:application", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class Conflict(models.Model):
    """A member's declared conflict of interest with one applicant: they do not score that application."""

    project_path = "application__call__project"  # the way to its school, for accounts.roles.scoped

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=250)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "application"], name="one_conflict_per_pair")]

    def __str__(self):
        return f"{self.member} – {self.application}"


class Score(models.Model):
    project_path = "application__call__project"  # the way to its school, for accounts.roles.scoped
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "application", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.member} – {self.application} – {self.criterion}: {self.value}"


class Appeal(models.Model):
    """An applicant's appeal against the decision, and what the committee decided."""

    project_path = "application__call__project"  # the way to its school, for accounts.roles.scoped

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not decided yet")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="appeals")
    received_on = models.DateField(_("received on"))
    grounds = models.TextField(_("grounds"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.TextField(_("decision and reasons"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"{self.application} – {self.received_on}"


class ApplicationDocument(PrivateFile):
    """A document attached to an application (an ID copy, a school certificate, a support letter), checked and kept
    as every upload is (common.private_files: its checks, the private storage, a random name) and served only through
    `views.ApplicationDocumentView`. It goes when the application's personal data is erased; when the applicant
    becomes a participant, an ID copy moves to the participant's files (privacy.LearnerFile, ID scan) and the
    others are deleted: they served the selection only."""

    class Kind(models.TextChoices):
        ID_COPY = "id_copy", _("Copy of the ID document")
        SCHOOL_CERTIFICATE = "school_certificate", _("School certificate")
        SUPPORT_LETTER = "support_letter", _("Support letter")
        OTHER = "other", _("Other document")

    project_path = "application__call__project"  # the way to its school, for accounts.roles.scoped

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # path, original_name, content_type, size, uploaded_by, uploaded_at: common.private_files.PrivateFile

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["kind", "-uploaded_at", "-pk"]

    def __str__(self):
        return self.description or self.get_kind_display()
