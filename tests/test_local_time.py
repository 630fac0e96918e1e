"""Time where it happens: a placement's "today", its week and the "not happened yet" rule follow the clock of its
host country (or the zone picked for it), and a signed-in person reads times in their own zone. Frozen clocks at
23:30 in Lisbon (already the next day in Bucharest) and across the spring and autumn changes of 2026-2027."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import UserLocaleMiddleware
from attendance import services
from attendance.models import AttendanceRecord, WorkPattern, week_start
from attendance.services import DayEntry
from common.locales import language_of_country, zone_name_of_country


def freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def in_braga(world):
    """The world's first placement in Portugal, running through March 2027, every day a working day."""
    placement = world.placement
    placement.country, placement.time_zone = "PT", ""
    placement.start_date, placement.end_date = date(2027, 3, 1), date(2027, 4, 2)
    placement.save()
    WorkPattern.objects.create(placement=placement, saturday=Decimal(8), sunday=Decimal(8))
    return world


# 23:30 in Lisbon on Wednesday 10 March 2027 (WET, UTC+0) is 01:30 on the 11th in Bucharest.
LATE_IN_LISBON = datetime(2027, 3, 10, 23, 30, tzinfo=UTC)


def test_a_placement_in_portugal_is_still_on_its_own_day_at_2330_lisbon(in_braga, monkeypatch):
    freeze(monkeypatch, LATE_IN_LISBON)
    assert timezone.localdate() == date(2027, 3, 11)  # the installation's clock, Bucharest
    assert in_braga.placement.zone_name == "Europe/Lisbon"
    assert in_braga.placement.local_today() == date(2027, 3, 10)


def test_a_zone_picked_for_the_placement_wins_over_its_country(in_braga, monkeypatch):
    freeze(monkeypatch, LATE_IN_LISBON)
    in_braga.placement.time_zone = "Atlantic/Azores"  # UTC-1: 22:30 on the 10th
    assert in_braga.placement.local_today() == date(2027, 3, 10)
    in_braga.placement.time_zone = "Europe/Bucharest"
    assert in_braga.placement.local_today() == date(2027, 3, 11)


def test_at_2330_lisbon_the_mentor_records_today_and_not_tomorrow(in_braga, monkeypatch):
    freeze(monkeypatch, LATE_IN_LISBON)
    world = in_braga
    tomorrow = services.save_days(world.mentor, [DayEntry(world.assignment.pk, date(2027, 3, 11), "present")])
    assert not tomorrow.ok
    assert "not happened yet" in next(iter(tomorrow.errors.values()))
    assert services.save_days(world.mentor, [DayEntry(world.assignment.pk, date(2027, 3, 10), "present")]).ok


def test_the_week_grid_at_2330_lisbon_shows_the_next_day_as_still_to_come(in_braga, monkeypatch, client_for):
    freeze(monkeypatch, LATE_IN_LISBON)
    world = in_braga
    monday = week_start(date(2027, 3, 10))
    response = client_for(world.mentor).get(reverse("attendance:week", args=[world.placement.pk, f"{monday:%Y-%m-%d}"]))
    cells = response.context["rows"][0]["cells"]  # Monday 8 March to Sunday 14 March
    assert [cell["editable"] for cell in cells] == [True, True, True, False, False, False, False]


def test_the_week_cannot_be_handed_in_while_its_last_day_is_still_going_on_in_lisbon(in_braga, monkeypatch):
    world = in_braga
    monday = week_start(date(2027, 3, 10))
    sunday = monday + timedelta(days=6)
    entries = [DayEntry(world.assignment.pk, monday + timedelta(days=n), "present") for n in range(6)]
    assert services.save_days(world.mentor, entries, today=sunday).ok
    # 23:30 on Sunday in Lisbon, Monday already in Bucharest: Sunday is still to be recorded.
    freeze(monkeypatch, datetime(2027, 3, 14, 23, 30, tzinfo=UTC))
    assert services.days_still_to_record(world.placement, monday, world.mentor) == [sunday]


