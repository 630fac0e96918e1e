from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attendance import services
from attendance.models import AttendanceRecord, WeekSignoff, WorkPattern, week_start
from attendance.services import DayEntry
from common.exceptions import NotAllowed
from placements.models import Assignment, Placement

from .factories import ParticipantFactory


def weekdays_only(world):
    """The placement with the default pattern (Monday to Friday, 8 hours), fetched afresh."""
    WorkPattern.objects.filter(placement=world.placement).delete()
    return Placement.objects.get(pk=world.placement.pk)


def today():
    return timezone.localdate()


def day_key(assignment, day):
    return f"{assignment.pk}-{day:%Y%m%d}"


# Expected days


def test_expected_days_follow_the_pattern_and_skip_portuguese_holidays(world):
    world.placement.start_date, world.placement.end_date = date(2026, 11, 16), date(2026, 12, 11)
    world.placement.country = "PT"
    days = services.placement_days(world.placement)
    expected = [d.date for d in days if d.expected]
    assert len(expected) == 18  # 20 weekdays less 1 and 8 December
    assert date(2026, 12, 1) not in expected and date(2026, 12, 8) not in expected
    assert all(d.hours == Decimal(8) for d in days if d.expected)
    assert date(2026, 11, 21) not in expected  # a Saturday


def test_work_pattern_changes_hours_and_days(world):
    WorkPattern.objects.create(placement=world.placement, friday=Decimal("6.5"), saturday=Decimal(4))
    days = {d.date.weekday(): d.hours for d in services.placement_days(world.placement) if d.expected}
    assert days[4] == Decimal("6.5")
    assert days[5] == Decimal(4)
    assert 6 not in days


# Recording


def test_mentor_records_today_and_the_record_says_who(running, client_for):
    world = running
    response = client_for(world.mentor).post(
        reverse("attendance:record_day", args=[world.assignment.pk, f"{today():%Y-%m-%d}"]),
        {"status": "present", "version": "0", "recorded_by": world.coordinator.pk},
    )
    assert response.status_code == 302
    record = AttendanceRecord.objects.get(assignment=world.assignment, date=today())
    assert record.status.code == "present"
    assert record.recorded_by == world.mentor  # from the session, never from the form
    assert record.hours == Decimal(8)
    assert record.history.get().history_user == world.mentor


def test_present_on_a_day_off_needs_the_hours_worked(world):
    saturday = date(2027, 3, 6)
    result = services.save_days(world.coordinator, [DayEntry(world.assignment.pk, saturday, "present")], today=saturday)
    assert "not a working day" in result.errors[day_key(world.assignment, saturday)]
    worked = DayEntry(world.assignment.pk, saturday, "present", hours="4")
    assert services.save_days(world.coordinator, [worked], today=saturday).ok


