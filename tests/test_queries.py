"""Page query counts must not grow with the data: measured at 31 and at 310 participants."""

from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from participants.models import Barrier, Participant, fold
from placements.models import Assignment

from .sites import on_site

# Every other page of PAGES: at most 21.
MAX_QUERIES = 21
# The coordinator's dashboard: 18. The session, the user and their second factor; the projects to choose from,
# with the one shown and the role in its school (accounts.roles.noting_coordinates: roles per school); the
# project's flows and their assignments, read once for the whole page (reports.services.project_flows), and the
# learners by qualification and gender; five for the project's checklist (placements.checklist: the address book,
# one each for the learning outcomes, the calls, the budget and the final report); four for "Needs attention"
# (the learners with their consent, the learners due for anonymisation, the submissions waiting, the agreements
# due for renewal through common.sections.ATTENTION); the weeks awaiting approval; one to tell whether mail failed
# (outbox).
DASHBOARD_MAX_QUERIES = 18

PAGES = [
    # (url name, kwargs from the world, role, what the page must show, from the world): a count taken on an
    # error page or an empty one proves nothing, so the page must answer 200 and show its data.
    ("dashboard", None, "coordinator", lambda w: w.placement.title),
    ("dashboard", None, "staff", lambda w: w.placement.title),
    ("dashboard", None, "mentor", lambda w: "Țurcanu"),
    ("participants:list", None, "coordinator", lambda w: "Căldăraru"),
    ("participants:list", None, "mentor", lambda w: "Căldăraru"),
    ("participants:detail", lambda w: {"pk": w.learner.pk}, "coordinator", lambda w: "Țurcanu"),
    ("participants:detail", lambda w: {"pk": w.learner.pk}, "mentor", lambda w: "Țurcanu"),
    ("participants:edit", lambda w: {"pk": w.learner.pk}, "coordinator", lambda w: "Țurcanu"),
    ("placements:list", None, "coordinator", lambda w: w.other_placement.title),
    ("placements:list", None, "mentor", lambda w: w.placement.title),
    ("placements:placement_detail", lambda w: {"pk": w.placement.pk}, "coordinator", lambda w: "Căldăraru"),
    ("placements:placement_detail", lambda w: {"pk": w.placement.pk}, "mentor", lambda w: "Căldăraru"),
    ("placements:organisation_list", None, "coordinator", lambda w: "Têxteis Guimarães"),
    ("placements:organisation_detail", lambda w: {"pk": w.host.pk}, "coordinator", lambda w: "Metalúrgica do Cávado"),
    ("placements:project_list", None, "coordinator", lambda w: w.project.reference),
    ("placements:project_detail", lambda w: {"pk": w.project.pk}, "staff", lambda w: w.project.reference),
    ("placements:qualification_list", None, "coordinator", lambda w: w.placement.qualification.name),
    ("placements:assignment_edit", lambda w: {"pk": w.assignment.pk}, "coordinator", lambda w: "Țurcanu"),
    ("accounts:user_list", None, "coordinator", lambda w: "other_mentor"),
]


def grow(world, total):
    """Add learners until the project has `total`, half on each placement, with hosts, mentors and barriers."""
    have = Participant.objects.filter(project=world.project).count()
    placements = [
        (world.placement, world.host, world.mentor),
        (world.other_placement, world.other_host, world.other_mentor),
    ]
    new = [
        Participant(
            project=world.project,
            first_name=f"Ionuț{i}",
            last_name="Căldăraru",
            name_key=fold(f"Căldăraru Ionuț{i}"),
            date_of_birth=date(2006, 1, 1),
            gender="male" if i % 2 else "female",
            qualification=placements[i % 2][0].qualification,
        )
        for i in range(have, total)
    ]
    Participant.objects.bulk_create(new)
    new = list(Participant.objects.filter(project=world.project).exclude(assignments__isnull=False))
    Assignment.objects.bulk_create(
        Assignment(
            participant=p,
            placement=placements[i % 2][0],
            host_company=placements[i % 2][1],
            mentor=placements[i % 2][2],
            status="confirmed",
        )
        for i, p in enumerate(new)
    )
    through = Participant.barriers.through
    barrier = Barrier.objects.first()
    through.objects.bulk_create(through(participant_id=p.pk, barrier_id=barrier.pk) for p in new)


def count_queries(client, url, *shows):
    """The queries of one GET of `url`, which must answer 200 and show every text of `shows` (at least one):
    a page that failed or showed nothing would count fewer queries and pass for cheap."""
    assert shows, "say what the page must show"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    page = response.content.decode()
    missing = [text for text in shows if escape(text) not in page and text not in page]
    assert not missing, f"{url} does not show {missing}"
    return len(queries)


