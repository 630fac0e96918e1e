"""Access-matrix entries for recognition and graduates' paths; merged into ROUTES by test_access.py. The office
reads the graduates' overview; only coordinators record a decision or a follow-up (an empty form is a 400)."""

from .access_expect import expect

OFFICE = expect(302, 403, 403, 200, 200)
OFFICE_NO_POST = expect(302, 403, 403, 405, 405)
COORDINATOR = expect(302, 403, 403, 403, 200)
COORDINATOR_INVALID = expect(302, 403, 403, 403, 400)

EVERYONE = expect(200, 200, 200, 200, 200)
EVERYONE_INVALID = expect(400, 400, 400, 400, 400)
POST_ONLY = expect(302, 403, 403, 403, 405)
POST_REDIRECTS = expect(302, 403, 403, 403, 302)


def a_link(world):
    from alumni.models import FollowUpLink
    from common.tokens import issue

    link, _created = FollowUpLink.objects.get_or_create(assignment=world.assignment, months=3)
    return {"token": issue(link)}


def a_follow_up_link(world):
    from alumni.models import FollowUpLink

    link, _created = FollowUpLink.objects.get_or_create(assignment=world.assignment, months=3)
    return {"pk": link.pk}


ALUMNI_ROUTES = {
    "alumni:make_links": (None, POST_ONLY, POST_REDIRECTS),
    "alumni:answer": (a_link, EVERYONE, EVERYONE_INVALID),
    "alumni:overview": (None, OFFICE, OFFICE_NO_POST),
    "alumni:recognition": (lambda w: {"pk": w.assignment.pk}, COORDINATOR, COORDINATOR_INVALID),
    "alumni:follow_up": (lambda w: {"pk": w.assignment.pk}, COORDINATOR, COORDINATOR_INVALID),
    "alumni:new_follow_up_link": (a_follow_up_link, POST_ONLY, COORDINATOR),
}
