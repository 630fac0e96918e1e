from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import CreateView, DetailView, ListView, UpdateView, View

from accounts.models import Organisation, User
from accounts.roles import (
    OFFICE,
    READERS,
    WRITERS,
    RoleRequiredMixin,
    has_role,
    in_schools,
    organisations_to_change,
)
from common.escaping import escaped
from common.lists import ListControlsMixin
from common.urls import url_for_each
from common.views import FormPageMixin, SavedMessageMixin, announce_saved, return_to
from participants.access import participants_for

from . import services
from .access import (
    assignment_to_change,
    assignments_to_change,
    can_change,
    flow_assignments,
    placement_and_change,
    placement_to_change,
    placements_for,
)
from .checklist import project_checklist
from .forms import (
    AssignmentForm,
    AssignParticipantsForm,
    ContactFormSet,
    HostForLearnersForm,
    OrganisationForm,
    PlacementForm,
    ProjectForm,
    QualificationForm,
    assignment_label,
    share_host_and_mentor_rows,
)
from .models import Assignment, Placement, Project, Qualification
from .selectors import remember_project

# Projects


class ProjectListView(RoleRequiredMixin, ListControlsMixin, ListView):
    """A page at a time: an installation's superuser (or a consortium's coordinator) sees hundreds of projects."""

    sort_options = {"newest": ("-start_date", "-pk")}
    default_sort = "newest"
    allowed_roles = OFFICE
    model = Project
    template_name = "placements/project_list.html"
    context_object_name = "projects"
    member_schools_see = True  # a consortium's project too, counting only the member school's own learners

    def get_queryset(self):
        from participants.models import Participant

        every = Participant.objects.all()
        seen = in_schools(every, self.request.user)
        learners = Q(participants__archived_at__isnull=True)
        if seen is not every:
            learners &= Q(participants__in=seen)
        return (
            super()
            .get_queryset()
            .select_related("sending_organisation")
            .annotate(
                participant_count=Count("participants", filter=learners, distinct=True),
                placement_count=Count("placements", distinct=True),
            )
        )


class ProjectDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = OFFICE
    member_schools_see = True
    template_name = "placements/project_detail.html"
    context_object_name = "project"
    queryset = Project.objects.select_related("sending_organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["placements"] = self.object.placements.for_list(self.request.user)
        # The project of the user's own schools, not only seen as a consortium's member school.
        owner = in_schools(Project.objects.filter(pk=self.object.pk), self.request.user).exists()
        context["can_change"] = has_role(self.request.user, WRITERS) and can_change(self.request.user, self.object)
        if owner:  # a consortium's member school sees its own learners, not the consortium's whole checklist
            context["checklist"] = project_checklist(self.object)
            remember_project(self.request, self.object)
        return context


class ProjectCreateView(RoleRequiredMixin, FormPageMixin, SavedMessageMixin, CreateView):
    create_title = gettext_lazy("New project")
    list_crumb = ("placements:project_list", gettext_lazy("Projects"))
    model = Project
    form_class = ProjectForm
    template_name = "placements/object_form.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_project(self.request, self.object)  # the coordinator goes on with the project just made
        return response


class ProjectUpdateView(RoleRequiredMixin, FormPageMixin, SavedMessageMixin, UpdateView):
    list_crumb = ("placements:project_list", gettext_lazy("Projects"))
    model = Project
    form_class = ProjectForm
    template_name = "placements/object_form.html"


# Organisations


class OrganisationListView(RoleRequiredMixin, ListControlsMixin, ListView):
    allowed_roles = OFFICE
    template_name = "placements/organisation_list.html"
    context_object_name = "organisations"
    # distinct: the viewer's schools are joined in (accounts.roles.in_schools), and may hold it twice.
    queryset = Organisation.objects.annotate(contact_count=Count("contacts", distinct=True))
    sort_options = {
        "name": ("name", "pk"),
        "-name": ("-name", "-pk"),
        "country": ("country", "city", "name"),
        "-country": ("-country", "-city", "name"),
        "kind": ("kind", "name"),
        "-kind": ("-kind", "name"),
    }
    default_sort = "name"

    def apply_search(self, queryset, text):
        return queryset.filter(Q(name__icontains=text) | Q(city__icontains=text) | Q(oid__iexact=text))

    def apply_filters(self, queryset, params):
        if params.get("kind") in Organisation.Kind.values:
            queryset = queryset.filter(kind=params["kind"])
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = Organisation.Kind.choices
        context["filters"] = self.request.GET
        return context


class OrganisationDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = OFFICE
    template_name = "placements/organisation_detail.html"
    context_object_name = "organisation"
    queryset = Organisation.objects.prefetch_related("contacts")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.object
        user = self.request.user
        # A company in several schools' address books (kept so by an upgrade): what it did for the others,
        # and their mentors there, are not shown.
        context["received_placements"] = in_schools(org.received_placements.for_list(), user)
        context["hosted"] = in_schools(
            org.hosted_assignments.select_related("participant", "placement", "mentor"), user
        )
        context["mentors"] = in_schools(org.users.filter(is_active=True), user)
        # Its edit and location offered where they open: a coordinator of a school whose book it is in, not
        # another school's own record (accounts.roles.organisations_to_change; roles per school).
        context["is_coordinator"] = organisations_to_change(Organisation.objects.filter(pk=org.pk), user).exists()
        return context


class OrganisationFormMixin(RoleRequiredMixin, SavedMessageMixin):
    """Organisation and its contact people, saved together or not at all."""

    model = Organisation
    form_class = OrganisationForm
    template_name = "placements/organisation_form.html"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"schools": services.own_schools(self.request.user)}

    def get_initial(self):
        kind = self.request.GET.get("kind")  # from a page whose list of partners or companies was empty
        return {"kind": kind} if kind in Organisation.Kind.values else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "contacts" not in context:
            context["contacts"] = ContactFormSet(instance=self.object or Organisation(), prefix="contacts")
        context["next"] = return_to(self.request)
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object() if "pk" in kwargs else None
        form = self.get_form()
        contacts = ContactFormSet(request.POST, instance=self.object or Organisation(), prefix="contacts")
        if form.is_valid() and contacts.is_valid():
            with transaction.atomic():
                created = self.object is None
                self.object = form.save()
                if created:
                    services.add_to_address_book(organisation=self.object, schools=form.schools)
                contacts.instance = self.object
                contacts.save()
            announce_saved(request, self.object)
            return HttpResponseRedirect(self.get_success_url())
        return self.render_to_response(self.get_context_data(form=form, contacts=contacts))


class OrganisationCreateView(OrganisationFormMixin, CreateView):
    pass


class OrganisationUpdateView(OrganisationFormMixin, UpdateView):
    def get_queryset(self):
        return organisations_to_change(super().get_queryset(), self.request.user)


# Qualifications


class QualificationListView(RoleRequiredMixin, ListView):
    allowed_roles = OFFICE
    template_name = "placements/qualification_list.html"
    context_object_name = "qualifications"

    def get_queryset(self):
        """A shared catalogue, with the counts of the viewer's own schools' learners and flows (subqueries)."""
        user = self.request.user
        learners = Q(participants__archived_at__isnull=True, participants__in=participants_for(user).values("pk"))
        return Qualification.objects.annotate(
            participant_count=Count("participants", filter=learners, distinct=True),
            placement_count=Count(
                "placements", filter=Q(placements__in=placements_for(user).values("pk")), distinct=True
            ),
            outcome_count=Count("assessment_units__outcomes", distinct=True),
        )


class QualificationCreateView(RoleRequiredMixin, FormPageMixin, SavedMessageMixin, CreateView):
    create_title = gettext_lazy("New qualification")
    list_crumb = ("placements:qualification_list", gettext_lazy("Qualifications"))
    model = Qualification
    form_class = QualificationForm
    template_name = "placements/object_form.html"

    def get_success_url(self):
        # A new qualification has no learning outcomes, and a mentor cannot rate without them: say so and go
        # where they are written, unless the coordinator came from a form to return to.
        back = return_to(self.request)
        if back:
            return back
        messages.info(self.request, _("Now write its learning outcomes: the mentors rate the learners on them."))
        return reverse("assessments:framework", args=[self.object.pk])


