from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import in_schools, my_schools
from common.forms import DateInput, ModelMultipleChoiceField

from .models import Participant, age_on, projects

RESTRICTED_FIELDS = [
    "nationality",
    "barriers",
    "special_needs",
    "id_document_number",
    "id_document_expiry",
    "health_insurance_number",
    "health_insurance_expiry",
]


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = [
            "project",
            "school",
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "qualification",
            "email",
            "phone",
            "address",
            "emergency_contact_name",
            "emergency_contact_relation",
            "emergency_contact_phone",
            *RESTRICTED_FIELDS,
            "shared_with_mentor",
            "consent_data_processing_on",
            "consent_dissemination_on",
            "consent_given_by",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "id_document_expiry": DateInput(),
            "health_insurance_expiry": DateInput(),
            "consent_data_processing_on": DateInput(),
            "consent_dissemination_on": DateInput(),
            "barriers": forms.CheckboxSelectMultiple,
            "special_needs": forms.Textarea(attrs={"rows": 3}),
            "shared_with_mentor": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"barriers": ModelMultipleChoiceField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        consortia = projects().filter(member_schools__isnull=False)
        if user is not None and not in_schools(consortia, user, members=True).exists():
            del self.fields["school"]  # no consortium's project: every learner is their project's school's
        if not self.instance.pk and not self.initial.get("project"):
            latest = projects().order_by("-start_date")
            current = (in_schools(latest, user, write=True) if user else latest).first()
            if current:
                self.initial["project"] = current.pk

    def check_school(self, cleaned):
        """In a consortium's project a learner comes from the project's school or one of its member schools; a
        member school's office enters only its own learners (the consortium's enters any member's)."""
        if "school" not in self.fields:
            return
        project, school = cleaned.get("project"), cleaned.get("school")
        if not project:
            return
        if school and school != project.sending_organisation and school not in project.member_schools.all():
            self.add_error("school", _("This school does not send learners in this project."))
        elif self.user is not None and not in_schools(projects().filter(pk=project.pk), self.user, write=True):
            if not school or not my_schools(self.user, write=True).filter(organisation=school).exists():
                self.add_error("school", _("Choose your school: in this consortium's project you enter its learners."))

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born >= today:
            raise forms.ValidationError(_("The date of birth must be in the past."))
        if age_on(born, today) < 14:
            raise forms.ValidationError(_("A participant must be at least 14 years old."))
        if today.year - born.year > 100:
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for field in ("consent_data_processing_on", "consent_dissemination_on"):
            value = cleaned.get(field)
            if value and value > today:
                self.add_error(field, _("A consent cannot be dated in the future."))
            withdrawn = getattr(self.instance, field.replace("_on", "_withdrawn_on"), None)
            if value and withdrawn and field in self.changed_data and value < withdrawn:
                self.add_error(
                    field,
                    _("This consent was withdrawn on %(date)s: a new consent is dated on or after that day.")
                    % {"date": withdrawn},
                )
        self.check_school(cleaned)
        born = cleaned.get("date_of_birth")
        if born and cleaned.get("consent_given_by") == Participant.ConsentGiver.LEARNER:
            given = cleaned.get("consent_data_processing_on")
            if given and age_on(born, given) < 18:
                self.add_error(
                    "consent_given_by",
                    _("The learner was under 18 on that date: a parent or legal guardian gives the consent."),
                )
        return cleaned
