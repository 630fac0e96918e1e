"""Access-matrix entries for sign-in security (accounts app); merged into ROUTES by test_access.py.

In the matrix every coordinator's session has passed the two-factor step (conftest.client_for) and nobody else has
an authenticator; test_accounts_two_factor.py covers the sessions in between."""

from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .access_expect import expect

EVERYONE = expect(200, 200, 200, 200, 200)
NOBODY_POSTS = expect(405, 405, 405, 405, 405)
READ_ALL = expect(302, 200, 200, 200, 200)
READ_ALL_POST = expect(302, 405, 405, 405, 405)
COORDINATOR = expect(302, 403, 403, 403, 200)
COORDINATOR_POST = expect(302, 403, 403, 403, 405)
NOT_ALLOWED_GET = expect(302, 403, 403, 403, 405)
COORDINATOR_ACTION = expect(302, 403, 403, 403, 302)


def a_block(world):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        username=world.mentor.username,
        ip_address="192.0.2.7",
        user_agent="test",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    return {"pk": attempt.pk}


def a_reset_link(world):
    return {"uidb64": urlsafe_base64_encode(force_bytes(world.mentor.pk)), "token": "not-a-real-token"}


def an_open_invitation(world):
    """The world's mentor has been invited and has not joined yet."""
    from datetime import timedelta

    from accounts.invitations import token_hash
    from accounts.models import Invitation

    now = timezone.now()
    world.mentor.email = world.mentor.email or "mentor@example.pt"
    world.mentor.save()
    Invitation.objects.update_or_create(
        account=world.mentor,
        defaults={"token_hash": token_hash("matrix-token"), "sent_at": now, "expires_at": now + timedelta(days=1)},
    )
    return {"pk": world.mentor.pk}


def a_join_link(world):
    an_open_invitation(world)
    return {"token": "matrix-token"}


ACCOUNTS_ROUTES = {
    # Mentors join by invitation: the coordinator invites and sends again; the link is open to whoever holds it
    # (an empty form comes back with its errors).
    "accounts:mentor_invite": (None, COORDINATOR, COORDINATOR),
    "accounts:invitation_resend": (an_open_invitation, NOT_ALLOWED_GET, COORDINATOR_ACTION),
    "accounts:join": (a_join_link, EVERYONE, expect(400, 400, 400, 400, 400)),
    "accounts:user_two_factor_reset": (lambda w: {"pk": w.mentor.pk}, NOT_ALLOWED_GET, COORDINATOR_ACTION),
    "accounts:lockouts": (None, COORDINATOR, COORDINATOR_POST),
    "accounts:lockout_lift": (a_block, NOT_ALLOWED_GET, COORDINATOR_ACTION),
    # Password reset by email: open to everyone; an empty form comes back with its error.
    "accounts:password_reset": (None, EVERYONE, EVERYONE),
    "accounts:password_reset_done": (None, EVERYONE, NOBODY_POSTS),
    "accounts:password_reset_confirm": (a_reset_link, EVERYONE, EVERYONE),
    "accounts:password_reset_complete": (None, EVERYONE, NOBODY_POSTS),
    # One's own two-factor sign-in.
    "accounts:two_factor": (None, READ_ALL, READ_ALL_POST),
    "accounts:two_factor_enrol": (None, READ_ALL, READ_ALL),
    # Only a session waiting for its code stays on the code page; every other one is sent on.
    "accounts:two_factor_verify": (None, expect(302, 302, 302, 302, 302), expect(302, 302, 302, 302, 302)),
    # New backup codes need an authenticator: the coordinator has one, the others are sent to set it up.
    "accounts:two_factor_backup_codes": (None, READ_ALL_POST, expect(302, 302, 302, 302, 200)),
    # Coordinators must keep it on.
    "accounts:two_factor_turn_off": (None, expect(302, 405, 405, 405, 403), expect(302, 302, 302, 302, 403)),
}
