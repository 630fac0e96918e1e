"""Every email the application sends, recorded before it leaves (outbox.services holds the rules).

A message is written by the web process in the transaction that caused it, sent by the worker after the
commit, retried with backoff, and kept here with its status so that nothing is lost when the mail server or
the broker is down, and coordinators can see and send again what failed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMessageQuerySet(models.QuerySet):
    def failed_first(self):
        """Failed messages on top (they need a coordinator), then those still waiting, then the sent ones."""
        rank = models.Case(
            models.When(status=OutgoingMessage.Status.FAILED, then=0),
            models.When(status=OutgoingMessage.Status.QUEUED, then=1),
            models.When(status=OutgoingMessage.Status.SENDING, then=1),
            default=2,
        )
        return self.order_by(rank, "-created_at", "-pk")


class OutgoingMessage(models.Model):
    # A message is its school's (the one on whose behalf it was sent); mail of no school (a password reset, a
    # digest to an account of no school) is the installation's: only a superuser sees it.
    school_path = "school"  # the way to its school, for accounts.roles.scoped

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        PASSWORD_RESET = "password_reset", _("Password reset")
        CONFERENCE_REGISTRATION = "conference_registration", _("Conference registration")
        CONFERENCE_ALREADY_REGISTERED = "conference_already_registered", _("Conference: already registered")
        CONFERENCE_PLACE_FREED = "conference_place_freed", _("Conference: a place freed up")
        EXCHANGE_RECEIVED = "exchange_received", _("Good practice received")
        FEEDBACK_INVITATION = "feedback_invitation", _("Questionnaire link")
        FOLLOW_UP_REQUEST = "follow_up_request", _("Graduate follow-up")
        REMINDER_DIGEST = "reminder_digest", _("Daily reminders")
        MENTOR_INVITATION = "mentor_invitation", _("Mentor's invitation")
        SIGNING_LINK = "signing_link", _("Link to sign a learning agreement")
        SIGNING_CODE = "signing_code", _("One-time code to sign")

    class Problem(models.TextChoices):
        """Why the last attempt failed, in words a coordinator can act on; the technical detail is in
        `last_error` and in the worker's log."""

        UNREACHABLE = "unreachable", _("The mail server could not be reached.")
        RECIPIENT_REFUSED = "recipient_refused", _("The mail server refused the recipient's address.")
        LOGIN_REFUSED = "login_refused", _("The mail server refused the application's sign-in.")
        EXPIRED = "expired", _("It was no longer worth sending: what it carried has expired.")
        OTHER = "other", _("The mail server did not accept the message.")

    to = models.EmailField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    # What caused it, as "app.model:pk" (e.g. "conference.registration:12"), so that the retention rules can
    # delete the mail about a person together with the person's details.
    reference = models.CharField(max_length=80, blank=True, db_index=True)
    school = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "sending"},
    )
    # A message carrying a secret (a password-reset link): its text is erased once sent, or once
    # `expires_at` has passed, and it is never sent after that moment.
    sensitive = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    problem = models.CharField(_("problem"), max_length=20, choices=Problem.choices, blank=True)
    last_error = models.CharField(_("technical detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Handed to the broker (null: never, the broker was down); due: when a worker should take it up (a retry
    # waits for its backoff). The sweep sends again a queued message never dispatched or long overdue.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutgoingMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="sent", sent_at__isnull=False) | ~models.Q(status="sent"),
                name="outgoing_message_sent_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} → {self.to}"

    @property
    def can_send_again(self):
        return self.status == self.Status.FAILED and self.problem != self.Problem.EXPIRED and bool(self.body)
