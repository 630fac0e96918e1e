"""Assessment rules: the framework a learner is rated on, saving, submitting and reopening a round, and
progress from baseline to final.

Views and the demo loader call these; every write to a round goes through `save_round`, so the rules
(lock, comment at the extremes, complete before submit) hold whoever writes.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import AssessmentRound, Outcome, OutcomeRating, RoundReopening, ScaleLevel, Unit

Kind = AssessmentRound.Kind


class RoundLocked(Exception):
    """A write to a submitted round."""

    def __init__(self, round):
        self.round = round
        super().__init__(locked_message(round))


class RatingsInvalid(Exception):
    """Some rows of a round break the rules; `errors` maps outcome id to (field, message)."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(_("Some outcomes need attention. Nothing was saved."))


def locked_message(round):
    when = date_format(timezone.localtime(round.submitted_at), "DATETIME_FORMAT") if round.submitted_at else ""
    return _(
        "This round was submitted by %(who)s on %(when)s and is locked: nothing can be changed. "
        "The coordinator can reopen it."
    ) % {"who": round.submitted_by or "—", "when": when}


# The framework and the scale


def framework(qualification_id):
    """The units of a qualification, each with its outcomes, in order: two queries."""
    return list(
        Unit.objects.filter(qualification_id=qualification_id)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("outcomes", queryset=Outcome.objects.order_by("position", "pk")))
    )


def outcomes_of(units):
    return [outcome for unit in units for outcome in unit.outcomes.all()]


def numbered(units):
    """(number, unit, [(number, outcome)]) with numbers as the learning agreement shows them: 2, 2.3."""
    return [
        (
            str(u),
            unit,
            [(f"{u}.{o}", outcome) for o, outcome in enumerate(unit.outcomes.all(), start=1)],
        )
        for u, unit in enumerate(units, start=1)
    ]


def scale():
    return list(ScaleLevel.objects.order_by("position", "pk"))


def extreme_levels(levels):
    """The lowest and the highest level: mentors must say in a comment what they saw."""
    points = [level.points for level in levels if level.points is not None]
    if not points:
        return set()
    return {level.pk for level in levels if level.points in (min(points), max(points))}


def rating_errors(levels, outcome_ids, ratings, *, submit):
    """What is wrong with the rows of a round: {outcome id: (field, message)}, field "level" or "comment".

    `ratings` maps outcome id to (level id or None, comment); an outcome missing from it is unrated.
    """
    by_pk = {level.pk: level for level in levels}
    extremes = extreme_levels(levels)
    errors = {}
    for outcome_id in outcome_ids:
        level_id, comment = ratings.get(outcome_id, (None, ""))
        if level_id is not None and level_id not in by_pk:
            errors[outcome_id] = ("level", _("Choose one of the levels of the scale."))
        elif level_id is None and comment:
            errors[outcome_id] = ("level", _("Choose a level, or “not observed”, for this comment."))
        elif level_id in extremes and not comment:
            errors[outcome_id] = (
                "comment",
                _("A comment is required for “%(level)s”: say briefly what you saw.")
                % {"level": by_pk[level_id].display_label},
            )
        elif level_id is None and submit:
            errors[outcome_id] = ("level", _("Rate this outcome, or choose “not observed”, before submitting."))
    unknown = set(ratings) - set(outcome_ids)
    for outcome_id in unknown:
        errors[outcome_id] = ("level", _("This outcome is not part of the learner's qualification."))
    return errors


# Saving, submitting, reopening


