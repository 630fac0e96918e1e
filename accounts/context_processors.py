from .models import Role
from .roles import may_change_catalogues, role_of


def role(request):
    """The menu's flags, by the user's highest role. `is_coordinator` opens the menu's entries of a coordinator at
    one school at least (accounts, the public site, outgoing mail, new records), whose pages then keep to the
    schools where they are coordinator; a page of one school's object (or a list of several schools' rows) that
    offers changes sets its own `is_coordinator` (or a per-row flag) by the role in that school (roles per school,
    accounts.roles.coordinates; tests/test_roles_per_school.py walks every page). Restricted data is never
    decided here: each page asks sees_restricted_of for its learner."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    current = role_of(user)
    return {
        "role": current,
        "is_coordinator": current == Role.COORDINATOR,
        "is_mentor": current == Role.MENTOR,
        "is_observer": current == Role.OBSERVER,
        "may_change_catalogues": may_change_catalogues(user),
        # Signed in with the password, the code still to come: the page shows no navigation.
        "second_factor_pending": getattr(request, "second_factor_pending", False),
        # The project the menu's "This project" reaches (placements.selectors.remember_project): no query.
        "current_project_id": request.session.get("current_project") if current and current != Role.MENTOR else None,
    }
