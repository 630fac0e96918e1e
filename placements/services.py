"""Rules that write several rows of placements. Plain, typed, keyword-only arguments: views parse the request
and call these; tasks and imports may call them too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .models import Assignment, Organisation, Placement

if TYPE_CHECKING:
    from accounts.models import User
    from participants.models import Participant


def assign_participants(
    *,
    placement: Placement,
    participants: Iterable[Participant],
    host_company: Organisation | None,
    mentor: User | None,
    status: str,
    by: User,
) -> list[Assignment]:
    """Put the learners on the placement, with one host company and mentor, all or none; the history
    records `by` as the one who did it."""
    with transaction.atomic():
        return bulk_create_with_history(
            [
                Assignment(
                    participant=participant,
                    placement=placement,
                    host_company=host_company,
                    mentor=mentor,
                    status=status,
                )
                for participant in participants
            ],
            Assignment,
            default_user=by,
        )
