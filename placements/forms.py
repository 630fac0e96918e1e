from django import forms
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role, User
from common.forms import DateInput, ModelMultipleChoiceField, ZoneSelect
from participants.models import Participant

from .models import Assignment, ContactPerson, Placement, Project, Qualification


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "title",
            "reference",
            "key_action",
            "sending_organisation",
            "start_date",
            "end_date",
            "required_attendance_rate",
            "member_schools",
            "summary",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "member_schools": forms.CheckboxSelectMultiple,
        }
        field_classes = {"member_schools": ModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sending_organisation"].queryset = Organisation.objects.filter(kind=Organisation.Kind.SENDING)
        self.fields["member_schools"].queryset = Organisation.objects.filter(kind=Organisation.Kind.SENDING)

    def clean(self):
        cleaned = super().clean()
        members = cleaned.get("member_schools")
        if members is None:
            return cleaned
        if cleaned.get("sending_organisation") in members:
            self.add_error("member_schools", _("The consortium itself is the sending organisation, not a member."))
        if self.instance.pk:
            dropped = Participant.objects.filter(project=self.instance, school__isnull=False).exclude(
                school__in=members
            )
            school = dropped.select_related("school").first()
            if school:
                self.add_error(
                    "member_schools",
                    _("%(school)s still has learners in this project: move them first.") % {"school": school.school},
                )
        return cleaned


class OrganisationForm(forms.ModelForm):
    """An organisation of the address books `schools` (a new one's: its creator's; a saved one's: its own)."""

    class Meta:
        model = Organisation
        fields = ["name", "kind", "oid", "country", "city", "address", "website", "email", "phone", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = [school.pk for school in self.instance.schools.all()] if self.instance.pk else list(schools)

    def clean_oid(self):
        oid = self.cleaned_data["oid"].strip().upper()
        if oid and oid != self.instance.oid:
            from .services import oid_taken

            taken = oid_taken(oid=oid, schools=self.schools, exclude=self.instance.pk)
            if taken is not None:
                raise forms.ValidationError(
                    _("Your address book already has this organisation: %(name)s (%(city)s).")
                    % {"name": taken.name, "city": taken.city}
                )
        return oid


ContactFormSet = forms.inlineformset_factory(
    Organisation,
    ContactPerson,
    fields=["name", "position", "email", "phone"],
    extra=1,
    can_delete=True,
    # A forged TOTAL_FORMS must not make the server build thousands of forms.
    max_num=50,
    absolute_max=50,
    validate_max=True,
)


class QualificationForm(forms.ModelForm):
    class Meta:
        model = Qualification
        fields = ["name", "code", "eqf_level", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = [
            "project",
            "title",
            "qualification",
            "receiving_partner",
            "city",
            "country",
            "time_zone",
            "start_date",
            "end_date",
            "status",
            "accompanying_persons",
            "description",
            "tasks",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "time_zone": ZoneSelect,
            "accompanying_persons": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = {"accompanying_persons": ModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accompanying_persons"].queryset = ContactPerson.objects.filter(
            organisation__kind=Organisation.Kind.SENDING
        ).select_related("organisation")

    def clean(self):
        cleaned = super().clean()
        start, end, project = cleaned.get("start_date"), cleaned.get("end_date"), cleaned.get("project")
        if start and end and end <= start:
            self.add_error("end_date", _("The placement must end after it starts."))
        if project and start and end and (start < project.start_date or end > project.end_date):
            self.add_error(
                "start_date",
                _("The placement must lie within the project's dates (%(start)s – %(end)s).")
                % {"start": project.start_date, "end": project.end_date},
            )
        return cleaned


def mentor_choices():
    return User.objects.filter(role=Role.MENTOR, is_active=True).select_related("organisation")


def school_hosts_and_mentors(placement):
    """The host companies and mentors of the flow's school, the choices of its forms (querysets: each field takes
    its own copy). Built once per flow instance, i.e. per request: its page shows two forms listing the same."""
    if "_school_choices" not in placement.__dict__:
        school = placement.project.sending_organisation_id
        placement._school_choices = (
            Organisation.objects.filter(kind=Organisation.Kind.HOST, schools=school),
            mentor_choices().filter(memberships__organisation=school),
        )
    return placement._school_choices


class SharedRowsIterator(forms.models.ModelChoiceIterator):
    """The choices from what the page already read: rows (`field.shared_rows`, read once for several forms, see
    share_host_and_mentor_rows) or (pk, label) pairs (`field.shared_choices`, e.g. the flow's learners from its
    table, see placements.views.placement_forms); else from the field's queryset as usual. Validation always goes
    through the queryset."""

    def __iter__(self):
        rows, pairs = getattr(self.field, "shared_rows", None), getattr(self.field, "shared_choices", None)
        if rows is None and pairs is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if rows is not None:
            for obj in rows:
                yield self.choice(obj)
        else:
            for pk, label in pairs:
                yield (forms.models.ModelChoiceIteratorValue(pk, None), label)


class HostChoiceField(forms.ModelChoiceField):
    iterator = SharedRowsIterator


class MentorChoiceField(forms.ModelChoiceField):
    iterator = SharedRowsIterator

    def label_from_instance(self, obj):
        return f"{obj} ({obj.organisation})" if obj.organisation else str(obj)


SHOWN_OF_SCHOOL_ROWS = {
    "host_company": ("name",),
    "mentor": ("username", "first_name", "last_name", "organisation__name"),
}


def share_host_and_mentor_rows(*forms_of_one_school):
    """The placement page shows two forms listing the same school's host companies and mentors: read each list
    once for both (their querysets are the same: the flow's school's). Validation still goes through each field's
    queryset; the rows shown are read with the columns their labels show."""
    first = forms_of_one_school[0]
    for name, shown in SHOWN_OF_SCHOOL_ROWS.items():
        rows = list(first.fields[name].queryset.only(*shown))
        for form in forms_of_one_school:
            form.fields[name].shared_rows = rows


class HostAndMentorMixin:
    """The mentor must work at the chosen host company."""

    def check_mentor_at_host(self, cleaned):
        host, mentor = cleaned.get("host_company"), cleaned.get("mentor")
        if host and mentor and mentor.organisation_id != host.pk:
            self.add_error(
                "mentor",
                _("Choose a mentor of %(host)s; %(mentor)s works at %(org)s")
                % {"mentor": mentor, "org": mentor.organisation, "host": host},
            )


class LearnerChoiceField(ModelMultipleChoiceField):
    iterator = SharedRowsIterator

    def label_from_instance(self, obj):
        return f"{obj.last_name} {obj.first_name} ({obj.qualification})"


class AssignParticipantsForm(HostAndMentorMixin, forms.Form):
    """Assign several learners of the placement's project at once, to one host company and mentor."""

    participants = LearnerChoiceField(
        label=_("Learners"), queryset=Participant.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    host_company = HostChoiceField(
        label=_("Host company"), queryset=Organisation.objects.filter(kind=Organisation.Kind.HOST), required=False
    )
    mentor = MentorChoiceField(label=_("Mentor"), queryset=User.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Assignment.Status.choices, initial=Assignment.Status.PLANNED)

    def __init__(self, placement, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.placement = placement
        already = Assignment.objects.filter(placement=placement, participant=OuterRef("pk"))
        self.fields["participants"].queryset = (
            Participant.objects.active()
            .filter(project=placement.project)
            .exclude(Exists(already))
            .select_related("qualification")
            .order_by("-qualification__pk", "name_key")
        )
        # Not built through RoleRequiredMixin.get_form: kept to the placement's school here.
        self.fields["host_company"].queryset, self.fields["mentor"].queryset = school_hosts_and_mentors(placement)
        self.fields["status"].choices = [c for c in Assignment.Status.choices if c[0] != Assignment.Status.WITHDRAWN]

    def clean(self):
        cleaned = super().clean()
        self.check_mentor_at_host(cleaned)
        return cleaned


ASSIGNMENT_FIELDS = tuple(f.name for f in Assignment._meta.concrete_fields)
LABEL_FIELDS = (
    "participant__first_name",
    "participant__last_name",
    "host_company__name",
    "mentor__username",
    "mentor__first_name",
    "mentor__last_name",
)


def assignment_label(last_name, first_name, host_company, mentor):
    where = f"{host_company} · {mentor}" if host_company and mentor else _("no host or mentor yet")
    return f"{last_name} {first_name} ({where})"


class AssignmentChoiceField(ModelMultipleChoiceField):
    iterator = SharedRowsIterator

    def label_from_instance(self, obj):
        return assignment_label(obj.participant.last_name, obj.participant.first_name, obj.host_company, obj.mentor)


class HostForLearnersForm(HostAndMentorMixin, forms.Form):
    """One host company and mentor for several learners already on the flow (e.g. after the selection)."""

    assignments = AssignmentChoiceField(
        label=_("Learners of this flow"), queryset=Assignment.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    host_company = HostChoiceField(label=_("Host company"), queryset=Organisation.objects.none())
    mentor = MentorChoiceField(label=_("Mentor"), queryset=User.objects.none(), required=False)

    def __init__(self, placement, *args, **kwargs):
        # Its own ids: the page also holds the form that assigns one learner, with fields of the same names.
        kwargs.setdefault("auto_id", "hosts_%s")
        super().__init__(*args, **kwargs)
        self.fields["assignments"].queryset = (
            placement.assignments.active()
            .select_related("participant", "host_company", "mentor")
            # Each learner's whole assignment (it is saved), of the learner, company and mentor what the label shows.
            .only(*ASSIGNMENT_FIELDS, *LABEL_FIELDS)
            .order_by(F("host_company").asc(nulls_first=True), "participant__name_key")
        )
        self.fields["host_company"].queryset, self.fields["mentor"].queryset = school_hosts_and_mentors(placement)

    def clean(self):
        cleaned = super().clean()
        self.check_mentor_at_host(cleaned)
        return cleaned


class AssignmentForm(HostAndMentorMixin, forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["host_company", "mentor", "status", "withdrawal_reason", "tasks"]
        widgets = {"withdrawal_reason": forms.Textarea(attrs={"rows": 2}), "tasks": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"mentor": MentorChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentor_choices()

    def clean(self):
        cleaned = super().clean()
        self.check_mentor_at_host(cleaned)
        status, reason = cleaned.get("status"), (cleaned.get("withdrawal_reason") or "").strip()
        if status == Assignment.Status.WITHDRAWN and not reason:
            self.add_error("withdrawal_reason", _("Give the reason for the withdrawal."))
        if status != Assignment.Status.WITHDRAWN:
            cleaned["withdrawal_reason"] = ""
        return cleaned


class AssignmentImportForm(AssignmentForm):
    """An assignment as a row of a spreadsheet states it: the learner, the placement (of the row's project), the
    host company and the mentor; the import replaces the choices by records loaded once per file."""

    project = forms.ModelChoiceField(label=_("project"), queryset=Project.objects.all())

    class Meta(AssignmentForm.Meta):
        fields = ["participant", "placement", *AssignmentForm.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        participant, placement = cleaned.get("participant"), cleaned.get("placement")
        if participant and placement and participant.project_id != placement.project_id:
            self.add_error("participant", _("%(learner)s is a learner of another project.") % {"learner": participant})
        if participant and participant.archived_at and not self.instance.pk:
            self.add_error("participant", _("%(learner)s is archived.") % {"learner": participant})
        return cleaned
