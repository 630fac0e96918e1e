"""Addresses on a project's public site (/p/<site>/...) for tests: `on_site("public:news")` is the page on the
installation's one site (the test world's project, or a new project when the test has none, as every public
page now belongs to a project); pass `project=` where the test has several."""

from django.urls import reverse

from placements.models import Project


def on_site(name, *args, project=None):
    if project is None:
        projects = list(Project.objects.order_by("pk")[:2])
        assert len(projects) < 2, "several projects: say which site with project="
        if projects:
            project = projects[0]
        else:
            from .factories import ProjectFactory

            project = ProjectFactory()
    return reverse(name, args=[project.public_slug, *args])


def site_args(make=None):
    """For the access matrix: the kwargs of a page on the world's project's site, with `make`'s own."""
    return lambda world: {"site": world.project.public_slug, **(make(world) if make else {})}


def is_site_redirect(name):
    """The installation's address and the addresses of the time of one site: they send everyone, signed in or
    not, on to a project's public site (not to the sign-in page)."""
    return name == "public:root" or ":legacy_" in name
