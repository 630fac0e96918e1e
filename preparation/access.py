"""The doors to preparation sessions and incidents (flows and assignments: placements.access)."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import scoped
from common.validators import parse_id

from .models import Incident, PreparationSession


def session_for(user: Any, pk: object) -> PreparationSession:
    return get_object_or_404(scoped(PreparationSession.objects.select_related("placement"), user), pk=parse_id(pk))


def session_to_change(user: Any, pk: object) -> PreparationSession:
    sessions = PreparationSession.objects.select_related("placement")
    return get_object_or_404(scoped(sessions, user, write=True), pk=parse_id(pk))


def _incidents() -> QuerySet[Incident]:
    return Incident.objects.select_related("placement", "assignment__participant")


def incident_for(user: Any, pk: object) -> Incident:
    return get_object_or_404(scoped(_incidents(), user), pk=parse_id(pk))


def incident_to_change(user: Any, pk: object) -> Incident:
    return get_object_or_404(scoped(_incidents(), user, write=True), pk=parse_id(pk))
