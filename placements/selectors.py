"""Querysets and look-ups that pages of several apps share."""

from typing import Any

from django.utils import timezone

from accounts.roles import in_schools

from .models import Project

# The project the coordinator last made, opened or chose: the dashboard opens it and the menu reaches its pages.
CURRENT_PROJECT_KEY = "current_project"


def remember_project(request: Any, project: Project) -> None:
    """Call only with a project the request's user may see (the menu links to its pages by this id)."""
    if request.session.get(CURRENT_PROJECT_KEY) != project.pk:
        request.session[CURRENT_PROJECT_KEY] = project.pk


def remembered_project_id(request: Any) -> int | None:
    value = request.session.get(CURRENT_PROJECT_KEY)
    return value if isinstance(value, int) else None


def current_project(project_id: int | None, user: Any, *, write: bool = False) -> Project | None:
    """The project asked for, else the running or next one, else the latest, among `user`'s schools' projects
    (`write`: of the schools where they are a writer, for the pages that change it; roles per school)."""
    projects = in_schools(Project.objects.select_related("sending_organisation"), user, write=write)
    return choose_project(list(projects), project_id)


def choose_project(projects: list[Project], project_id: int | None) -> Project | None:
    """current_project's choice among `projects` already read (a user's schools' projects, newest first): the one
    asked for, else the running or next one, else the latest."""
    if project_id:
        found = next((project for project in projects if project.pk == project_id), None)
        if found:
            return found
    today = timezone.localdate()
    running = [project for project in projects if project.end_date >= today]
    if running:
        return min(running, key=lambda project: project.start_date)
    return projects[0] if projects else None
