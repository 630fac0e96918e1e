"""The door to learners (participants): one read and one write helper over the one rule (accounts.roles.scoped)."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import restricted_rows, scoped
from common.validators import parse_id

from .models import Participant


def participants_for(user: Any) -> QuerySet[Participant]:
    return Participant.objects.visible_to(user)


def participants_to_change(user: Any, *, archived: bool = False) -> QuerySet[Participant]:
    """A learner's record is changed by the office of their school where it is a writer; mentors change none.
    An archived learner's only change is being restored (`archived`)."""
    found = Participant.objects.all() if archived else Participant.objects.filter(archived_at__isnull=True)
    return scoped(found, user, write=True)


def participant_for(user: Any, pk: object) -> Participant:
    return get_object_or_404(participants_for(user), pk=parse_id(pk))


def participant_to_change(user: Any, pk: object, *, archived: bool = False) -> Participant:
    return get_object_or_404(participants_to_change(user, archived=archived), pk=parse_id(pk))


def participant_with_restricted_data(user: Any, pk: object) -> Participant:
    """A learner whose restricted data `user` reads (the export of everything held about them): of a school where
    their membership is a coordinator's (roles per school), else 404."""
    return get_object_or_404(restricted_rows(Participant.objects.all(), user), pk=parse_id(pk))