def test_htmx_save_answers_with_the_row_only(running, client_for):
    world = running
    response = client_for(world.mentor).post(
        reverse("attendance:record_day", args=[world.assignment.pk, f"{today():%Y-%m-%d}"]),
        {"status": "sick", "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<li class="list-group-item')
    assert 'data-status="sick"' in html


def test_late_without_a_reason_is_refused_on_the_row_and_nothing_is_saved(running, client_for):
    world = running
    response = client_for(world.mentor).post(
        reverse("attendance:record_day", args=[world.assignment.pk, f"{today():%Y-%m-%d}"]),
        {"status": "late", "reason": "  ", "version": "0"},
    )
    assert response.status_code == 400
    assert "Give a reason for “Late”" in response.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_mentor_cannot_record_a_future_day(running):
    world = running
    result = services.save_days(world.mentor, [DayEntry(world.assignment.pk, today() + timedelta(days=1), "present")])
    assert "have not happened yet" in result.errors[day_key(world.assignment, today() + timedelta(days=1))]
    assert not AttendanceRecord.objects.exists()


def test_coordinator_may_plan_an_absence_but_not_attendance(running):
    world = running
    ahead = today() + timedelta(days=2)
    refused = services.save_days(world.coordinator, [DayEntry(world.assignment.pk, ahead, "present")])
    assert "Only an absence can be planned" in refused.errors[day_key(world.assignment, ahead)]
    planned = services.save_days(
        world.coordinator, [DayEntry(world.assignment.pk, ahead, "absent-excused", reason="Court hearing")]
    )
    assert planned.ok
    assert AttendanceRecord.objects.get().planned


def test_wrong_mentor_cannot_record_for_another_placement(running, client_for):
    world = running
    url = reverse("attendance:record_day", args=[world.assignment.pk, f"{today():%Y-%m-%d}"])
    assert client_for(world.other_mentor).post(url, {"status": "present"}).status_code == 404
    with pytest.raises(NotAllowed):
        services.save_days(world.other_mentor, [DayEntry(world.assignment.pk, today(), "present")])
    grid = reverse("attendance:week", args=[world.other_placement.pk, f"{today():%Y-%m-%d}"])
    smuggled = {f"s-{day_key(world.assignment, today())}": "present"}  # someone else's learner in my grid
    assert client_for(world.other_mentor).post(grid, smuggled).status_code == 403
    assert not AttendanceRecord.objects.exists()


def test_staff_cannot_record(running, client_for):
    world = running
    url = reverse("attendance:record_day", args=[world.assignment.pk, f"{today():%Y-%m-%d}"])
    assert client_for(world.staff).post(url, {"status": "present"}).status_code == 403


def test_second_save_of_the_same_day_is_told_it_changed_and_overwrites_nothing(running):
    world = running
    first = services.save_days(world.mentor, [DayEntry(world.assignment.pk, today(), "present", version=0)])
    assert first.ok
    second = services.save_days(world.coordinator, [DayEntry(world.assignment.pk, today(), "sick", version=0)])
    key = day_key(world.assignment, today())
    assert "changed this day" in second.errors[key] and "Present" in second.errors[key]
    assert second.current[key].status.code == "present"
    record = AttendanceRecord.objects.get()
    assert record.status.code == "present" and record.version == 1
    third = services.save_days(world.coordinator, [DayEntry(world.assignment.pk, today(), "sick", version=1)])
    assert third.ok
    record.refresh_from_db()
    assert (record.status.code, record.version, record.recorded_by) == ("sick", 2, world.coordinator)
    assert record.history.count() == 2


def test_one_bad_day_in_a_week_saves_nothing(running):
    world = running
    monday = world.placement.start_date
    entries = [DayEntry(world.assignment.pk, monday + timedelta(days=i), "present") for i in range(4)]
    entries.append(DayEntry(world.assignment.pk, monday + timedelta(days=4), "late"))  # no reason
    result = services.save_days(world.mentor, entries)
    assert list(result.errors) == [day_key(world.assignment, monday + timedelta(days=4))]
    assert not AttendanceRecord.objects.exists()


def test_everyone_present_fills_only_days_not_recorded(running, client_for):
    world = running
    second = ParticipantFactory(project=world.project)
    Assignment.objects.create(
        participant=second, placement=world.placement, host_company=world.host, mentor=world.mentor
    )
    services.save_days(world.mentor, [DayEntry(world.assignment.pk, today(), "sick")])
    client_for(world.mentor).post(reverse("attendance:all_present"), {"day": f"{today():%Y-%m-%d}"})
    statuses = dict(AttendanceRecord.objects.values_list("assignment__participant_id", "status__code"))
    assert statuses == {world.learner.pk: "sick", second.pk: "present"}
    assert not AttendanceRecord.objects.filter(assignment=world.other_assignment).exists()


# Sign-off and lock


def test_submitted_week_is_closed_to_the_mentor_and_approved_week_to_everyone(running, client_for):
    world = running
    monday = world.placement.start_date
    grid = reverse("attendance:week", args=[world.placement.pk, f"{monday:%Y-%m-%d}"])
    client_for(world.mentor).post(grid, {f"s-{day_key(world.assignment, monday)}": "present"})
    client_for(world.mentor).post(reverse("attendance:submit_week", args=[world.placement.pk, f"{monday:%Y-%m-%d}"]))
    signoff = WeekSignoff.objects.get()
    assert signoff.state == "submitted"

    late = services.save_days(world.mentor, [DayEntry(world.assignment.pk, monday + timedelta(days=1), "present")])
    assert "You submitted this week" in next(iter(late.errors.values()))

    client_for(world.coordinator).post(reverse("attendance:approve", args=[signoff.pk]))
    signoff.refresh_from_db()
    assert signoff.state == "approved" and signoff.approved_by == world.coordinator
    locked = services.save_days(world.coordinator, [DayEntry(world.assignment.pk, monday, "sick", version=1)])
    assert "approved and locked" in next(iter(locked.errors.values()))
    assert AttendanceRecord.objects.get().status.code == "present"


def test_a_week_that_has_not_started_cannot_be_submitted(running, client_for):
    world = running
    next_monday = week_start(today()) + timedelta(days=7)
    url = reverse("attendance:submit_week", args=[world.placement.pk, f"{next_monday:%Y-%m-%d}"])
    response = client_for(world.mentor).post(url, follow=True)
    assert "This week still has working days to come that are not recorded" in response.content.decode()
    assert not WeekSignoff.objects.exists()


def test_the_current_week_can_be_submitted_once_its_remaining_days_are_recorded(running):
    world = running  # works every day of the week
    monday = week_start(today())
    with pytest.raises(services.AttendanceError, match="working days to come"):
        services.submit_week(world.mentor, world.placement, monday, world.mentor)
    assert services.save_days(world.mentor, [DayEntry(world.assignment.pk, today(), "present")]).ok
    ahead = [today() + timedelta(days=i) for i in range(1, 7 - today().weekday())]
    planned = [DayEntry(world.assignment.pk, day, "sick") for day in ahead]  # a coordinator plans ahead
    assert services.save_days(world.coordinator, planned).ok
    signoff = services.submit_week(world.mentor, world.placement, monday, world.mentor)
    assert signoff.state == WeekSignoff.State.SUBMITTED


def test_a_past_week_can_be_submitted_even_with_days_not_recorded(running):
    world = running
    last_monday = week_start(today()) - timedelta(days=7)
    signoff = services.submit_week(world.mentor, world.placement, last_monday, world.mentor)
    assert signoff.state == WeekSignoff.State.SUBMITTED


def test_reopening_needs_a_reason_and_is_recorded(running, client_for):
    world = running
    signoff = services.submit_week(world.mentor, world.placement, world.placement.start_date, world.mentor)
    services.approve_week(world.coordinator, signoff)
    client_for(world.coordinator).post(reverse("attendance:reopen", args=[signoff.pk]), {"reason": ""})
    signoff.refresh_from_db()
    assert signoff.state == "approved"
    client_for(world.coordinator).post(
        reverse("attendance:reopen", args=[signoff.pk]), {"reason": "Wrong day for Ștefan"}
    )
    signoff.refresh_from_db()
    assert (signoff.state, signoff.reopen_reason) == ("reopened", "Wrong day for Ștefan")
    assert signoff.history.first().history_user == world.coordinator
    again = services.save_days(world.mentor, [DayEntry(world.assignment.pk, world.placement.start_date, "present")])
    assert again.ok


# Summaries


def test_summary_counts_rate_hours_absences_and_days_not_recorded(running):
    world = running
    monday = world.placement.start_date
    entries = [
        DayEntry(world.assignment.pk, monday, "present"),
        DayEntry(world.assignment.pk, monday + timedelta(days=1), "late", hours="6", reason="bus"),
        DayEntry(world.assignment.pk, monday + timedelta(days=2), "sick"),
        DayEntry(world.assignment.pk, monday + timedelta(days=3), "absent-unexcused"),
    ]
    placement = weekdays_only(world)
    assert services.save_days(world.coordinator, entries).ok
    records = AttendanceRecord.objects.select_related("status")
    friday = monday + timedelta(days=4)
    summary = services.summarise(placement, [world.assignment], records, 80, today=friday + timedelta(days=2))[0]
    assert (summary.present_days, summary.excused, summary.unexcused, summary.not_recorded) == (2, 1, 1, 1)
    assert summary.hours_done == Decimal(14)
    assert summary.hours_expected == Decimal(40)
    assert summary.rate == 40
    assert summary.expected_days == len([d for d in services.placement_days(placement) if d.expected])
    assert not summary.at_risk  # 2 present, 1 not recorded and every day ahead still reach 80 %


def test_warning_when_the_required_rate_is_out_of_reach(running):
    world = running
    monday = world.placement.start_date
    entries = [DayEntry(world.assignment.pk, monday + timedelta(days=i), "absent-unexcused") for i in range(5)]
    placement = weekdays_only(world)
    assert services.save_days(world.coordinator, entries).ok
    records = AttendanceRecord.objects.select_related("status")
    summary = services.summarise(placement, [world.assignment], records, 80, today=monday + timedelta(days=5))[0]
    assert summary.at_risk  # five of at most 20 working days lost: 75 % at best


def test_dashboard_lists_missing_attendance_and_pending_signoffs(running, client_for):
    world = running
    services.submit_week(world.mentor, world.placement, world.placement.start_date, world.mentor)
    html = client_for(world.coordinator).get(reverse("dashboard")).content.decode()
    assert "learner-days not recorded" in html
    assert "awaits your approval" in html


# Speed


def summarised_missing(project):
    """What the placement summaries count as not recorded, placement by placement (the slow way, as it was)."""
    counts = {}
    for placement in Placement.objects.filter(project=project):
        assignments = list(placement.assignments.active())
        records = AttendanceRecord.objects.filter(assignment__placement=placement).select_related("status")
        summaries = services.summarise(placement, assignments, records, project.required_attendance_rate)
        counts[placement.pk] = sum(s.not_recorded for s in summaries)
    return {pk: n for pk, n in counts.items() if n}


def test_dashboards_missing_days_match_the_summaries_in_queries_that_do_not_grow_with_placements(running):
    world = running
    yesterday = today() - timedelta(days=1)
    extra = make_learners(world, 3)
    assert services.save_days(world.coordinator, [DayEntry(extra[0].pk, yesterday, "present")]).ok
    assert services.save_days(world.coordinator, [DayEntry(extra[1].pk, yesterday, "closed")]).ok
    Assignment.objects.filter(pk=extra[2].pk).update(status=Assignment.Status.WITHDRAWN, withdrawal_reason="Ill")

    with CaptureQueriesContext(connection) as two_placements:
        missing, _pending = services.missing_and_pending(world.project)
    assert {m["placement"].pk: m["count"] for m in missing} == summarised_missing(world.project)
    assert missing  # the days before today of both placements, less the two recorded

    third = Placement.objects.create(
        project=world.project,
        title="Flow 3",
        qualification=world.placement.qualification,
        receiving_partner=world.placement.receiving_partner,
        country="RO",
        start_date=world.placement.start_date,
        end_date=world.placement.end_date,
    )
    learner = ParticipantFactory(project=world.project)
    Assignment.objects.create(participant=learner, placement=third, host_company=world.host, mentor=world.mentor)
    with CaptureQueriesContext(connection) as three_placements:
        missing, _pending = services.missing_and_pending(world.project)
    assert {m["placement"].pk: m["count"] for m in missing} == summarised_missing(world.project)
    assert len(missing) == 3
    assert len(three_placements) == len(two_placements) == 3


def make_learners(world, count):
    new = [ParticipantFactory(project=world.project) for _ in range(count)]
    return [
        Assignment.objects.create(
            participant=p, placement=world.placement, host_company=world.host, mentor=world.mentor
        )
        for p in new
    ] + [world.assignment]


def full_week_post(assignments, monday):
    data = {}
    for assignment in assignments:
        for i in range(5):
            data[f"s-{day_key(assignment, monday + timedelta(days=i))}"] = "present"
            data[f"v-{day_key(assignment, monday + timedelta(days=i))}"] = "0"
    return data


def test_saving_a_full_week_for_16_learners_is_one_request_with_bounded_queries(running, client_for):
    world = running
    assignments = make_learners(world, 15)
    monday = world.placement.start_date
    client = client_for(world.mentor)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("attendance:week", args=[world.placement.pk, f"{monday:%Y-%m-%d}"]),
            full_week_post(assignments, monday),
        )
    assert response.status_code == 302
    assert AttendanceRecord.objects.count() == 80
    assert len(queries) <= 15, [q["sql"][:80] for q in queries]


def test_week_grid_queries_do_not_grow_with_learners_or_weeks(running, client_for):
    world = running
    client = client_for(world.coordinator)
    monday = world.placement.start_date

    def grid_queries(day):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("attendance:week", args=[world.placement.pk, f"{day:%Y-%m-%d}"])).status_code == 200
            )
        return len(queries)

    assignments = make_learners(world, 3)
    services.save_days(world.coordinator, [DayEntry(a.pk, monday, "present") for a in assignments])
    small = grid_queries(monday)
    more = make_learners(world, 12)
    services.save_days(
        world.coordinator, [DayEntry(a.pk, monday, "present") for a in more if a.pk != world.assignment.pk]
    )
    assert grid_queries(monday) == small
    assert grid_queries(monday + timedelta(days=14)) == small
    summary_url = reverse("attendance:placement", args=[world.placement.pk])
    with CaptureQueriesContext(connection) as few:
        response = client.get(summary_url)
    assert response.status_code == 200 and "Țurcanu" in response.content.decode()
    make_learners(world, 10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(summary_url)
    assert response.status_code == 200 and "Țurcanu" in response.content.decode()
    assert len(few) == len(many)


def test_learner_record_shows_every_change_with_who_made_it(running, client_for):
    world = running
    services.save_days(world.mentor, [DayEntry(world.assignment.pk, today(), "present")])
    services.save_days(world.coordinator, [DayEntry(world.assignment.pk, today(), "sick", version=1)])
    page = client_for(world.coordinator).get(reverse("attendance:learner", args=[world.assignment.pk]))
    changes = list(page.context["changes"])
    assert [(c.status.code, c.history_user) for c in changes] == [
        ("sick", world.coordinator),
        ("present", world.mentor),
    ]
    assert (
        client_for(world.other_mentor).get(reverse("attendance:learner", args=[world.assignment.pk])).status_code == 404
    )
