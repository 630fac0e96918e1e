"""The demo's questionnaires, about the stage that ended: the school's earlier project (alumni.demo, 3 weeks in
March 2026). Most of its learners answered (one per placement did not), some in their own words, two of them
approved by the coordinator, two waiting; the two host companies' mentors answered too. The running project's
flows get no questionnaire: the link is sent only after the stage ends (Flow 1 ends on 11 December 2026).
Idempotent: a second load finds the links and answers made by the first."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from alumni.demo import END, REFERENCE
from placements.models import Assignment, ContactPerson, Placement

from .models import Answer, Invitation
from .questions import BAD, GOOD, HOST, LEARNER, MIDDLE, questions_for

NOT_ANSWERED = 1  # the last learner of each placement has not answered
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
SECOND_HOST_ANSWERS = (MIDDLE, GOOD, GOOD, GOOD)
SECOND_HOST_WORDS = "Good cooperation. Send the learners' sizes for work clothes earlier next time."


@transaction.atomic
def load_feedback():
    coordinator = User.objects.filter(username="coordinator").first()
    placements = list(Placement.objects.filter(project__reference=REFERENCE).select_related("qualification"))
    if Invitation.objects.filter(placement__in=placements).exists():
        return
    sent = timezone.make_aware(datetime.combine(END, time(18, 0)))
    answered = timezone.make_aware(datetime.combine(END + timedelta(days=3), time(19, 30)))
    learner_questions = [q for q in questions_for(LEARNER) if not q.free_text_only]
    host_questions = [q for q in questions_for(HOST) if not q.free_text_only]
    said = 0  # the learners' own words go to the first ones who answered, across both placements
    for number, placement in enumerate(sorted(placements, key=lambda p: p.title)):
        assignments = list(
            Assignment.objects.filter(placement=placement)
            .active()
            .select_related("host_company")
            .order_by("participant__last_name", "pk")
        )
        for index, assignment in enumerate(assignments):
            has_answered = index < len(assignments) - NOT_ANSWERED
            invitation = Invitation.objects.create(
                kind=LEARNER,
                placement=placement,
                assignment=assignment,
                created_by=coordinator,
                sent_at=sent,
                answered_at=answered if has_answered else None,
            )
            if not has_answered:
                continue
            pattern = PATTERNS[(index + number) % len(PATTERNS)]
            Answer.objects.bulk_create(
                Answer(invitation=invitation, question=q.code, choice=choice)
                for q, choice in zip(learner_questions, pattern, strict=True)
            )
            if said < len(WORDS):
                text, approved = WORDS[said]
                said += 1
                Answer.objects.create(
                    invitation=invitation,
                    question="comment",
                    text=text,
                    approved_at=answered if approved else None,
                    approved_by=coordinator if approved else None,
                )
        # The host company's mentor (a contact person: they had no account in the earlier project).
        host = assignments[0].host_company if assignments else None
        contact = ContactPerson.objects.filter(organisation=host).exclude(email="").order_by("pk").first()
        if contact is None:
            continue
        invitation = Invitation.objects.create(
            kind=HOST, placement=placement, contact=contact, language="en", sent_at=sent, answered_at=answered
        )
        choices, words = (HOST_ANSWERS, HOST_WORDS) if number == 0 else (SECOND_HOST_ANSWERS, SECOND_HOST_WORDS)
        Answer.objects.bulk_create(
            Answer(invitation=invitation, question=q.code, choice=choice)
            for q, choice in zip(host_questions, choices, strict=True)
        )
        Answer.objects.create(invitation=invitation, question="comment", text=words)
