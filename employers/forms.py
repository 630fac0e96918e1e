from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import in_schools
from common.forms import DateInput, ModelMultipleChoiceField
from placements.models import Qualification

from .models import Agreement, ContactEvent, Introduction, Offer, PartnerProfile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = PartnerProfile
        fields = [
            "sector",
            "qualifications",
            "offers_jobs",
            "offers_interviews",
            "hosts_visits",
            "commitments",
            "public_listing_agreed_on",
        ]
        field_classes = {"qualifications": ModelMultipleChoiceField}
        widgets = {
            "qualifications": forms.CheckboxSelectMultiple,
            "public_listing_agreed_on": DateInput,
            "commitments": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qualifications"].queryset = Qualification.objects.order_by("name")


class ContactEventForm(forms.ModelForm):
    class Meta:
        model = ContactEvent
        fields = ["happened_on", "kind", "summary"]
        widgets = {"happened_on": DateInput}


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = ["kind", "title", "qualification", "places", "open_until", "description"]
        widgets = {"open_until": DateInput, "description": forms.Textarea(attrs={"rows": 3})}


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["organisation", "title", "scope", "starts_on", "ends_on", "renewal_due_on"]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "renewal_due_on": DateInput,
            "scope": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partners = Organisation.objects.filter(
            kind__in=[Organisation.Kind.EMPLOYER, Organisation.Kind.RECEIVING, Organisation.Kind.HOST]
        )
        # The partners of the schools where the user changes rows (roles per school): a staff school's partner is
        # theirs to read, not to sign an agreement with.
        self.fields["organisation"].queryset = in_schools(partners, user, write=True).order_by("name")


class IntroductionForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Graduate"), queryset=None)
    offer = forms.ModelChoiceField(label=_("Offer"), queryset=Offer.objects.none(), required=False)
    consent = forms.BooleanField(
        label=_("The graduate agreed to be introduced to this employer"),
        required=False,
        help_text=_("Ask them first: their name and qualification are passed on."),
    )
    consent_on = forms.DateField(label=_("They agreed on"), widget=DateInput, required=False)
    introduced_on = forms.DateField(label=_("Introduced on"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, organisation, graduates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = graduates
        self.fields["offer"].queryset = Offer.objects.filter(organisation=organisation)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Introduction.Outcome.choices)
