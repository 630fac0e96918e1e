from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import OFFICE
from common.forms import FILE_HELP, ModelMultipleChoiceField
from conference.forms import no_markup
from placements.models import Placement, Qualification

from .models import Application, ApplicationDocument, Call, CallFlow, CommitteeMember, Criterion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = [
            "project",
            "title",
            "opens_on",
            "closes_on",
            "interviews_on",
            "decision_on",
            "appeals_until",
            "min_age",
            "max_age",
            "eligibility",
            "tie_break",
            "text_ro",
            "plain_ro",
            "text_en",
            "plain_en",
            "appeal_route",
            "published",
        ]
        widgets = (
            {name: DATE for name in ["opens_on", "closes_on", "interviews_on", "decision_on", "appeals_until"]}
            | {
                name: forms.Textarea(attrs={"rows": 4})
                for name in ["eligibility", "text_ro", "plain_ro", "text_en", "plain_en", "appeal_route"]
            }
            | {"tie_break": forms.RadioSelect}
        )


class BaseFlowFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Only the call's own project's flows.
        form.fields["placement"].queryset = Placement.objects.filter(project_id=self.instance.project_id)


FlowFormSet = inlineformset_factory(
    Call, CallFlow, formset=BaseFlowFormSet, fields=["placement", "places", "reserve_places"], extra=2, can_delete=True
)
CriterionFormSet = inlineformset_factory(
    Call,
    Criterion,
    fields=["name", "weight", "max_score", "fewer_opportunities", "position", "descriptors"],
    widgets={"descriptors": forms.Textarea(attrs={"rows": 3})},
    extra=2,
    can_delete=True,
)


class CommitteeMemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["user"]

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Members are office accounts: a mentor at a host company has no part in choosing the learners. And of the
        # call's school: a member reads every application, so another school's people are neither offered nor
        # taken (accounts.Membership; a consortium's call, the consortium's office).
        users = User.objects.filter(role__in=OFFICE, is_active=True)
        if call is not None:
            school = call.project.sending_organisation_id
            users = users.filter(memberships__organisation=school, memberships__role__in=OFFICE)
        self.fields["user"].queryset = users.distinct()


class BaseCommitteeFormSet(BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "call": self.instance}


CommitteeFormSet = inlineformset_factory(
    Call, CommitteeMember, form=CommitteeMemberForm, formset=BaseCommitteeFormSet, extra=2, can_delete=True
)


class ApplicationForm(forms.ModelForm):
    """Entered by the office on a learner's behalf, on a phone: one column, the fields a teacher knows."""

    class Meta:
        model = Application
        fields = [
            "placement",
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "qualification",
            "phone",
            "email",
            "language",
            "fewer_opportunities",
            "barriers",
            "motivation",
        ]
        widgets = {
            "barriers": forms.CheckboxSelectMultiple,
            "date_of_birth": DATE,
            "gender": forms.RadioSelect,
            "language": forms.RadioSelect,
            "motivation": forms.Textarea(attrs={"rows": 3}),
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        field_classes = {"barriers": ModelMultipleChoiceField}
        error_messages = {
            "first_name": {"required": _("Enter the learner's first name.")},
            "last_name": {"required": _("Enter the learner's last name.")},
            "date_of_birth": {"required": _("Enter the date of birth."), "invalid": _("Enter a valid date.")},
            "gender": {"required": _("Choose one.")},
            "placement": {"required": _("Choose the flow.")},
            "qualification": {"required": _("Choose the qualification.")},
        }

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = call.project.placements.filter(call_flows__call=call)
        self.fields["placement"].empty_label = None
        self.fields["qualification"].queryset = Qualification.objects.filter(
            placements__project=call.project
        ).distinct()
        self.fields["gender"].choices = Application._meta.get_field("gender").choices
        self.fields["language"].choices = Application.Language.choices

    def clean_first_name(self):
        return no_markup(" ".join(self.cleaned_data["first_name"].split()))

    def clean_last_name(self):
        return no_markup(" ".join(self.cleaned_data["last_name"].split()))

    def clean_motivation(self):
        return no_markup(self.cleaned_data["motivation"].strip())

    def clean(self):
        cleaned = super().clean()
        # A category names a learner with fewer opportunities: the tick follows it.
        if cleaned.get("barriers"):
            cleaned["fewer_opportunities"] = True
        return cleaned


class PublicApplicationForm(ApplicationForm):
    """The learner's own form: no fewer-opportunities flag (the school checks that), a honeypot and consent."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    agree = forms.BooleanField(
        label=_("I agree that the school keeps these details to choose the learners who go."),
        error_messages={"required": _("Tick this box to apply: we cannot keep your application without it.")},
    )

    class Meta(ApplicationForm.Meta):
        fields = [f for f in ApplicationForm.Meta.fields if f not in ("fewer_opportunities", "barriers")]
        labels = {
            "placement": _("Where do you want to go?"),
            "first_name": _("Your first name"),
            "last_name": _("Your last name"),
            "date_of_birth": _("Your date of birth"),
            "qualification": _("What do you learn at school?"),
            "phone": _("Your phone number"),
            "email": _("Your email (if you have one)"),
            "language": _("Write to me in"),
            "motivation": _("Why do you want to go? (optional)"),
        }

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""


class ScoreForm(forms.Form):
    """A member's scores on one application: one choice per committee-scored criterion, each choice its
    descriptor."""

    def __init__(self, *args, criteria, initial_scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            descriptors = criterion.descriptor_lines()
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.name} (× {criterion.weight})",
                choices=[(score, f"{score} – {text}" if text else str(score)) for score, text in descriptors.items()],
                coerce=int,
                widget=forms.RadioSelect,
                initial=initial_scores.get(criterion.pk),
                error_messages={"required": _("Choose a score.")},
            )

    def scores(self):
        return {criterion.pk: self.cleaned_data[f"c{criterion.pk}"] for criterion in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Conflict of interest"),
        max_length=250,
        help_text=_("e.g. “a relative”, “I am the learner's form teacher”. You will not score this applicant."),
        error_messages={"required": _("Say what the conflict of interest is.")},
    )


class ReplaceForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=500,
        error_messages={"required": _("Give the reason for the withdrawal.")},
    )


class AppealForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("upheld", _("Upheld")), ("rejected", _("Rejected"))],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    decision = forms.CharField(
        label=_("Decision and reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )


class ApplicationDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ApplicationDocument.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
