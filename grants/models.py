"""The project's money: the EU's unit costs per call year (rate tables, as data with their sources), where the
organisations are (for the distance band), what each mobility and accompanying person is entitled to, what the
grant agreement awarded, what the school paid, and the figures a report stated (snapshots that never change).

Amounts are EUR unless a field says otherwise, stored as Decimal to the cent.
"""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from common.private_files import PrivateFile
from participants.models import Participant

ZERO = Decimal("0.00")
TO_BE_ENTERED = _("Empty: to be entered from your National Agency's table.")
non_negative = MinValueValidator(ZERO, message=_("An amount cannot be negative."))


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, validators=[non_negative], **kwargs)


def rate(verbose_name, **kwargs):
    """A unit cost that may still be empty: shipped tables leave a figure empty where no source could be read,
    and no grant is computed from an empty figure (the pages say which one is missing)."""
    kwargs.setdefault("help_text", TO_BE_ENTERED)
    return money(verbose_name, null=True, blank=True, **kwargs)


def source_field(verbose_name=None):
    return models.CharField(
        verbose_name or _("source"),
        max_length=250,
        blank=True,
        help_text=_("Where the figure comes from, e.g. “Programme Guide 2024, p. 120”."),
    )


class Category(models.TextChoices):
    """The grant agreement's budget categories."""

    TRAVEL = "travel", _("Travel")
    INDIVIDUAL = "individual", _("Individual support")
    ORGANISATIONAL = "organisational", _("Organisational support")
    INCLUSION = "inclusion", _("Inclusion support")
    LINGUISTIC = "linguistic", _("Linguistic support")
    EXCEPTIONAL = "exceptional", _("Exceptional costs")


# Preparatory visits: a budget item of their own, awarded and computed, but no category of payments or the Module's
# per-mobility figures; the award's fields are these.
PREPARATORY = "preparatory"
AWARD_CATEGORIES = (*Category.values, PREPARATORY)

# Categories earned by eligible activity (no receipts needed) and those earned by spending (receipts).
UNIT_COST_CATEGORIES = (Category.TRAVEL, Category.INDIVIDUAL, Category.ORGANISATIONAL, Category.LINGUISTIC)


class TravelMode(models.TextChoices):
    STANDARD = "standard", _("Standard travel")
    GREEN = "green", _("Green travel (train, bus, car-sharing)")


class Transport(models.TextChoices):
    """The main means of transport the Beneficiary Module asks for; it derives green travel from it."""

    PLANE = "plane", _("Plane")
    TRAIN = "train", _("Train")
    BUS = "bus", _("Bus")
    CAR = "car", _("Car (one traveller)")
    CAR_SHARING = "car_sharing", _("Car-sharing")
    BOAT = "boat", _("Boat")


# The Programme Guide's green travel: low-emission means for the main part of the journey.
GREEN_TRANSPORT = {Transport.TRAIN, Transport.BUS, Transport.CAR_SHARING}


def main_transport_field():
    return models.CharField(
        _("main means of transport"),
        max_length=20,
        choices=Transport.choices,
        blank=True,
        help_text=_("As the Beneficiary Module asks it; train, bus and car-sharing are green travel."),
    )


