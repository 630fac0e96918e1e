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


# Reminders at the stated hour of the recipient's zone


@pytest.fixture
def lisbon_mentor(running):
    running.mentor.email, running.mentor.time_zone = "rui@example.pt", "Europe/Lisbon"
    running.mentor.save()
    return running


def mentor_digests():
    from outbox.models import OutgoingMessage

    return OutgoingMessage.objects.filter(purpose="reminder_digest", to="rui@example.pt")


def at(day, hour, minute, zone_name):
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone_name))


def test_a_mentor_in_lisbon_gets_the_reminders_at_six_in_the_evening_of_lisbon(lisbon_mentor):
    from notifications.services import send_daily_reminders

    day = lisbon_mentor.placement.local_today()
    send_daily_reminders(at(day, 18, 30, "Europe/Bucharest"))  # 16:30 in Lisbon
    assert not mentor_digests().exists()
    send_daily_reminders(at(day, 17, 59, "Europe/Lisbon"))
    assert not mentor_digests().exists()
    send_daily_reminders(at(day, 18, 0, "Europe/Lisbon"))
    assert mentor_digests().count() == 1
    send_daily_reminders(at(day, 19, 0, "Europe/Lisbon"))  # the next hour's run sends nothing new
    assert mentor_digests().count() == 1


@pytest.mark.parametrize(
    ("utc_hour", "sent"),
    [
        # 25 October 2026, after the autumn change, Lisbon is UTC+0: 17:00 UTC is 17:00 there, 18:00 UTC is 18:00.
        (17, False),
        (18, True),
    ],
)
def test_the_reminder_hour_follows_lisbon_after_the_autumn_change(running, monkeypatch, utc_hour, sent):
    from notifications import services

    running.mentor.email, running.mentor.time_zone = "rui@example.pt", "Europe/Lisbon"
    running.mentor.save()
    monkeypatch.setattr(services, "mentor_items", lambda today: {running.mentor.pk: [reminder_item()]})
    services.send_daily_reminders(datetime(2026, 10, 25, utc_hour, 0, tzinfo=UTC))
    assert mentor_digests().exists() is sent


def reminder_item():
    from notifications.models import Kind
    from notifications.services import Item

    return Item(Kind.DAY_NOT_RECORDED, "Attendance on %(placement)s is not recorded.", {"placement": "X"}, "/")


# Travel legs: entered and shown in the local time of each end


def leg_data(**changes):
    data = {
        "travel_legs-TOTAL_FORMS": "1",
        "travel_legs-INITIAL_FORMS": "0",
        "travel_legs-0-direction": "return",
        "travel_legs-0-mode": "plane",
        "travel_legs-0-carrier": "TAROM",
        "travel_legs-0-departure_place": "Porto",
        "travel_legs-0-departs_at": "2027-03-27T11:40",
        "travel_legs-0-departure_zone": "",
        "travel_legs-0-arrival_place": "București",
        "travel_legs-0-arrives_at": "2027-03-27T17:55",
        "travel_legs-0-arrival_zone": "",
    }
    return data | {f"travel_legs-0-{key}": value for key, value in changes.items()}


def saved_leg(placement, data):
    from preparation.forms import LegFormSet

    formset = LegFormSet(data, instance=placement)
    assert formset.is_valid(), formset.errors
    return formset.save()[0]


def test_a_ticket_from_porto_is_stored_on_portos_clock_and_the_arrival_on_bucharests(world):
    world.placement.country, world.placement.time_zone = "PT", ""
    leg = saved_leg(world.placement, leg_data())
    assert leg.departs_at == datetime(2027, 3, 27, 11, 40, tzinfo=UTC)  # 11:40 in Porto (UTC+0) is 13:40 here
    assert leg.arrives_at == datetime(2027, 3, 27, 15, 55, tzinfo=UTC)  # 17:55 in Bucharest (UTC+2)


def test_after_the_spring_change_porto_is_an_hour_ahead_of_utc(world):
    world.placement.country, world.placement.time_zone = "PT", ""
    leg = saved_leg(world.placement, leg_data(departs_at="2027-03-28T11:40", arrives_at="2027-03-28T17:55"))
    assert leg.departs_at == datetime(2027, 3, 28, 10, 40, tzinfo=UTC)
    assert leg.arrives_at == datetime(2027, 3, 28, 14, 55, tzinfo=UTC)


def test_a_picked_zone_wins_and_the_form_shows_the_tickets_times_again(world):
    from preparation.forms import LegFormSet

    world.placement.country = "PT"
    leg = saved_leg(world.placement, leg_data(departure_zone="Atlantic/Azores", departure_place="Ponta Delgada"))
    assert leg.departs_at == datetime(2027, 3, 27, 12, 40, tzinfo=UTC)  # Azores: UTC-1
    form = LegFormSet(instance=world.placement).forms[0]
    assert form.initial["departs_at"] == datetime(2027, 3, 27, 11, 40)
    assert form.initial["arrives_at"] == datetime(2027, 3, 27, 17, 55)


def test_an_arrival_before_the_departure_on_the_real_clock_is_refused(world):
    from preparation.forms import LegFormSet

    world.placement.country = "PT"
    # 13:30 in Bucharest is 11:30 in Porto: before the 11:40 departure.
    formset = LegFormSet(leg_data(arrives_at="2027-03-27T13:30"), instance=world.placement)
    assert not formset.is_valid()
    assert "arrive after it departs" in str(formset.errors)


def test_the_travel_page_shows_each_end_on_its_own_clock_with_its_zone(world, client_for):
    world.placement.country = "PT"
    world.placement.save()
    saved_leg(world.placement, leg_data())
    html = client_for(world.coordinator).get(reverse("preparation:travel", args=[world.placement.pk])).content.decode()
    assert "27 Mar 2027 11:40\u00a0WET" in html  # Porto's time, marked: the reader is in Bucharest
    assert "27 Mar 2027 17:55<" in html  # Bucharest's time, the reader's own: no mark
