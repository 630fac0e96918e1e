"""The door to learners' files: who opens which kind (learners themselves: participants.access)."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import can_see_restricted_data, is_office, scoped
from common.validators import parse_id

from .models import LearnerFile


def _readable(user: Any, files: QuerySet[LearnerFile]) -> QuerySet[LearnerFile]:
    """Coordinators all; staff the signed agreements (the office files them); mentors none, never an ID scan."""
    files = scoped(files, user)
    if can_see_restricted_data(user):
        return files
    if is_office(user):
        return files.filter(kind=LearnerFile.Kind.SIGNED_AGREEMENT)
    return files.none()


def files_for(user: Any, participant: Any) -> QuerySet[LearnerFile]:
    """The files of a learner this user may open."""
    return _readable(user, LearnerFile.objects.filter(participant=participant).select_related("uploaded_by"))


def file_for(user: Any, pk: object) -> LearnerFile:
    return get_object_or_404(_readable(user, LearnerFile.objects.select_related("participant")), pk=parse_id(pk))


def file_to_change(user: Any, pk: object) -> LearnerFile:
    """A file the user may delete: a coordinator's, of a school where they are coordinator."""
    files = scoped(LearnerFile.objects.select_related("participant"), user, write=True)
    if not can_see_restricted_data(user):
        files = files.none()
    return get_object_or_404(files, pk=parse_id(pk))
