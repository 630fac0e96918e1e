from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Outcome
from common.forms import DateInput, ModelMultipleChoiceField

from .models import FollowUp, Recognition


class RecognitionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Recognition.Decision.choices, widget=forms.RadioSelect)
    outcomes = ModelMultipleChoiceField(
        label=_("Learning outcomes the school recognises"),
        queryset=Outcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ticked to begin with: the outcomes the final assessment rated “independently” or better."),
    )
    how = forms.CharField(
        label=_("How the school recognises them"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Recognition._meta.get_field("how").help_text,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)

    def __init__(self, *args, qualification_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].queryset = (
            Outcome.objects.filter(unit__qualification_id=qualification_id)
            .select_related("unit")
            .order_by("unit__position", "unit_id", "position", "pk")
        )
        self.fields["outcomes"].label_from_instance = lambda o: f"{o.unit.title}: {o.text}"


class FollowUpForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Checkpoint"), coerce=int, choices=FollowUp._meta.get_field("months").choices
    )
    consent = forms.BooleanField(label=_("The learner agrees that the school records what they do now"), required=False)
    situation = forms.ChoiceField(label=_("Situation"), choices=FollowUp.Situation.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    recorded_on = forms.DateField(label=_("Date of the call"), widget=DateInput)
