"""The doors to projects, flows (placements) and assignments: one read helper (`*_for`) and one write helper
(`*_to_change`) each, over the one rule (accounts.roles.scoped). Views, services and other apps fetch these
objects only through here; a write helper keeps to the schools where the user is a writer (roles per school)."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import WRITERS, has_role, in_schools, scoped
from common.validators import parse_id

from .models import Assignment, Placement, Project


def placements_for(user: Any, *, members: bool = False) -> QuerySet[Placement]:
    """`members`: a consortium's member school sees the consortium's flows too (to read; see accounts.roles)."""
    return Placement.objects.visible_to(user, members=members)


def placements_to_change(user: Any) -> QuerySet[Placement]:
    return scoped(Placement.objects.all(), user, mentor="assignments__mentor", write=True)


# What a flow's pages read with it, in the same query.
PLACEMENT_RELATED = ("project__sending_organisation", "qualification", "receiving_partner")


def placement_for(
    user: Any, pk: object, *, members: bool = False, related: tuple[str, ...] = PLACEMENT_RELATED
) -> Placement:
    """`related`: the relations read with the flow, for a page that reads others (the week grid: its work pattern
    only; the joins of the others cost more than the rest of the query)."""
    return get_object_or_404(placements_for(user, members=members).select_related(*related), pk=parse_id(pk))


def placement_to_change(user: Any, pk: object) -> Placement:
    return get_object_or_404(placements_to_change(user).select_related(*PLACEMENT_RELATED), pk=parse_id(pk))


def placement_and_change(user: Any, pk: object, *, members: bool = False) -> tuple[Placement, bool]:
    """placement_for's flow and whether `user` may change it (can_change, for a writer), in one query for a writer
    who may: what they may change they may read (placements_to_change keeps to the schools where they write,
    placements_for to those where they read, and more with `members`). Two for a writer who may not."""
    if has_role(user, WRITERS):
        try:
            return placement_to_change(user, pk), True
        except Http404:
            pass
    return placement_for(user, pk, members=members), False


def flow_assignments(user: Any, placement: Placement, *, may_change: bool) -> QuerySet[Assignment]:
    """The assignments of `placement` that `user` reads. `may_change`: they may change it (placement_and_change
    said so), so they read them all (its school is one where they write, so one where they read): no scoping
    rule to apply to each assignment."""
    if may_change:
        return Assignment.objects.filter(placement=placement)
    return assignments_for(user).filter(placement=placement)


def assignments_for(user: Any, *, project_only: bool = False) -> QuerySet[Assignment]:
    """`project_only`: of the projects of the user's own schools, for the money pages: a consortium's money stays
    the consortium's, so a member school does not reach it through its own learner (school_filter's learner
    rule); such pages are the office's, mentors none."""
    if project_only:
        projects = in_schools(Project.objects.all(), user)
        return scoped(Assignment.objects.filter(placement__project__in=projects), user)
    return Assignment.objects.visible_to(user)


def assignments_to_change(user: Any, *, project_only: bool = False) -> QuerySet[Assignment]:
    """The assignments `user` may change (a coordinator's schools where they are coordinator, a mentor's own
    learners'): through the one scoping rule, so that another school's id in a POST body is refused."""
    if project_only:
        projects = in_schools(Project.objects.all(), user, write=True)
        return scoped(Assignment.objects.filter(placement__project__in=projects), user, write=True)
    return scoped(Assignment.objects.all(), user, mentor="mentor", write=True)


_ASSIGNMENT_RELATED = (
    "participant__qualification",
    "placement__project__sending_organisation",
    "placement__qualification",
    "host_company",
    "mentor",
)


def assignment_for(user: Any, pk: object, *, project_only: bool = False) -> Assignment:
    return get_object_or_404(
        assignments_for(user, project_only=project_only).select_related(*_ASSIGNMENT_RELATED), pk=parse_id(pk)
    )


def assignment_to_change(user: Any, pk: object, *, project_only: bool = False) -> Assignment:
    return get_object_or_404(
        assignments_to_change(user, project_only=project_only).select_related(*_ASSIGNMENT_RELATED), pk=parse_id(pk)
    )


def projects_for(user: Any, *, members: bool = False) -> QuerySet[Project]:
    return scoped(Project.objects.all(), user, members=members)


def projects_to_change(user: Any) -> QuerySet[Project]:
    return scoped(Project.objects.all(), user, write=True)


def project_for(user: Any, pk: object) -> Project:
    return get_object_or_404(projects_for(user).select_related("sending_organisation"), pk=parse_id(pk))


def project_to_change(user: Any, pk: object) -> Project:
    return get_object_or_404(projects_to_change(user).select_related("sending_organisation"), pk=parse_id(pk))


def can_change(user: Any, obj: Project | Placement) -> bool:
    """Whether `user` may change `obj` (their schools own it and they are a writer there), not only see it (as a
    consortium's member school, or as staff)."""
    model = type(obj)
    return scoped(model.objects.filter(pk=obj.pk), user, write=True).exists()
