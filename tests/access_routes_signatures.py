"""Access-matrix entries for signatures; merged into ROUTES by test_access.py. The signing page is the recorders'
(a mentor's own learners only); an empty post is refused on the form (no consent ticked). Resetting a learner's
code is a coordinator's. The check by code is public, as the code is printed on paper."""

from .access_expect import expect


def a_week(world):
    return {"pk": world.assignment.pk, "day": f"{world.placement.start_date:%Y-%m-%d}"}


SIGNATURES_ROUTES = {
    "signatures:sign_week": (a_week, expect(302, 404, 200, 403, 200), expect(302, 404, 400, 403, 400)),
    "signatures:reset_code": (
        lambda w: {"pk": w.assignment.pk},
        expect(302, 403, 403, 403, 405),
        expect(302, 403, 403, 403, 302),
    ),
    "signatures:verify": (None, expect(200, 200, 200, 200, 200), expect(405, 405, 405, 405, 405)),
}
