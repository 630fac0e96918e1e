import unicodedata
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from common.validators import phone_validator


def fold(text):
    """Lower-case ASCII form of a name, so that "stefan" finds "Ștefan" and "joao" finds "João"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def age_on(born, day):
    """Whole years from `born` to `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# The barriers named by the Erasmus+ inclusion strategy; loaded by a data migration.
BARRIERS = [
    ("disability", gettext_noop("Disabilities")),
    ("health", gettext_noop("Health problems")),
    ("education", gettext_noop("Barriers linked to education and training systems")),
    ("cultural", gettext_noop("Cultural differences")),
    ("social", gettext_noop("Social barriers")),
    ("economic", gettext_noop("Economic barriers")),
    ("discrimination", gettext_noop("Barriers linked to discrimination")),
    ("geographical", gettext_noop("Geographical barriers")),
]


class Barrier(models.Model):
    """A category of the Erasmus+ inclusion strategy ("fewer opportunities"); reference data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("fewer-opportunities category")
        verbose_name_plural = _("fewer-opportunities categories")
        ordering = ["position"]

    def __str__(self):
        return gettext(self.name)


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ParticipantQuerySet":
        from accounts.roles import scoped

        return scoped(self, user, mentor="assignments__mentor", archived_at__isnull=True)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def publishable(self):
        """Learners whose recorded consent allows photos and publication (the public site, dissemination).

        The single place that decides it: everything published about a learner filters through here. A
        withdrawn consent, an archived or an anonymised learner is never published.
        """
        return self.filter(
            archived_at__isnull=True,
            anonymised_at__isnull=True,
            consent_dissemination_on__isnull=False,
            consent_dissemination_withdrawn_on__isnull=True,
        )

    # Learners whose data the school may not process: consent never recorded, or withdrawn.
    WITHOUT_PROCESSING_CONSENT = Q(consent_data_processing_on__isnull=True) | Q(
        consent_data_processing_withdrawn_on__isnull=False
    )

    def without_processing_consent(self):
        """Learners whose data the school may not process: consent never recorded, or withdrawn."""
        return self.filter(self.WITHOUT_PROCESSING_CONSENT)

    def search(self, text):
        folded = fold(text)
        if not folded:
            return self
        query = Q()
        for word in folded.split():
            query &= Q(name_key__contains=word)
        return self.filter(query)


class Participant(models.Model):
    """A learner. Holds personal data: restricted fields are shown to the coordinators of the learner's school only
    (accounts.roles.restricted_rows).

    No ethnic origin is stored: the project describes its target group, a person's ethnicity is
    special-category data that no screen or report needs.
    """

    project_path = "project"  # the way to its school, for accounts.roles.scoped
    learner_path = ""  # the learner itself: a consortium member school sees its own

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other / prefers not to say")

    class ConsentGiver(models.TextChoices):
        LEARNER = "learner", _("The learner")
        GUARDIAN = "guardian", _("Parent or legal guardian")

    project = models.ForeignKey(
        "placements.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="participants"
    )
    school = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consortium_learners",
        limit_choices_to={"kind": "sending"},
        help_text=_("In a consortium's project: the member school that sends this learner. Empty: the project's own."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    # The Beneficiary Module asks it of every participant; shown to coordinators only.
    nationality = CountryField(_("nationality"), blank=True)
    address = models.CharField(_("home address"), max_length=250, blank=True)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=150, blank=True)
    emergency_contact_relation = models.CharField(_("relation to the learner"), max_length=60, blank=True)
    emergency_contact_phone = models.CharField(
        _("emergency contact phone"), max_length=40, blank=True, validators=[phone_validator]
    )
    qualification = models.ForeignKey(
        "placements.Qualification",
        verbose_name=_("qualification"),
        on_delete=models.PROTECT,
        related_name="participants",
    )

    # Restricted: coordinators only.
    barriers = models.ManyToManyField(
        Barrier, verbose_name=_("fewer-opportunities categories"), blank=True, related_name="participants"
    )
    special_needs = models.TextField(
        _("special needs"), blank=True, help_text=_("Support needed during preparation, travel and work. Restricted.")
    )
    id_document_number = models.CharField(_("ID document number"), max_length=40, blank=True)
    id_document_expiry = models.DateField(_("ID document expiry"), null=True, blank=True)
    health_insurance_number = models.CharField(_("health-insurance card (EHIC) number"), max_length=40, blank=True)
    health_insurance_expiry = models.DateField(_("health-insurance card expiry"), null=True, blank=True)

    consent_data_processing_on = models.DateField(_("consent to data processing given on"), null=True, blank=True)
    consent_dissemination_on = models.DateField(_("consent to photos and publication given on"), null=True, blank=True)
    consent_given_by = models.CharField(
        _("consent given by"), max_length=10, choices=ConsentGiver.choices, default=ConsentGiver.LEARNER
    )
    # Who recorded each consent, and its withdrawal (date and who recorded it); history keeps every earlier state.
    consent_data_processing_recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("consent to data processing recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_data_processing_withdrawn_on = models.DateField(
        _("consent to data processing withdrawn on"), null=True, blank=True, editable=False
    )
    consent_data_processing_withdrawn_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("withdrawal of the consent to data processing recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_dissemination_recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("consent to photos and publication recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_dissemination_withdrawn_on = models.DateField(
        _("consent to photos and publication withdrawn on"), null=True, blank=True, editable=False
    )
    consent_dissemination_withdrawn_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("withdrawal of the consent to photos and publication recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # What the mentor needs to know at work, chosen by the coordinator: the restricted fields above never are.
    shared_with_mentor = models.TextField(
        _("accessibility needs shared with the mentor"),
        blank=True,
        help_text=_(
            "Shown to the learner's mentor. Write only what they need at work, e.g. “needs written instructions”."
        ),
    )

    # "last first" without diacritics, lower case: the search finds "stefan" in "Ștefan", and the order puts
    # "Căldăraru" before "Constantin" as Romanian readers expect, whatever the database's collation.
    name_key = models.CharField(max_length=220, editable=False, db_index=True, default="")
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["name_key", "updated_at"])
    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name_key", "pk"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = fold(f"{self.last_name} {self.first_name}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("participants:detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None

    @property
    def processing_consent_in_force(self):
        return bool(self.consent_data_processing_on and not self.consent_data_processing_withdrawn_on)

    @property
    def dissemination_consent_in_force(self):
        return bool(self.consent_dissemination_on and not self.consent_dissemination_withdrawn_on)

    def age_on(self, day):
        return age_on(self.date_of_birth, day)

    # The consents the learner's form records: each has its date (`_on`), who recorded it and its withdrawal.
    CONSENTS = ("consent_data_processing", "consent_dissemination")

    def note_consents_recorded(self, changed_fields, user):
        """Called by the learner's form: a consent date entered or changed is recorded by `user`; a consent given
        again after a withdrawal is a new consent, so the withdrawal is cleared (the history keeps it)."""
        for prefix in self.CONSENTS:
            if f"{prefix}_on" in changed_fields:
                setattr(self, f"{prefix}_recorded_by", user if getattr(self, f"{prefix}_on") else None)
                if getattr(self, f"{prefix}_on"):
                    setattr(self, f"{prefix}_withdrawn_on", None)
                    setattr(self, f"{prefix}_withdrawn_by", None)

    def archive(self):
        self.archived_at = timezone.now()
        self.save(update_fields=["archived_at"])

    def restore(self):
        self.archived_at = None
        self.save(update_fields=["archived_at"])


# placements' projects and qualifications, reached through the learner's own fields: this app imports no
# placements module (placements sits above it and contributes what the learners' pages show of it, common.sections).


def projects():
    return Participant._meta.get_field("project").related_model.objects.all()


def qualifications():
    return Participant._meta.get_field("qualification").related_model.objects.all()
