from datetime import timedelta

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView, View

from accounts.roles import READERS, RoleRequiredMixin, is_mentor, sees_restricted_of
from common.lists import ListControlsMixin
from common.sections import PARTICIPANT_RECORD, contributions
from common.urls import url_for_each
from common.views import return_to
from placements.models import Assignment, Qualification
from privacy.access import files_for
from privacy.models import PersonalDataLog, record
from privacy.services import anonymisation_due_on, note_consents_recorded

from .access import participant_for, participant_to_change
from .forms import ParticipantForm
from .models import Participant

ROW_FIELDS = ("first_name", "last_name", "date_of_birth", "archived_at", "qualification__name")


class ParticipantListView(RoleRequiredMixin, ListControlsMixin, ListView):
    allowed_roles = READERS
    template_name = "participants/participant_list.html"
    context_object_name = "participants"
    sort_options = {
        "name": ("name_key", "pk"),
        "-name": ("-name_key", "-pk"),
        "born": ("date_of_birth", "pk"),
        "-born": ("-date_of_birth", "-pk"),
        "qualification": ("qualification__name", "name_key", "pk"),
        "-qualification": ("-qualification__name", "name_key", "pk"),
    }
    default_sort = "name"
    id_filters = {"qualification": "qualification_id"}

    def get_queryset(self):
        self.queryset = (
            Participant.objects.visible_to(self.request.user)
            .select_related("qualification")
            # What a row shows: a learner's forty columns and a flow's thirty would cost more than the row.
            .only(*ROW_FIELDS)
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.visible_to(self.request.user)
                    .select_related("placement")
                    .only("participant_id", "status", "placement__title"),
                )
            )
        )
        return super().get_queryset()

    def apply_search(self, queryset, text):
        return queryset.search(text)

    def apply_filters(self, queryset, params):
        state = params.get("state", "active")
        if state == "archived":
            queryset = queryset.filter(archived_at__isnull=False)
        elif state != "all":
            queryset = queryset.filter(archived_at__isnull=True)
        if params.get("gender") in Participant.Gender.values:
            queryset = queryset.filter(gender=params["gender"])
        assigned = params.get("assigned")
        if assigned == "yes":
            queryset = queryset.filter(assignments__in=Assignment.objects.active()).distinct()
        elif assigned == "no":
            queryset = queryset.exclude(assignments__in=Assignment.objects.active())
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # One reverse() and one lookup of the status labels for the page, not one per row.
        detail_url = url_for_each("participants:detail")
        labels = dict(Assignment.Status.choices)
        for participant in context["object_list"]:
            participant.detail_url = detail_url(participant.pk)
            for assignment in participant.assignments.all():
                assignment.status_label = labels.get(assignment.status, assignment.status)
        context["qualifications"] = Qualification.objects.all()
        context["genders"] = Participant.Gender.choices
        context["filters"] = self.request.GET
        return context


class ParticipantDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = READERS
    template_name = "participants/participant_detail.html"
    context_object_name = "participant"

    def get_object(self, queryset=None):
        return participant_for(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()  # certificates from the stage's last day
        user = self.request.user
        participant = self.object
        context["assignments"] = (
            Assignment.objects.visible_to(user)
            .filter(participant=participant)
            .select_related("placement", "host_company", "mentor")
        )
        # Restricted data by the viewer's role in the learner's school (roles per school), not their highest one.
        context["can_see_restricted"] = restricted = sees_restricted_of(user, participant)
        # The same rule decides the page's changes (participants_to_change): no link that would answer 404.
        context["changes_learner"] = restricted
        # And what the page's panels offer to change (the agreement's signing, the recognition, a follow-up).
        context["is_coordinator"] = restricted
        if restricted:
            record(participant, user, PersonalDataLog.Action.VIEWED)
            context["barriers"] = list(participant.barriers.all())
            # The application said "fewer opportunities" without naming a category: the categories are what the
            # grant and the reports count, so the page asks for them.
            context["categories_to_record"] = (
                not context["barriers"]
                and Participant.objects.filter(pk=participant.pk, application__fewer_opportunities=True).exists()
            )
            context["history"] = history_with_changes(participant)
            context["data_log"] = participant.data_log.select_related("user")[:20]
            context["anonymisation_due_on"] = anonymisation_due_on(participant)
        # What other apps record about the learner (recognition, graduates' paths), without importing them.
        context["record_panels"] = [
            panel for panels in contributions(PARTICIPANT_RECORD, participant, user) for panel in panels
        ]
        if is_mentor(user):
            context["emergency_contact_shown"] = mentor_needs_emergency_contact(user, participant)
        else:
            context["files"] = list(files_for(user, participant))
        return context


# Mentors see the emergency contact from a few days before the placement (travel) until a few days after it.
CONTACT_MARGIN = timedelta(days=3)


def mentor_needs_emergency_contact(mentor, participant, today=None):
    today = today or timezone.localdate()
    return (
        Assignment.objects.visible_to(mentor)
        .filter(
            participant=participant,
            placement__start_date__lte=today + CONTACT_MARGIN,
            placement__end_date__gte=today - CONTACT_MARGIN,
        )
        .exclude(status=Assignment.Status.WITHDRAWN)
        .exists()
    )


def history_with_changes(participant, limit=20):
    """The latest changes, each with the names of the fields it changed (not the values: some are restricted)."""
    records = list(participant.history.select_related("history_user")[: limit + 1])
    labels = {f.name: f.verbose_name for f in Participant._meta.fields}
    for newer, older in zip(records, records[1:] + [None], strict=True):
        if older is None or newer.history_type != "~":
            newer.changed_fields = []
        else:
            # Every tracked field, not only the form's (diff_against() compares editable fields only): a
            # withdrawal, archiving and anonymising are changes too.
            newer.changed_fields = [
                labels.get(f.name, f.name)
                for f in older.tracked_fields
                if getattr(newer, f.attname) != getattr(older, f.attname)
            ]
    return records[:limit]


class ParticipantCreateView(RoleRequiredMixin, CreateView):
    member_schools_see = True  # a member school chooses the consortium's project for its learners

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    model = Participant
    form_class = ParticipantForm
    template_name = "participants/participant_form.html"

    def form_valid(self, form):
        note_consents_recorded(form.instance, form.changed_data, self.request.user)
        response = super().form_valid(form)
        messages.success(self.request, _("%(name)s was added.") % {"name": self.object.full_name})
        return response

    def get_success_url(self):
        return self.object.get_absolute_url()


class ParticipantUpdateView(RoleRequiredMixin, UpdateView):
    member_schools_see = True  # a member school chooses the consortium's project for its learners

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    form_class = ParticipantForm
    template_name = "participants/participant_form.html"
    context_object_name = "participant"

    def get_object(self, queryset=None):
        return participant_to_change(self.request.user, self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record(self.object, request.user, PersonalDataLog.Action.EDIT_OPENED)
        return response

    def form_valid(self, form):
        note_consents_recorded(form.instance, form.changed_data, self.request.user)
        response = super().form_valid(form)
        messages.success(self.request, _("The changes were saved."))
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"next": return_to(self.request)}

    def get_success_url(self):
        # From a readiness page's missing mark: back to it (common.views.return_to keeps to this site).
        return return_to(self.request) or self.object.get_absolute_url()


def open_assignments(participant):
    """Assignments that still expect the learner: archive only after they are withdrawn or completed."""
    return participant.assignments.exclude(
        status__in=[Assignment.Status.WITHDRAWN, Assignment.Status.COMPLETED]
    ).select_related("placement")


class ParticipantArchiveView(RoleRequiredMixin, View):
    """Archiving keeps the record and its history; people are never hard-deleted here. GET asks to confirm."""

    def get(self, request, pk):
        participant = participant_to_change(request.user, pk)
        context = {"participant": participant, "open_assignments": list(open_assignments(participant))}
        return render(request, "participants/participant_archive.html", context)

    def post(self, request, pk):
        participant = participant_to_change(request.user, pk)
        if open_assignments(participant).exists():
            messages.error(
                request,
                _("Withdraw %(name)s from their placements (with the reason) before archiving.")
                % {"name": participant.full_name},
            )
        else:
            participant.archive()
            messages.success(request, _("%(name)s was archived.") % {"name": participant.full_name})
        return HttpResponseRedirect(participant.get_absolute_url())


class ParticipantRestoreView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        participant = participant_to_change(request.user, pk, archived=True)
        if participant.is_anonymised:
            messages.error(request, _("An anonymised learner stays archived."))
            return HttpResponseRedirect(participant.get_absolute_url())
        participant.restore()
        messages.success(request, _("%(name)s is active again.") % {"name": participant.full_name})
        return HttpResponseRedirect(participant.get_absolute_url())
