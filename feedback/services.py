"""The questionnaires' rules: links are made and sent once a stage has ended, a link answers once, answers are
saved question by question, a learner's words wait for a coordinator's approval, and an anonymised learner's
words and link go. Views, the demo loader and reminders call these; nothing here renders a page."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.exceptions import NotAllowed
from common.tokens import hash_token, issue
from outbox import services as outbox
from placements.models import Assignment, Placement

from .models import Answer, Invitation
from .questions import CHOICE_VALUES, HOST, LEARNER, question, questions_for

MAX_TEXT = 2000


class AlreadyAnswered(Exception):
    """A second answer through a link that has been answered."""

    def __init__(self) -> None:
        super().__init__(_("These answers were already sent. Thank you: one answer per person is enough."))


class LinkNotUsable(Exception):
    """A link that was never made, is revoked, or belongs to a learner who withdrew or was anonymised."""


@dataclass
class Sent:
    created: int
    emailed: int
    without_email: int


def stage_has_ended(placement: Placement, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return placement.status == Placement.Status.COMPLETED or placement.end_date < today


def make_invitations(*, placement_id: int, by_id: int | None, today: date | None = None) -> list[Invitation]:
    """One link per learner still on the placement, one per mentor of it and one per contact (with an email
    address) of its receiving partner; links already made stay as they are. Refused before the stage ends: the
    questions ask about all of it."""
    placement = Placement.objects.select_related("receiving_partner").get(pk=placement_id)
    if not stage_has_ended(placement, today):
        raise NotAllowed(_("The questionnaires go out after the stage ends."))
    assignments = (
        Assignment.objects.filter(placement=placement, participant__anonymised_at__isnull=True)
        .active()
        .select_related("participant", "mentor")
    )
    with transaction.atomic():
        made = []
        for assignment in assignments:
            invitation, _created = Invitation.objects.get_or_create(
                kind=LEARNER, assignment=assignment, defaults={"placement": placement, "created_by_id": by_id}
            )
            made.append(invitation)
        partner = placement.receiving_partner
        for contact in partner.contacts.exclude(email="").order_by("pk"):
            invitation, _created = Invitation.objects.get_or_create(
                kind=HOST,
                placement=placement,
                contact=contact,
                defaults={"created_by_id": by_id, "language": "pt" if partner.country == "PT" else "en"},
            )
            made.append(invitation)
        mentor_ids = {a.mentor_id for a in assignments if a.mentor_id}
        for mentor in get_user_model().objects.filter(pk__in=mentor_ids):
            invitation, _created = Invitation.objects.get_or_create(
                kind=HOST,
                placement=placement,
                mentor=mentor,
                defaults={"created_by_id": by_id, "language": mentor_language(mentor)},
            )
            made.append(invitation)
    return made


def mentor_language(user: Any) -> str:
    return getattr(user, "language", "") or "en"


def send_invitations(*, placement_id: int, by_id: int | None, today: date | None = None) -> Sent:
    """Make the links (`make_invitations`) and email those not sent yet to whoever has an address; the others
    are printed with their QR code (the links page). Sending twice sends nothing new."""
    with transaction.atomic():
        before = Invitation.objects.filter(placement_id=placement_id).count()
        invitations = make_invitations(placement_id=placement_id, by_id=by_id, today=today)
        emailed = without_email = 0
        now = timezone.now()
        for invitation in Invitation.objects.filter(pk__in=[i.pk for i in invitations], sent_at__isnull=True).usable():
            address = recipient_address(invitation)
            if not address:
                without_email += 1
                continue
            send_link(invitation, address)
            Invitation.objects.filter(pk=invitation.pk).update(sent_at=now)
            emailed += 1
    return Sent(created=len(invitations) - before, emailed=emailed, without_email=without_email)


def recipient_address(invitation: Invitation) -> str:
    if invitation.assignment is not None:
        return invitation.assignment.participant.email
    if invitation.mentor is not None:
        return invitation.mentor.email
    return invitation.contact.email if invitation.contact is not None else ""


def link_url(invitation: Invitation) -> str:
    """The link's address; only on the invitation that was just issued a token (`new_link`)."""
    return settings.SITE_URL.rstrip("/") + invitation.get_absolute_url()


def new_link(invitation: Invitation) -> str:
    """A new token for the invitation, and its address: given out now (emailed or printed), never shown again.
    The link given out before, if any, stops working; the answers already saved stay with the invitation."""
    issue(invitation)
    return link_url(invitation)


