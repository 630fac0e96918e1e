from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import ModelMultipleChoiceField, ZoneSelect
from common.locales import zone
from placements.models import Placement

from .models import Accommodation, Incident, InsurancePolicy, PreparationPlan, PreparationSession, Room, TravelLeg

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    class Meta:
        model = PreparationPlan
        fields = ["minimum_hours"]


class SessionForm(forms.ModelForm):
    class Meta:
        model = PreparationSession
        fields = ["topic", "title", "starts_at", "hours", "trainer", "place", "materials"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "materials": forms.Textarea(attrs={"rows": 3}),
        }


PolicyFormSet = inlineformset_factory(
    Placement,
    InsurancePolicy,
    fields=["cover", "insurer", "number", "phone", "valid_from", "valid_until"],
    widgets={"valid_from": DATE, "valid_until": DATE},
    extra=1,
    can_delete=True,
)


class ConsentUploadForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    file = forms.FileField(
        label=_("Signed copy (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class TripPlanForm(forms.ModelForm):
    class Meta:
        model = PreparationPlan
        fields = ["minimum_hours", "meeting_point", "meeting_at", "what_to_bring", "local_transport", "school_phone"]
        widgets = {
            "meeting_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "what_to_bring": forms.Textarea(attrs={"rows": 5}),
            "local_transport": forms.Textarea(attrs={"rows": 3}),
        }


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LegForm(forms.ModelForm):
    class Meta:
        model = TravelLeg
        fields = [
            "direction",
            "mode",
            "carrier",
            "departure_place",
            "departs_at",
            "departure_zone",
            "arrival_place",
            "arrives_at",
            "arrival_zone",
            "booking_reference",
            "travellers",
            "accompanying",
        ]
        widgets = {
            "departs_at": DATETIME,
            "arrives_at": DATETIME,
            "departure_zone": ZoneSelect,
            "arrival_zone": ZoneSelect,
            "travellers": forms.CheckboxSelectMultiple,
            "accompanying": forms.CheckboxSelectMultiple,
        }
        field_classes = {"travellers": ModelMultipleChoiceField, "accompanying": ModelMultipleChoiceField}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.placement = placement
        self.fields["departs_at"].help_text = _("The local time of the place, as on the ticket.")
        self.fields["arrives_at"].help_text = _("The local time of the place, as on the ticket.")
        if self.instance.pk:
            # Shown as the ticket gives them, whatever the reader's own clock.
            self.initial["departs_at"] = wall_clock(self.instance.departs_at, self.instance.departure_zone_name)
            self.initial["arrives_at"] = wall_clock(self.instance.arrives_at, self.instance.arrival_zone_name)
        self.fields["travellers"].queryset = placement.assignments.active().select_related("participant")
        self.fields["travellers"].label_from_instance = lambda a: a.participant.full_name
        self.fields["accompanying"].queryset = placement.accompanying_persons.all()

    def clean(self):
        """The times typed are the local times of each end: read them on that end's clock."""
        cleaned = super().clean()
        leg = self.instance
        leg.direction = cleaned.get("direction") or leg.direction
        leg.departure_zone = cleaned.get("departure_zone", leg.departure_zone)
        leg.arrival_zone = cleaned.get("arrival_zone", leg.arrival_zone)
        for field, zone_name in (("departs_at", leg.departure_zone_name), ("arrives_at", leg.arrival_zone_name)):
            if cleaned.get(field):
                cleaned[field] = on_clock(cleaned[field], zone_name)
        if cleaned.get("departs_at") and cleaned.get("arrives_at") and cleaned["arrives_at"] <= cleaned["departs_at"]:
            self.add_error("arrives_at", _("A leg must arrive after it departs."))
        return cleaned


def wall_clock(moment, zone_name):
    """The moment as the clock on the wall of that zone shows it, without a zone (for a datetime-local field)."""
    return timezone.localtime(moment, zone(zone_name)).replace(tzinfo=None)


def on_clock(moment, zone_name):
    """The moment a form read on the reader's clock, read again as that zone's wall clock."""
    naive = timezone.localtime(moment).replace(tzinfo=None)
    return timezone.make_aware(naive, zone(zone_name))


class BaseLegFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return super().get_form_kwargs(index) | {"placement": self.instance}


LegFormSet = inlineformset_factory(Placement, TravelLeg, form=LegForm, formset=BaseLegFormSet, extra=1, can_delete=True)
AccommodationFormSet = inlineformset_factory(
    Placement,
    Accommodation,
    fields=["name", "address", "host_contact", "host_phone"],
    extra=1,
    can_delete=True,
)


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "occupants"]
        widgets = {"occupants": forms.CheckboxSelectMultiple}
        field_classes = {"occupants": ModelMultipleChoiceField}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupants"].queryset = placement.assignments.active().select_related("participant")
        self.fields["occupants"].label_from_instance = lambda a: a.participant.full_name


class BaseRoomFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return super().get_form_kwargs(index) | {"placement": self.instance.placement}

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            for occupant in form.cleaned_data.get("occupants", []):
                if occupant.pk in seen:
                    raise forms.ValidationError(
                        _("%(name)s is in two rooms: choose one.") % {"name": occupant.participant.full_name}
                    )
                seen.add(occupant.pk)


RoomFormSet = inlineformset_factory(
    Accommodation, Room, form=RoomForm, formset=BaseRoomFormSet, extra=2, can_delete=True
)


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["assignment", "kind", "occurred_at", "description", "action_taken", "follow_up", "closed"]
        widgets = {
            "occurred_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
            "action_taken": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = placement.assignments.select_related("participant")
        self.fields["assignment"].label_from_instance = lambda a: a.participant.full_name


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the withdrawal"), max_length=500)


class SharedNotesForm(forms.Form):
    shared_with_teachers = forms.CharField(
        label=_("Support notes for the accompanying teachers"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Printed on the emergency sheet. Write only what they need, e.g. “takes medicine at 8:00”."),
    )
