"""Writes about accounts that span several rows."""

from django.db import transaction

from .models import Membership, User
from .roles import OFFICE


@transaction.atomic
def share_schools(*, account: User, by: User) -> None:
    """`account` (just created or changed by the coordinator `by`) is a member, with its current role, of every
    school `by` is an office member of: a coordinator adds people to their own school, never to another."""
    schools = by.memberships.filter(role__in=OFFICE).values_list("organisation_id", flat=True)
    for school in schools:
        Membership.objects.update_or_create(user=account, organisation_id=school, defaults={"role": account.role})
