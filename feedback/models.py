import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.tokens import token_of, unknown_token_hash

from .questions import CHOICE_VALUES, HOST, LEARNER


def new_token():
    # Kept for the first migration, which names it; links now keep only a hash of their token (common.tokens).
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        """Links that still open a questionnaire: not revoked, learner neither anonymised nor withdrawn nor
        without consent to data processing. Checked on every request, so revoking the learner revokes the link."""
        learner = (
            Q(kind=LEARNER)
            & Q(
                assignment__participant__anonymised_at__isnull=True,
                assignment__participant__consent_data_processing_withdrawn_on__isnull=True,
            )
            & ~Q(assignment__status="withdrawn")
        )
        return self.filter(revoked_at__isnull=True).filter(learner | Q(kind=HOST))


class Invitation(models.Model):
    """A personal link to one questionnaire: a learner's for their placement, or the hosts' one for a mentor of
    the placement or a contact person of its receiving partner (who found the companies and the beds). No
    account: the token is the key. Answered once; the answers hang on it."""

    project_path = "placement__project"  # the way to its school, for accounts.roles.scoped

    class Kind(models.TextChoices):
        LEARNER = LEARNER, _("Learner")
        HOST = HOST, _("Host and mentor")

    kind = models.CharField(_("questionnaire"), max_length=10, choices=Kind.choices)
    placement = models.ForeignKey(
        "placements.Placement", verbose_name=_("placement"), on_delete=models.PROTECT, related_name="invitations"
    )
    assignment = models.ForeignKey(
        "placements.Assignment",
        verbose_name=_("learner's assignment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_invitations",
    )
    contact = models.ForeignKey(
        "placements.ContactPerson",
        verbose_name=_("contact at the receiving partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, default=unknown_token_hash, editable=False)
    language = models.CharField(_("language"), max_length=10, default="ro")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire link")
        verbose_name_plural = _("questionnaire links")
        ordering = ["placement_id", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(kind=LEARNER), name="one_questionnaire_per_learner"
            ),
            models.UniqueConstraint(
                fields=["placement", "mentor"], condition=Q(kind=HOST), name="one_questionnaire_per_mentor"
            ),
            models.UniqueConstraint(
                fields=["placement", "contact"], condition=Q(kind=HOST), name="one_questionnaire_per_partner_contact"
            ),
            models.CheckConstraint(
                condition=(Q(kind=LEARNER) & Q(assignment__isnull=False))
                | (Q(kind=HOST) & (Q(mentor__isnull=False) | Q(contact__isnull=False))),
                name="invitation_has_respondent",
            ),
        ]

    def __str__(self):
        if self.assignment is not None:
            return str(self.assignment.participant)
        if self.mentor is not None:
            return str(self.mentor.get_full_name() or self.mentor.username)
        return f"{self.contact.name} ({self.contact.organisation})" if self.contact else ""

    def get_absolute_url(self):
        return reverse("feedback:start", args=[token_of(self)])

    @property
    def is_answered(self):
        return self.answered_at is not None


class AnswerQuerySet(models.QuerySet):
    def comments_visible_to_all(self):
        return self.exclude(text="").filter(approved_at__isnull=False)

    def comments_waiting(self):
        return self.exclude(text="").filter(approved_at__isnull=True)


class Answer(models.Model):
    """One question answered: a choice, words of their own, or both. The words stay with the coordinator until
    they approve them; only then does anyone else read them."""

    project_path = "invitation__placement__project"  # the way to its school, for accounts.roles.scoped

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("question"), max_length=40)
    choice = models.CharField(
        _("answer"), max_length=10, blank=True, choices=[(value, value) for value in CHOICE_VALUES]
    )
    text = models.TextField(_("in their own words"), blank=True, max_length=2000)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["invitation_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return f"{self.question}: {self.choice or '-'}"