@transaction.atomic
def save_round(assignment, kind, ratings, *, user, submit=False):
    """Save the ratings of a round as `user` (who and when come from here, never from a form), and submit
    it if asked. All rows are written or none; a bounded number of queries whatever the framework's size.

    Raises RoundLocked for a submitted round and RatingsInvalid when a row breaks the rules.
    """
    round, _created = AssessmentRound.objects.select_for_update().get_or_create(assignment=assignment, kind=kind)
    if round.is_locked:
        raise RoundLocked(round)
    outcome_ids = list(
        Outcome.objects.filter(unit__qualification_id=assignment.participant.qualification_id).values_list(
            "pk", flat=True
        )
    )
    errors = rating_errors(scale(), outcome_ids, ratings, submit=submit)
    if errors:
        raise RatingsInvalid(errors)

    existing = {rating.outcome_id: rating for rating in round.ratings.all()}
    to_create, to_update, to_delete = [], [], []
    for outcome_id in outcome_ids:
        level_id, comment = ratings.get(outcome_id, (None, ""))
        rating = existing.get(outcome_id)
        if level_id is None:
            if rating:
                to_delete.append(rating.pk)
        elif rating is None:
            to_create.append(OutcomeRating(round=round, outcome_id=outcome_id, level_id=level_id, comment=comment))
        elif (rating.level_id, rating.comment) != (level_id, comment):
            rating.level_id, rating.comment = level_id, comment
            to_update.append(rating)
    if to_create:
        OutcomeRating.objects.bulk_create(to_create)
    if to_update:
        OutcomeRating.objects.bulk_update(to_update, ["level", "comment"])
    if to_delete:
        OutcomeRating.objects.filter(pk__in=to_delete).delete()

    now = timezone.now()
    round.rated_by, round.rated_at = user, now
    if submit:
        round.status, round.submitted_by, round.submitted_at = AssessmentRound.Status.SUBMITTED, user, now
    round.save(update_fields=["rated_by", "rated_at", "status", "submitted_by", "submitted_at"])
    return round


@transaction.atomic
def reopen_round(round, *, user, reason):
    """Unlock a submitted round so that it can be corrected; who, when and why are recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the round.")})
    round = AssessmentRound.objects.select_for_update().get(pk=round.pk)
    if not round.is_locked:
        raise ValidationError(_("This round is not submitted, so there is nothing to reopen."))
    RoundReopening.objects.create(round=round, reopened_by=user, reopened_at=timezone.now(), reason=reason)
    round.status, round.submitted_by, round.submitted_at = AssessmentRound.Status.DRAFT, None, None
    round.save(update_fields=["status", "submitted_by", "submitted_at"])
    return round


# Editing the framework


def next_position(queryset):
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def move(item, up):
    """Move a unit or an outcome one place up or down among its siblings, renumbering them 1, 2, 3…"""
    model = type(item)
    parent = {"qualification_id": item.qualification_id} if model is Unit else {"unit_id": item.unit_id}
    siblings = list(model.objects.select_for_update().filter(**parent).order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    model.objects.bulk_update(siblings, ["position"])


# Pages


def rounds_by_kind(assignment):
    rounds = assignment.assessment_rounds.select_related("rated_by", "submitted_by").prefetch_related(
        Prefetch("reopenings", queryset=RoundReopening.objects.select_related("reopened_by"))
    )
    return {round.kind: round for round in rounds}


def round_page(assignment, kind):
    """What the round page shows: the round (or None before the first save), the framework with the
    saved ratings, and the scale. A fixed number of queries whatever the framework's size."""
    rounds = rounds_by_kind(assignment)
    round = rounds.get(kind)
    units = framework(assignment.participant.qualification_id)
    saved = {}
    if round is not None:
        saved = {rating.outcome_id: rating for rating in round.ratings.select_related("level")}
    sections = [
        (number, unit, [(n, outcome, saved.get(outcome.pk)) for n, outcome in outcomes])
        for number, unit, outcomes in numbered(units)
    ]
    return {"round": round, "units": units, "saved": saved, "levels": scale(), "sections": sections}


@dataclass
class OutcomeProgress:
    number: str
    outcome: Outcome
    levels: dict = field(default_factory=dict)  # round kind -> ScaleLevel

    def points(self, kind):
        level = self.levels.get(kind)
        return level.points if level else None

    @property
    def baseline(self):
        return self.levels.get(Kind.BASELINE)

    @property
    def midpoint(self):
        return self.levels.get(Kind.MIDPOINT)

    @property
    def final(self):
        return self.levels.get(Kind.FINAL)

    @property
    def self_assessment(self):
        return self.levels.get(Kind.SELF)

    @property
    def gain(self):
        before, after = self.points(Kind.BASELINE), self.points(Kind.FINAL)
        return None if before is None or after is None else after - before


