"""What one tap on the Today screen costs the database: the save path reads what the access check, the rules and
the answer need once (the session and the user, the statuses, the learner with their placement, the day locked,
the week's sign-off), writes the record and its history row, and answers from what it read (issue 20)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attendance import services
from attendance.models import AttendanceRecord
from attendance.services import DayEntry

from .factories import AssignmentFactory, ParticipantFactory

# Session, user (and, for the office, its second factor), statuses, the assignment with its week's sign-off, the
# day's record (locked), the INSERT or UPDATE and its history row, and the savepoint and its release that the
# test's own transaction adds around them (in production the transaction's BEGIN and COMMIT are no queries).
SAVE_QUERIES = 10


def tap(client, assignment, day, **data):
    url = reverse("attendance:record_day", args=[assignment.pk, f"{day:%Y-%m-%d}"])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"reason": "", "hours": "", **data}, HTTP_HX_REQUEST="true")
    return response, len(queries)


def more_learners(world, count):
    for n in range(count):
        learner = ParticipantFactory(project=world.project, first_name=f"Extra{n}")
        AssignmentFactory(participant=learner, placement=world.placement, host_company=world.host, mentor=world.mentor)


def test_a_mentors_first_and_second_save_of_a_day_cost_ten_queries_each(running, client_for):
    world = running
    day = timezone.localdate()
    client = client_for(world.mentor)
    client.get(reverse("health"))  # the session's first read is not the save's

    response, queries = tap(client, world.assignment, day, status="present", version="0")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<li class="list-group-item" id="row-{world.assignment.pk}">')
    assert 'data-status="present"' in html and 'name="version" value="1"' in html
    assert world.learner.full_name in html and 'role="alert"' not in html
    assert queries <= SAVE_QUERIES

    response, queries = tap(client, world.assignment, day, status="late", reason="Bus", hours="6", version="1")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="late"' in html and 'name="version" value="2"' in html and "· Bus" in html
    assert queries <= SAVE_QUERIES

    record = AttendanceRecord.objects.get(assignment=world.assignment, date=day)
    assert (record.status.code, record.hours, record.reason, record.version) == ("late", 6, "Bus", 2)
    assert [h.history_user for h in record.history.all()] == [world.mentor, world.mentor]


def test_the_count_does_not_grow_with_the_learners_and_holds_for_a_coordinator(running, client_for):
    world = running
    day = timezone.localdate()
    more_learners(world, 12)
    for user, hours in ((world.mentor, "7"), (world.coordinator, "6")):
        client = client_for(user)
        client.get(reverse("health"))
        record = AttendanceRecord.objects.filter(assignment=world.assignment, date=day).first()
        version = record.version if record else 0
        response, queries = tap(client, world.assignment, day, status="present", hours=hours, version=str(version))
        assert response.status_code == 200
        assert f'name="version" value="{version + 1}"' in response.content.decode()
        assert queries <= SAVE_QUERIES


def test_a_conflict_is_answered_with_the_record_as_it_is_and_changes_nothing(running, client_for):
    world = running
    day = timezone.localdate()
    assert services.save_days(world.coordinator, [DayEntry(world.assignment.pk, day, "sick")]).ok
    client = client_for(world.mentor)
    client.get(reverse("health"))
    response, _queries = tap(client, world.assignment, day, status="present", version="0")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "changed this day" in html
    assert 'data-status="sick"' in html and 'name="version" value="1"' in html
    record = AttendanceRecord.objects.get(assignment=world.assignment, date=day)
    assert (record.status.code, record.version, record.history.count()) == ("sick", 1, 1)