@pytest.mark.parametrize(("name", "kwargs_of", "role", "shows"), PAGES, ids=[f"{p[0]}-{p[2]}" for p in PAGES])
def test_page_query_count_does_not_grow_with_participants(world, client_for, name, kwargs_of, role, shows):
    url = reverse(name, kwargs=kwargs_of(world) if kwargs_of else None)
    client = client_for(world.user(role))
    client.get(url)  # the first visit may remember the project in the session (placements.selectors)
    grow(world, 31)
    small = count_queries(client, url, shows(world))
    grow(world, 310)
    large = count_queries(client, url, shows(world))
    assert small == large, f"{name} as {role}: {small} queries at 31 participants, {large} at 310"
    assert large <= (DASHBOARD_MAX_QUERIES if name == "dashboard" else MAX_QUERIES)


# Pages whose cost grew with the data: the public home page, the Today screen and the week grid.

# Seven with the figures cached (every visit but one in five minutes). Recomputing them costs one query of the
# page's own and one per app that contributes a figure (common.sections.PUBLIC_RESULTS: the reports' certificates,
# the graduates' paths, the partners who agreed to be named).
HOME_MAX_QUERIES_CACHED = 7
HOME_MAX_QUERIES_COMPUTED = 8 + 3
# Where the cache is the database, reading the figures adds one query and storing them three (Django's
# DatabaseCache: cull count, look-up, write) in a transaction (two savepoint statements under the tests' own
# transaction); they are counted apart from the page's, and bounded too.
HOME_MAX_CACHE_QUERIES = 6


def add_public_content(world, count):
    """Published articles (half of them placements' stories), news, and an attendance day for every learner."""
    from public.models import Article, NewsItem

    now = timezone.now()
    have = Article.objects.count()
    for n in range(have, have + count):
        common = {"title": f"T{n}", "slug": f"t{n}", "summary": "s", "body": "b", "published_at": now}
        placement = world.placement if n % 2 else None
        Article.objects.create(
            project=world.project, placement=placement, topic="inclusion", status="published", **common
        )
        NewsItem.objects.create(project=world.project, status="published", **common)
    record_everyone(world)


def record_everyone(world, day=None):
    """A "present" day for every learner without a record yet: on `day`, else their placement's first day."""
    from attendance.models import AttendanceRecord, AttendanceStatus

    present = AttendanceStatus.objects.get(code="present")
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(
            assignment=a,
            date=day or a.placement.start_date,
            status=present,
            hours=8,
            recorded_by=world.mentor,
            recorded_at=timezone.now(),
        )
        for a in Assignment.objects.filter(placement__project=world.project, attendance__isnull=True)
    )


def home_queries(client, cached, forget_cache):
    """(queries of the page's data, queries of a database cache) of one anonymous visit."""
    url = on_site("public:home")
    forget_cache()
    if cached:
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tables = [c["LOCATION"] for c in settings.CACHES.values() if c["BACKEND"].endswith("DatabaseCache")]
    of_cache = [q for q in queries if "SAVEPOINT" in q["sql"] or any(table in q["sql"] for table in tables)]
    return len(queries) - len(of_cache), len(of_cache)


@pytest.mark.parametrize("cached", [False, True], ids=["figures-computed", "figures-cached"])
def test_public_home_page_query_count_is_small_and_does_not_grow(world, client, cached, forget_cache):
    grow(world, 31)
    add_public_content(world, 2)
    small = home_queries(client, cached, forget_cache)
    grow(world, 310)
    add_public_content(world, 20)
    large = home_queries(client, cached, forget_cache)
    assert small == large, f"home page: {small} queries at 31 participants, {large} at 310"
    data, of_cache = large
    assert data <= (HOME_MAX_QUERIES_CACHED if cached else HOME_MAX_QUERIES_COMPUTED)
    assert of_cache <= HOME_MAX_CACHE_QUERIES


@pytest.mark.parametrize("role", ["coordinator", "mentor"])
def test_today_query_count_does_not_grow_with_learners(running, client_for, role):
    world = running
    client = client_for(world.user(role))
    url = reverse("attendance:today")
    grow(world, 31)
    Assignment.objects.update(status="in_placement")
    small = count_queries(client, url, "Căldăraru")
    grow(world, 310)
    Assignment.objects.update(status="in_placement")
    record_everyone(world, timezone.localdate())
    large = count_queries(client, url, "Căldăraru")
    assert small == large, f"Today as {role}: {small} queries at 31 participants, {large} at 310"
    assert large <= 8


@pytest.mark.parametrize("role", ["coordinator", "staff", "mentor"])
def test_week_grid_query_count_does_not_grow_with_learners(running, client_for, role):
    world = running
    client = client_for(world.user(role))
    url = reverse("attendance:week", args=[world.placement.pk, f"{world.placement.start_date:%Y-%m-%d}"])
    grow(world, 31)
    small = count_queries(client, url, "Căldăraru")
    grow(world, 310)
    record_everyone(world)
    large = count_queries(client, url, "Căldăraru")
    assert small == large, f"week grid as {role}: {small} queries at 31 participants, {large} at 310"
    assert large <= 12
