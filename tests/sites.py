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
