"""How long a leg takes and how soon it leaves (issue #21): real time between instants, whatever the clocks they
are written on and across the changes of summer time; "tomorrow" and "in N days" by the calendar of the place it
leaves from; each language's plural forms (Romanian's three: 1 oră, 2 ore, 23 de ore). Frozen clocks at 23:30 in
Lisbon and around the spring and autumn changes of 2027 (28 March, 31 October)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from common.durations import duration_text, elapsed, leaves_in

from .test_trip import link_for
from .test_trip import trip as trip  # noqa: F401  (the fixture)

LISBON, BUCHAREST = ZoneInfo("Europe/Lisbon"), ZoneInfo("Europe/Bucharest")
# 23:30 in Lisbon on Wednesday 10 March 2027 (WET, UTC+0) is already 01:30 on the 11th in Bucharest.
LATE_IN_LISBON = datetime(2027, 3, 10, 23, 30, tzinfo=UTC)


def said(language, function, *args, **kwargs):
    with translation.override(language):
        return function(*args, **kwargs)


def test_a_leg_takes_the_real_time_between_two_clocks():
    # Bacău 08:00 (EET, UTC+2) to Porto 12:40 (WET, UTC+0): 6 hours 40 minutes, not the 4 h 40 of the faces.
    length = elapsed(datetime(2027, 2, 28, 8, 0, tzinfo=BUCHAREST), datetime(2027, 2, 28, 12, 40, tzinfo=LISBON))
    assert said("en", duration_text, length) == "6 hours and 40 minutes"
    assert said("ro", duration_text, length) == "6 ore și 40 de minute"
    assert said("pt", duration_text, length) == "6 horas e 40 minutos"


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        # Spring: Lisbon's clocks go from 01:00 to 02:00 on 28 March 2027; 22:00 to 06:00 is 7 hours.
        (datetime(2027, 3, 27, 22, 0, tzinfo=LISBON), datetime(2027, 3, 28, 6, 0, tzinfo=LISBON), 7),
        # Autumn: from 02:00 back to 01:00 on 31 October 2027; 22:00 to 06:00 is 9 hours.
        (datetime(2027, 10, 30, 22, 0, tzinfo=LISBON), datetime(2027, 10, 31, 6, 0, tzinfo=LISBON), 9),
        # A night bus on Bucharest's clock across the spring change (03:00 to 04:00 there).
        (datetime(2027, 3, 27, 20, 0, tzinfo=BUCHAREST), datetime(2027, 3, 28, 20, 0, tzinfo=BUCHAREST), 23),
    ],
)
def test_a_leg_across_a_change_of_summer_time_takes_the_real_time(start, end, hours):
    assert end - start != elapsed(start, end)  # what Python's subtraction on one clock's faces would say
    assert elapsed(start, end).total_seconds() == hours * 3600


@pytest.mark.parametrize(
    ("count", "ro", "pt", "en"),
    [
        (1, "1 oră", "1 hora", "1 hour"),
        (2, "2 ore", "2 horas", "2 hours"),
        (19, "19 ore", "19 horas", "19 hours"),
        (20, "20 de ore", "20 horas", "20 hours"),
        (23, "23 de ore", "23 horas", "23 hours"),
        (101, "101 ore", "101 horas", "101 hours"),
    ],
)
def test_hours_take_each_languages_plural_form(count, ro, pt, en):
    from datetime import timedelta

    for language, expected in (("ro", ro), ("pt", pt), ("en", en)):
        assert said(language, duration_text, timedelta(hours=count)) == expected
    assert said("ro", duration_text, timedelta(minutes=1)) == "1 minut"
    assert said("pt", duration_text, timedelta(minutes=45)) == "45 minutos"


def test_at_2330_in_lisbon_a_morning_flight_from_porto_leaves_in_hours():
    departure = datetime(2027, 3, 11, 6, 10, tzinfo=LISBON)
    assert said("pt", leaves_in, departure, "Europe/Lisbon", now=LATE_IN_LISBON) == "parte daqui a 6 horas"
    assert said("ro", leaves_in, departure, "Europe/Lisbon", now=LATE_IN_LISBON) == "pleacă peste 6 ore"
    assert said("en", leaves_in, departure, "Europe/Lisbon", now=LATE_IN_LISBON) == "leaves in 6 hours"


def test_at_2330_in_lisbon_days_are_counted_on_lisbons_calendar():
    """It is the 10th in Porto and already the 11th in Bucharest: a flight on the 12th leaves in 2 days."""
    departure = datetime(2027, 3, 12, 10, 0, tzinfo=LISBON)
    assert said("pt", leaves_in, departure, "Europe/Lisbon", now=LATE_IN_LISBON) == "parte daqui a 2 dias"
    assert said("ro", leaves_in, departure, "Europe/Lisbon", now=LATE_IN_LISBON) == "pleacă peste 2 zile"
    # On Bucharest's calendar the same moment would be tomorrow.
    assert said("en", leaves_in, departure, "Europe/Bucharest", now=LATE_IN_LISBON) == "leaves tomorrow"


def test_the_day_before_the_spring_change_the_same_clock_time_is_23_hours_away():
    now = datetime(2027, 3, 27, 10, 0, tzinfo=LISBON)
    departure = datetime(2027, 3, 28, 10, 0, tzinfo=LISBON)
    assert said("ro", leaves_in, departure, "Europe/Lisbon", now=now) == "pleacă peste 23 de ore"
    assert said("pt", leaves_in, departure, "Europe/Lisbon", now=now) == "parte daqui a 23 horas"


def test_the_day_before_the_autumn_change_the_same_clock_time_is_tomorrow():
    now = datetime(2027, 10, 30, 10, 0, tzinfo=LISBON)
    departure = datetime(2027, 10, 31, 10, 0, tzinfo=LISBON)  # 25 hours later
    assert said("pt", leaves_in, departure, "Europe/Lisbon", now=now) == "parte amanhã"
    assert said("ro", leaves_in, departure, "Europe/Lisbon", now=now) == "pleacă mâine"


def test_minutes_before_and_nothing_after_it_has_left():
    departure = datetime(2027, 3, 11, 0, 0, tzinfo=LISBON)
    assert said("ro", leaves_in, departure, "Europe/Lisbon", now=LATE_IN_LISBON) == "pleacă peste 30 de minute"
    assert said("pt", leaves_in, departure, "Europe/Lisbon", now=LATE_IN_LISBON) == "parte daqui a 30 minutos"
    assert said("ro", leaves_in, LATE_IN_LISBON, "Europe/Lisbon", now=LATE_IN_LISBON) == ""


@pytest.mark.parametrize(
    ("language", "soon", "length"), [("ro", "pleacă mâine", "4 ore"), ("en", "leaves tomorrow", "4 hours")]
)
def test_my_trip_says_how_long_the_flight_takes_and_how_soon_it_leaves(
    trip, client, monkeypatch, language, soon, length
):  # noqa: F811
    """The flight leaves Bacău on 28 February 2027 at 08:00 (Bucharest); at 23:30 UTC on the 26th it is already
    the 27th there: it leaves tomorrow, on the calendar of the place it leaves from."""
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 2, 26, 23, 30, tzinfo=UTC))
    link = link_for(trip, trip.assignment)
    html = client.get(reverse("trip:my_trip", args=[link.token]) + f"?lang={language}").content.decode()
    assert f"data-leaves-in>{soon}<" in html
    assert f"({length})" in html


def test_the_printed_trip_says_how_long_but_not_how_soon(trip, monkeypatch):  # noqa: F811
    """Paper is read days later: no "leaves tomorrow" on it."""
    from documents.models import DocumentJob
    from preparation.documents import render_my_trip

    from .tools import pdf_text

    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 2, 26, 23, 30, tzinfo=UTC))
    pdf, _name = render_my_trip(DocumentJob(params={"assignment": trip.assignment.pk, "language": "ro"}))
    text = " ".join(pdf_text(pdf).split())
    assert "(4 ore)" in text
    assert "pleacă" not in text