class RateTable(models.Model):
    """The unit costs of one call year for VET mobility (KA121 and KA122 alike), as the Programme Guide and the
    National Agency publish them. Every figure has its source next to it; an empty figure is one still to be
    entered, never a zero."""

    call_year = models.PositiveSmallIntegerField(
        _("call year"), unique=True, validators=[MinValueValidator(2014), MaxValueValidator(2100)]
    )
    label = models.CharField(_("label"), max_length=200)
    actions = models.CharField(_("applies to"), max_length=100, default="KA121-VET, KA122-VET")
    source = source_field(_("source of the table"))
    is_example = models.BooleanField(
        _("example figures, to be checked"),
        default=False,
        help_text=_("Shown as a warning on every page that uses the table until the figures are checked."),
    )
    standard_travel_days = models.PositiveSmallIntegerField(
        _("funded travel days, standard travel"), default=2, validators=[MaxValueValidator(6)]
    )
    standard_travel_days_source = source_field()
    green_travel_days = models.PositiveSmallIntegerField(
        _("funded travel days, green travel (at most)"), default=6, validators=[MaxValueValidator(10)]
    )
    green_travel_days_source = source_field()
    organisational_support = rate(_("organisational support per participant"))
    organisational_support_up_to = models.PositiveSmallIntegerField(
        _("organisational support: the first amount up to the participant"),
        default=100,
        validators=[MinValueValidator(1)],
    )
    organisational_support_beyond = rate(_("organisational support per participant beyond"))
    organisational_support_source = source_field()
    inclusion_support = rate(_("inclusion support per participant with fewer opportunities"))
    inclusion_support_source = source_field()
    linguistic_support = rate(_("linguistic support per participant"))
    linguistic_support_source = source_field()
    exceptional_travel_threshold = models.PositiveSmallIntegerField(
        _("exceptional travel: the standard amount covers less than (% of the real cost)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    exceptional_travel_share = models.PositiveSmallIntegerField(
        _("share of real costs paid for exceptional travel (%)"), default=80, validators=[MaxValueValidator(100)]
    )
    exceptional_travel_share_source = source_field()
    preparatory_visit = rate(_("preparatory visit, per person"))
    preparatory_visit_persons = models.PositiveSmallIntegerField(
        _("preparatory visit: persons at most"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    preparatory_visit_source = source_field()
    long_stay_from_day = models.PositiveSmallIntegerField(
        _("reduced daily rate from day"),
        default=15,
        validators=[MinValueValidator(2), MaxValueValidator(366)],
        help_text=_("Travel days count: the Guide reduces the daily rate from the 15th day."),
    )
    long_stay_percent = models.PositiveSmallIntegerField(
        _("reduced daily rate: share of the rate (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    long_stay_source = source_field()
    transfer_limit_percent = models.PositiveSmallIntegerField(
        _("budget flexibility: a category may grow by at most (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Empty: to be entered from your grant agreement's article on budget flexibility."),
    )
    transfer_limit_source = source_field()
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("rate table")
        verbose_name_plural = _("rate tables")
        ordering = ["-call_year"]

    def __str__(self):
        return f"{self.call_year} – {self.label}"

    def get_absolute_url(self):
        return reverse("grants:rate_table", args=[self.pk])


class TravelBand(models.Model):
    """One distance band: from `min_km` to `max_km` inclusive (no upper end for the last)."""

    table = models.ForeignKey(RateTable, on_delete=models.CASCADE, related_name="bands")
    min_km = models.PositiveIntegerField(_("from (km)"))
    max_km = models.PositiveIntegerField(_("to (km)"), null=True, blank=True, help_text=_("Empty for the last band."))
    standard_amount = money(_("standard travel (EUR)"))
    green_amount = money(
        _("green travel (EUR)"), null=True, blank=True, help_text=_("Empty where green travel has no own amount.")
    )
    source = source_field()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("distance band")
        verbose_name_plural = _("distance bands")
        ordering = ["min_km"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_km__isnull=True) | Q(max_km__gte=models.F("min_km")),
                name="band_ends_after_start",
                violation_error_message=_("A band must end after it starts."),
            )
        ]

    def __str__(self):
        if self.max_km is None:
            return _("%(min)s km and more") % {"min": f"{self.min_km:,}"}
        return f"{self.min_km:,}–{self.max_km:,} km"

    def amount_for(self, mode):
        if mode == TravelMode.GREEN and self.green_amount is not None:
            return self.green_amount
        return self.standard_amount


class CountryGroup(models.Model):
    """A receiving-country group with its daily rates and its countries (ISO codes)."""

    table = models.ForeignKey(RateTable, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("group"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    countries = models.TextField(
        _("countries"), help_text=_("Two-letter country codes separated by commas or spaces, e.g. “PT, ES, IT”.")
    )
    learner_per_day = rate(_("learners, per day (EUR)"))
    accompanying_per_day = rate(_("accompanying persons, per day (EUR)"))
    source = source_field()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country group")
        verbose_name_plural = _("country groups")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "number"],
                name="one_country_group_per_number",
                violation_error_message=_("This group is already in the table."),
            )
        ]

    def __str__(self):
        return _("Group %(number)s") % {"number": self.number}

    @property
    def country_codes(self):
        return [code for code in self.countries.replace(",", " ").upper().split() if code]


class Location(models.Model):
    """Where an organisation is: the coordinates of its city, from the gazetteer or typed by a coordinator."""

    school_path = "organisation__schools"  # the way to its schools, for accounts.roles.scoped

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="location", verbose_name=_("organisation")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self):
        return f"{self.place or self.organisation.city} ({self.latitude}, {self.longitude})"


class ProjectGrant(models.Model):
    """What the grant agreement awarded, per category, and which call year's rates apply."""

    project_path = "project"  # the way to its school, for accounts.roles.scoped

    project = models.OneToOneField(
        "placements.Project", on_delete=models.CASCADE, related_name="grant", verbose_name=_("project")
    )
    call_year = models.PositiveSmallIntegerField(
        _("call year"), validators=[MinValueValidator(2014), MaxValueValidator(2100)]
    )
    awarded_travel = money(_("travel"), default=ZERO)
    awarded_individual = money(_("individual support"), default=ZERO)
    awarded_organisational = money(_("organisational support"), default=ZERO)
    awarded_inclusion = money(_("inclusion support"), default=ZERO)
    awarded_linguistic = money(_("linguistic support"), default=ZERO)
    awarded_exceptional = money(_("exceptional costs"), default=ZERO)
    awarded_preparatory = money(_("preparatory visits"), default=ZERO)
    agreement_reference = models.CharField(
        _("grant agreement"), max_length=120, blank=True, help_text=_("Empty: the project's Erasmus+ reference.")
    )
    max_grant = rate(_("maximum grant (EUR)"), help_text=_("The grant agreement's maximum amount."))
    prefinancing_percent = models.PositiveSmallIntegerField(
        _("pre-financing (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Typically 80 %, within 60–80 %, paid after signature."),
    )
    prefinancing_due_on = models.DateField(_("pre-financing due on"), null=True, blank=True)
    final_report_accepted_on = models.DateField(
        _("final report accepted on"),
        null=True,
        blank=True,
        help_text=_("Until then no learner of the project can be anonymised: the accounts need their names."),
    )
    transfer_rule = models.TextField(
        _("moving money between categories"),
        blank=True,
        help_text=_("The grant agreement's rule, in your words, e.g. “up to 20 % may move to individual support”."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project grant")
        verbose_name_plural = _("project grants")

    def __str__(self):
        return str(self.project)

    def get_absolute_url(self):
        return reverse("grants:budget", args=[self.project_id])

    def awarded(self, category):
        return getattr(self, f"awarded_{category}")

    @property
    def agreement_number(self):
        return self.agreement_reference or self.project.reference

    @property
    def award_entered(self):
        """Whether the award per category was typed: before that, nothing is compared with it."""
        return any(self.awarded(category) for category in AWARD_CATEGORIES)


class AgencyPayment(models.Model):
    """Money the National Agency paid the school under the grant agreement (pre-financing, further, balance)."""

    project_path = "grant__project"  # the way to its school, for accounts.roles.scoped

    class Kind(models.TextChoices):
        PREFINANCING = "prefinancing", _("Pre-financing")
        FURTHER = "further", _("Further pre-financing")
        BALANCE = "balance", _("Balance")
        RECOVERY = "recovery", _("Returned to the National Agency")

    grant = models.ForeignKey(ProjectGrant, on_delete=models.CASCADE, related_name="agency_payments")
    received_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("An amount must be more than zero."))],
    )
    note = models.CharField(_("note"), max_length=250, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment from the National Agency")
        verbose_name_plural = _("payments from the National Agency")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="agency_payment_amount_positive",
                violation_error_message=_("An amount must be more than zero."),
            )
        ]

    def __str__(self):
        return f"{self.received_on:%Y-%m-%d} {self.get_kind_display()} {self.amount} EUR"


