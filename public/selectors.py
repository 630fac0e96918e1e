"""The read side of the public home page, in a number of queries that does not grow with the data: seven,
and two more when the figures are not cached (tests/test_queries.py pins both at two data sizes).

The figures used to come from the final report's data, which reads everything the report states (some
twenty queries) to give one attendance rate; they are now counted from one query over the project's
assignments and attendance days, by the same rule (attendance.services.summarise).
"""

from collections import defaultdict
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Organisation
from attendance.services import summarise
from common.cache import get_or_compute
from common.sections import PUBLIC_RESULTS, contributions
from placements.models import Assignment, Placement, Project

from .models import Article, NewsItem, Testimonial

FIGURES_SECONDS = 300
HOST_ATTRIBUTES = ("name", "kind", "country", "city", "website")
HOST_FIELDS = tuple(f"host_company__{name}" for name in HOST_ATTRIBUTES)
WITHDRAWN = Assignment.Status.WITHDRAWN


def home_content(project: Project) -> dict[str, Any]:
    """What the home page shows of `project` besides its page text: figures, placements with their stories,
    partners, testimonials, the latest news and good-practice articles."""
    placements: list[Any] = list(  # with the `learners` annotation and, below, `public_stories`
        project.placements.select_related("qualification", "receiving_partner", "work_pattern")
        .annotate(learners=Count("assignments", filter=~Q(assignments__status=WITHDRAWN)))
        .order_by("start_date")
    )
    # The placements' stories and the latest articles in one query; a project has tens of articles, not more.
    articles = list(
        Article.objects.published()
        .filter(Q(project=project) | Q(placement__in=[p.pk for p in placements]))
        .only("title", "slug", "language", "summary", "project_id", "placement_id", "published_at", "created_at")
    )
    for placement in placements:
        placement.public_stories = [a for a in articles if a.placement_id == placement.pk]
    figures = results(project, placements)
    return {
        "figures": figures,
        "partners": partners(project, placements, figures["hosts"]),
        "placements": placements,
        "testimonials": Testimonial.objects.public()
        .filter(participant__project=project)
        .select_related("participant__qualification")[:6],
        "news": NewsItem.objects.published().filter(project=project)[:3],
        "articles": [a for a in articles if a.project_id == project.pk][:3],
    }


def results(project: Project, placements: Sequence[Placement]) -> dict[str, Any]:
    """Counts only, never a name: what the home page says the project has achieved so far, kept for a few
    minutes (the attendance rate walks every attendance day). `placements` are the project's, with their
    work patterns."""
    return get_or_compute(results_key(project.pk), lambda: _results(project, placements), FIGURES_SECONDS)


def results_key(project_id: int) -> str:
    return f"public-results-{project_id}"


def _results(project: Project, placements: Sequence[Placement]) -> dict[str, Any]:
    today = timezone.localdate()
    starts = {p.pk: p.start_date for p in placements}
    # One row per attendance day of each learner still on the project, and one for a learner without any.
    rows = (
        Assignment.objects.filter(placement__project=project)
        .exclude(status=WITHDRAWN)
        .order_by()
        .values_list(
            "pk",
            "participant_id",
            "host_company_id",
            "placement_id",
            "attendance__date",
            "attendance__hours",
            "attendance__status__counts_hours",
            "attendance__status__is_excused",
            "attendance__status__not_a_working_day",
            *HOST_FIELDS,
        )
    )
    learners: defaultdict[int, dict[int, SimpleNamespace]] = defaultdict(dict)  # by placement
    days: defaultdict[int, list[SimpleNamespace]] = defaultdict(list)  # by learner
    trained = set()
    hosts: dict[int, Organisation] = {}
    for pk, participant, host, placement_id, date, hours, counts_hours, is_excused, closed, *organisation in rows:
        if pk not in learners[placement_id]:
            learners[placement_id][pk] = SimpleNamespace(pk=pk, status="")
            if starts[placement_id] <= today:
                trained.add(participant)
            if host is not None and host not in hosts:
                hosts[host] = Organisation(pk=host, **dict(zip(HOST_ATTRIBUTES, organisation, strict=True)))
        if date is not None:
            status = SimpleNamespace(counts_hours=counts_hours, is_excused=is_excused, not_a_working_day=closed)
            days[pk].append(SimpleNamespace(assignment_id=pk, date=date, hours=hours, status=status))
    # As the final report counts it: days present over days expected so far, every learner of every placement.
    as_of = min(today, project.end_date)
    present = expected = 0
    for placement in placements:
        own = list(learners[placement.pk].values())
        records = [d for a in own for d in days[a.pk]]
        for summary in summarise(placement, own, records, project.required_attendance_rate, today=as_of):
            present += summary.present_days
            expected += summary.elapsed_days
    figures = {
        "trained": len(trained),
        "placements": len(placements),
        "host_companies": len(hosts),
        # The partners' table lists them; kept with the figures, so that the table needs no query of its own.
        "hosts": list(hosts.values()),
        "attendance_rate": round(100 * present / expected, 1) if expected else None,
        "certificates": 0,
    }
    # Figures kept by apps this one does not import (the reports' certificates issued).
    for contributed in contributions(PUBLIC_RESULTS, project):
        figures.update(contributed)
    return figures


def partners(project: Project, placements: Sequence[Placement], hosts: Sequence[Organisation]) -> list[Organisation]:
    """The sending school, the receiving partners and the host companies in use, with country and city: from
    the project's and placements' own rows and the hosts kept with the figures, without a query."""
    found = {organisation.pk: organisation for organisation in hosts}
    for placement in placements:
        if placement.receiving_partner_id is not None:
            found[placement.receiving_partner_id] = placement.receiving_partner
    found[project.sending_organisation_id] = project.sending_organisation
    return sorted(found.values(), key=lambda o: (o.kind, str(o.country), o.name))
