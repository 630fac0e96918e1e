"""Rules that write several rows of placements. Plain, typed, keyword-only arguments: views parse the request
and call these; tasks and imports may call them too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import Organisation

from .models import Assignment, Placement

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


def set_host_and_mentor(
    *,
    placement: Placement,
    assignments: Iterable[Assignment],
    host_company: Organisation,
    mentor: User | None,
    by: User,
) -> int:
    """One host company and mentor for several learners of `placement`, all or none; the history records `by`.
    Returns how many were changed."""
    chosen = list(assignments)
    if any(a.placement_id != placement.pk for a in chosen):
        raise ValueError("an assignment of another flow")  # the form offers this flow's only
    with transaction.atomic():
        for assignment in chosen:
            assignment.host_company, assignment.mentor = host_company, mentor
            assignment._history_user = by  # type: ignore[attr-defined]
            assignment.save(update_fields=["host_company", "mentor"])
    return len(chosen)


def own_schools(user: User) -> list[int]:
    """The schools whose address book `user`'s new organisations join: every school where they are a writer
    (roles per school: a coordinator of several schools works for them all; a school where they are staff only
    reads its address book). A narrower choice would need a field the common one-school coordinator has no use
    for."""
    from accounts.roles import WRITERS

    return sorted(user.memberships.filter(role__in=WRITERS).values_list("organisation_id", flat=True))


def add_to_address_book(*, organisation: Organisation, schools: Iterable[int]) -> None:
    """Put `organisation` in these schools' address books (a school is always in its own, see Organisation.save)."""
    organisation.schools.add(*schools)


def oid_taken(*, oid: str, schools: Iterable[int], exclude: int | None = None) -> Organisation | None:
    """The organisation with this OID already in one of these schools' address books, if any. An OID is unique
    within an address book, not on the installation: two schools working with one company each keep their own
    record of it (their notes, contacts and agreements are theirs alone)."""
    if not oid:
        return None
    found = Organisation.objects.filter(oid=oid, schools__in=list(schools))
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.order_by("pk").first()
