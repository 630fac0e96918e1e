"""Results in figures: a project's open figures on its public site, and the same as a data package."""

from __future__ import annotations

from django.http import HttpResponse
from django.views import View
from django.views.generic import TemplateView

from common.cache import get_or_compute
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
