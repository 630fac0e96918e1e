from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from accounts.roles import (
    READERS,
    RoleRequiredMixin,
    coordinates,
    in_schools,
    is_mentor,
    is_observer,
    noting_coordinates,
)
from attendance.services import missing_and_pending
from common.validators import parse_id
from placements.checklist import checklist_flows, project_checklist
from placements.models import Assignment, Project
from placements.selectors import choose_project, remember_project, remembered_project_id

from . import services


class DashboardView(RoleRequiredMixin, TemplateView):
    """The first page after sign-in: the project's figures and to-do list, or a mentor's learners."""

    allowed_roles = READERS
    template_name = "reports/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        # A funder's or national body's first page is the figures of the schools they oversee.
        if is_observer(request.user):
            return HttpResponseRedirect(reverse("openfigures:overview"))
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        if is_mentor(self.request.user):
            return ["reports/mentor_dashboard.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if is_mentor(user):
            context["assignments"] = (
                Assignment.objects.visible_to(user)
                .active()
                .select_related("participant__qualification", "placement", "host_company")
                .order_by("placement__start_date", "placement_id", "participant__name_key")
            )
            return context
        chosen = parse_id(self.request.GET.get("project", ""))
        # The projects to choose from, read once: the one shown among them (current_project's choice), each with
        # whether the user coordinates it (roles per school), asked below.
        projects = noting_coordinates(in_schools(Project.objects.all(), user), user)
        project = choose_project(projects, chosen or remembered_project_id(self.request))
        if project and chosen:
            remember_project(self.request, project)
        context["project"] = project
        context["projects"] = projects
        if project:
            # The project's flows and assignments, read once for the figures, the checklist, the attention list,
            # the attendance and the table of placements (Placement.objects.for_list's rows and learner_count).
            flows = services.project_flows(project)
            context["figures"] = services.project_figures(project, flows)
            context["placements"] = flows.placements
            # current_project gives only a project of the user's own schools, never a consortium's seen as a member
            context["checklist"] = project_checklist(project, flows=checklist_flows(flows.placements))
            # What waits for a coordinator: of the project's school's coordinator (roles per school).
            if coordinates(user, project):
                context["attention"] = services.attention_items(project, flows=flows)
                context["missing_attendance"], context["pending_signoffs"] = missing_and_pending(
                    project, flows=flows.placements
                )
        return context