@pytest.mark.parametrize(
    ("moment", "lisbon_day"),
    [
        # Spring: on 28 March 2027 Lisbon moves from UTC+0 to UTC+1 at 01:00 UTC.
        (datetime(2027, 3, 27, 23, 30, tzinfo=UTC), date(2027, 3, 27)),
        (datetime(2027, 3, 28, 23, 30, tzinfo=UTC), date(2027, 3, 29)),
        (datetime(2027, 3, 28, 22, 59, tzinfo=UTC), date(2027, 3, 28)),
        # Autumn: on 25 October 2026 it moves back from UTC+1 to UTC+0 at 01:00 UTC.
        (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), date(2026, 10, 24)),
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
    ],
)
def test_the_placement_day_follows_lisbon_across_the_daylight_saving_changes(world, monkeypatch, moment, lisbon_day):
    world.placement.country, world.placement.time_zone = "PT", ""
    freeze(monkeypatch, moment)
    assert world.placement.local_today() == lisbon_day


def test_across_the_spring_change_a_mentor_records_the_day_lisbon_is_on(in_braga, monkeypatch):
    world = in_braga
    # 23:30 UTC on 28 March is 00:30 on the 29th in Lisbon (summer time), 02:30 in Bucharest.
    freeze(monkeypatch, datetime(2027, 3, 28, 23, 30, tzinfo=UTC))
    assert services.save_days(world.mentor, [DayEntry(world.assignment.pk, date(2027, 3, 29), "present")]).ok
    # 22:30 UTC on 27 March is still the 27th in Lisbon (winter time), already the 28th in Bucharest.
    freeze(monkeypatch, datetime(2027, 3, 27, 22, 30, tzinfo=UTC))
    refused = services.save_days(world.mentor, [DayEntry(world.assignment.pk, date(2027, 3, 28), "present")])
    assert not refused.ok
    assert not AttendanceRecord.objects.filter(date=date(2027, 3, 28)).exists()


def test_a_country_gives_its_language_and_clock_and_an_unknown_one_the_defaults(settings):
    assert (language_of_country("PT"), zone_name_of_country("PT")) == ("pt", "Europe/Lisbon")
    assert (language_of_country("RO"), zone_name_of_country("RO")) == ("ro", "Europe/Bucharest")
    assert (language_of_country("ES"), zone_name_of_country("ES")) == ("en", "Europe/Madrid")
    settings.COUNTRY_LANGUAGES = {**settings.COUNTRY_LANGUAGES, "ES": "es"}
    settings.LANGUAGES = [*settings.LANGUAGES, ("es", "Spanish")]
    assert language_of_country("ES") == "es"  # a flow to Spain: a line of settings and a catalogue
    assert zone_name_of_country("XX") == "Europe/Bucharest"


def test_a_person_reads_pages_in_their_own_language_and_zone(world, client_for):
    world.mentor.language, world.mentor.time_zone = "pt", "Europe/Lisbon"
    world.mentor.save()
    response = client_for(world.mentor).get(reverse("attendance:today"))
    assert response.headers["Content-Language"] == "pt"
    assert '<html lang="pt"' in response.text


def test_the_middleware_activates_the_persons_zone_for_the_request_only(world, rf):
    world.mentor.time_zone = "Europe/Lisbon"
    request = rf.get("/")
    request.user = world.mentor
    seen = []
    UserLocaleMiddleware(lambda request: seen.append(timezone.get_current_timezone_name()))(request)
    assert seen == ["Europe/Lisbon"]
    assert timezone.get_current_timezone_name() == "Europe/Bucharest"


def test_without_a_language_of_their_own_the_menu_still_decides(world, client_for):
    client = client_for(world.coordinator)
    client.cookies["django_language"] = "ro"
    assert client.get(reverse("dashboard")).headers["Content-Language"] == "ro"


def test_choosing_a_language_in_the_menu_becomes_the_persons_setting(world, client_for):
    client = client_for(world.mentor)
    response = client.post(reverse("set_language"), {"language": "pt", "next": "/today/"})
    assert response.status_code == 302
    world.mentor.refresh_from_db()
    assert world.mentor.language == "pt"
    client.cookies.clear()
    client.force_login(world.mentor)
    assert client.get(reverse("attendance:today")).headers["Content-Language"] == "pt"
