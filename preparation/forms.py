from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from placements.models import Placement

from .models import InsurancePolicy, PreparationPlan, PreparationSession

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
