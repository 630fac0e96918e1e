from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import FILE_HELP, DateInput

from .models import LearnerFile


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LearnerFile.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )


class WithdrawConsentForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput(), initial=timezone.localdate)


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        help_text=_("Required before the end of the retention period, e.g. “the learner asked to be forgotten”."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the names, contacts, restricted data and files cannot be brought back."),
    )
