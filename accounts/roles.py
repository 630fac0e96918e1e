"""Who may do what. Every view names the roles it admits; querysets are scoped per user.

- coordinator: reads and changes everything;
- staff: reads everything except restricted personal data, changes nothing;
- mentor: reads only the learners they mentor and the placements those learners are on.
"""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from .models import Role

READERS = (Role.COORDINATOR, Role.STAFF, Role.MENTOR)
OFFICE = (Role.COORDINATOR, Role.STAFF)
WRITERS = (Role.COORDINATOR,)


def role_of(user):
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.COORDINATOR
    return Role(user.role)


def has_role(user, roles):
    return role_of(user) in roles


def can_see_restricted_data(user):
    """Special-category and identity data (needs, documents, fewer-opportunity categories)."""
    return role_of(user) == Role.COORDINATOR


class RoleRequiredMixin(AccessMixin):
    """Anonymous users go to the sign-in page; signed-in users without a listed role get 403."""

    allowed_roles = WRITERS

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def scoped(queryset, user, *, mentor=None, **mentor_filters):
    """The one scoping rule: the office (coordinators, staff) sees every row; a mentor sees the rows whose
    `mentor` lookup (e.g. "assignments__mentor") is them, narrowed by `mentor_filters`, and nothing of a model
    without one; anyone else sees nothing. Every `visible_to` and `get_*_for` goes through here."""
    role = role_of(user)
    if role in OFFICE:
        return queryset
    if role == Role.MENTOR and mentor:
        found = queryset.filter(**{mentor: user}, **mentor_filters)
        return found.distinct() if "__" in mentor else found
    return queryset.none()


def get_for(user, queryset, **lookup):
    """The object `lookup` names among those `user` may see (office: all; mentors: none), else 404. For the
    office's own objects (qualifications, units, certificates, projects) that have no helper of their own."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(scoped(queryset, user), **lookup)
