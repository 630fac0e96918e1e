from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """Every reminder the application sends; each can be switched off by the people who get it."""

    DAY_NOT_RECORDED = "day_not_recorded", _("Mentors: today's attendance is not recorded by the evening")
    WEEK_NOT_SUBMITTED = "week_not_submitted", _("Mentors: last week is not submitted")
    DOCUMENTS_EXPIRING = "documents_expiring", _("Coordinators: learners' documents missing or expiring")
    SUBMISSIONS_WAITING = "submissions_waiting", _("Coordinators: weeks and answers waiting for you")
    QUESTIONNAIRES_UNANSWERED = "questionnaires_unanswered", _("Coordinators: questionnaires not answered")
    AGREEMENTS_LAPSING = "agreements_lapsing", _("Coordinators: partnership agreements to renew")
    LEARNER_QUESTIONNAIRE = "learner_questionnaire", _("Learners: the questionnaire not answered yet")


class ReminderSettings(models.Model):
    """One person's reminders: the language they are written in, and the kinds switched off."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings")
    language = models.CharField(_("language of the reminders"), max_length=10, choices=settings.LANGUAGES)
    switched_off = models.JSONField(_("reminders switched off"), default=list, blank=True)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self):
        return str(self.user)


class SentReminder(models.Model):
    """A reminder of one kind sent to one recipient on one day. The unique constraint is the guarantee: however
    often the daily task runs (a retry, two beats), nobody gets the same reminder twice on a day."""

    recipient = models.CharField(max_length=80)  # "user:12" or "invitation:34" (a learner has no account)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    day = models.DateField()
    message = models.ForeignKey(
        "outbox.OutgoingMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "day"], name="one_reminder_per_recipient_kind_day")
        ]

    def __str__(self):
        return f"{self.recipient} {self.kind} {self.day}"
