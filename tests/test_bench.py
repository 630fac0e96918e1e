"""`make bench` on tiny data, so that the benchmark itself cannot rot into timing redirects or error pages."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from attendance.management.commands import bench_attendance
from placements.models import Project

TINY = {"projects": 2, "learners": 3, "mentor_learners": 4, "repeat": 1}


def bench(**options):
    out = StringIO()
    call_command("bench_attendance", stdout=out, **{**TINY, **options})
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
        "mentor's Today, 4 learners",
        "public home page",
        "full-week save, 3 learners",
    ):
        assert name in printed
    assert "× trivial" in printed and "× admin" in printed and "queries" in printed


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


def _strict_check_of(text):
    original = bench_attendance.Command.check_page

    def check_page(self, name, response, shows):
        return original(self, name, response, text)

    return check_page
