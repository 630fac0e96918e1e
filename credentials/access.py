"""The doors to a learner's Europass Mobility: one to read (the office of their schools), one to change (a
coordinator there, as the membership's role decides). Built on accounts.roles.get_for, the one rule."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.roles import get_for

from .models import EuropassMobility


def _europasses() -> QuerySet[EuropassMobility]:
    return EuropassMobility.objects.select_related("assignment__participant", "assignment__placement__project")


def europass_for(user: Any, pk: object) -> EuropassMobility:
    return get_for(user, _europasses(), pk=pk)


def europass_to_change(user: Any, pk: object) -> EuropassMobility:
    return get_for(user, _europasses(), write=True, pk=pk)