class MobilityGrant(models.Model):
    """What the grant needs to know about a learner's mobility beyond the assignment: travel, actual dates, and
    how a withdrawal ended it (the assignment keeps its status and reason)."""

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped

    assignment = models.OneToOneField(
        "placements.Assignment", on_delete=models.CASCADE, related_name="grant", verbose_name=_("assignment")
    )
    travel_mode = models.CharField(_("travel"), max_length=10, choices=TravelMode.choices, default=TravelMode.STANDARD)
    main_transport = main_transport_field()
    travel_days = models.PositiveSmallIntegerField(
        _("travel days"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text=_("Empty: the table's funded travel days for the mode (green travel: the days declared)."),
    )
    actual_start = models.DateField(_("actual first day"), null=True, blank=True)
    actual_end = models.DateField(_("actual last day"), null=True, blank=True)
    withdrawn_on = models.DateField(_("came home on"), null=True, blank=True)
    force_majeure = models.BooleanField(_("force majeure"), default=False)
    exceptional_travel_cost = money(
        _("exceptional travel, real cost (EUR)"),
        default=ZERO,
        help_text=_("Only when the standard travel amount covers less than 70 % of the real cost of the journey."),
    )
    exceptional_travel_justification = models.TextField(
        _("why the travel was expensive"), blank=True, help_text=_("Required with a real cost of travel.")
    )
    linguistic_support = models.BooleanField(
        _("linguistic support"), default=False, help_text=_("When Online Language Support does not cover the language.")
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mobility grant")
        verbose_name_plural = _("mobility grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="mobility_actual_end_after_start",
                violation_error_message=_("The last day cannot come before the first."),
            )
        ]

    def __str__(self):
        return str(self.assignment)


class AccompanyingPerson(models.Model):
    """A teacher who goes with a group, for which days and why; travel and individual support at staff rates."""

    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped

    class Reason(models.TextChoices):
        MINORS = "minors", _("Minors in the group")
        DISABILITY = "disability", _("A learner's disability or special needs")
        OTHER = "other", _("Other")

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.PROTECT, related_name="accompanying_stays", verbose_name=_("flow")
    )
    person = models.ForeignKey(
        "placements.ContactPerson", on_delete=models.PROTECT, related_name="accompanying_stays", verbose_name=_("who")
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    explanation = models.CharField(_("explanation"), max_length=250, blank=True)
    travel_mode = models.CharField(_("travel"), max_length=10, choices=TravelMode.choices, default=TravelMode.STANDARD)
    main_transport = main_transport_field()
    travel_days = models.PositiveSmallIntegerField(
        _("travel days"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    # What the Beneficiary Module asks of every participant, an accompanying person too.
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Participant.Gender.choices, blank=True)
    nationality = CountryField(_("nationality"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accompanying person")
        verbose_name_plural = _("accompanying persons")
        ordering = ["placement__start_date", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="accompanying_end_after_start",
                violation_error_message=_("The last day cannot come before the first."),
            )
        ]

    def __str__(self):
        return f"{self.person.name} – {self.placement}"


class PreparatoryVisit(models.Model):
    """A visit to a host before the mobilities, to prepare them: when, where and how many persons went. Its grant
    is the call year's unit cost per person, for at most the rate table's number of persons (3 in the Guide)."""

    project_path = "project"  # the way to its school, for accounts.roles.scoped

    project = models.ForeignKey(
        "placements.Project",
        on_delete=models.CASCADE,
        related_name="preparatory_visits",
        verbose_name=_("project"),
    )
    visited_on = models.DateField(_("date of the visit"))
    destination = models.CharField(
        _("destination"), max_length=200, help_text=_("The host organisation and its city, e.g. “Escola X, Braga”.")
    )
    persons = models.PositiveSmallIntegerField(_("persons"), validators=[MinValueValidator(1)])
    purpose = models.CharField(_("purpose"), max_length=250, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("preparatory visit")
        verbose_name_plural = _("preparatory visits")
        ordering = ["visited_on", "pk"]

    def __str__(self):
        return f"{self.destination} ({self.visited_on:%Y-%m-%d})"


def receipt_file_name(extension):
    return str(PurePosixPath("receipts") / f"{uuid.uuid4().hex}.{extension}")


class Receipt(PrivateFile):
    """A receipt or invoice, kept in the private files folder after the same checks as a learner's file."""

    school_path = "uploaded_by__memberships__organisation"  # the way to its school, for accounts.roles.scoped

    # path, original_name, content_type, size, uploaded_by, uploaded_at: common.private_files.PrivateFile

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self):
        return self.original_name


class RealCost(models.Model):
    """A cost paid at 100 % of its real amount, with the reason and the receipt: inclusion support (what a
    learner's situation needed) or an exceptional cost (visa, residence permit, vaccination, medical certificate)."""

    project_path = "assignment__placement__project"  # the way to its school, for accounts.roles.scoped

    class Kind(models.TextChoices):
        INCLUSION = "inclusion", _("Inclusion support (what the learner's situation needs)")
        VISA = "visa", _("Visa")
        PERMIT = "permit", _("Residence permit")
        VACCINATION = "vaccination", _("Vaccination")
        MEDICAL = "medical", _("Medical certificate")

    assignment = models.ForeignKey(
        "placements.Assignment", on_delete=models.PROTECT, related_name="real_costs", verbose_name=_("mobility")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INCLUSION)
    reason = models.CharField(_("reason"), max_length=250)
    amount = money(_("amount (EUR)"))
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("receipt")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("real cost")
        verbose_name_plural = _("real costs")
        ordering = ["pk"]

    def __str__(self):
        return self.reason

    @property
    def category(self):
        return Category.INCLUSION if self.kind == self.Kind.INCLUSION else Category.EXCEPTIONAL


class PaymentQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("placement", "receipt").prefetch_related("assignments__participant")


class Payment(models.Model):
    """Money the school paid: for learners, a flow, or the project as a whole."""

    project_path = "project"  # the way to its school, for accounts.roles.scoped

    class Currency(models.TextChoices):
        RON = "RON", "RON"
        EUR = "EUR", "EUR"

    class Method(models.TextChoices):
        CASH = "cash", _("cash")
        CARD = "card", _("card")

    project = models.ForeignKey(
        "placements.Project", on_delete=models.PROTECT, related_name="payments", verbose_name=_("project")
    )
    paid_on = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    placement = models.ForeignKey(
        "placements.Placement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("flow"),
    )
    assignments = models.ManyToManyField(
        "placements.Assignment", blank=True, related_name="payments", verbose_name=_("learners")
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("A payment must be more than zero."))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.RON)
    exchange_rate = models.DecimalField(
        _("exchange rate (RON for 1 EUR)"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"), message=_("The exchange rate must be more than zero."))],
        help_text=_("Usually the EU's monthly accounting rate. 1 for a payment in EUR."),
    )
    rate_reason = models.CharField(
        _("why another rate"),
        max_length=250,
        blank=True,
        help_text=_("When the bank's rate is used instead of the month's accounting rate: say why."),
    )
    amount_eur = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2, editable=False)
    description = models.CharField(_("what for"), max_length=250, blank=True)
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("receipt")
    )
    method = models.CharField(
        _("paid by"),
        max_length=10,
        choices=Method.choices,
        blank=True,
        help_text=_("For an allowance handed to a learner: cash or card. Its signed receipt is the receipt file."),
    )
    advance = models.BooleanField(_("advance"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[assignments])
    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exchange_rate__gt=0),
                name="payment_rate_positive",
                violation_error_message=_("The exchange rate must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message=_("A payment must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.paid_on:%Y-%m-%d} {self.payee} {self.amount} {self.currency}"

    def get_absolute_url(self):
        return reverse("grants:payment_edit", args=[self.pk])


class BudgetSnapshot(models.Model):
    """The figures a report stated, kept as they were: later edits to the rates or dates do not change them."""

    project_path = "project"  # the way to its school, for accounts.roles.scoped

    project = models.ForeignKey(
        "placements.Project", on_delete=models.CASCADE, related_name="budget_snapshots", verbose_name=_("project")
    )
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField()

    class Meta:
        verbose_name = _("budget snapshot")
        verbose_name_plural = _("budget snapshots")
        ordering = ["-taken_at", "-pk"]

    def __str__(self):
        return f"{self.project} {self.taken_at:%Y-%m-%d %H:%M}"


class ModuleFigures(models.Model):
    """What the EU's Beneficiary Module shows for one mobility (a learner's or an accompanying person's), typed by
    the coordinator from the Module's screen, to be compared with our figures before the report is submitted.

    An empty field was not typed and is not compared."""

    assignment = models.OneToOneField(
        "placements.Assignment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="module_figures",
        verbose_name=_("learner's mobility"),
    )
    stay = models.OneToOneField(
        AccompanyingPerson,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="module_figures",
        verbose_name=_("accompanying person"),
    )
    start = models.DateField(_("start date"), null=True, blank=True)
    end = models.DateField(_("end date"), null=True, blank=True)
    duration = models.PositiveSmallIntegerField(
        _("funded duration including travel days"), null=True, blank=True, validators=[MaxValueValidator(1000)]
    )
    travel_days = models.PositiveSmallIntegerField(
        _("travel days"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    band = models.CharField(_("distance band"), max_length=40, blank=True)
    green_travel = models.BooleanField(_("green travel"), null=True, blank=True)
    travel = money(_("travel (EUR)"), null=True, blank=True)
    individual = money(_("individual support (EUR)"), null=True, blank=True)
    organisational = money(_("organisational support (EUR)"), null=True, blank=True)
    inclusion = money(_("inclusion support (EUR)"), null=True, blank=True)
    linguistic = money(_("linguistic support (EUR)"), null=True, blank=True)
    exceptional = money(_("exceptional costs (EUR)"), null=True, blank=True)
    updated_at = models.DateTimeField(_("typed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("Beneficiary Module figures")
        verbose_name_plural = _("Beneficiary Module figures")
        constraints = [
            models.CheckConstraint(
                condition=(Q(assignment__isnull=False) & Q(stay__isnull=True))
                | (Q(assignment__isnull=True) & Q(stay__isnull=False)),
                name="module_figures_for_one_mobility",
                violation_error_message=_("The figures belong to one learner or one accompanying person."),
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="module_figures_end_after_start",
                violation_error_message=_("The last day cannot come before the first."),
            ),
        ]

    def __str__(self):
        return str(self.assignment or self.stay)


class ExchangeRate(models.Model):
    """The Commission's monthly accounting rate (InforEuro) of one currency: units of it for 1 EUR, for every cost
    incurred in that month. Loaded from InforEuro's published file, never typed from memory; one catalogue for
    the installation, like the rate tables."""

    currency = models.CharField(_("currency"), max_length=3)
    month = models.DateField(_("month"), help_text=_("The first day of the month the rate applies to."))
    rate = models.DecimalField(
        _("units for 1 EUR"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"), message=_("The exchange rate must be more than zero."))],
    )
    source = models.CharField(_("source"), max_length=250)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["loaded_at"])

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-month", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "month"],
                name="one_exchange_rate_per_currency_and_month",
                violation_error_message=_("This currency already has a rate for this month."),
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("The exchange rate must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="exchange_rate_month_first_day",
                violation_error_message=_("A month is named by its first day."),
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.currency} {self.rate}"
