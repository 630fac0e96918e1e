"""The door to learners' files: who opens which kind (learners themselves: participants.access)."""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import is_office, restricted_rows, scoped
from common.validators import parse_id

from .models import LearnerFile


def _readable(user: Any, files: QuerySet[LearnerFile]) -> QuerySet[LearnerFile]:
    """By the role in the learner's school: a coordinator's, all; staff's, the signed agreements (the office files
    them); mentors none, never an ID scan."""
    if not is_office(user):
        return files.none()
    all_kinds = restricted_rows(LearnerFile.objects.all(), user)
    return scoped(files, user).filter(Q(kind=LearnerFile.Kind.SIGNED_AGREEMENT) | Q(pk__in=all_kinds.values("pk")))


def files_for(user: Any, participant: Any) -> QuerySet[LearnerFile]:
    """The files of a learner this user may open."""
    return _readable(user, LearnerFile.objects.filter(participant=participant).select_related("uploaded_by"))


def file_for(user: Any, pk: object) -> LearnerFile:
    return get_object_or_404(_readable(user, LearnerFile.objects.select_related("participant")), pk=parse_id(pk))


def file_to_change(user: Any, pk: object) -> LearnerFile:
    """A file the user may delete: a coordinator's, of a school where they are coordinator."""
    files = restricted_rows(LearnerFile.objects.select_related("participant"), user)
    return get_object_or_404(files, pk=parse_id(pk))