class QualificationUpdateView(QualificationCreateView, UpdateView):
    def get_success_url(self):
        return return_to(self.request) or reverse("placements:qualification_list")


# Placements


class PlacementListView(RoleRequiredMixin, ListControlsMixin, ListView):
    allowed_roles = READERS
    template_name = "placements/placement_list.html"
    context_object_name = "placements"
    sort_options = {
        "start": ("start_date", "title"),
        "-start": ("-start_date", "title"),
        "title": ("title", "pk"),
        "-title": ("-title", "pk"),
    }
    default_sort = "start"
    id_filters = {"project": "project_id"}

    def get_queryset(self):
        self.queryset = Placement.objects.visible_to(self.request.user, members=True).for_list(self.request.user)
        return super().get_queryset()

    def apply_search(self, queryset, text):
        return queryset.filter(Q(title__icontains=text) | Q(city__icontains=text))

    def apply_filters(self, queryset, params):
        if params.get("status") in Placement.Status.values:
            queryset = queryset.filter(status=params["status"])
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = Placement.Status.choices
        context["filters"] = self.request.GET
        return context


class PlacementDetailView(RoleRequiredMixin, DetailView):
    allowed_roles = READERS
    template_name = "placements/placement_detail.html"
    context_object_name = "placement"

    def get_object(self, queryset=None):
        placement, self.may_change = placement_and_change(self.request.user, self.kwargs["pk"], members=True)
        return placement

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(placement_context(self.request.user, self.object, may_change=self.may_change))
        return context


LEARNER_COLUMNS = (
    "pk",
    "participant_id",
    "status",
    "participant__first_name",
    "participant__last_name",
    "participant__qualification__name",
    "host_company_id",
    "host_company__name",
    "host_company__city",
    "mentor_id",
    "mentor__username",
    "mentor__first_name",
    "mentor__last_name",
)


class Learner:
    """A learner's row on the flow's page: their assignment, read as values (a model instance of a learner, with
    forty columns, cost more than the row), with its host company and mentor, one instance each per page."""

    __slots__ = ("pk", "participant_id", "status", "first_name", "last_name", "qualification", "host_company", "mentor")
    __slots__ += ("participant_url", "competencies_url", "edit_url", "status_label", "changeable")  # set afterwards


def learners_of(assignments):
    """`assignments` (a queryset) as Learner rows, in its order."""
    hosts, mentors, rows = {}, {}, []
    for values in assignments.values_list(*LEARNER_COLUMNS):
        row = Learner()
        row.pk, row.participant_id, row.status, row.first_name, row.last_name, row.qualification = values[:6]
        host, mentor = values[6], values[9]
        if host is not None and host not in hosts:
            hosts[host] = Organisation.from_db(assignments.db, ["id", "name", "city"], values[6:9])
        if mentor is not None and mentor not in mentors:
            mentors[mentor] = User.from_db(assignments.db, ["id", "username", "first_name", "last_name"], values[9:])
        row.host_company, row.mentor = hosts.get(host), mentors.get(mentor)
        rows.append(row)
    return rows


LEARNER_ROW = """
    <tr{}>
      <td><a href="{}">{} {}</a></td>
      <td class="d-none d-md-table-cell">{}</td>
      <td class="d-none d-md-table-cell">{}</td><td class="d-none d-lg-table-cell">{}</td>
      <td>
        {}
        <a class="ms-1" href="{}">{}</a>{}
      </td>
      </tr>
  """
CHANGE_LINK = """
          <a class="ms-1" href="{}"
              aria-label="{}">{}</a>
        """


