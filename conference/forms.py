import re

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from common.forms import DateTimeField

from .models import AgendaItem, Event, Registration, Speaker

# Markup has no place in a name or an organisation: refuse it rather than store it (it would be escaped on
# output anyway, but a name with "<script>" in it is not a name).
MARKUP = re.compile(r"[<>]")


def no_markup(value):
    if MARKUP.search(value or ""):
        raise forms.ValidationError(_("Use plain text: the characters < and > are not allowed."))
    return value


class RegistrationForm(forms.ModelForm):
    # A field people do not see (hidden by CSS, skipped by the keyboard); a robot that fills every field does.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the school keeps these details to organise the conference and to send me the "
            "certificate of attendance."
        ),
        error_messages={"required": _("Tick this box to register: we cannot register you without it.")},
    )

    class Meta:
        model = Registration
        fields = ["name", "email", "organisation", "type", "local_employer", "accessibility_needs"]
        labels = {
            "name": _("Your name"),
            "email": _("Your email address"),
            "organisation": _("Organisation"),
            "local_employer": _("My company is an employer from the school's region"),
            "accessibility_needs": _("Accessibility needs (optional)"),
        }
        help_texts = {
            "email": _("We send your personal code here: you need it to cancel, and at the desk."),
            "local_employer": _("Only for employers."),
            "accessibility_needs": _(
                "For example step-free access, a sign language interpreter or large print. Only the organisers see it."
            ),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "type": forms.RadioSelect,
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": _("Enter your name.")},
            "email": {"required": _("Enter your email address."), "invalid": _("Enter a valid email address.")},
            "type": {"required": _("Choose the type of your organisation.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = Registration.Type.choices  # no empty choice among the radio buttons

    def clean_name(self):
        return no_markup(" ".join(self.cleaned_data["name"].split()))

    def clean_organisation(self):
        return no_markup(" ".join(self.cleaned_data["organisation"].split()))

    def clean_accessibility_needs(self):
        return no_markup(self.cleaned_data["accessibility_needs"].strip())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("local_employer") and cleaned.get("type") != Registration.Type.EMPLOYER:
            self.add_error("local_employer", _("Only an employer can be a local employer: choose “Employer” above."))
        return cleaned

    def validate_unique(self):
        """The one-registration-per-email rule is checked, under the event's lock, by services.register."""


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "project",
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "city",
            "online_link",
            "description",
            "capacity",
            "registration_open",
            "published",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = {"starts_at": DateTimeField, "ends_at": DateTimeField}

    def clean_capacity(self):
        """Fewer places than people already confirmed would take places away: cancel registrations instead."""
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity is not None:
            confirmed = self.instance.registrations.filter(status=Registration.Status.CONFIRMED).count()
            if capacity < confirmed:
                raise forms.ValidationError(
                    _("%(count)d people already have a place: the conference needs at least as many places.")
                    % {"count": confirmed}
                )
        return capacity

    def clean(self):
        cleaned = super().clean()
        for name in ("title", "venue", "address", "city"):
            if cleaned.get(name):
                try:
                    no_markup(cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned


AgendaFormSet = inlineformset_factory(
    Event,
    AgendaItem,
    fields=["starts_at", "title", "speaker"],
    widgets={"starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")},
    extra=3,
    can_delete=True,
    max_num=60,  # a forged TOTAL_FORMS must not make the server build thousands of forms
    absolute_max=60,
    validate_max=True,
)

SpeakerFormSet = inlineformset_factory(
    Event,
    Speaker,
    fields=["name", "role", "organisation", "bio", "position"],
    widgets={"bio": forms.Textarea(attrs={"rows": 2})},
    extra=2,
    can_delete=True,
    max_num=30,
    absolute_max=30,
    validate_max=True,
)
