"""Access-matrix entries for the open figures: a project's public site, for everyone, read only."""

from .access_expect import expect

EVERYONE = expect(200, 200, 200, 200, 200)
NO_POST = expect(405, 405, 405, 405, 405)


def a_site(world):
    return {"site": world.project.public_slug}


OPENFIGURES_ROUTES = {
    # The figures of the schools one oversees: the office and funders (tests/test_openfigures_observer.py).
    "openfigures:overview": (None, expect(302, 403, 403, 200, 200), expect(302, 403, 403, 405, 405)),
    "openfigures:figures": (a_site, EVERYONE, NO_POST),
    "openfigures:package": (a_site, EVERYONE, NO_POST),
}
