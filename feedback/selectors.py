"""What the results pages and the final report read: response rates and counts per question, per placement
and questionnaire, in a fixed number of queries whatever the number of answers."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import Answer, Invitation
from .questions import CHOICE_VALUES, HOST, LEARNER, Question, questions_for


@dataclass
class QuestionCounts:
    question: Question
    counts: dict  # choice value -> number of sent answers
    not_answered: int

    @property
    def rows(self):
        return [(label, self.counts.get(value, 0)) for value, label in self.question.choices]

    @property
    def total(self):
        return sum(self.counts.values())


@dataclass
class Results:
    kind: str
    invited: int = 0
    answered: int = 0
    questions: list = field(default_factory=list)

    @property
    def rate(self):
        return round(100 * self.answered / self.invited) if self.invited else None


def results(placement_ids, kind) -> Results:
    """Counts over the sent answers of `kind` on these placements (two queries)."""
    invitations = Invitation.objects.filter(placement_id__in=placement_ids, kind=kind, revoked_at__isnull=True)
    figures = invitations.aggregate(invited=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    counted = defaultdict(Counter)
    rows = (
        Answer.objects.filter(
            invitation__placement_id__in=placement_ids, invitation__kind=kind, invitation__answered_at__isnull=False
        )
        .exclude(choice="")
        .values_list("question", "choice")
        .annotate(n=Count("pk"))
    )
    for code, choice, n in rows:
        counted[code][choice] = n
    found = Results(kind=kind, invited=figures["invited"], answered=figures["answered"])
    for asked in questions_for(kind):
        if asked.free_text_only:
            continue
        counts = {value: counted[asked.code].get(value, 0) for value in CHOICE_VALUES}
        found.questions.append(QuestionCounts(asked, counts, figures["answered"] - sum(counts.values())))
    return found


def comments(placement_ids, *, approved_only):
    """Words of sent answers, newest questionnaires first, with no name: approved ones for everyone, the
    waiting ones too for the coordinator who approves them."""
    found = Answer.objects.filter(
        invitation__placement_id__in=placement_ids, invitation__answered_at__isnull=False
    ).exclude(text="")
    if approved_only:
        found = found.filter(approved_at__isnull=False)
    return list(found.select_related("invitation").order_by("invitation__kind", "-invitation__answered_at", "pk"))


def placement_overview(placements):
    """For the overview list: per placement, invited and answered per questionnaire (one query)."""
    rows = (
        Invitation.objects.filter(placement__in=placements, revoked_at__isnull=True)
        .values("placement_id", "kind")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    )
    found = defaultdict(dict)
    for row in rows:
        found[row["placement_id"]][row["kind"]] = row
    waiting = dict(
        Answer.objects.comments_waiting()
        .filter(invitation__placement__in=placements, invitation__answered_at__isnull=False)
        .values_list("invitation__placement_id")
        .annotate(n=Count("pk"))
    )
    return [
        {
            "placement": placement,
            LEARNER: found[placement.pk].get(LEARNER, {"invited": 0, "answered": 0}),
            HOST: found[placement.pk].get(HOST, {"invited": 0, "answered": 0}),
            "waiting": waiting.get(placement.pk, 0),
        }
        for placement in placements
    ]
