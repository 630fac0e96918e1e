"""The demo's questionnaires: Flow 1's learners, its mentor and the receiving partner answered (as if the stage
had ended: in the demo it ends on 11 December 2026), some in their own words, two of them approved by the
coordinator, two waiting. Idempotent: a second load finds the links and answers made by the first."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from placements.models import Assignment, Placement

from .models import Answer, Invitation
from .questions import BAD, GOOD, HOST, LEARNER, MIDDLE, questions_for

FLOW = "Flow 1 – Maintenance mechanic, Braga"
NOT_ANSWERED = 3  # the last learners in the list have not answered yet
# A learner's answers in the order of the learner questionnaire, picked by index to give varied charts.
PATTERNS = [
    (GOOD, GOOD, GOOD, MIDDLE, GOOD, MIDDLE, GOOD),
    (GOOD, MIDDLE, GOOD, GOOD, GOOD, GOOD, GOOD),
    (MIDDLE, GOOD, GOOD, BAD, MIDDLE, BAD, MIDDLE),
    (GOOD, GOOD, MIDDLE, GOOD, GOOD, MIDDLE, GOOD),
]
WORDS = [
    ("Am învățat să repar o pompă. Vreau să lucrez ca mecanic.", True),
    ("Rui m-a ajutat mereu. Mulțumesc!", True),
    ("Camera era rece în prima săptămână.", False),
    ("Aș vrea să merg din nou, dar mai mult timp.", False),
]
HOST_ANSWERS = (GOOD, GOOD, MIDDLE, GOOD)
HOST_WORDS = "The learners were punctual and eager. More Portuguese before departure would help."
PARTNER_ANSWERS = (MIDDLE, GOOD, GOOD, GOOD)
PARTNER_WORDS = "Good cooperation. Send the learners' sizes for work clothes earlier next time."


@transaction.atomic
def load_feedback():
    placement = Placement.objects.filter(title=FLOW).first()
    coordinator = User.objects.filter(username="coordinator").first()
    if placement is None or Invitation.objects.filter(placement=placement).exists():
        return
    now = timezone.now()
    assignments = list(Assignment.objects.filter(placement=placement).active().select_related("participant"))
    learner_questions = [q for q in questions_for(LEARNER) if not q.free_text_only]
    for index, assignment in enumerate(assignments):
        answered = index < len(assignments) - NOT_ANSWERED
        invitation = Invitation.objects.create(
            kind=LEARNER,
            placement=placement,
            assignment=assignment,
            created_by=coordinator,
            sent_at=now,
            answered_at=now if answered else None,
        )
        if not answered:
            continue
        pattern = PATTERNS[index % len(PATTERNS)]
        Answer.objects.bulk_create(
            Answer(invitation=invitation, question=q.code, choice=choice)
            for q, choice in zip(learner_questions, pattern, strict=True)
        )
        if index < len(WORDS):
            text, approved = WORDS[index]
            Answer.objects.create(
                invitation=invitation,
                question="comment",
                text=text,
                approved_at=now if approved else None,
                approved_by=coordinator if approved else None,
            )
    host_questions = [q for q in questions_for(HOST) if not q.free_text_only]
    # The hosts: the mentor at the company and the receiving partner's mobility officer.
    respondents = [{"mentor": mentor} for mentor in {a.mentor for a in assignments if a.mentor}]
    respondents += [{"contact": c} for c in placement.receiving_partner.contacts.exclude(email="").order_by("pk")[:1]]
    for index, respondent in enumerate(respondents):
        invitation = Invitation.objects.create(
            kind=HOST, placement=placement, language="en", sent_at=now, answered_at=now, **respondent
        )
        choices = HOST_ANSWERS if index == 0 else PARTNER_ANSWERS
        Answer.objects.bulk_create(
            Answer(invitation=invitation, question=q.code, choice=choice)
            for q, choice in zip(host_questions, choices, strict=True)
        )
        Answer.objects.create(
            invitation=invitation, question="comment", text=HOST_WORDS if index == 0 else PARTNER_WORDS
        )