def new_links_to_print(*, placement_id: int, invitation_id: int | None = None) -> list[Invitation]:
    """New links for the placement's questionnaires that are not answered yet, to print with their QR codes: one
    invitation's, or all those not sent by email (an emailed link keeps working unless it is re-made one by
    one)."""
    invitations = (
        Invitation.objects.filter(placement_id=placement_id, answered_at__isnull=True)
        .usable()
        .select_related("assignment__participant", "mentor", "contact__organisation")
        .order_by("kind", "assignment__participant__name_key", "pk")
    )
    if invitation_id is not None:
        invitations = invitations.filter(pk=invitation_id)
    else:
        invitations = invitations.filter(sent_at__isnull=True)
    with transaction.atomic():
        chosen = list(invitations)
        for invitation in chosen:
            issue(invitation)
    return chosen


def send_link(invitation: Invitation, address: str, *, reminder: bool = False) -> None:
    """Email the invitation a new link (a reminder too: the database keeps no token to send again)."""
    new_link(invitation)
    with translation.override(invitation.language):
        context = {"invitation": invitation, "url": link_url(invitation), "reminder": reminder}
        subject = (
            _("A few questions about your stage abroad")
            if invitation.kind == LEARNER
            else _("A few questions about the learners you hosted")
        )
        outbox.send(
            to=address,
            subject=subject,
            body=render_to_string("feedback/email/invitation.txt", context),
            purpose=outbox.Purpose.FEEDBACK_INVITATION,
            language=invitation.language,
            reference=outbox.reference_to(invitation),
            school_id=outbox.school_of(invitation),
        )


# Answering, by link


def open_link(token: str) -> Invitation:
    """The invitation behind a link, if it may still be used; LinkNotUsable otherwise (the view answers 404,
    the same for a wrong, a revoked and a withdrawn learner's link)."""
    found = (
        Invitation.objects.usable()
        .select_related("placement", "assignment__participant", "mentor", "contact__organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if found is None:
        raise LinkNotUsable
    return found


def set_language(*, token: str, language: str) -> None:
    if language in dict(settings.LANGUAGES):
        Invitation.objects.filter(token_hash=hash_token(token)).update(language=language)


def save_answer(*, token: str, question_code: str, choice: str | None, text: str) -> Answer:
    """Record one question's answer. `choice` None keeps the choice already given (the learner only added words);
    "" clears it. Refused once the answers were sent."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=open_link(token).pk)
        if invitation.is_answered:
            raise AlreadyAnswered
        asked = question(invitation.kind, question_code)
        if choice and (asked.free_text_only or choice not in CHOICE_VALUES):
            raise ValueError(choice)
        answer, _created = Answer.objects.get_or_create(invitation=invitation, question=question_code)
        if choice is not None:
            answer.choice = choice
        answer.text = text.strip()[:MAX_TEXT]
        answer.approved_at = answer.approved_by = None  # words changed: approved again before anyone reads them
        answer.save()
    return answer


def finish(*, token: str, now: datetime | None = None) -> Invitation:
    """Send the answers: from now on the link only thanks. A second send is refused."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=open_link(token).pk)
        if invitation.is_answered:
            raise AlreadyAnswered
        invitation.answered_at = now or timezone.now()
        invitation.save(update_fields=["answered_at"])
    return invitation


def answers_of(invitation: Invitation) -> dict[str, Answer]:
    return {answer.question: answer for answer in invitation.answers.all()}


# The coordinator's moderation


def approve_comment(*, answer_id: int, by_id: int) -> Answer:
    answer = Answer.objects.select_related("invitation").get(pk=answer_id)
    if not answer.text or not answer.invitation.is_answered:
        raise NotAllowed(_("Only words of sent answers can be approved."))
    answer.approved_at = timezone.now()
    answer.approved_by_id = by_id
    answer.save(update_fields=["approved_at", "approved_by"])
    return answer


def hide_comment(*, answer_id: int) -> Answer:
    answer = Answer.objects.get(pk=answer_id)
    answer.approved_at = answer.approved_by = None
    answer.save(update_fields=["approved_at", "approved_by"])
    return answer


# Revoking with the learner


def forget_learner(participant_id: int) -> None:
    """Called by privacy.services.anonymise: the learner's links stop working and their own words go; their
    choices stay, with no name to them, for the counts."""
    invitations = Invitation.objects.filter(kind=LEARNER, assignment__participant_id=participant_id)
    Answer.objects.filter(invitation__in=invitations).update(text="", approved_at=None, approved_by=None)
    invitations.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def questions_with_answers(invitation: Invitation) -> list[tuple[Any, Answer | None]]:
    answers = answers_of(invitation)
    return [(asked, answers.get(asked.code)) for asked in questions_for(invitation.kind)]
