"""Small confusions of a new project's first hour (issue 22): file sizes, My trip's room, map and links, the account
form after an error, "everyone present" on a day off, score descriptions as written, the fewer-opportunities tick
carried from the application into the participant, the readiness column of consents."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from attendance.models import AttendanceRecord, WorkPattern, week_start
from participants.models import Barrier
from selection import services
from selection.models import Application, Call, Criterion

from .access_routes_selection import a_call


def test_file_sizes_read_kb_and_mb_in_romanian_not_ko():
    with translation.override("ro"):
        assert "KB" in filesizeformat(2048) and "MB" in filesizeformat(3 * 1024 * 1024)
        assert "KO" not in filesizeformat(2048)


def trip_body(room_name, printing):
    room = SimpleNamespace(
        name=room_name,
        accommodation=SimpleNamespace(name="Residencial Avenida", address="Braga", host_phone="", host_contact=""),
    )
    context = {
        "room": room,
        "host": SimpleNamespace(name="Metalúrgica do Cávado"),
        "map_qr": "<svg data-qr></svg>",
        "map_url": "https://www.openstreetmap.org/",
        "printing": printing,
    }
    with translation.override("ro"):
        return render_to_string("preparation/partials/my_trip_body.html", context)


def test_my_trip_names_a_room_once():
    assert "cameră Camera 102" not in trip_body("Camera 102", printing=False)
    assert "Camera 102" in trip_body("Camera 102", printing=False)
    assert "cameră 12" in trip_body("12", printing=False)


def test_the_map_code_is_printed_and_the_phone_gets_a_link_instead():
    on_phone = trip_body("12", printing=False)
    assert "data-qr" not in on_phone and "https://www.openstreetmap.org/" in on_phone
    assert "data-qr" in trip_body("12", printing=True)


def test_the_account_form_says_why_the_passwords_are_typed_again(world, client_for):
    data = {
        "username": "",
        "first_name": "Ioana",
        "last_name": "Pop",
        "role": "staff",
        "password1": "a-long-password-2027",
        "password2": "a-long-password-2027",
    }
    page = client_for(world.coordinator).post(reverse("accounts:user_create"), data)
    html = page.content.decode()
    assert page.status_code == 200 and "data-passwords-not-kept" in html and 'value="Ioana"' in html


# The mentor's Today on a day off: "everyone present" is shown disabled with the reason, and refused if posted.


def test_everyone_present_is_disabled_on_a_day_off_with_the_reason(running, client_for):
    world = running
    WorkPattern.objects.filter(placement=world.placement).update(saturday=0, sunday=0)
    sunday = week_start(timezone.localdate()) - timedelta(days=1)  # within the placement, already past
    client = client_for(world.mentor)
    page = client.get(reverse("attendance:today"), {"day": f"{sunday:%Y-%m-%d}"}).content.decode()
    assert 'disabled aria-describedby="all-present-refusal"' in page
    assert "not a working day" in page
    response = client.post(reverse("attendance:all_present"), {"day": f"{sunday:%Y-%m-%d}"}, follow=True)
    assert "not a working day" in response.content.decode()
    assert not AttendanceRecord.objects.exists()
    # The Saturday before, worked in the other placement's pattern but not in this one's: still a day off here.
    monday = sunday + timedelta(days=1)
    page = client.get(reverse("attendance:today"), {"day": f"{monday:%Y-%m-%d}"}).content.decode()
    assert "all-present-refusal" not in page


def test_everyone_present_on_a_mixed_day_records_only_the_learners_who_work(running, client_for):
    world = running
    WorkPattern.objects.filter(placement=world.placement).update(sunday=0)
    sunday = week_start(timezone.localdate()) - timedelta(days=1)
    client_for(world.coordinator).post(reverse("attendance:all_present"), {"day": f"{sunday:%Y-%m-%d}"})
    assert list(AttendanceRecord.objects.values_list("assignment_id", flat=True)) == [world.other_assignment.pk]


# Score descriptions written as the help text's example


def test_score_descriptions_numbered_as_written_show_against_their_own_scores(world, client_for):
    call = a_call(world)
    criterion = Criterion.objects.get(call=call)
    criterion.max_score = 10
    criterion.descriptors = "0: no motivation stated\n5: wants to go\n10: a plan for after"
    criterion.full_clean()
    criterion.save()
    lines = criterion.descriptor_lines()
    assert lines[0] == "no motivation stated" and lines[5] == "wants to go" and lines[10] == "a plan for after"
    assert lines[1] == "" and lines[4] == ""
    application = Application.objects.create(
        call=call,
        placement=world.placement,
        first_name="Ana",
        last_name="Lingurar",
        date_of_birth=date(2006, 5, 1),
        gender="female",
        qualification=world.placement.qualification,
    )
    page = client_for(world.staff).get(reverse("selection:score", args=[application.pk])).content.decode()
    assert "5 – wants to go" in page and "10 – a plan for after" in page and "0 – no motivation stated" in page
    assert "1 – 5:" not in page and "2 – 10:" not in page


def test_score_descriptions_without_numbers_still_count_from_zero_and_ranges_cover_their_scores():
    plain = Criterion(max_score=2, descriptors="none\nsome\nmuch")
    assert plain.descriptor_lines() == {0: "none", 1: "some", 2: "much"}
    ranged = Criterion(max_score=4, descriptors="0 – none\n1-3: some\n  continued\n4) much")
    assert ranged.descriptor_lines() == {
        0: "none",
        1: "some continued",
        2: "some continued",
        3: "some continued",
        4: "much",
    }


def test_a_score_description_above_the_highest_score_is_refused_on_the_form(world):
    criterion = Criterion(call=a_call(world), name="Interview", max_score=4, descriptors="0: absent\n5: excellent")
    with pytest.raises(ValidationError) as refused:
        criterion.full_clean()
    assert "“5: excellent” names a score above the highest score (4)" in str(refused.value.message_dict["descriptors"])


# The fewer-opportunities tick of an application goes with the learner


def test_confirming_the_selection_carries_the_tick_and_the_categories_into_the_participant(world, client_for):
    call = a_call(world)
    economic, geographical = Barrier.objects.get(code="economic"), Barrier.objects.get(code="geographical")
    client = client_for(world.coordinator)
    base = {
        "placement": world.placement.pk,
        "first_name": "Ana",
        "last_name": "Lingurar",
        "date_of_birth": "2006-05-01",
        "gender": "female",
        "qualification": world.placement.qualification_id,
        "language": "ro",
    }
    # Categories without the tick: the tick follows them.
    client.post(
        reverse("selection:application_new", args=[call.pk]), base | {"barriers": [economic.pk, geographical.pk]}
    )
    ticked = Application.objects.get(last_name="Lingurar")
    assert ticked.fewer_opportunities and set(ticked.barriers.all()) == {economic, geographical}
    assert "Economic barriers" in client.get(reverse("selection:application", args=[ticked.pk])).content.decode()
    only_tick = services.submit_application(
        call_id=call.pk,
        placement_id=world.placement.pk,
        first_name="Ion",
        last_name="Rupa",
        date_of_birth=date(2006, 3, 1),
        gender="male",
        qualification_id=world.placement.qualification_id,
        fewer_opportunities=True,
        entered_by_id=world.coordinator.pk,
    )
    Application.objects.filter(pk__in=[ticked.pk, only_tick.pk]).update(status=Application.Status.SELECTED)
    Call.objects.filter(pk=call.pk).update(ranked_at=timezone.now())
    call.refresh_from_db()
    assert (
        services.confirm_selection(call_id=call.pk, confirmed_by_id=world.coordinator.pk, today=call.confirmable_from())
        == 2
    )
    ticked.refresh_from_db()
    only_tick.refresh_from_db()
    assert set(ticked.participant.barriers.all()) == {economic, geographical}
    from privacy.export import collect

    exported = collect(ticked.participant)["applications"][0]["fewer_opportunity_categories"]
    assert sorted(exported) == ["economic", "geographical"]
    # A tick without a category: the participant's page asks for the categories, with a link to them.
    assert not only_tick.participant.barriers.exists()
    page = client.get(reverse("participants:detail", args=[only_tick.participant.pk])).content.decode()
    assert "data-categories-to-record" in page
    assert f"{reverse('participants:edit', args=[only_tick.participant.pk])}#div_id_barriers" in page
    page = client.get(reverse("participants:detail", args=[ticked.participant.pk])).content.decode()
    assert "data-categories-to-record" not in page and "Economic barriers" in page


def test_the_learners_own_form_has_no_fewer_opportunities_fields(world):
    from selection.forms import PublicApplicationForm

    form = PublicApplicationForm(call=a_call(world))
    assert "fewer_opportunities" not in form.fields and "barriers" not in form.fields


def test_erasing_an_unselected_application_clears_its_categories_and_keeps_the_tick(world):
    call = a_call(world)
    application = services.submit_application(
        call_id=call.pk,
        placement_id=world.placement.pk,
        first_name="Ion",
        last_name="Rupa",
        date_of_birth=date(2006, 3, 1),
        gender="male",
        qualification_id=world.placement.qualification_id,
        fewer_opportunities=True,
        barriers=[Barrier.objects.get(code="health")],
        entered_by_id=world.coordinator.pk,
    )
    application.status = Application.Status.NOT_SELECTED
    application.save()
    Call.objects.filter(pk=call.pk).update(ranked_at=timezone.now())
    assert services.erase_unselected(call_id=call.pk, today=call.appeals_until + timedelta(days=1)) == 1
    application.refresh_from_db()
    assert application.fewer_opportunities and not application.barriers.exists()


# My trip: the link just made has a copy button; the readiness column says consents, not "Acord"


def test_a_new_my_trip_link_has_a_copy_button(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("preparation:link_create", args=[world.assignment.pk]), follow=True
    )
    html = response.content.decode()
    assert 'data-copy="made-link"' in html and 'id="made-link"' in html and "copy-link.js" in html


def test_the_readiness_column_of_consents_does_not_read_agreement_in_romanian(world, client_for):
    client = client_for(world.coordinator)
    client.cookies["django_language"] = "ro"
    page = client.get(reverse("preparation:flow", args=[world.placement.pk])).content.decode()
    assert "Consimțăminte" in page and ">Acord<" not in page


def test_a_my_trip_link_fits_a_text_message_with_romanian_letters(world, client):
    from preparation.services import create_trip_link, create_trip_links_for_flow

    single = create_trip_link(assignment_id=world.assignment.pk, created_by_id=world.coordinator.pk)
    sheet = create_trip_links_for_flow(placement_id=world.other_placement.pk, created_by_id=world.coordinator.pk)
    for link in [single, *sheet]:
        url = "https://erasmus.scoala-roman.ro" + reverse("trip:my_trip", args=[link.token])
        assert len(link.token) == 22 and len(url) <= 70  # one text message in UCS-2 holds 70 characters
        assert client.get(reverse("trip:my_trip", args=[link.token])).status_code == 200
