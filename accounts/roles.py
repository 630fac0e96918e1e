"""Who may do what. Every view names the roles it admits; querysets are scoped per user.

- coordinator: reads and changes everything of their schools;
- staff: reads everything of their schools except restricted personal data, changes nothing;
- mentor: reads only the learners they mentor and the placements those learners are on.

"Their schools" are the sending organisations the user is an office member of (accounts.Membership); see
school_filter for how each model is tied to a school, and in_schools / scoped for where the rule applies.

Roles are per school: `User.role` is the highest role someone holds (it decides which pages open), and each
membership's role decides what they may do in that school's rows. A person who is coordinator at one school and
staff at another reads both schools' rows and changes only the first's: every write goes through `scoped(...,
write=True)` (the `*_to_change` helpers of each app's access.py), which keeps to the schools where the
membership's role is a writer's. Restricted personal data likewise: read by the coordinators of the learner's
school (restricted_rows, sees_restricted_of), not by everyone whose highest role is a coordinator's.

This module and the apps' access.py modules are the only places that look at a role; tests/test_one_door.py
fails on a role comparison anywhere else.
"""

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, Model, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponseBase

from .models import Role

READERS = (Role.COORDINATOR, Role.STAFF, Role.MENTOR)
OFFICE = (Role.COORDINATOR, Role.STAFF)
WRITERS = (Role.COORDINATOR,)
# Who reads the open figures of several schools side by side (openfigures.views.OverviewView): the office of a
# school or a consortium, and a funder or national body, who reads nothing else.
FIGURE_READERS = (Role.COORDINATOR, Role.STAFF, Role.OBSERVER)
# Who records attendance and who rates competencies: the school's coordinator and the learner's mentor (their own
# learners only; the coordinator anyone's of their schools); staff only read.
RECORDERS = (Role.COORDINATOR, Role.MENTOR)
RATERS = (Role.COORDINATOR, Role.MENTOR)


def role_of(user: Any) -> Role | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.COORDINATOR
    return Role(user.role)


def has_role(user: Any, roles: tuple[Role, ...]) -> bool:
    return role_of(user) in roles


def is_mentor(user: Any) -> bool:
    """A host company's mentor: sees only the learners they mentor."""
    return role_of(user) == Role.MENTOR


def is_coordinator(user: Any) -> bool:
    """A coordinator (at one school at least) or the installation's superuser."""
    return role_of(user) == Role.COORDINATOR


def is_office(user: Any) -> bool:
    return role_of(user) in OFFICE


def can_see_restricted_data(user: Any) -> bool:
    """Special-category and identity data (needs, documents, fewer-opportunity categories) of some school: a
    coordinator at one school at least. Which learners' data they read is each school's: see
    sees_restricted_of and restricted_rows (roles per school); this alone decides nothing about a row, only
    whether there can be any (a spreadsheet's restricted columns, whose cells are then filled per row)."""
    return role_of(user) == Role.COORDINATOR


def restricted_rows[QS: QuerySet[Any]](queryset: QS, user: Any) -> QS:
    """The rows of `queryset` whose restricted data `user` reads and changes: those of the schools where their
    membership is a coordinator's (a learner's school, or the project's for the consortium that runs it; every
    school's for a superuser). Coordinator at one school and staff at another reads the first's learners' needs,
    ID numbers and files, not the second's. A subquery, no query of its own."""
    if not can_see_restricted_data(user):
        return queryset.none()
    return scoped(queryset, user, write=True)


def coordinates(user: Any, obj: Model) -> bool:
    """Whether `user` is a coordinator in `obj`'s school (a row of one school's: a project, a flow, a learner, a
    call, an agreement; of a consortium's project, the learner's school for a learner's row): what a page of
    `obj` offers to change (roles per school: coordinator at one school and staff at another is offered the
    first's changes only). The changes themselves still go through the write helpers. One query, none for
    someone who is coordinator nowhere or a superuser; True for a row of a shared catalogue. The answer is kept on
    `obj` for `user`, so that the panels of one page asking about the same learner or project cost one query, not
    one each (the instance lives as long as the request that read it)."""
    if not is_coordinator(user):
        return False
    if user.is_superuser:
        return True
    answers: dict[int, bool] = obj.__dict__.setdefault("_coordinated_by", {})
    if user.pk not in answers:
        answers[user.pk] = scoped(type(obj)._default_manager.filter(pk=obj.pk), user, write=True).exists()
    return answers[user.pk]


