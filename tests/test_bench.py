"""`make bench` on tiny data, so that the benchmark itself cannot rot into timing redirects or error pages, and
its comparison of two sizes fails on a page that grows with the data."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from mobility.management.commands import bench_attendance
from mobility.management.commands.bench_attendance import Case, Result, compare, over_ceiling
from placements.models import Project


def bench(**options):
    out = StringIO()
    # Tiny data on a busy test machine says nothing about a page's cost: the ceiling is tested on its own.
    call_command("bench_attendance", stdout=out, **{"sizes": "tiny", "repeat": 1, "ceiling": 1000, **options})
    return out.getvalue()


def test_benchmark_times_every_page_next_to_both_floors(db):
    printed = bench()
    for name in (
        "trivial view (health check)",
        "admin: participant changelist",
        "dashboard",
        "participants list",
        "placement",
        "week grid, 3 learners",
        "mentor's week grid, 3 learners",
        "mentor's Today, 4 learners",
        "mentor saves one learner-day (Today)",
        "Today, the school's 6 learners",
        "every school: organisations list",
        "every school: projects list",
        "every school: participants list",
        "every school: placements list",
        "public home page",
        "full-week save, 3 learners",
    ):
        assert name in printed
    assert "× trivial" in printed and "× admin" in printed and "queries" in printed


def test_two_sizes_are_printed_side_by_side_with_the_same_query_counts(db):
    printed = bench(sizes="tiny,tiny", tolerance=1000)
    assert "tiny → tiny" in printed
    assert "keeps its query count" in printed


def test_the_large_size_needs_postgresql(db, settings):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("runs where the tests use SQLite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        bench(sizes="small,large")


def test_benchmark_leaves_no_data_behind(db):
    bench()
    assert not Project.objects.filter(reference__startswith="BENCH-").exists()


def test_benchmark_fails_when_a_page_answers_with_a_redirect(db, monkeypatch):
    # Without the second factor every office page redirects to the code page: that must not be timed.
    monkeypatch.setattr(bench_attendance, "verify_second_factor", lambda client, user: None)
    with pytest.raises(CommandError, match="302"):
        bench()


def test_benchmark_fails_when_a_page_does_not_show_what_it_is_for(db, monkeypatch):
    monkeypatch.setattr(bench_attendance.Command, "check_page", _strict_check_of("a text no page shows"))
    with pytest.raises(CommandError, match="does not show"):
        bench()


def _result(size, page_ms, page_queries):
    trivial = Case("trivial view (health check)", None, "", cpu=[0.002], queries=0)
    page = Case("participants list", None, "", cpu=[page_ms / 1000], queries=page_queries)
    return Result(size, [trivial, page], save_ms=50, save_queries=20)


def test_a_page_whose_queries_grow_with_the_data_fails_the_comparison():
    failures = compare(_result("small", 20, 9), _result("large", 20, 10), 1.5, lambda line: None)
    assert failures == ["participants list: 9 queries at small, 10 at large"]


def test_a_page_whose_time_grows_beyond_the_tolerance_fails_the_comparison():
    # 10× the trivial view at the small size; 25× at the large one is more than 10 × 1.5 + 1.
    failures = compare(_result("small", 20, 9), _result("large", 50, 9), 1.5, lambda line: None)
    assert failures == ["participants list: 10.0× the trivial view at small, 25.0× at large"]


def test_a_page_within_the_tolerance_passes_the_comparison():
    assert compare(_result("small", 20, 9), _result("large", 31, 9), 1.5, lambda line: None) == []


def _strict_check_of(text):
    original = bench_attendance.Command.check_page

    def check_page(self, name, response, shows):
        return original(self, name, response, text)

    return check_page


def test_load_test_schools_are_kept_apart_with_their_mentors_learners_and_sessions(db, client):
    from accounts.models import User
    from ops import loadtest
    from participants.models import Participant

    chosen = loadtest.prepare_schools(schools=2, mentors=3, learners=4)
    assert [username for username, _learners in chosen] == [f"load.mentor{n:03d}" for n in range(1, 7)]
    assert all(len(learners) == 4 for _username, learners in chosen)
    assert len({a for _username, learners in chosen for a, _p in learners}) == 24
    coordinator = User.objects.get(username="load.coordinator01")
    seen = Participant.objects.visible_to(coordinator)
    assert seen.count() == 12 and {p.project.reference for p in seen} == {"LOAD-01"}
    # The session made in the store signs the mentor in, with no password typed (the hasher is not involved).
    keys = loadtest.make_sessions(["load.mentor001"])
    client.cookies["sessionid"] = keys["load.mentor001"]
    html = client.get(reverse("attendance:today")).content.decode()
    assert all(f'id="row-{a}"' in html for a, _p in chosen[0][1])
    assert f'id="row-{chosen[1][1][0][0]}"' not in html  # another mentor's learner


def test_benchmark_runs_around_the_demo_and_leaves_it_as_it_was(db):
    """`make run` loads the demo, whose projects start later than the benchmark's: its first project, made to be
    the newest, ended before it started (an IntegrityError stopped the benchmark)."""
    call_command("load_demo", stdout=StringIO())
    projects = sorted(Project.objects.values_list("pk", "start_date", "end_date"))
    printed = bench()
    assert "(all benchmark data rolled back)" in printed
    assert sorted(Project.objects.values_list("pk", "start_date", "end_date")) == projects


def test_a_page_over_ten_trivial_views_fails_the_benchmark_the_floors_excepted():
    admin = Case("admin: participant changelist", None, "", cpu=[0.050])
    trivial = Case("trivial view (health check)", None, "", cpu=[0.002])
    cheap = Case("participants list", None, "", cpu=[0.020])
    dear = Case("dashboard", None, "", cpu=[0.021])
    assert over_ceiling(Result("small", [trivial, admin, cheap], save_ms=5, save_queries=9), 10) == []
    assert over_ceiling(Result("small", [trivial, admin, dear], save_ms=5, save_queries=9), 10) == [
        "dashboard: 10.5× the trivial view at small (at most 10×)"
    ]


def test_the_benchmark_fails_on_a_page_over_its_ceiling(db):
    with pytest.raises(CommandError, match="cost too much"):
        bench(ceiling=0.5)
