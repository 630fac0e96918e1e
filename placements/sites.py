"""The public sites: each project's at /p/<public_slug>/ (public.urls), with its conference and calls
(conference.urls, selection.urls). Pages find their project here; the addresses of the time of one site are
sent on from here."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import RedirectView

from .models import Project


def public_site(request: Any, slug: str) -> Project:
    """The project whose public site `slug` names, else 404; kept on the request for the pages' header
    (public.context_processors), so that it is looked up once."""
    project = get_object_or_404(Project.objects.select_related("sending_organisation"), public_slug=slug)
    request.site_project = project
    return project


def public_sites() -> list[Project]:
    """The projects whose sites the root address lists: those with a published page (the public app's
    `ProjectPage`, reached by its related name); without any, every project, as the one site used to show the
    newest project before its page was written."""
    projects = Project.objects.select_related("sending_organisation").order_by("-start_date", "-pk")
    published = list(projects.filter(public_pages__published=True).distinct())
    return published or list(projects)


def only_public_site() -> Project | None:
    """The installation's one public site, or None when there are several (or none)."""
    sites = public_sites()
    return sites[0] if len(sites) == 1 else None


class SiteMixin:
    """A public page of one project's site: finds the project in the address (404 for an unknown one) as
    `self.project`; everything the page shows is filtered by it."""

    project: Project

    def dispatch(self, request, *args, **kwargs):
        self.project = public_site(request, kwargs["site"])
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class LegacyRedirectView(RedirectView):
    """An address of the time of one site (/good-practice/, /exchange/12/, /conference/...), kept so that old
    links work: sent to the same page of the project that owns the object in it, else of the only site, else to
    the list of sites."""

    target = ""
    # A function of the address's arguments giving the owning project's public_slug (a values_list queryset).
    owner: Callable[[dict[str, Any]], QuerySet] | None = None

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        if self.owner is not None:
            slug = self.owner(kwargs).first()
            if slug is None:
                raise Http404
        else:
            site = only_public_site()
            if site is None:
                return reverse("public:root")
            slug = site.public_slug
        url = reverse(self.target, kwargs={"site": slug, **kwargs})
        query = self.request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url
