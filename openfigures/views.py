"""Results in figures: a project's open figures on its public site, and the same as a data package."""

from __future__ import annotations

from django.http import HttpResponse
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import FIGURE_READERS, RoleRequiredMixin, overseen_projects
from common.cache import get_or_compute
from placements.models import Project
from placements.sites import SiteMixin

from . import indicators
from .package import package_zip

FIGURES_SECONDS = 300


def project_figures(project):
    return get_or_compute(f"open-figures-{project.pk}", lambda: indicators.published([project]), FIGURES_SECONDS)


class FiguresView(SiteMixin, TemplateView):
    template_name = "openfigures/figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = project_figures(self.project)
        flows = [row for row in figures.flows.rows if row["flow"]]
        total = next((row for row in figures.flows.rows if not row["flow"]), None)
        context.update(
            project=self.project,
            site_project=self.project,
            flows=flows,
            total=total,
            graduates=figures.graduates.rows,
            employers=figures.employers[0]["employers"] if figures.employers else 0,
            threshold=figures.threshold,
        )
        return context


class PackageView(SiteMixin, View):
    def get(self, request, site):
        project = self.project
        slug = project.public_slug
        body = package_zip(f"{slug}-figures", f"{project.title}: results in figures", project_figures(project))
        response = HttpResponse(body, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{slug}-figures.zip"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class OverviewView(RoleRequiredMixin, TemplateView):
    """The open figures of every project a consortium's office or a funder oversees, side by side and by year.
    The same published (suppressed) figures as the public pages: no name, no learner page, no file."""

    allowed_roles = FIGURE_READERS
    template_name = "openfigures/overview.html"
    LIMIT = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = list(
            overseen_projects(Project.objects.select_related("sending_organisation"), self.request.user).order_by(
                "-start_date", "pk"
            )[: self.LIMIT]
        )
        figures = indicators.published(projects)
        totals = {row["project"]: row for row in figures.flows.rows if not row["flow"]}
        graduates = {}
        for row in figures.graduates.rows:
            graduates.setdefault(row["project"], {})[row["months"]] = row
        rows = []
        for project in projects:
            key = project.reference or project.title
            rows.append(
                {
                    "project": project,
                    "school": project.sending_organisation.name,
                    "figures": totals.get(key, {}),
                    "after_six": graduates.get(key, {}).get(6),
                }
            )
        most = max((row["figures"].get("participants") or 0 for row in rows), default=0)
        for row in rows:
            participants = row["figures"].get("participants")
            row["bar"] = round(100 * participants / most) if participants and most else 0
        years: dict[int, dict[str, int]] = {}
        for row in rows:
            year = years.setdefault(row["project"].start_date.year, {"projects": 0, "participants": 0, "hidden": 0})
            year["projects"] += 1
            if row["figures"].get("participants") is None:
                year["hidden"] += 1
            else:
                year["participants"] += row["figures"]["participants"]
        context.update(rows=rows, years=sorted(years.items()), threshold=figures.threshold, limit=self.LIMIT)
        return context