def noting_coordinates[M: Model](queryset: QuerySet[M], user: Any) -> list[M]:
    """The rows of `queryset`, each answering coordinates(user, row) with no query of its own: the answer is read
    with the rows, as a column computed from the same rule (school_filter's, for a writer), for a page that lists
    rows and asks about one of them (the dashboard's projects). For a model whose rule joins no multi-valued
    relation (a project, a flow): such a join would repeat rows."""
    rule = school_filter(queryset.model, user, write=True) if is_coordinator(user) and not user.is_superuser else None
    if rule is None:
        return list(queryset)  # coordinates answers without a query
    rows = list(queryset.annotate(coordinated_by_viewer=ExpressionWrapper(rule, output_field=BooleanField())))
    for row in rows:
        row.__dict__.setdefault("_coordinated_by", {})[user.pk] = row.__dict__.pop("coordinated_by_viewer")
    return rows


def sees_restricted_of(user: Any, obj: Model) -> bool:
    """Whether `user` reads the restricted data of `obj` (a learner, or a row of one learner's or one school's: an
    application, a placement, an assignment), by their membership's role in its school (restricted_rows: the
    same rule as coordinates). One query, none for someone who is coordinator nowhere or a superuser."""
    return coordinates(user, obj)


def may_change_catalogues(user: Any) -> bool:
    """The installation's shared catalogues (the EU's rate tables and country groups, the qualification frameworks'
    units and outcomes, the attendance codes) are changed by its administrators (superusers) only, with history;
    every school's office reads them. Shared rather than copied per school: every school's grant, ratings and
    attendance are counted against the same rows, and no page needs to learn which school's copy it shows."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


class RoleRequiredMixin(AccessMixin):
    """Anonymous users go to the sign-in page; signed-in users without a listed role get 403."""

    allowed_roles: tuple[Role, ...] = WRITERS
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, self.allowed_roles):
            raise PermissionDenied
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response

    # A page a consortium's member schools open on the consortium's project or flow (showing only their own
    # learners in it): reading only, never a change (see school_filter).
    member_schools_see = False

    def get_queryset(self) -> QuerySet[Any]:
        """Every class-based view's own queryset keeps to the viewer's schools, whatever else it narrows by:
        to read on GET, to change (the schools where they are a writer) on any other method and on the writers'
        own pages (an edit form of a school where the viewer only reads answers 404, as its POST would)."""
        reading = self.request.method in ("GET", "HEAD")
        members = self.member_schools_see and reading
        write = not reading or all(role in WRITERS for role in self.allowed_roles)
        queryset: QuerySet[Any] = super().get_queryset()  # type: ignore[misc]
        return in_schools(queryset, self.request.user, members=members, write=write)

    def get_form(self, form_class: Any = None) -> Any:
        """A form's choices of rows (a project, a placement, a mentor) keep to the schools where the viewer may
        change rows, so that neither a list of choices shows nor a forged POST reaches another school's."""
        form = super().get_form(form_class)  # type: ignore[misc]
        for field in form.fields.values():
            if getattr(field, "queryset", None) is not None:
                field.queryset = in_schools(
                    field.queryset, self.request.user, members=self.member_schools_see, write=True
                )
        return form


