"""The one way mail leaves the application: `send` records the message and hands it to the worker after the
transaction commits; the worker (`deliver`) sends it, retrying with backoff; the sweep picks up what a broker
that was down, or a worker that died, left behind; coordinators send again what failed.

Sending is idempotent: a worker first claims the message (one conditional UPDATE from queued to sending), so a
task delivered twice, or dispatched by both the request and the sweep, sends it once. Only a worker killed
between the mail server's answer and the claim's release can, after OUTBOX_STALE_AFTER, send it a second time.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone, translation

from .models import OutgoingMessage

log = logging.getLogger(__name__)

Status = OutgoingMessage.Status
Problem = OutgoingMessage.Problem
Purpose = OutgoingMessage.Purpose

MAX_ATTEMPTS = 5
FIRST_RETRY_SECONDS = 60  # then 2, 4 and 8 minutes: about a quarter of an hour before a message is failed
MAX_RETRY_SECONDS = 60 * 60


def send(
    *,
    to: str,
    subject: str,
    body: str,
    purpose: str,
    language: str | None = None,
    reference: str = "",
    sensitive: bool = False,
    expires_at: datetime | None = None,
    school_id: int | None,
) -> OutgoingMessage:
    """Record a message to one recipient and send it once the current transaction commits (at once outside
    one). Never raises for a mail server or a broker that is down: the message waits for them. `school_id`:
    the school on whose behalf it goes (its office sees it in the outgoing mail), None for the installation's
    own mail (a password reset: only a superuser sees it). Every caller says which, on purpose."""
    now = timezone.now()
    message = OutgoingMessage.objects.create(
        to=to,
        # A header never spans lines: a subject built from someone's input must not add headers.
        subject=" ".join(str(subject).split())[:250],
        body=body,
        purpose=purpose,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        reference=reference[:80],
        sensitive=sensitive,
        expires_at=expires_at,
        school_id=school_id,
        due_at=now,
    )
    transaction.on_commit(lambda: dispatch(message.pk), robust=True)
    return message


def send_about(*, about, school_of_about: bool, **message) -> None:
    """`send` for the foundation (common.sections.SEND_MAIL): the message's reference is the row it is about, and
    its school, when `school_of_about`, that row's school (else the installation's mail)."""
    send(reference=reference_to(about), school_id=school_of(about) if school_of_about else None, **message)


def reference_to(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def school_of(obj) -> int | None:
    """The school `obj` belongs to, by the way to it its model declares for accounts.roles (a project's rows:
    their project's sending organisation; a user: their first school), for `send(school_id=...)`; None for a
    row of no school. One query."""
    model = type(obj)
    path = getattr(model, "school_path", None)
    if path is None:
        project_path = getattr(model, "project_path", None)
        if project_path is None:
            return None
        path = f"{project_path}__sending_organisation" if project_path else "sending_organisation"
    path = path or "pk"
    return model._default_manager.filter(pk=obj.pk).order_by(path).values_list(path, flat=True).first()


def dispatch(message_id: int) -> bool:
    """Hand the message to the worker; a broker that is down leaves it queued for the sweep."""
    from .tasks import send_message

    try:
        send_message.apply_async(args=[message_id], retry=False)
    except Exception as error:  # the broker's errors vary by transport; the sweep will try again
        log.warning("outgoing message %s left queued, broker unreachable: %r", message_id, error)
        return False
    now = timezone.now()
    OutgoingMessage.objects.filter(pk=message_id).update(dispatched_at=now, due_at=Greatest(F("due_at"), now))
    return True


@dataclass(frozen=True)
class Outcome:
    status: str  # sent, queued (to be retried), failed, or skipped (not ours to send)
    retry_in: int = 0


SKIPPED = Outcome("skipped")


def backoff(attempts: int) -> int:
    """Seconds before the next attempt after `attempts` failed ones: 1, 2, 4, 8 minutes, at most an hour."""
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


def deliver(message_id: int) -> Outcome:
    """The worker's body: claim the message, send it, record what happened. A message that is not queued (sent,
    failed, or being sent by another worker) is left alone."""
    now = timezone.now()
    if not OutgoingMessage.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.SENDING, claimed_at=now
    ):
        return SKIPPED
    message = OutgoingMessage.objects.get(pk=message_id)
    if message.expires_at is not None and message.expires_at <= now:
        _release(message, status=Status.FAILED, problem=Problem.EXPIRED, body="")
        return Outcome(Status.FAILED)
    try:
        EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]).send()
    except Exception as error:  # whatever the backend raises, the message must not stay claimed
        return _attempt_failed(message, error)
    fields = {"status": Status.SENT, "sent_at": timezone.now(), "attempts": message.attempts + 1}
    if message.sensitive:
        fields["body"] = ""
    _release(message, problem="", last_error="", **fields)
    return Outcome(Status.SENT)


def _attempt_failed(message, error) -> Outcome:
    attempts = message.attempts + 1
    log.warning("outgoing message %s: attempt %d failed: %r", message.pk, attempts, error)
    fields = {"attempts": attempts, "problem": problem_of(error), "last_error": f"{type(error).__name__}: {error}"}
    fields["last_error"] = fields["last_error"][:500]
    if attempts >= MAX_ATTEMPTS:
        _release(message, status=Status.FAILED, **fields)
        return Outcome(Status.FAILED)
    delay = backoff(attempts)
    _release(message, status=Status.QUEUED, due_at=timezone.now() + timedelta(seconds=delay), **fields)
    return Outcome(Status.QUEUED, retry_in=delay)


def _release(message, **fields):
    OutgoingMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(claimed_at=None, **fields)


def problem_of(error: BaseException) -> str:
    """What a coordinator can act on; smtplib's errors are OSErrors, so the specific ones are looked at first."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return Problem.RECIPIENT_REFUSED
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return Problem.LOGIN_REFUSED
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return Problem.UNREACHABLE
    if isinstance(error, smtplib.SMTPException):
        return Problem.OTHER
    if isinstance(error, OSError):  # refused connection, timeout, unknown host
        return Problem.UNREACHABLE
    return Problem.OTHER