def learner_rows(learners):
    """The placement page's learners table, a row per assignment, written here rather than in the template (the
    same markup, whitespace included: the template's loop, a translated label a row, was a tenth of the page);
    escaped as the template escapes (format_html's way)."""
    competencies, change = escaped(_("competencies")), escaped(_("change"))
    change_of = _("Change the assignment of %(name)s")
    rows = []
    for a in learners:
        link = ""
        if a.changeable:
            # {% blocktranslate %}: the name (Participant.full_name) escaped, the translation itself as written.
            label = change_of % {"name": escaped(f"{a.first_name} {a.last_name}")}
            link = CHANGE_LINK.format(escaped(a.edit_url), label, change)
        cells = (a.participant_url, a.last_name, a.first_name, a.qualification, a.host_company or "—", a.mentor or "—")
        rows.append(
            mark_safe(
                LEARNER_ROW.format(
                    ' class="text-body-secondary"' if a.status == Assignment.Status.WITHDRAWN else "",
                    *map(escaped, cells),
                    escaped(a.status_label),
                    escaped(a.competencies_url),
                    competencies,
                    link,
                )
            )
        )
    return rows


def placement_context(user, placement, assign_form=None, host_form=None, *, may_change):
    """What the placement page shows: the learners `user` may see, grouped by host company with mentors.
    `may_change`: whether they may change the flow (placement_and_change; a consortium's member school may not:
    the consortium changes its flows and assigns its learners to them)."""
    learners = learners_of(flow_assignments(user, placement, may_change=may_change))
    # One reverse() per link and one lookup of the status labels for the page, not one per learner.
    detail_url, competencies_url = url_for_each("participants:detail"), url_for_each("assessments:assignment")
    edit_url, labels = url_for_each("placements:assignment_edit"), dict(Assignment.Status.choices)
    hosts = {}
    for learner in learners:
        learner.participant_url = detail_url(learner.participant_id)
        learner.competencies_url = competencies_url(learner.pk)
        learner.edit_url = edit_url(learner.pk)
        learner.status_label = labels.get(learner.status, learner.status)
        if learner.host_company and learner.status != Assignment.Status.WITHDRAWN:
            entry = hosts.setdefault(
                learner.host_company.pk, {"host": learner.host_company, "mentors": set(), "count": 0}
            )
            entry["count"] += 1
            if learner.mentor:
                entry["mentors"].add(learner.mentor)
    # Certificates from the stage's last day (reports.certificates.check_issuable), or for a learner marked
    # completed before it: until then the buttons are shown disabled with the day.
    early = any(a.status == Assignment.Status.COMPLETED for a in learners)
    context = {
        "certificates_from": None if early or placement.end_date <= timezone.localdate() else placement.end_date,
        "assignments": learners,
        "hosts": sorted(hosts.values(), key=lambda e: e["host"].name),
        "accompanying_persons": placement.accompanying_persons.all(),
    }
    context["can_change"] = may_change
    # Each learner's assignment "change" link where it opens (assignment_to_change): the flow's school's
    # coordinator, or a consortium member school's for its own learners; no query for anyone else. Whoever may
    # change the flow may change every assignment on it (assignments_to_change keeps to the flow's school or the
    # learner's, the first being one where they write): no query for them either.
    if may_change:
        writable = {learner.pk for learner in learners}
    elif has_role(user, WRITERS):
        writable = set(assignments_to_change(user).filter(placement=placement).values_list("pk", flat=True))
    else:
        writable = set()
    for learner in learners:
        learner.changeable = learner.pk in writable
    context["learner_rows"] = learner_rows(learners)
    if has_role(user, OFFICE):  # before a mentor meets it on a phone
        with_outcomes = Qualification.objects.filter(assessment_units__outcomes__isnull=False)
        context["no_outcomes"] = not with_outcomes.filter(pk=placement.qualification_id).exists()
    if may_change:
        context.update(placement_forms(placement, learners, assign_form, host_form))
    return context


def placement_forms(placement, learners, assign_form=None, host_form=None):
    """The forms of the flow's page for whoever may change it, their lists read once: the learners to assign
    with the columns their labels show, and the learners to give a host company from the table's `learners`
    (the flow's every assignment, for such a user), in the form's order (host company, empty first; then the
    table's own, by name). Their querysets still validate what is posted."""
    assign_form = assign_form or AssignParticipantsForm(placement)
    host_form = host_form or HostForLearnersForm(placement)
    share_host_and_mentor_rows(assign_form, host_form)
    to_assign = assign_form.fields["participants"]
    to_assign.shared_rows = list(to_assign.queryset.only("first_name", "last_name", "qualification__name"))
    active = [a for a in learners if a.status != Assignment.Status.WITHDRAWN]
    active.sort(key=lambda a: (a.host_company is not None, a.host_company.pk if a.host_company else 0))
    host_form.fields["assignments"].shared_choices = [
        (a.pk, assignment_label(a.last_name, a.first_name, a.host_company, a.mentor)) for a in active
    ]
    return {
        "assign_form": assign_form,
        "host_form": host_form,
        "learners_to_assign": bool(to_assign.shared_rows),
        "learners_to_host": bool(active),
    }


