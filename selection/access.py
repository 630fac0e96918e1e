"""The doors to calls, applications, their documents, appeals and committee seats."""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import coordinates, is_office, restricted_rows, scoped
from common.validators import parse_id

from .models import Appeal, Application, ApplicationDocument, Call, CommitteeMember


def calls_for(user: Any) -> QuerySet[Call]:
    return scoped(Call.objects.select_related("project"), user)


def call_for(user: Any, pk: object) -> Call:
    return get_object_or_404(calls_for(user), pk=parse_id(pk))


def call_to_change(user: Any, pk: object) -> Call:
    return get_object_or_404(scoped(Call.objects.select_related("project"), user, write=True), pk=parse_id(pk))


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related("call", "placement", "qualification")


def application_for(user: Any, pk: object) -> Application:
    return get_object_or_404(scoped(_applications(), user), pk=parse_id(pk))


def application_to_change(user: Any, pk: object) -> Application:
    return get_object_or_404(scoped(_applications(), user, write=True), pk=parse_id(pk))


def committee_seat_for(user: Any, call_pk: object) -> CommitteeMember:
    """The user's seat on this call's committee, else 404: nobody else opens a scoring page."""
    call = call_for(user, call_pk)
    return get_object_or_404(CommitteeMember.objects.select_related("call", "user"), call=call, user=user)


def application_documents_for(user: Any, documents: QuerySet[ApplicationDocument]) -> QuerySet[ApplicationDocument]:
    """The application documents this user may open, as privacy's rule for a learner's files, by the role in the
    call's school: a coordinator's, all; members of the call's committee (office accounts) what they score on,
    never an ID copy; anyone else none."""
    if not is_office(user):
        return documents.none()
    every_kind = restricted_rows(ApplicationDocument.objects.all(), user)
    seats = Call.objects.filter(committee__user=user)
    scored = Q(application__call__in=seats) & ~Q(kind=ApplicationDocument.Kind.ID_COPY)
    return scoped(documents, user).filter(Q(pk__in=every_kind.values("pk")) | scored)


def application_document_for(user: Any, pk: object) -> ApplicationDocument:
    documents = ApplicationDocument.objects.select_related("application")
    return get_object_or_404(application_documents_for(user, documents), pk=parse_id(pk))


def appeal_for(user: Any, pk: object) -> Appeal:
    return get_object_or_404(scoped(Appeal.objects.select_related("application"), user), pk=parse_id(pk))


def appeal_to_change(user: Any, pk: object) -> Appeal:
    return get_object_or_404(scoped(Appeal.objects.select_related("application"), user, write=True), pk=parse_id(pk))


def can_change_call(user: Any, call: Call) -> bool:
    """Whether the call's pages offer its changes: to a coordinator of the call's school (roles per school; each
    change then goes through call_to_change)."""
    return coordinates(user, call)