def sweep(now: datetime | None = None) -> int:
    """Every two minutes (beat): release claims a dead worker left, let secrets expire, and dispatch again
    the queued messages never handed to the broker or long overdue. Returns how many were dispatched."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_STALE_AFTER)
    OutgoingMessage.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.QUEUED, claimed_at=None
    )
    expire_secrets(now)
    due = OutgoingMessage.objects.filter(status=Status.QUEUED).filter(
        Q(dispatched_at__isnull=True) | Q(due_at__lt=stale)
    )
    return sum(dispatch(pk) for pk in due.order_by("pk").values_list("pk", flat=True)[:500])


def expire_secrets(now: datetime) -> None:
    """A password-reset link past its validity is worth nothing to its owner and something to a thief: its
    text goes, and a message still waiting is not sent any more."""
    expired = OutgoingMessage.objects.filter(sensitive=True, expires_at__lte=now)
    expired.filter(status=Status.QUEUED).update(status=Status.FAILED, problem=Problem.EXPIRED, body="")
    expired.exclude(status=Status.SENDING).exclude(body="").update(body="")


class CannotSendAgain(Exception):
    pass


def send_again(message_id: int) -> OutgoingMessage:
    """A coordinator's "send again" for a failed message: a fresh round of attempts, after the commit."""
    with transaction.atomic():
        message = OutgoingMessage.objects.select_for_update().get(pk=message_id)
        if not message.can_send_again or (message.expires_at and message.expires_at <= timezone.now()):
            raise CannotSendAgain
        message.status, message.attempts, message.problem, message.last_error = Status.QUEUED, 0, "", ""
        message.due_at, message.dispatched_at = timezone.now(), None
        message.save(update_fields=["status", "attempts", "problem", "last_error", "due_at", "dispatched_at"])
        transaction.on_commit(lambda: dispatch(message.pk), robust=True)
    return message


def failed_count(user) -> int:
    """How many of the messages `user` may see failed (their schools'; a superuser's: all)."""
    from accounts.roles import in_schools

    failed = OutgoingMessage.objects.filter(status=Status.FAILED)
    # Most of the time no message failed at all: a plain look that costs a third of the count for the schools.
    if not failed.exists():
        return 0
    # Counted by their ids: in_schools may make the rows distinct, and a distinct count of every column costs more
    # to build.
    return in_schools(failed, user).values("pk").count()


def purge(now: datetime | None = None) -> int:
    """Retention of the outbox itself: messages name people, so they go OUTBOX_RETENTION_DAYS after they
    were written, whatever became of them. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _by_model = OutgoingMessage.objects.filter(created_at__lt=cutoff).exclude(status=Status.SENDING).delete()
    return deleted


def forget(references: list[str]) -> int:
    """Delete the mail about these objects (retention of the people they name)."""
    if not references:
        return 0
    deleted, _by_model = OutgoingMessage.objects.filter(reference__in=references).delete()
    return deleted
