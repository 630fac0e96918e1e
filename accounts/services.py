"""Writes about accounts that span several rows."""

from django.db import transaction

from .models import Membership, User
from .roles import OFFICE


@transaction.atomic
def share_schools(*, account: User, by: User, join: bool = True) -> None:
    """`account`, just created (`join`) by the coordinator `by`, becomes a member with its role of every school
    `by` is an office member of: a coordinator adds people to their own school, never to another. Changed
    (`join=False`), it keeps its schools: its role follows in those of them that are `by`'s."""
    schools = by.memberships.filter(role__in=OFFICE).values_list("organisation_id", flat=True)
    if not join:
        Membership.objects.filter(user=account, organisation_id__in=schools).update(role=account.role)
        return
    for school in schools:
        Membership.objects.update_or_create(user=account, organisation_id=school, defaults={"role": account.role})
