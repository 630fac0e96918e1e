from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView, View

from accounts.roles import READERS, RoleRequiredMixin, is_mentor, sees_restricted_of
from common.lists import ListControlsMixin
from common.sections import (
    ARCHIVE_HOLD,
    EMERGENCY_CONTACT,
    PARTICIPANT_DATA,
    PARTICIPANT_FILTERS,
    PARTICIPANT_RECORD,
    PARTICIPANT_ROWS,
    PERSONAL_DATA_LOG,
    applied,
    contributions,
    the_one,
)
from common.urls import url_for_each
from common.views import return_to

from .access import participant_for, participant_to_change
from .forms import ParticipantForm
from .models import Participant, qualifications

ROW_FIELDS = ("first_name", "last_name", "date_of_birth", "archived_at", "qualification__name")


PARTICIPANT_ROW = """
    <tr>
      <td>
        <a href="{}">{} {}</a>{}
      </td>
      <td class="d-none d-md-table-cell">{}</td>
      {}
      <td>
        {}
      </td>
    </tr>
  """
BIRTH_CELL = '<td class="d-none d-lg-table-cell">{}</td>'
PLACEMENT_LINE = """{}
          <span class="badge text-bg-light">{}</span>"""


def participant_rows(participants, placements, *, with_birth):
    """The list's table rows, written here rather than in the template (the loop's tags, filters and translated
    labels were a quarter of the page); escaped as the template escapes. `placements`: each learner's placements
    (title, status) by the learner's pk."""
    archived = format_html(' <span class="badge text-bg-secondary">{}</span>', _("archived"))
    none = format_html('<span class="text-body-secondary">{}</span>', _("none"))
    date_format = get_format("SHORT_DATE_FORMAT")
    rows = []
    for person in participants:
        lines = placements.get(person.pk)
        born = ""
        if with_birth:
            born = format_html(
                BIRTH_CELL, dateformat.format(person.date_of_birth, date_format) if person.date_of_birth else ""
            )
        where = none
        if lines:
            where = mark_safe(
                "<br>\n          ".join(format_html(PLACEMENT_LINE, line["title"], line["status"]) for line in lines)
            )
        rows.append(
            format_html(
                PARTICIPANT_ROW,
                person.detail_url,
                person.last_name,
                person.first_name,
                archived if person.archived_at is not None else "",
                person.qualification or "",
                born,
                where,
            )
        )
    return rows


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
        # Filters of what other apps hold about the learners (placements: assigned or not), without importing them.
        return applied(PARTICIPANT_FILTERS, queryset, params)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # One reverse() for the page, not one per row; each row's placements from the apps that hold them, in a
        # fixed number of queries for the page.
        detail_url = url_for_each("participants:detail")
        found = contributions(PARTICIPANT_ROWS, context["object_list"], self.request.user)
        placements = {}
        for participant in context["object_list"]:
            participant.detail_url = detail_url(participant.pk)
            placements[participant.pk] = [row for rows in found for row in rows.get(participant.pk, [])]
        context["rows"] = participant_rows(
            context["object_list"], placements, with_birth=not is_mentor(self.request.user)
        )
        context["qualifications"] = qualifications()
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
        user = self.request.user
        participant = self.object
        # Restricted data by the viewer's role in the learner's school (roles per school), not their highest one.
        context["can_see_restricted"] = restricted = sees_restricted_of(user, participant)
        # The same rule decides the page's changes (participants_to_change): no link that would answer 404.
        context["changes_learner"] = restricted
        # And what the page's panels offer to change (the agreement's signing, the recognition, a follow-up).
        context["is_coordinator"] = restricted
        if restricted:
            the_one(PERSONAL_DATA_LOG, participant, user, "viewed")
            context["barriers"] = list(participant.barriers.all())
            # The application said "fewer opportunities" without naming a category: the categories are what the
            # grant and the reports count, so the page asks for them.
            context["categories_to_record"] = (
                not context["barriers"]
                and Participant.objects.filter(pk=participant.pk, application__fewer_opportunities=True).exists()
            )
            context["history"] = history_with_changes(participant)
        # What other apps hold about the learner (their placements, recognition, graduates' paths, payment records;
        # then their files and personal data), without importing them.
        context["record_panels"] = [
            panel for panels in contributions(PARTICIPANT_RECORD, participant, user) for panel in panels
        ]
        context["data_panels"] = [
            panel for panels in contributions(PARTICIPANT_DATA, participant, user) for panel in panels
        ]
        if is_mentor(user):
            # From a few days before a placement of theirs with the learner until a few days after it (placements).
            context["emergency_contact_shown"] = any(contributions(EMERGENCY_CONTACT, participant, user))
        return context


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
        form.instance.note_consents_recorded(form.changed_data, self.request.user)
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
        the_one(PERSONAL_DATA_LOG, self.object, request.user, "edit_opened")
        return response

    def form_valid(self, form):
        form.instance.note_consents_recorded(form.changed_data, self.request.user)
        response = super().form_valid(form)
        messages.success(self.request, _("The changes were saved."))
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"next": return_to(self.request)}

    def get_success_url(self):
        # From a readiness page's missing mark: back to it (common.views.return_to keeps to this site).
        return return_to(self.request) or self.object.get_absolute_url()


def open_assignments(participant):
    """What still expects the learner (placements: assignments neither withdrawn nor completed), each with its title,
    status and the page that changes it: archive only after they are withdrawn or completed."""
    return [item for items in contributions(ARCHIVE_HOLD, participant) for item in items]


class ParticipantArchiveView(RoleRequiredMixin, View):
    """Archiving keeps the record and its history; people are never hard-deleted here. GET asks to confirm."""

    def get(self, request, pk):
        participant = participant_to_change(request.user, pk)
        context = {"participant": participant, "open_assignments": open_assignments(participant)}
        return render(request, "participants/participant_archive.html", context)

    def post(self, request, pk):
        participant = participant_to_change(request.user, pk)
        if open_assignments(participant):
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
