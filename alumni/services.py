"""After the stage: the school's recognition decision per learner, and the graduates' follow-up at 3, 6 and 12
months. Every rule is here (outcomes of the learner's own qualification, a decision not in the future, a
situation only with consent); views and the demo call these with plain values."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import AssessmentRound, Outcome, OutcomeRating
from common.tokens import hash_token, issue
from outbox import services as outbox
from placements.models import Assignment

from .models import FollowUp, FollowUpLink, Recognition

RECOGNISABLE_POINTS = 3  # "independently" or better on the final round: suggested for recognition


def stage_over(assignment: Assignment, today: date | None = None) -> bool:
    return assignment.placement.end_date < (today or timezone.localdate()) or assignment.status == "completed"


def suggested_outcomes(assignment: Assignment) -> set[int]:
    """Outcomes the final assessment rated "independently" or better: what the form ticks to begin with."""
    return set(
        OutcomeRating.objects.filter(
            round__assignment=assignment,
            round__kind=AssessmentRound.Kind.FINAL,
            level__points__gte=RECOGNISABLE_POINTS,
        ).values_list("outcome_id", flat=True)
    )


def record_recognition(
    *,
    assignment_id: int,
    decision: str,
    outcome_ids: list[int],
    how: str,
    decided_on: date,
    by_id: int,
    today: date | None = None,
) -> Recognition:
    """Record (or change) the decision; all or nothing. Raises ValidationError with the field at fault."""
    today = today or timezone.localdate()
    assignment = Assignment.objects.select_related("placement", "participant").get(pk=assignment_id)
    errors = {}
    if assignment.status == Assignment.Status.WITHDRAWN:
        errors["decision"] = _("The learner withdrew: there is nothing to recognise.")
    elif not stage_over(assignment, today):
        errors["decision"] = _("Recognition is decided after the stage ends.")
    if decision not in Recognition.Decision.values:
        errors["decision"] = _("Choose a decision.")
    if decided_on > today:
        errors["decided_on"] = _("A decision cannot be dated in the future.")
    allowed = set(
        Outcome.objects.filter(unit__qualification_id=assignment.placement.qualification_id).values_list(
            "pk", flat=True
        )
    )
    chosen = set(outcome_ids)
    if chosen - allowed:
        errors["outcomes"] = _("Choose outcomes of the learner's own qualification.")
    elif decision == Recognition.Decision.NONE and chosen:
        errors["outcomes"] = _("Nothing is recognised: untick the outcomes, or choose another decision.")
    elif decision in (Recognition.Decision.FULL, Recognition.Decision.PARTIAL) and not chosen:
        errors["outcomes"] = _("Tick the learning outcomes the school recognises.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        recognition, _created = Recognition.objects.update_or_create(
            assignment=assignment,
            defaults={"decision": decision, "how": how.strip(), "decided_on": decided_on, "decided_by_id": by_id},
        )
        recognition.outcomes.set(chosen)
    return recognition


def record_follow_up(
    *,
    assignment_id: int,
    months: int,
    situation: str,
    consent: bool,
    note: str = "",
    source: str = FollowUp.Source.CALL,
    recorded_on: date | None = None,
    by_id: int | None = None,
) -> FollowUp:
    """Record where a graduate is at a checkpoint (a later call replaces an earlier one). Without consent the
    situation is refused: it stays "unknown", and the public counts say so."""
    if months not in FollowUp.CHECKPOINTS:
        raise ValidationError({"months": _("Follow-up is at 3, 6 or 12 months.")})
    if situation not in FollowUp.Situation.values:
        raise ValidationError({"situation": _("Choose a situation.")})
    if not consent and situation != FollowUp.Situation.UNKNOWN:
        raise ValidationError({"consent": _("Without the learner's consent, record the situation as “unknown”.")})
    assignment = Assignment.objects.get(pk=assignment_id)
    if assignment.status == Assignment.Status.WITHDRAWN:
        raise ValidationError({"situation": _("The learner withdrew from the stage: there is no follow-up.")})
    with transaction.atomic():
        follow_up, _created = FollowUp.objects.update_or_create(
            assignment=assignment,
            months=months,
            defaults={
                "situation": situation,
                "consent": consent,
                "note": note.strip()[:300],
                "source": source,
                "recorded_on": recorded_on or timezone.localdate(),
                "recorded_by_id": by_id,
            },
        )
    return follow_up


def graduates(project_id: int, today: date | None = None) -> list[Assignment]:
    """The learners who finished a stage of the project: the ones followed up."""
    today = today or timezone.localdate()
    return list(
        Assignment.objects.filter(placement__project_id=project_id, placement__end_date__lt=today)
        .active()
        .select_related("participant", "placement", "recognition")
        .prefetch_related("follow_ups")
        .order_by("placement__start_date", "participant__name_key", "pk")
    )


def overview_rows(project_id: int, today: date | None = None) -> list[Assignment]:
    """The graduates' page: every learner whose stage has begun, so that the office sees who is coming up;
    recognition and follow-up open once the stage is over (`stage_over`)."""
    today = today or timezone.localdate()
    return list(
        Assignment.objects.filter(placement__project_id=project_id, placement__start_date__lte=today)
        .active()
        .select_related("participant", "placement", "recognition")
        .prefetch_related("follow_ups")
        .order_by("placement__start_date", "participant__name_key", "pk")
    )


def path_counts(project_id: int, today: date | None = None) -> list[dict]:
    """Per checkpoint already reached: how many graduates are in each situation; those due but not recorded count
    as unknown, never left out (one query: each learner's stage end with their follow-ups)."""
    today = today or timezone.localdate()
    ends: dict[int, date] = {}
    recorded: dict[tuple[int, int], str] = {}
    rows_found = (
        Assignment.objects.filter(placement__project_id=project_id)
        .active()
        .values_list("pk", "placement__end_date", "follow_ups__months", "follow_ups__situation")
    )
    for pk, end, months, situation in rows_found:
        ends[pk] = end
        if months is not None:
            recorded[(pk, months)] = situation
    rows = []
    for months in FollowUp.CHECKPOINTS:
        reached = [pk for pk, end in ends.items() if add_months(end, months) <= today]
        if not reached:
            continue
        counts = Counter(recorded.get((pk, months), FollowUp.Situation.UNKNOWN) for pk in reached)
        by_situation = {situation: counts.get(situation, 0) for situation in FollowUp.Situation.values}
        rows.append({"months": months, "total": len(reached), **by_situation})
    return rows


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def forget_learner(participant_id: int) -> None:
    """Anonymisation keeps the decision and the situations (the counts) and drops the notes about the person."""
    FollowUp.objects.filter(assignment__participant_id=participant_id).update(note="")
    FollowUp.history.filter(assignment__participant_id=participant_id).update(note="")


# The learner's own answer, by link


class LinkNotUsable(Exception):
    """A wrong link, or one of a learner who withdrew, withdrew consent or was anonymised."""


class AlreadyAnswered(Exception):
    def __init__(self) -> None:
        super().__init__(_("This answer was already sent. Thank you!"))


@dataclass
class LinksMade:
    created: int
    emailed: int


def make_follow_up_links(*, project_id: int, months: int, today: date | None = None) -> LinksMade:
    """A link for each graduate whose checkpoint is reached and not recorded yet; emailed where an address is
    known (the others get theirs read out or sent by the coordinator). Links already made are not sent again."""
    if months not in FollowUp.CHECKPOINTS:
        raise ValidationError({"months": _("Follow-up is at 3, 6 or 12 months.")})
    today = today or timezone.localdate()
    recorded = set(
        FollowUp.objects.filter(assignment__placement__project_id=project_id, months=months).values_list(
            "assignment_id", flat=True
        )
    )
    created = emailed = 0
    with transaction.atomic():
        for assignment in graduates(project_id, today):
            if assignment.pk in recorded or add_months(assignment.placement.end_date, months) > today:
                continue
            link, made = FollowUpLink.objects.get_or_create(assignment=assignment, months=months)
            created += made
            if made and assignment.participant.email and assignment.participant.anonymised_at is None:
                send_follow_up_link(link, assignment.participant.email)
                FollowUpLink.objects.filter(pk=link.pk).update(sent_at=timezone.now())
                emailed += 1
    return LinksMade(created=created, emailed=emailed)


def follow_up_url(link: FollowUpLink) -> str:
    """The link's address; only on the link that was just issued a token (`new_follow_up_link`)."""
    return settings.SITE_URL.rstrip("/") + link.get_absolute_url()


def new_follow_up_link(link: FollowUpLink) -> str:
    """A new token for the link, and its address, given out now and never shown again (only its hash is kept);
    the address given out before stops working."""
    issue(link)
    return follow_up_url(link)


def send_follow_up_link(link: FollowUpLink, address: str) -> None:
    new_follow_up_link(link)
    with translation.override(link.language):
        outbox.send(
            to=address,
            subject=_("Two questions from your school"),
            body=render_to_string("alumni/email/follow_up.txt", {"link": link, "url": follow_up_url(link)}),
            purpose=outbox.Purpose.FOLLOW_UP_REQUEST,
            language=link.language,
            reference=outbox.reference_to(link),
            school_id=outbox.school_of(link),
        )


def open_follow_up_link(token: str) -> FollowUpLink:
    found = (
        FollowUpLink.objects.usable()
        .select_related("assignment__participant")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if found is None:
        raise LinkNotUsable
    return found


def answer_follow_up(*, token: str, situation: str, consent: bool, now: datetime | None = None) -> FollowUp:
    """The learner's two answers: what they do now, and whether the school may record it. Without consent only
    "unknown" is kept (their answer is not stored). Once only."""
    with transaction.atomic():
        link = FollowUpLink.objects.select_for_update().get(pk=open_follow_up_link(token).pk)
        if link.answered_at:
            raise AlreadyAnswered
        follow_up = record_follow_up(
            assignment_id=link.assignment_id,
            months=link.months,
            situation=situation if consent else FollowUp.Situation.UNKNOWN,
            consent=consent,
            source=FollowUp.Source.LEARNER,
        )
        link.answered_at = now or timezone.now()
        link.save(update_fields=["answered_at"])
    return follow_up
