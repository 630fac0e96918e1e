"""What the selection pages read. The rule that committee members score independently lives here: until every
member has scored every application they have no conflict with, a member sees their own scores only and nobody
else (the coordinator included) sees any score; `scores_for` is the one way pages read scores."""

from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from accounts.models import User
from placements.models import Project

from .models import Application, Call, CommitteeMember, Conflict, Criterion, Score


def scored_criteria(call: Call) -> list[Criterion]:
    return [criterion for criterion in call.criteria.all() if not criterion.fewer_opportunities]


def scoring_progress(call: Call) -> dict:
    """Expected and recorded scores, per member and in all: a member owes one score per committee-scored
    criterion on every application in competition they have no conflict with."""
    criteria = len(scored_criteria(call))
    applications = call.applications.in_competition().count()
    members = list(
        call.committee.select_related("user").annotate(
            recorded=Count(
                "scores", filter=~Q(scores__application__status__in=["ineligible", "withdrawn"]), distinct=True
            ),
            conflicted=Count(
                "conflicts",
                filter=~Q(conflicts__application__status__in=["ineligible", "withdrawn"]),
                distinct=True,
            ),
        )
    )
    for member in members:
        member.expected = (applications - member.conflicted) * criteria  # type: ignore[attr-defined]
        member.done = member.recorded >= member.expected  # type: ignore[attr-defined]
    expected = sum(member.expected for member in members)  # type: ignore[attr-defined]
    recorded = sum(member.recorded for member in members)
    return {
        "members": members,
        "expected": expected,
        "recorded": recorded,
        "complete": bool(members) and applications > 0 and criteria > 0 and recorded >= expected,
    }


def all_scores_in(call: Call) -> bool:
    return scoring_progress(call)["complete"]


def scores_for(user: User, call: Call) -> QuerySet[Score]:
    """The scores `user` may read: all of them once every score is in; before, a member's own only."""
    scores = Score.objects.filter(application__call=call).select_related("member__user", "criterion")
    if all_scores_in(call):
        return scores
    return scores.filter(member__user=user)


def membership(user: User | AnonymousUser, call: Call) -> CommitteeMember | None:
    if not user.is_authenticated:
        return None
    return CommitteeMember.objects.filter(call=call, user=user).first()


def member_sheet(member: CommitteeMember) -> list[Application]:
    """The member's list: each application in competition with their own total and whether it is done."""
    call = member.call
    criteria = scored_criteria(call)
    own = defaultdict(list)
    for score in Score.objects.filter(member=member):
        own[score.application_id].append(score.value)
    conflicts = set(Conflict.objects.filter(member=member).values_list("application_id", flat=True))
    applications = list(call.applications.in_competition().select_related("placement").order_by("placement", "pk"))
    for application in applications:
        application.conflict = application.pk in conflicts
        application.own_scores = own.get(application.pk, [])
        application.scored = len(application.own_scores) >= len(criteria)
    return applications


def totals(call: Call) -> dict[int, Decimal]:
    """Weighted totals per application: the mean of the members' scores on each criterion times its weight;
    the fewer-opportunities criterion gives its highest score to flagged applicants."""
    criteria = list(call.criteria.all())
    sums: dict[tuple[int, int], list[int]] = defaultdict(list)
    for application_id, criterion_id, value in Score.objects.filter(application__call=call).values_list(
        "application_id", "criterion_id", "value"
    ):
        sums[(application_id, criterion_id)].append(value)
    result = {}
    for application in call.applications.in_competition():
        total = Decimal(0)
        for criterion in criteria:
            if criterion.fewer_opportunities:
                score = Decimal(criterion.max_score if application.fewer_opportunities else 0)
            else:
                values = sums.get((application.pk, criterion.pk), [])
                score = Decimal(sum(values)) / len(values) if values else Decimal(0)
            total += score * criterion.weight
        result[application.pk] = total.quantize(Decimal("0.01"))
    return result


def ranking_key(call: Call, application: Application, total: Decimal) -> tuple:
    """Higher total first; then the call's tie-break rule; the application's number settles the rest."""
    if call.tie_break == Call.TieBreak.FEWER_OPPORTUNITIES:
        return (-total, not application.fewer_opportunities, application.created_at, application.pk)
    return (-total, application.created_at, application.pk)


def ranked_flows(call: Call) -> list[dict]:
    """The ranking as decided (statuses and ranks stored by services.decide_ranking), flow by flow."""
    flows = []
    applications = list(
        call.applications.exclude(rank=None).select_related("placement", "participant").order_by("placement", "rank")
    )
    for flow in call.flows.select_related("placement"):
        rows = [a for a in applications if a.placement_id == flow.placement_id]
        flows.append({"flow": flow, "rows": rows})
    return flows


FAIRNESS_GROUPS = ("gender", "fewer_opportunities", "qualification__name")


def fairness_summary(call: Call) -> dict[str, list[dict]]:
    """Counts only: applicants, selected and reserve, by gender, by the fewer-opportunities flag and by
    qualification. No names: a list of people by a sensitive category is never shown."""
    summary = {}
    for group in FAIRNESS_GROUPS:
        counts: Counter = Counter()
        keys = []
        for key, status, n in (
            call.applications.exclude(status=Application.Status.WITHDRAWN)
            .values_list(group, "status")
            .annotate(n=Count("pk"))
            .order_by(group)
        ):
            if key not in keys:
                keys.append(key)
            counts[(key, "applicants")] += n
            counts[(key, status)] += n
        summary[group] = [
            {
                "key": key,
                "applicants": counts[(key, "applicants")],
                "selected": counts[(key, Application.Status.SELECTED)],
                "reserve": counts[(key, Application.Status.RESERVE)],
            }
            for key in keys
        ]
    return summary


def public_calls(project: Project) -> list[dict]:
    """The project's published calls, for the public home page (common.sections.PUBLIC_CALLS)."""
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    return [
        {
            "title": call.title,
            "url": reverse("selection:public_call", args=[project.public_slug, call.pk]),
            "closes_on": call.closes_on,
            "open": call.accepts_applications(today),
        }
        for call in Call.objects.published().filter(project=project).order_by("-opens_on")
    ]


def labelled_fairness(call: Call) -> dict[str, list[dict]]:
    """The fairness summary with a label per row, for the page and the minutes."""
    from django.utils.translation import gettext as _

    genders = {value: label for value, label in Application._meta.get_field("gender").flatchoices}
    summary = fairness_summary(call)
    for row in summary["gender"]:
        row["label"] = genders.get(row["key"], row["key"])
    for row in summary["fewer_opportunities"]:
        row["label"] = _("With fewer opportunities") if row["key"] else _("Others")
    for row in summary["qualification__name"]:
        row["label"] = row["key"]
    return summary
