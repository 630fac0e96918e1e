"""Querysets and look-ups that pages of several apps share."""

from typing import Any

from django.utils import timezone

from accounts.roles import in_schools

from .models import Project


def current_project(project_id: int | None, user: Any) -> Project | None:
    """The project asked for, else the running or next one, else the latest, among `user`'s schools' projects."""
    projects = in_schools(Project.objects.select_related("sending_organisation"), user)
    if project_id:
        found = projects.filter(pk=project_id).first()
        if found:
            return found
    today = timezone.localdate()
    return projects.filter(end_date__gte=today).order_by("start_date").first() or projects.first()
