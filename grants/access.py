"""The doors to the money's own objects: rate tables and payments (projects, flows and assignments:
placements.access, the money pages' assignments with `project_only=True`)."""

from typing import Any

from django.shortcuts import get_object_or_404

from accounts.roles import scoped
from common.validators import parse_id

from .models import Payment, RateTable


def rate_table_for(user: Any, pk: object) -> RateTable:
    return get_object_or_404(scoped(RateTable.objects.prefetch_related("bands", "groups"), user), pk=parse_id(pk))


def rate_table_to_change(user: Any, pk: object) -> RateTable:
    tables = RateTable.objects.prefetch_related("bands", "groups")
    return get_object_or_404(scoped(tables, user, write=True), pk=parse_id(pk))


def payment_for(user: Any, pk: object) -> Payment:
    payments = Payment.objects.select_related("project", "placement", "receipt")
    return get_object_or_404(scoped(payments, user), pk=parse_id(pk))


def payment_to_change(user: Any, pk: object) -> Payment:
    payments = Payment.objects.select_related("project", "placement", "receipt")
    return get_object_or_404(scoped(payments, user, write=True), pk=parse_id(pk))
