"""Access-matrix entries for the questionnaires; merged into ROUTES by test_access.py.

The questionnaire's screens answer anyone holding the link (the token is the key) the same way; the office's
pages admit coordinators and staff, and only coordinators send links, print them or approve words."""

from .access_expect import expect

EVERYONE = expect(200, 200, 200, 200, 200)
EVERYONE_POST_REDIRECTS = expect(302, 302, 302, 302, 302)
NO_POST = expect(405, 405, 405, 405, 405)
OFFICE = expect(302, 403, 403, 200, 200)
OFFICE_NO_POST = expect(302, 403, 403, 405, 405)
COORDINATOR = expect(302, 403, 403, 403, 200)
COORDINATOR_NO_POST = expect(302, 403, 403, 403, 405)
POST_ONLY = expect(302, 403, 403, 403, 405)
POST_REDIRECTS = expect(302, 403, 403, 403, 302)


def a_link(world):
    from common.tokens import issue
    from feedback.models import Invitation

    invitation, _created = Invitation.objects.get_or_create(
        kind="learner", assignment=world.assignment, defaults={"placement": world.placement}
    )
    return {"token": issue(invitation)}  # only the hash is kept: a new token, as the coordinator's print makes


def a_step(world):
    return a_link(world) | {"step": 1}


def an_answer(world):
    from feedback.models import Answer

    token = a_link(world)["token"]
    answer, _created = Answer.objects.get_or_create(
        invitation_id=token_pk(token), question="comment", defaults={"text": "Good"}
    )
    return {"pk": answer.pk}


def token_pk(token):
    from common.tokens import hash_token
    from feedback.models import Invitation

    return Invitation.objects.get(token_hash=hash_token(token)).pk


FEEDBACK_ROUTES = {
    "feedback:start": (a_link, EVERYONE, NO_POST),
    "feedback:question": (a_step, EVERYONE, EVERYONE_POST_REDIRECTS),
    # One link for the whole row: the first POST (anonymous, the first role asked) sends the answers, every later
    # one is refused as a second answer.
    "feedback:send": (a_link, EVERYONE, expect(302, 409, 409, 409, 409)),
    "feedback:overview": (None, OFFICE, OFFICE_NO_POST),
    "feedback:results": (lambda w: {"pk": w.placement.pk}, OFFICE, OFFICE_NO_POST),
    "feedback:send_invitations": (lambda w: {"pk": w.placement.pk}, POST_ONLY, POST_REDIRECTS),
    "feedback:links": (lambda w: {"pk": w.placement.pk}, COORDINATOR, COORDINATOR),  # POST: new links, shown once
    "feedback:moderate": (an_answer, POST_ONLY, POST_REDIRECTS),
}
