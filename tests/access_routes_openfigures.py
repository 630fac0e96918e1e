"""Access-matrix entries for the open figures: a project's public site, for everyone, read only."""

from .access_expect import expect

EVERYONE = expect(200, 200, 200, 200, 200)
NO_POST = expect(405, 405, 405, 405, 405)


def a_site(world):
    return {"site": world.project.public_slug}


OPENFIGURES_ROUTES = {
    "openfigures:figures": (a_site, EVERYONE, NO_POST),
    "openfigures:package": (a_site, EVERYONE, NO_POST),
}
