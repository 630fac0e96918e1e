from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.forms import FILE_HELP, AmountField, DateInput, ModelMultipleChoiceField, amount_formfield
from placements.models import Assignment, ContactPerson, Placement

from . import inforeuro
from .models import (
    AWARD_CATEGORIES,
    GREEN_TRANSPORT,
    AccompanyingPerson,
    AgencyPayment,
    CountryGroup,
    Location,
    MobilityGrant,
    ModuleFigures,
    Payment,
    PreparatoryVisit,
    ProjectGrant,
    RateTable,
    RealCost,
    TravelBand,
    TravelMode,
)
from .selectors import activity_limits

RATE_HELP = _(
    "Empty: the month's accounting rate (InforEuro). Another rate, such as the bank's, needs the reason. "
    "1 for a payment in EUR."
)


RECEIPT_HELP = FILE_HELP
RECEIPT_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def receipt_field(required=False):
    return forms.FileField(
        label=_("Receipt or invoice"),
        required=required,
        help_text=RECEIPT_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": RECEIPT_ACCEPT}),
    )


class RateTableForm(forms.ModelForm):
    class Meta:
        formfield_callback = amount_formfield  # money as people write it: "3.450,50"
        model = RateTable
        fields = [
            "call_year",
            "label",
            "actions",
            "source",
            "is_example",
            "standard_travel_days",
            "standard_travel_days_source",
            "green_travel_days",
            "green_travel_days_source",
            "organisational_support",
            "organisational_support_up_to",
            "organisational_support_beyond",
            "organisational_support_source",
            "inclusion_support",
            "inclusion_support_source",
            "linguistic_support",
            "linguistic_support_source",
            "exceptional_travel_threshold",
            "exceptional_travel_share",
            "exceptional_travel_share_source",
            "preparatory_visit",
            "preparatory_visit_persons",
            "preparatory_visit_source",
            "long_stay_from_day",
            "long_stay_percent",
            "long_stay_source",
            "transfer_limit_percent",
            "transfer_limit_source",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["long_stay_from_day"].required = True


class BandForm(forms.ModelForm):
    class Meta:
        formfield_callback = amount_formfield
        model = TravelBand
        fields = ["min_km", "max_km", "standard_amount", "green_amount", "source"]


class BaseBandFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        bands = sorted(
            (form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")),
            key=lambda form: form.cleaned_data["min_km"],
        )
        if not bands:
            raise ValidationError(_("Give at least one distance band."))
        for before, after in zip(bands, bands[1:], strict=False):
            end = before.cleaned_data["max_km"]
            start = after.cleaned_data["min_km"]
            if end is None:
                before.add_error("max_km", _("Only the last band may be open-ended."))
            elif start <= end:
                after.add_error("min_km", _("This band overlaps the band that ends at %(km)s km.") % {"km": end})
            elif start > end + 1:
                after.add_error(
                    "min_km",
                    _("A band is missing: nothing covers %(start)s–%(end)s km.") % {"start": end + 1, "end": start - 1},
                )


# Enough empty rows for a whole table at once (the Guide has seven bands); a copied table gets its rows filled.
BAND_ROWS = 8
GROUP_ROWS = 3


def band_formset(extra=BAND_ROWS):
    return forms.inlineformset_factory(
        RateTable, TravelBand, form=BandForm, formset=BaseBandFormSet, extra=extra, can_delete=True
    )


BandFormSet = band_formset()


class CountryGroupForm(forms.ModelForm):
    class Meta:
        formfield_callback = amount_formfield
        model = CountryGroup
        fields = ["number", "countries", "learner_per_day", "accompanying_per_day", "source"]
        widgets = {"countries": forms.Textarea(attrs={"rows": 2})}

    def clean_countries(self):
        codes = self.cleaned_data["countries"].replace(",", " ").upper().split()
        unknown = [code for code in codes if code not in dict(countries)]
        if unknown:
            raise ValidationError(_("Not a country code: %(codes)s.") % {"codes": ", ".join(unknown)})
        if not codes:
            raise ValidationError(_("Name at least one country."))
        return ", ".join(dict.fromkeys(codes))


class BaseGroupFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        seen: dict[str, int] = {}
        numbers = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            number = form.cleaned_data["number"]
            if number in numbers:
                form.add_error("number", _("This group is already in the table."))
            numbers.add(number)
            for code in form.cleaned_data["countries"].replace(",", " ").split():
                if code in seen and seen[code] != number:
                    form.add_error(
                        "countries", _("%(code)s is already in group %(group)s.") % {"code": code, "group": seen[code]}
                    )
                seen[code] = number
        if not numbers:
            raise ValidationError(_("Give at least one country group."))


def group_formset(extra=GROUP_ROWS):
    return forms.inlineformset_factory(
        RateTable, CountryGroup, form=CountryGroupForm, formset=BaseGroupFormSet, extra=extra, can_delete=True
    )


GroupFormSet = group_formset()


def copied_table(previous, year):
    """A new, unsaved table for `year` started from `previous`: its figures and sources, its bands and groups as
    initial rows, to be corrected before saving."""
    names = [name for name in RateTableForm.Meta.fields if name not in ("call_year", "is_example")]
    initial = {name: getattr(previous, name) for name in names}
    initial.update(call_year=year, label=f"VET mobility, call {year}")
    bands = [{name: getattr(band, name) for name in BandForm.Meta.fields} for band in previous.bands.all()]
    groups = [{name: getattr(group, name) for name in CountryGroupForm.Meta.fields} for group in previous.groups.all()]
    return initial, bands, groups


class LocationForm(forms.ModelForm):
    class Meta:
        formfield_callback = amount_formfield
        model = Location
        fields = ["place", "latitude", "longitude"]


class CitySearchForm(forms.Form):
    q = forms.CharField(label=_("City"), max_length=100, required=False)


class ProjectGrantForm(forms.ModelForm):
    class Meta:
        formfield_callback = amount_formfield
        model = ProjectGrant
        fields = [
            "call_year",
            "max_grant",
            "prefinancing_percent",
            "prefinancing_due_on",
            "awarded_travel",
            "awarded_individual",
            "awarded_organisational",
            "awarded_inclusion",
            "awarded_linguistic",
            "awarded_exceptional",
            "awarded_preparatory",
            "transfer_rule",
            "final_report_accepted_on",
        ]
        widgets = {
            "transfer_rule": forms.Textarea(attrs={"rows": 3}),
            "prefinancing_due_on": DateInput(),
            "final_report_accepted_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Most projects have no preparatory visit: left empty, nothing is awarded for them.
        self.fields["awarded_preparatory"].required = False

    def clean_awarded_preparatory(self):
        return self.cleaned_data.get("awarded_preparatory") or Decimal("0.00")

    def clean(self):
        data = super().clean()
        awarded = sum((data.get(f"awarded_{category}") or Decimal(0)) for category in AWARD_CATEGORIES)
        most = data.get("max_grant")
        if most is not None and awarded > most:
            self.add_error(
                "max_grant",
                _("The categories add up to %(awarded)s EUR, more than the maximum grant.") % {"awarded": awarded},
            )
        return data


class AgencyPaymentForm(forms.ModelForm):
    class Meta:
        model = AgencyPayment
        fields = ["received_on", "kind", "amount", "note"]
        widgets = {"received_on": DateInput()}


AgencyPaymentFormSet = forms.inlineformset_factory(
    ProjectGrant, AgencyPayment, form=AgencyPaymentForm, extra=2, can_delete=True
)


def settle_rate(form, data):
    """A payment's exchange rate: 1 for EUR; for RON the month's accounting rate (InforEuro) unless the coordinator
    gives another, the bank's, with a reason, within 10 % of the month's and not inverted. No month's rate and no
    rate given: the form says so and where to load it, rather than guess."""
    currency, paid_on, rate = data.get("currency"), data.get("paid_on"), data.get("exchange_rate")
    if currency == Payment.Currency.EUR:
        if rate not in (None, Decimal("1")):
            form.add_error("exchange_rate", _("A payment in EUR has the exchange rate 1."))
        else:
            data["exchange_rate"] = Decimal("1")
        return
    if not currency or not paid_on:
        return
    month = inforeuro.rate_for(currency, paid_on)
    if month is None:
        if rate is None or not data.get("rate_reason"):
            form.add_error(
                "exchange_rate",
                format_html(
                    _(
                        "There is no accounting rate (InforEuro) for {currency} in {month}: it is loaded on the "
                        '<a href="{url}">Exchange rates</a> page, or give the bank\'s rate with the reason.'
                    ),
                    currency=currency,
                    month=date_format(paid_on, "YEAR_MONTH_FORMAT"),
                    url=reverse("grants:exchange_rates"),
                ),
            )
        elif rate < 1:
            form.add_error("exchange_rate", _("The rate is RON for 1 EUR, more than 1: this one looks inverted."))
        return
    if rate is None or rate == month.rate:
        data["exchange_rate"] = month.rate
        return
    problem = inforeuro.problem_with(rate, month.rate)
    if problem:
        form.add_error("exchange_rate", problem)
    elif not data.get("rate_reason"):
        form.add_error(
            "rate_reason",
            _("%(rate)s is not the month's accounting rate (%(month)s): say why, e.g. the bank's rate of the day.")
            % {"rate": rate, "month": month.rate},
        )


def check_transport(form, data):
    """The Module derives green travel from the main means of transport: the two must agree."""
    transport, mode = data.get("main_transport"), data.get("travel_mode")
    if not transport or not mode:
        return
    if (mode == TravelMode.GREEN) != (transport in GREEN_TRANSPORT):
        form.add_error(
            "main_transport",
            _("Green travel means train, bus or car-sharing for most of the way; choose the travel that matches."),
        )


class MobilityGrantForm(forms.ModelForm):
    """The facts of one mobility the grant depends on, checked against the Guide's limits before anything is
    saved: days of activity, the project's dates, a stage cut short (date, reason, force majeure or not) and
    expensive travel (the real cost with its justification)."""

    force_majeure = forms.TypedChoiceField(
        label=_("Force majeure"),
        required=False,
        choices=[("", "—"), ("yes", _("yes")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        help_text=_("For a learner who came home early: an illness, an accident, a family emergency and the like."),
    )

    class Meta:
        formfield_callback = amount_formfield
        model = MobilityGrant
        fields = [
            "travel_mode",
            "main_transport",
            "travel_days",
            "actual_start",
            "actual_end",
            "withdrawn_on",
            "force_majeure",
            "exceptional_travel_cost",
            "exceptional_travel_justification",
            "linguistic_support",
            "note",
        ]
        widgets = {
            "actual_start": DateInput(),
            "actual_end": DateInput(),
            "withdrawn_on": DateInput(),
            "exceptional_travel_justification": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.withdrawn_on:
            self.initial["force_majeure"] = "yes" if self.instance.force_majeure else "no"

    def clean(self):
        data = super().clean()
        assignment = self.instance.assignment
        placement = assignment.placement
        project = placement.project
        withdrawn = assignment.status == Assignment.Status.WITHDRAWN
        came_home = data.get("withdrawn_on")
        if came_home and not withdrawn:
            self.add_error(
                "withdrawn_on",
                _("Withdraw the learner on the assignment first (status and reason), then give the date."),
            )
        if came_home and withdrawn and not assignment.withdrawal_reason.strip():
            self.add_error("withdrawn_on", _("Give the reason for the early return on the assignment first."))
        start = data.get("actual_start") or placement.start_date
        end = data.get("actual_end") or placement.end_date
        if came_home and came_home < start:
            self.add_error("withdrawn_on", _("The learner cannot come home before the stay starts."))
        if came_home and data.get("force_majeure") is None:
            self.add_error("force_majeure", _("Say whether the early return was force majeure."))
        if data.get("force_majeure") and not came_home:
            self.add_error("force_majeure", _("Force majeure applies to a learner who came home early: give the date."))
        check_transport(self, data)
        data["force_majeure"] = bool(data.get("force_majeure"))
        for name, day in (("actual_start", data.get("actual_start")), ("actual_end", data.get("actual_end"))):
            if day and not project.start_date <= day <= project.end_date:
                self.add_error(
                    name,
                    _("The project runs from %(start)s to %(end)s: the mobility must lie within it.")
                    % {"start": date_format(project.start_date), "end": date_format(project.end_date)},
                )
        if start and end and end >= start:
            kind, (least, most) = activity_limits(placement)
            days = ((came_home or end) - start).days + 1
            if days > most or (days < least and not came_home):
                self.add_error(
                    "actual_end" if data.get("actual_end") else None,
                    _("%(days)s days of activity: a %(kind)s lasts %(least)s–%(most)s days (travel days excluded).")
                    % {"days": f"{days:,}", "kind": kind, "least": least, "most": most},
                )
        elif data.get("actual_start") or data.get("actual_end"):
            self.add_error("actual_end", _("The last day cannot come before the first."))
        if data.get("travel_mode") == TravelMode.STANDARD and data.get("travel_days") and data["travel_days"] > 2:
            self.add_error("travel_days", _("Standard travel funds at most 2 travel days; more need green travel."))
        if data.get("exceptional_travel_cost") and not (data.get("exceptional_travel_justification") or "").strip():
            self.add_error(
                "exceptional_travel_justification", _("Say why the travel was expensive: the Module asks for it.")
            )
        return data


class AccompanyingForm(forms.ModelForm):
    class Meta:
        formfield_callback = amount_formfield
        model = AccompanyingPerson
        fields = [
            "person",
            "start",
            "end",
            "reason",
            "explanation",
            "travel_mode",
            "main_transport",
            "travel_days",
            "date_of_birth",
            "gender",
            "nationality",
        ]
        widgets = {"start": DateInput(), "end": DateInput(), "date_of_birth": DateInput()}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.placement = placement
        self.fields["person"].queryset = ContactPerson.objects.filter(
            organisation_id=placement.project.sending_organisation_id
        )
        if not self.instance.pk:
            self.initial.setdefault("start", placement.start_date)
            self.initial.setdefault("end", placement.end_date)

    def clean(self):
        data = super().clean()
        check_transport(self, data)
        if data.get("reason") == AccompanyingPerson.Reason.OTHER and not data.get("explanation"):
            self.add_error("explanation", _("Say why the group needs an accompanying person."))
        project = self.placement.project
        for name in ("start", "end"):
            day = data.get(name)
            if day and not project.start_date <= day <= project.end_date:
                self.add_error(
                    name,
                    _("The project runs from %(start)s to %(end)s: the mobility must lie within it.")
                    % {"start": date_format(project.start_date), "end": date_format(project.end_date)},
                )
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The last day cannot come before the first."))
        return data


class RealCostForm(forms.ModelForm):
    receipt_file = receipt_field()

    class Meta:
        formfield_callback = amount_formfield
        model = RealCost
        fields = ["kind", "reason", "amount"]


class PaymentForm(forms.ModelForm):
    assignments = ModelMultipleChoiceField(
        queryset=Assignment.objects.none(),
        required=False,
        label=_("Learners"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    receipt_file = receipt_field()

    class Meta:
        formfield_callback = amount_formfield
        model = Payment
        fields = [
            "paid_on",
            "payee",
            "category",
            "placement",
            "assignments",
            "amount",
            "currency",
            "exchange_rate",
            "rate_reason",
            "method",
            "advance",
            "description",
        ]
        widgets = {"paid_on": DateInput()}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["placement"].queryset = Placement.objects.filter(project=project)
        # Every learner is offered, so that one of another project is refused on the field with a clear message
        # rather than silently dropped.
        self.fields["assignments"].queryset = Assignment.objects.select_related("participant", "placement")
        self.fields["assignments"].choices = [
            (a.pk, f"{a.participant} – {a.placement}")
            for a in Assignment.objects.filter(placement__project=project).select_related("participant", "placement")
        ]
        self.fields["exchange_rate"].required = False
        self.fields["exchange_rate"].help_text = RATE_HELP

    def clean_assignments(self):
        chosen = self.cleaned_data["assignments"]
        foreign = [a for a in chosen if a.placement.project_id != self.project.pk]
        if foreign:
            raise ValidationError(_("A payment can only be for learners of this project."))
        return chosen

    def clean(self):
        data = super().clean()
        settle_rate(self, data)
        placement = data.get("placement")
        if placement is not None and placement.project_id != self.project.pk:
            self.add_error("placement", _("Choose a flow of this project."))
        return data


class ModuleFiguresForm(forms.ModelForm):
    """What the Beneficiary Module's screen shows for one mobility; leave a field empty to skip it."""

    band = forms.ChoiceField(label=_("Distance band"), required=False)
    green_travel = forms.NullBooleanField(
        label=_("Green travel"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("not typed")), ("true", _("yes")), ("false", _("no"))]),
    )

    class Meta:
        formfield_callback = amount_formfield
        model = ModuleFigures
        fields = [
            "start",
            "end",
            "duration",
            "travel_days",
            "band",
            "green_travel",
            "travel",
            "individual",
            "organisational",
            "inclusion",
            "linguistic",
            "exceptional",
        ]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("not typed"))] + [(str(band), str(band)) for band in bands]
        current = self.instance.band
        if current and current not in dict(choices):
            choices.append((current, current))
        self.fields["band"].choices = choices

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day cannot come before the first."))
        return data


class AllowanceForm(forms.Form):
    """Money handed to one learner of the flow: an advance, a part or the rest of the allowance."""

    assignment = forms.ChoiceField(label=_("Learner"))
    paid_on = forms.DateField(label=_("Date"), widget=DateInput())
    amount = AmountField(
        label=_("Amount"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("A payment must be more than zero.")},
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Payment.Currency.choices, initial=Payment.Currency.RON)
    exchange_rate = AmountField(
        label=_("Exchange rate (RON for 1 EUR)"),
        thousands=False,
        max_digits=10,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        required=False,
        help_text=RATE_HELP,
        error_messages={"min_value": _("The exchange rate must be more than zero.")},
    )
    rate_reason = forms.CharField(label=_("Why another rate"), max_length=250, required=False)
    method = forms.ChoiceField(label=_("Paid by"), choices=Payment.Method.choices, initial=Payment.Method.CASH)
    advance = forms.BooleanField(label=_("Advance"), required=False)
    description = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args, placement, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.placement = placement
        self.learners = {str(a.pk): a for a in learners}
        self.fields["assignment"].choices = [("", "—")] + [(pk, str(a.participant)) for pk, a in self.learners.items()]
        self.fields["assignment"].error_messages["invalid_choice"] = _("Choose a learner of this flow.")

    def clean_assignment(self):
        return self.learners[self.cleaned_data["assignment"]]

    def clean(self):
        data = super().clean()
        settle_rate(self, data)
        return data


class SignedCopyForm(forms.Form):
    signed_copy = forms.FileField(
        label=_("Signed receipt"),
        help_text=RECEIPT_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": RECEIPT_ACCEPT}),
    )


class ModuleImportForm(forms.Form):
    workbook = forms.FileField(
        label=_("The Module's workbook (.xlsx)"),
        help_text=_("At most 5 MB. Row 1 names the columns, as in our Beneficiary Module export."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class InforEuroForm(forms.Form):
    """InforEuro's monthly file, for the month it belongs to."""

    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=_("The month the rates apply to, as chosen on InforEuro's site."),
    )
    rates_file = forms.FileField(
        label=_("InforEuro's monthly file (JSON)"),
        help_text=_("From InforEuro's site: the monthly rates of all currencies, as JSON. At most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )


class PreparatoryVisitForm(forms.ModelForm):
    """A preparatory visit: within the project's dates, and no more persons than the call year's rate table funds
    (the Guide: 3). Without a rate table the number is not checked here; the budget page says the table is missing."""

    class Meta:
        model = PreparatoryVisit
        fields = ["visited_on", "destination", "persons", "purpose"]
        widgets = {"visited_on": DateInput(), "persons": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"})}

    def __init__(self, *args, project, most_persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.most_persons = most_persons
        if most_persons is not None:
            self.fields["persons"].help_text = _("At most %(most)s persons are funded per visit.") % {
                "most": most_persons
            }

    def clean_persons(self):
        persons = self.cleaned_data["persons"]
        if self.most_persons is not None and persons > self.most_persons:
            raise forms.ValidationError(
                _("A preparatory visit is funded for at most %(most)s persons; %(persons)s were entered.")
                % {"most": self.most_persons, "persons": persons}
            )
        return persons

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        project = self.project
        if day < project.start_date or day > project.end_date:
            raise forms.ValidationError(
                _("The visit must take place within the project (%(first)s – %(last)s).")
                % {"first": date_format(project.start_date), "last": date_format(project.end_date)}
            )
        return day
