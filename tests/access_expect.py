"""The shape of the access matrix's expectations, shared by test_access.py and the access_routes_* files."""

ROLES = ["anonymous", "other_mentor", "mentor", "staff", "coordinator"]


def expect(anonymous, other_mentor, mentor, staff, coordinator):
    """The status code each role gets, in the order of ROLES."""
    return dict(zip(ROLES, (anonymous, other_mentor, mentor, staff, coordinator), strict=True))


# A shared catalogue's change pages (rate tables, frameworks, attendance codes): the installation's administrators
# only (accounts.roles.may_change_catalogues), not any school's coordinator.
ADMINS_ONLY = expect(302, 403, 403, 403, 403)
