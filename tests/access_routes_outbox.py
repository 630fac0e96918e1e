"""Access-matrix entries for the outgoing mail; merged into ROUTES by test_access.py. Coordinators only: the list
names people and what was sent to them."""

from .access_expect import expect

COORDINATOR = expect(302, 403, 403, 403, 200)
COORDINATOR_NO_POST = expect(302, 403, 403, 403, 405)
POST_ONLY = expect(302, 403, 403, 403, 405)


def failed_message(world):
    from outbox.models import OutgoingMessage

    message = OutgoingMessage.objects.create(
        to="ana@example.org",
        subject="We received your good practice",
        body="Hello",
        purpose=OutgoingMessage.Purpose.EXCHANGE_RECEIVED,
        status=OutgoingMessage.Status.FAILED,
        attempts=5,
        problem=OutgoingMessage.Problem.UNREACHABLE,
        school=world.project.sending_organisation,
    )
    return {"pk": message.pk}


OUTBOX_ROUTES = {
    "outbox:list": (None, COORDINATOR, COORDINATOR_NO_POST),
    "outbox:send_again": (failed_message, POST_ONLY, expect(302, 403, 403, 403, 302)),
}