class PlacementFormHintsMixin:
    """The placement form's lists hold what exists already: say where to make a missing qualification or
    receiving partner, and come back to this form."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        here = self.request.get_full_path()
        qualification = reverse("placements:qualification_create") + "?" + urlencode({"next": here})
        partner = reverse("placements:organisation_create") + "?" + urlencode({"kind": "receiving", "next": here})
        context["form_hints"] = [
            (_("Is the qualification not in the list? Add it, then choose it here."), qualification),
            (_("Is the receiving partner not in the list? Add it, then choose it here."), partner),
        ]
        return context


class PlacementCreateView(RoleRequiredMixin, PlacementFormHintsMixin, FormPageMixin, SavedMessageMixin, CreateView):
    initial_from_query = ("project",)
    create_title = gettext_lazy("New placement")
    list_crumb = ("placements:list", gettext_lazy("Placements"))
    model = Placement
    form_class = PlacementForm
    template_name = "placements/object_form.html"


class PlacementUpdateView(RoleRequiredMixin, PlacementFormHintsMixin, FormPageMixin, SavedMessageMixin, UpdateView):
    list_crumb = ("placements:list", gettext_lazy("Placements"))
    model = Placement
    form_class = PlacementForm
    template_name = "placements/object_form.html"


class AssignParticipantsView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        placement = placement_to_change(request.user, pk)
        form = AssignParticipantsForm(placement, request.POST)
        if not form.is_valid():
            # placement_to_change found it: they may change it.
            context = {"placement": placement, **placement_context(request.user, placement, form, may_change=True)}
            return render(request, PlacementDetailView.template_name, context, status=400)
        data = form.cleaned_data
        services.assign_participants(
            placement=placement,
            participants=data["participants"],
            host_company=data["host_company"],
            mentor=data["mentor"],
            status=data["status"],
            by=request.user,
        )
        count = len(data["participants"])
        messages.success(
            request,
            ngettext("%(count)d learner was assigned.", "%(count)d learners were assigned.", count) % {"count": count},
        )
        return HttpResponseRedirect(placement.get_absolute_url() + "#learners")


class HostForLearnersView(RoleRequiredMixin, View):
    """One host company and mentor for the learners of a flow ticked at once."""

    http_method_names = ["post"]

    def post(self, request, pk):
        placement = placement_to_change(request.user, pk)
        form = HostForLearnersForm(placement, request.POST)
        if not form.is_valid():
            extra = placement_context(request.user, placement, host_form=form, may_change=True)  # as above
            context = {"placement": placement, **extra}
            return render(request, PlacementDetailView.template_name, context, status=400)
        data = form.cleaned_data
        count = services.set_host_and_mentor(
            placement=placement,
            assignments=data["assignments"],
            host_company=data["host_company"],
            mentor=data["mentor"],
            by=request.user,
        )
        messages.success(
            request,
            ngettext("%(count)d learner now works at %(host)s.", "%(count)d learners now work at %(host)s.", count)
            % {"count": count, "host": data["host_company"]},
        )
        return HttpResponseRedirect(placement.get_absolute_url() + "#learners")


class AssignmentUpdateView(RoleRequiredMixin, UpdateView):
    form_class = AssignmentForm
    template_name = "placements/assignment_form.html"
    context_object_name = "assignment"

    def get_object(self, queryset=None):
        return assignment_to_change(self.request.user, self.kwargs["pk"])

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The assignment was saved."))
        return response

    def get_success_url(self):
        return self.object.placement.get_absolute_url() + "#learners"
