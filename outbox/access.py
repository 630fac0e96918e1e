"""The door to outgoing mail: the coordinators' (the views admit no one else); the office's scoping rule."""

from typing import Any

from django.shortcuts import get_object_or_404

from accounts.roles import scoped
from common.validators import parse_id

from .models import OutgoingMessage


def message_for(user: Any, pk: object) -> OutgoingMessage:
    return get_object_or_404(scoped(OutgoingMessage.objects.all(), user), pk=parse_id(pk))


def message_to_change(user: Any, pk: object) -> OutgoingMessage:
    return get_object_or_404(scoped(OutgoingMessage.objects.all(), user, write=True), pk=parse_id(pk))
