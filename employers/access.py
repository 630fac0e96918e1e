"""The doors to partners (receiving partners, host companies, local employers) and employers."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Organisation
from accounts.roles import organisations_to_change, scoped
from common.validators import parse_id

from .services import PARTNER_KINDS


def _partners() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=PARTNER_KINDS).select_related("profile")


def _employers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER)


def partner_for(user: Any, pk: object) -> Organisation:
    return get_object_or_404(scoped(_partners(), user), pk=parse_id(pk))


def partner_to_change(user: Any, pk: object) -> Organisation:
    return get_object_or_404(organisations_to_change(scoped(_partners(), user, write=True), user), pk=parse_id(pk))


def employer_for(user: Any, pk: object) -> Organisation:
    return get_object_or_404(scoped(_employers(), user), pk=parse_id(pk))


def employer_to_change(user: Any, pk: object) -> Organisation:
    return get_object_or_404(organisations_to_change(scoped(_employers(), user, write=True), user), pk=parse_id(pk))
