"""What the Today screen and the week grid print, now that their rows and cells are HTML built in Python
(attendance/templatetags/attendance_rows.py): names, reasons and labels escaped, fields named and labelled."""

from django.urls import reverse
from django.utils import timezone

from attendance import services
from attendance.models import AttendanceStatus
from attendance.services import DayEntry
from placements.models import Placement

from .factories import AssignmentFactory, ParticipantFactory

HOSTILE = '<img src=x onerror="alert(1)">&'
ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;"


def make_hostile(world):
    """A learner, a reason and a status label that would run a script if printed unescaped."""
    world.learner.first_name = HOSTILE
    world.learner.save()
    AttendanceStatus.objects.filter(code="late").update(label=HOSTILE)
    day = timezone.localdate()
    assert services.save_days(world.mentor, [DayEntry(world.assignment.pk, day, "late", reason=HOSTILE)]).ok
    return day


def test_today_escapes_names_reasons_and_status_labels(running, client_for):
    make_hostile(running)
    html = client_for(running.mentor).get(reverse("attendance:today")).content.decode()
    assert HOSTILE not in html
    assert f"{ESCAPED} {running.learner.last_name}" in html  # the name
    assert f'<span class="badge text-bg-success">{ESCAPED}</span> · {ESCAPED}' in html  # status and reason
    assert f'value="{ESCAPED}"' in html  # the reason field


def test_week_grid_escapes_names_reasons_and_status_labels(running, client_for):
    day = make_hostile(running)
    week = reverse("attendance:week", args=[running.placement.pk, f"{day:%Y-%m-%d}"])
    for user in (running.coordinator, running.staff):  # editable cells and read-only cells
        html = client_for(user).get(week).content.decode()
        assert HOSTILE not in html
        assert ESCAPED in html


def test_week_grid_cell_has_labelled_fields_named_by_learner_and_day(running, client_for):
    world = running
    monday = world.placement.start_date
    html = (
        client_for(world.coordinator)
        .get(reverse("attendance:week", args=[world.placement.pk, f"{monday:%Y-%m-%d}"]))
        .content.decode()
    )
    key = f"{world.assignment.pk}-{monday:%Y%m%d}"
    assert f'<label class="visually-hidden" for="s-{key}">{world.learner.full_name}, Monday</label>' in html
    assert f'<select class="form-select form-select-sm" name="s-{key}" id="s-{key}">' in html
    assert f'<input type="hidden" name="v-{key}" value="0">' in html
    assert f'name="r-{key}" value="" maxlength="300" placeholder="reason" aria-label="Reason">' in html
    assert f'name="h-{key}" value="" inputmode="decimal" placeholder="8 h" aria-label="Hours">' in html
    assert '<option value="">not recorded</option><option value="present">Present</option>' in html


def test_a_failed_week_save_marks_the_cell_and_keeps_what_was_typed(running, client_for):
    world = running
    monday = world.placement.start_date
    key = f"{world.assignment.pk}-{monday:%Y%m%d}"
    url = reverse("attendance:week", args=[world.placement.pk, f"{monday:%Y-%m-%d}"])
    response = client_for(world.coordinator).post(url, {f"s-{key}": "late", f"v-{key}": "0", f"h-{key}": "5"})
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="s-{key}" aria-describedby="e-{key}" aria-invalid="true">' in html
    assert '<option value="late" selected>Late</option>' in html
    assert f'name="h-{key}" value="5"' in html
    assert f'<div class="small text-danger" id="e-{key}">' in html


def test_today_links_each_placements_week_grid_once(running, client_for):
    """Two placements starting the same day: their learners used to interleave by name, repeating links."""
    world = running
    Placement.objects.filter(pk=world.other_placement.pk).update(start_date=world.placement.start_date)
    for name in ("Aaron", "Zoe"):
        learner = ParticipantFactory(project=world.project, first_name=name, last_name=name)
        AssignmentFactory(
            participant=learner, placement=world.other_placement, host_company=world.host, mentor=world.mentor
        )
    html = client_for(world.coordinator).get(reverse("attendance:today")).content.decode()
    for placement in (world.placement, world.other_placement):
        assert html.count(f"Week grid of {placement.title}") == 1


def test_today_row_answers_a_failed_tap_with_the_error_and_what_was_typed(running, client_for):
    world = running
    day = timezone.localdate()
    url = reverse("attendance:record_day", args=[world.assignment.pk, f"{day:%Y-%m-%d}"])
    response = client_for(world.mentor).post(
        url, {"status": "late", "reason": "", "hours": "3", "version": "0"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    pk = world.assignment.pk
    assert html.startswith(f'<li class="list-group-item list-group-item-danger" id="row-{pk}">')
    assert f'aria-describedby="error-{pk}" autofocus' in html
    assert f'id="hours-{pk}" name="hours" inputmode="decimal" placeholder="hours" value="3"' in html
    assert 'name="csrfmiddlewaretoken"' in html