class CatalogueAdminMixin(RoleRequiredMixin):
    """A page that changes a shared catalogue: the installation's administrators only (may_change_catalogues);
    a school's coordinator gets 403, anonymous users the sign-in page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_change_catalogues(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def in_schools[QS: QuerySet[Any]](queryset: QS, user: Any, *, members: bool = False, write: bool = False) -> QS:
    """`queryset` kept to the schools `user` belongs to, for an office user; unchanged otherwise (a mentor's
    rows are narrowed by `scoped`'s mentor rule, a superuser sees every school). `members`: with the consortium
    projects the user's schools are members of, for the pages that show a member school its part of them.
    `write`: only the schools where the user's membership is a writer's (roles per school)."""
    if role_of(user) in OFFICE and not user.is_superuser:
        school = school_filter(queryset.model, user, members=members, write=write)
        if school is not None:
            found = queryset.filter(school)
            return found.distinct() if getattr(queryset.model, "school_path", None) else found
    return queryset


def accounts_to_change[QS: QuerySet[Any]](queryset: QS, user: Any) -> QS:
    """The accounts of `queryset` that `user` may change (its address, switched off, its two-factor reset): of
    their schools like any row, but not an account that is another school's too (a coordinator of two schools)
    nor the installation's superuser, unless `user` is one: re-addressing such an account hands over the other
    schools. Subqueries, no extra query."""
    if user.is_superuser:
        return queryset
    from .models import Membership

    elsewhere = Membership.objects.filter(user=OuterRef("pk")).exclude(organisation__in=my_schools(user))
    return in_schools(queryset, user, write=True).exclude(is_superuser=True).exclude(Exists(elsewhere))


def organisations_to_change[QS: QuerySet[Any]](queryset: QS, user: Any) -> QS:
    """The organisations of `queryset` that `user` may change: of their address books like any row, but not
    another school on the installation (one with members) that is in their book (a consortium's member
    schools, to be named on its project): that record is the school's own (its name on its certificates and
    site, its coordinates for the grant's distances), read by the others, changed by its own office."""
    if user.is_superuser:
        return queryset
    from .models import Membership

    a_school = Exists(Membership.objects.filter(organisation=OuterRef("pk")))
    return in_schools(queryset, user, write=True).exclude(a_school & ~Q(pk__in=my_schools(user, write=True)))


def my_schools(user: Any, *, write: bool = False) -> QuerySet[Any]:
    """The schools `user` is an office member of (`write`: a writer, i.e. coordinator, there), as a subquery (no
    query of its own)."""
    from .models import Membership

    return Membership.objects.filter(user=user, role__in=WRITERS if write else OFFICE).values("organisation")


def school_filter(model: type[Model], user: Any, *, members: bool = False, write: bool = False) -> Q | None:
    """The condition (a Q) that keeps `model`'s rows to the schools `user` is an office member of, or None for a
    model shared by every school (a catalogue: qualifications, attendance codes, EU rate tables). A model
    declares its way to its project once, as `project_path` ("" for Project, "placement__project" for a
    placement's rows); a model reached through the school itself declares `school_path`.

    A consortium's project (Project.member_schools) is seen whole by the consortium's office (the project's
    sending organisation). A member school's office sees the rows of its own learners in it (Participant.school;
    a model whose rows are a learner's says so with `learner_path`, its way to the Participant), and, on the
    pages that ask for it (`members`), the project and its flows (models that say `member_schools_see`), never
    to change them. Everything else of the project (money, selection, preparation, the public site, reports)
    stays the consortium's. `write`: the schools where the user is a writer only. Subqueries, no extra query."""
    mine = my_schools(user, write=write)
    path = getattr(model, "school_path", None)
    if path is not None:
        rule = Q(**{f"{path}__in" if path else "pk__in": mine})
        person = path.removesuffix("__memberships__organisation")
        if person != path:
            # A person's row (a document job, a receipt, an import): of a person who belongs to another school
            # too, it may be about that school's learners, so it is theirs and that school's, not this one's.
            from .models import Membership

            rule &= Q(~Exists(Membership.objects.filter(user=OuterRef(person)).exclude(organisation__in=mine)))
        return rule
    project_path = getattr(model, "project_path", None)
    if project_path is None:
        return None
    prefix = f"{project_path}__" if project_path else ""
    rule = Q(**{f"{prefix}sending_organisation__in": mine})
    learner_path = getattr(model, "learner_path", None)
    if learner_path is not None:
        rule |= Q(**{f"{learner_path}__school__in" if learner_path else "school__in": mine})
    elif members and getattr(model, "member_schools_see", False):
        joined = mine.filter(organisation__consortium_projects__isnull=False).values(
            "organisation__consortium_projects"
        )
        rule |= Q(**{f"{project_path}__in" if project_path else "pk__in": joined})
    return rule


def scoped[QS: QuerySet[Any]](
    queryset: QS,
    user: Any,
    *,
    mentor: str | None = None,
    members: bool = False,
    write: bool = False,
    **mentor_filters: Any,
) -> QS:
    """The one scoping rule: the office (coordinators, staff) sees the rows of the schools they are members of
    (accounts.Membership; see school_filter), a superuser (the installation's IT person) every row; a mentor sees
    the rows whose `mentor` lookup (e.g. "assignments__mentor") is them, narrowed by `mentor_filters`, and nothing
    of a model without one; anyone else sees nothing. `write`: the rows `user` may change, i.e. of the schools
    where their membership is a writer's (a mentor changes what they see; which pages admit a role is the views'
    `allowed_roles`). Every `visible_to` and every access.py helper goes through here."""
    role = role_of(user)
    if role in OFFICE:
        return in_schools(queryset, user, members=members, write=write)
    if role == Role.MENTOR and mentor:
        found = queryset.filter(**{mentor: user}, **mentor_filters)
        return found.distinct() if "__" in mentor else found
    return queryset.none()


def get_for[M: Model](user: Any, queryset: QuerySet[M], *, write: bool = False, **lookup: Any) -> M:
    """The object `lookup` names among those `user` may see (office: their schools'; mentors: none), else 404;
    `write`: among those they may change. The access.py helpers are built on it."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(scoped(queryset, user, write=write), **lookup)


def is_observer(user: Any) -> bool:
    """A funder's or national body's account: its only page is the open figures' overview."""
    return role_of(user) == Role.OBSERVER


def overseen_projects[QS: QuerySet[Any]](queryset: QS, user: Any) -> QS:
    """The projects whose open figures `user` reads: an observer's, those of every school they are a member of
    (in whatever role); the office's, their schools' (the one rule); a superuser's, all. Subqueries only."""
    from .models import Membership

    if is_observer(user) and not user.is_superuser:
        return queryset.filter(sending_organisation__in=Membership.objects.filter(user=user).values("organisation"))
    return scoped(queryset, user)