@dataclass
class UnitProgress:
    number: str
    unit: Unit
    outcomes: list


def assignment_progress(assignment, rounds=None):
    """Per outcome, the level reached in each submitted round (drafts do not count), grouped by unit."""
    rounds = rounds_by_kind(assignment) if rounds is None else rounds
    submitted = [round.pk for round in rounds.values() if round.is_locked]
    levels = {level.pk: level for level in scale()}
    reached = defaultdict(dict)
    for round_kind, outcome_id, level_id in OutcomeRating.objects.filter(round__in=submitted).values_list(
        "round__kind", "outcome_id", "level_id"
    ):
        reached[outcome_id][round_kind] = levels[level_id]
    units = [
        UnitProgress(u, unit, [OutcomeProgress(n, outcome, reached.get(outcome.pk, {})) for n, outcome in outcomes])
        for u, unit, outcomes in numbered(framework(assignment.participant.qualification_id))
    ]
    gains = [o.gain for unit in units for o in unit.outcomes if o.gain is not None]
    return {
        "units": units,
        "levels": list(levels.values()),
        "has_baseline": Kind.BASELINE in {round.kind for round in rounds.values() if round.is_locked},
        "has_final": Kind.FINAL in {round.kind for round in rounds.values() if round.is_locked},
        "average_gain": mean(gains),
    }


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else None


@dataclass
class UnitGain:
    number: str
    unit: Unit
    learners: int
    baseline: float | None
    final: float | None
    gain: float | None


@dataclass
class LearnerRow:
    assignment: object
    rounds: list  # (kind, round or None) for every kind
    gain: float | None


def placement_progress(placement, assignments):
    """Per unit of the placement's qualification, the average level at baseline and at final and the average
    gain, over the outcomes rated (not "not observed") in both submitted rounds of the same learner; and per
    learner, the rounds and the average gain. `assignments` are those the user may see, rounds prefetched."""
    assignments = list(assignments)
    points = defaultdict(dict)  # (assignment id, outcome id) -> {kind: points}
    unit_of = {}
    rows = (
        OutcomeRating.objects.filter(
            round__assignment__in=[a.pk for a in assignments],
            round__kind__in=[Kind.BASELINE, Kind.FINAL],
            round__status=AssessmentRound.Status.SUBMITTED,
            level__points__isnull=False,
        )
        .values_list("round__assignment_id", "round__kind", "outcome_id", "outcome__unit_id", "level__points")
        .order_by()
    )
    for assignment_id, round_kind, outcome_id, unit_id, level_points in rows:
        points[assignment_id, outcome_id][round_kind] = level_points
        unit_of[outcome_id] = unit_id
    pairs_by_unit = defaultdict(list)
    gains_by_learner = defaultdict(list)
    for (assignment_id, outcome_id), by_kind in points.items():
        if Kind.BASELINE in by_kind and Kind.FINAL in by_kind:
            pair = (assignment_id, by_kind[Kind.BASELINE], by_kind[Kind.FINAL])
            pairs_by_unit[unit_of[outcome_id]].append(pair)
            gains_by_learner[assignment_id].append(pair[2] - pair[1])

    units = []
    for number, unit in enumerate(framework(placement.qualification_id), start=1):
        pairs = pairs_by_unit.get(unit.pk, [])
        units.append(
            UnitGain(
                number=str(number),
                unit=unit,
                learners=len({assignment_id for assignment_id, _before, _after in pairs}),
                baseline=mean(before for _a, before, _after in pairs),
                final=mean(after for _a, _before, after in pairs),
                gain=mean(after - before for _a, before, after in pairs),
            )
        )
    learners = []
    for a in assignments:
        by_kind = {round.kind: round for round in a.assessment_rounds.all()}
        learners.append(
            LearnerRow(
                assignment=a,
                rounds=[(kind, by_kind.get(kind)) for kind in Kind],
                gain=mean(gains_by_learner.get(a.pk, [])),
            )
        )
    return {"units": units, "learners": learners}
