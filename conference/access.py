"""The doors to conferences and their registrations: the office's (the views admit no one else)."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import scoped
from common.validators import parse_id

from .models import Event, Registration


def events_for(user: Any) -> QuerySet[Event]:
    return scoped(Event.objects.select_related("project"), user)


def event_for(user: Any, pk: object) -> Event:
    return get_object_or_404(scoped(Event.objects.select_related("project"), user), pk=parse_id(pk))


def event_to_change(user: Any, pk: object) -> Event:
    return get_object_or_404(scoped(Event.objects.select_related("project"), user, write=True), pk=parse_id(pk))


def registration_for(user: Any, pk: object) -> Registration:
    registrations = Registration.objects.select_related("event", "checked_in_by")
    return get_object_or_404(scoped(registrations, user), pk=parse_id(pk))


def registration_to_change(user: Any, pk: object) -> Registration:
    registrations = Registration.objects.select_related("event", "checked_in_by")
    return get_object_or_404(scoped(registrations, user, write=True), pk=parse_id(pk))
