from .models import Role
from .roles import can_see_restricted_data, may_change_catalogues, role_of


def role(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    current = role_of(user)
    return {
        "role": current,
        "is_coordinator": current == Role.COORDINATOR,
        "is_mentor": current == Role.MENTOR,
        "is_observer": current == Role.OBSERVER,
        "can_see_restricted": can_see_restricted_data(user),
        "may_change_catalogues": may_change_catalogues(user),
        # Signed in with the password, the code still to come: the page shows no navigation.
        "second_factor_pending": getattr(request, "second_factor_pending", False),
        # The project the menu's "This project" reaches (placements.selectors.remember_project): no query.
        "current_project_id": request.session.get("current_project") if current and current != Role.MENTOR else None,
    }
