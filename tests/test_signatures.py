"""Signing a learner's attendance week: what is signed (a canonical serialisation with each day's version), the
evidence kept, the append-only chain of events, the learner's personal code (three wrong codes lock), voiding when
a signed day changes (shown on the week sheet with what and by whom), and the public check by code."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from attendance.models import week_start
from attendance.services import DayEntry, save_days
from preparation import services as trip_services
from signatures import services
from signatures.models import AppendOnly, SignatureEvent, SigningCode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

STROKES = [{"points": [{"x": 10, "y": 20, "time": 1}, {"x": 30, "y": 25, "time": 2}]}, {"points": [{"x": 5, "y": 5}]}]


@pytest.fixture
def week(running):
    """The world's learner with two recorded days in last week (Monday and Tuesday)."""
    monday = week_start(timezone.localdate()) - timedelta(days=7)
    save_days(
        running.mentor,
        [
            DayEntry(running.assignment.pk, monday, "present"),
            DayEntry(running.assignment.pk, monday + timedelta(days=1), "late", reason="Bus"),
        ],
    )
    running.monday = monday
    return running


def sign_url(world):
    return reverse("signatures:sign_week", args=[world.assignment.pk, f"{world.monday:%Y-%m-%d}"])


def shown_hash(world):
    return services.week_states([world.assignment], world.placement, world.monday)[world.assignment.pk]["hash"]


def sign_as_mentor(client, world, **more):
    data = {"who": "mentor", "consent": "1", "shown_hash": shown_hash(world), "device_time": "2026-12-06T09:00"}
    return client.post(sign_url(world), data | more, HTTP_USER_AGENT="Phone browser/1.0")


def sign_as_learner(client, world, code=None, **more):
    data = {
        "who": "learner",
        "consent": "1",
        "shown_hash": shown_hash(world),
        "code": code if code is not None else services.current_code(world.assignment),
        "strokes": json.dumps(STROKES),
    }
    return client.post(sign_url(world), data | more)


def test_what_is_signed_is_the_sorted_json_of_the_days_with_their_versions(week):
    records = list(services.week_records([week.assignment.pk], week.monday))
    data = services.week_data(week.assignment, week.placement, week.monday, records)
    text = services.canonical(data)
    assert text == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert [d["version"] for d in data["days"]] == [1, 1] and data["days"][1]["reason"] == "Bus"
    assert services.digest(text) == hashlib.sha256(text.encode()).hexdigest() == shown_hash(week)


def test_the_mentor_signs_signed_in_and_the_evidence_is_kept(week, client_for):
    response = sign_as_mentor(client_for(week.mentor), week)
    assert response.status_code == 302
    event = SignatureEvent.objects.get()
    assert (event.role, event.method, event.signer, event.collected_by) == (
        "mentor",
        "session",
        week.mentor,
        week.mentor,
    )
    assert event.content_hash == shown_hash(week) and json.loads(event.content)["days"][0]["status"] == "present"
    assert event.consent_hash == hashlib.sha256(event.consent_text.encode()).hexdigest()
    assert "mentor at the host company" in event.consent_text
    assert (event.ip_address, event.user_agent, event.device_time) == (
        "127.0.0.1",
        "Phone browser/1.0",
        "2026-12-06T09:00",
    )
    assert event.previous_hash == "" and services.chain_is_intact()


def test_the_learner_signs_with_code_and_drawing_kept_as_strokes_and_svg(week, client_for):
    client = client_for(week.mentor)
    sign_as_mentor(client, week)
    assert sign_as_learner(client, week).status_code == 302
    event = SignatureEvent.objects.get(role="learner")
    assert event.method == "code-drawn" and event.signer is None and event.collected_by == week.mentor
    assert event.signer_name == week.learner.full_name
    assert event.strokes[0]["points"][1] == {"x": 30.0, "y": 25.0, "time": 2}
    assert event.svg.startswith("<svg") and "M10.0 20.0 L30.0 25.0" in event.svg and "<circle" in event.svg
    first = SignatureEvent.objects.get(role="mentor")
    assert event.previous_hash == first.event_hash and services.chain_is_intact()


def test_a_typed_name_signs_instead_of_a_drawing(week, client_for):
    response = sign_as_learner(client_for(week.mentor), week, strokes="", typed_name="Ștefan Țurcanu")
    assert response.status_code == 302
    assert SignatureEvent.objects.get().method == "code-typed"


def test_neither_drawing_nor_typed_name_signs_nothing(week, client_for):
    response = sign_as_learner(client_for(week.mentor), week, strokes="")
    assert response.status_code == 400 and "type the full name" in response.content.decode()
    assert not SignatureEvent.objects.exists()


@pytest.mark.parametrize("strokes", ["not json", json.dumps([{"points": [{"x": "<svg>", "y": 1}]}]), json.dumps({})])
def test_forged_stroke_data_is_refused(week, client_for, strokes):
    assert sign_as_learner(client_for(week.mentor), week, strokes=strokes).status_code == 400
    assert not SignatureEvent.objects.exists()


def test_three_wrong_codes_lock_signing_for_the_learner(week, client_for):
    client = client_for(week.mentor)
    right = services.current_code(week.assignment)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    assert "Tries left before signing locks: 2" in sign_as_learner(client, week, code=wrong).content.decode()
    sign_as_learner(client, week, code=wrong)
    assert "locked" in sign_as_learner(client, week, code=wrong).content.decode()
    locked = sign_as_learner(client, week, code=right)
    assert locked.status_code == 400 and "locked" in locked.content.decode()
    assert not SignatureEvent.objects.exists()
    SigningCode.objects.filter(assignment=week.assignment).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert sign_as_learner(client, week, code=right).status_code == 302


def test_the_coordinator_resets_the_code_and_my_trip_shows_the_new_one(week, client_for):
    link = trip_services.create_trip_link(assignment_id=week.assignment.pk, created_by_id=week.coordinator.pk)
    old = services.current_code(week.assignment)
    assert old in client_for(None).get(reverse("trip:my_trip", args=[link.token])).content.decode()
    reset = reverse("signatures:reset_code", args=[week.assignment.pk])
    assert client_for(week.mentor).post(reset).status_code == 403
    assert client_for(week.coordinator).post(reset).status_code == 302
    new = services.current_code(week.assignment)
    assert new != old and not SigningCode.objects.filter(assignment=week.assignment, generation=0).exists()
    page = client_for(None).get(reverse("trip:my_trip", args=[link.token])).content.decode()
    assert new in page and old not in page
    assert sign_as_learner(client_for(week.mentor), week, code=old).status_code == 400


def test_the_code_is_not_stored(week):
    code = services.current_code(week.assignment)
    SigningCode.objects.create(assignment=week.assignment)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM signatures_signingcode")
        assert code not in repr(cursor.fetchall())


def test_a_change_to_a_signed_day_voids_the_signature_on_the_sheet_with_what_and_by_whom(week, client_for):
    sign_as_mentor(client_for(week.mentor), week)
    sheet = reverse("attendance:week", args=[week.placement.pk, f"{week.monday:%Y-%m-%d}"])
    page = client_for(week.coordinator).get(sheet).content.decode()
    assert 'data-signature="mentor" data-state="signed"' in page
    save_days(week.coordinator, [DayEntry(week.assignment.pk, week.monday + timedelta(days=1), "sick", version=1)])
    page = client_for(week.coordinator).get(sheet).content.decode()
    assert 'data-signature="mentor" data-state="void"' in page
    assert "changed after signing" in page
    tuesday = f"{week.monday + timedelta(days=1):%Y-%m-%d}"
    assert f"{tuesday}: Late → Sick, by {week.coordinator}" in page
    assert 'data-signature="learner" data-state="unsigned"' in page
    # Signing again is possible on the new days.
    assert sign_as_mentor(client_for(week.mentor), week).status_code == 302
    assert 'data-signature="mentor" data-state="signed"' in client_for(week.coordinator).get(sheet).content.decode()


def test_the_week_grid_reads_the_days_only_of_the_learners_who_signed(week, client_for, django_assert_num_queries):
    """week_pairs (the week grid's) gives week_states' signatures: one query on a week nobody signed, the records
    read (three queries) only when someone did, void states with their changes all the same."""
    from tests.factories import AssignmentFactory, ParticipantFactory

    unsigned = AssignmentFactory(
        participant=ParticipantFactory(project=week.project), placement=week.placement, mentor=week.mentor
    )
    assignments = [week.assignment, unsigned]

    def shown(pairs):
        return {
            pk: [(s.role, s.event and s.event.pk, s.void, s.signed, [vars(c) for c in s.changes]) for s in pair]
            for pk, pair in pairs.items()
        }

    with django_assert_num_queries(1):
        nobody = services.week_pairs(assignments, week.placement, week.monday)
    assert shown(nobody) == {
        a.pk: [("mentor", None, False, False, []), ("learner", None, False, False, [])] for a in assignments
    }
    sign_as_mentor(client_for(week.mentor), week)
    save_days(week.coordinator, [DayEntry(week.assignment.pk, week.monday + timedelta(days=1), "sick", version=1)])
    with django_assert_num_queries(3):
        pairs = services.week_pairs(assignments, week.placement, week.monday)
    states = services.week_states(assignments, week.placement, week.monday)
    assert shown(pairs) == shown({pk: state["pair"] for pk, state in states.items()})
    assert pairs[week.assignment.pk][0].void and pairs[week.assignment.pk][0].changes
    assert not pairs[unsigned.pk][0].event


def test_days_that_changed_while_the_page_was_open_are_not_signed(week, client_for):
    response = sign_as_mentor(client_for(week.mentor), week, shown_hash="0" * 64)
    assert response.status_code == 400 and "changed while the page was open" in response.content.decode()
    assert not SignatureEvent.objects.exists()


def test_only_the_learners_own_mentor_signs_as_mentor(week, client_for):
    assert sign_as_mentor(client_for(week.coordinator), week).status_code == 403
    assert sign_as_mentor(client_for(week.other_mentor), week).status_code == 404
    assert client_for(week.staff).get(sign_url(week)).status_code == 403
    assert client_for(None).get(sign_url(week)).status_code == 302
    assert not SignatureEvent.objects.exists()


def test_signature_events_are_append_only(week, client_for):
    sign_as_mentor(client_for(week.mentor), week)
    event = SignatureEvent.objects.get()
    event.signer_name = "Someone else"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        SignatureEvent.objects.filter(pk=event.pk).update(signer_name="Someone else")
    with pytest.raises(AppendOnly):
        SignatureEvent.objects.all().delete()
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE signatures_signatureevent SET signer_name = 'x'")


def test_an_altered_event_breaks_the_chain(week, client_for):
    client = client_for(week.mentor)
    sign_as_mentor(client, week)
    sign_as_learner(client, week)
    events = list(SignatureEvent.objects.order_by("pk"))
    assert services.chain_is_intact(events)
    events[0].signed_at += timedelta(minutes=5)
    assert not services.chain_is_intact(events)


def test_the_public_check_answers_by_the_printed_code(week, client_for):
    sign_as_mentor(client_for(week.mentor), week)
    event = SignatureEvent.objects.get()
    check = reverse("signatures:verify")
    page = client_for(None).get(check, {"code": event.code})
    assert 'data-verdict="valid"' in page.content.decode() and str(week.mentor) in page.content.decode()
    save_days(week.coordinator, [DayEntry(week.assignment.pk, week.monday, "sick", version=1)])
    assert 'data-verdict="void"' in client_for(None).get(check, {"code": event.code}).content.decode()
    assert "No signature has this code" in client_for(None).get(check, {"code": "0" * 16}).content.decode()


def test_the_week_sheets_signatures_cost_the_same_queries_however_many_learners(week, client_for):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    from placements.models import Assignment

    from .factories import ParticipantFactory

    sheet = reverse("attendance:week", args=[week.placement.pk, f"{week.monday:%Y-%m-%d}"])
    client = client_for(week.coordinator)
    client.get(sheet)
    with CaptureQueriesContext(conn) as few:
        client.get(sheet)
    for number in range(5):
        learner = ParticipantFactory(project=week.project, first_name=f"L{number}")
        Assignment.objects.create(
            participant=learner, placement=week.placement, host_company=week.host, mentor=week.mentor
        )
    with CaptureQueriesContext(conn) as many:
        assert 'id="week-signatures"' in client.get(sheet).content.decode()
    assert len(many) == len(few)


def test_the_weekly_sheet_pdf_shows_the_signatures_and_ends_with_their_evidence(week, client_for):
    from reports import printouts

    from .test_printouts import flat

    client = client_for(week.mentor)
    sign_as_mentor(client, week)
    sign_as_learner(client, week, strokes="", typed_name="Ștefan Țurcanu")
    mentor, learner = SignatureEvent.objects.order_by("pk")
    text = flat(printouts.attendance_sheet(week.placement, week.monday)[0])
    assert "Ștefan Țurcanu Signed electronically" in text and learner.code in text  # the typed name, then the code
    assert f"Mentor: Signed electronically · {mentor.code}" in text
    assert "evidence of the electronic signatures" in text.lower()  # a heading, in capitals
    assert learner.content_hash[:20] in text.replace(" ", "") and "Personal signing code and typed" in text
    save_days(week.coordinator, [DayEntry(week.assignment.pk, week.monday, "sick", version=1)])
    text = flat(printouts.attendance_sheet(week.placement, week.monday)[0])
    assert "changed after signing: sign again" in text and "Signed electronically" not in text


def test_a_signed_sheet_is_sealed_with_the_configured_certificate_and_a_change_breaks_the_seal(
    week, client_for, settings, tmp_path
):
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature as validate

    from reports import printouts
    from signatures.seal import make_demo_certificate, outside_event_loop

    from .test_printouts import flat

    def validate_pdf_signature(signature):
        return outside_event_loop(lambda: validate(signature))

    settings.SIGNATURE_SEAL_KEY, settings.SIGNATURE_SEAL_CERT = map(str, make_demo_certificate(tmp_path))
    sign_as_mentor(client_for(week.mentor), week)
    pdf = printouts.attendance_sheet(week.placement, week.monday)[0]
    status = validate_pdf_signature(PdfFileReader(BytesIO(pdf)).embedded_signatures[0])
    assert status.intact and status.signing_cert.subject.human_friendly.endswith("NOT a qualified electronic seal")
    assert "it is not a qualified electronic seal" in flat(pdf)
    changed = pdf.replace(b"Rui Gon", b"Ion Gon", 1) if b"Rui Gon" in pdf else pdf[:2000] + b"X" + pdf[2001:]
    tampered = PdfFileReader(BytesIO(changed)).embedded_signatures[0]
    assert not validate_pdf_signature(tampered).intact


def test_an_unsigned_sheet_or_no_certificate_leaves_the_pdf_unsealed(week, settings, tmp_path):
    from reports import printouts
    from signatures.seal import make_demo_certificate

    settings.SIGNATURE_SEAL_KEY, settings.SIGNATURE_SEAL_CERT = map(str, make_demo_certificate(tmp_path))
    assert b"/ByteRange" not in printouts.attendance_sheet(week.placement, week.monday)[0]  # nothing signed yet


def test_the_coordinator_sees_per_flow_which_weeks_are_signed_and_which_void(week, client_for):
    client = client_for(week.mentor)
    sign_as_mentor(client, week)
    sign_as_learner(client, week)
    summary = reverse("attendance:placement", args=[week.placement.pk])

    def line():
        page = client_for(week.coordinator).get(summary).content.decode()
        start = page.index(f'data-week="{week.monday:%Y-%m-%d}"', page.index('id="h-placement-signatures"'))
        return " ".join(page[start : page.index("</li>", start)].split())

    assert "mentor signed 1 of 1 · learners signed 1 of 1" in line() and "changed after signing" not in line()
    save_days(week.coordinator, [DayEntry(week.assignment.pk, week.monday, "sick", version=1)])
    assert "mentor signed 0 of 1 · learners signed 0 of 1" in line() and "2 changed after signing" in line()


def test_the_flows_signed_weeks_cost_the_same_queries_however_many_learners(week, client_for):
    from django.test.utils import CaptureQueriesContext

    from placements.models import Assignment

    from .factories import ParticipantFactory

    summary = reverse("attendance:placement", args=[week.placement.pk])
    client = client_for(week.coordinator)
    sign_as_mentor(client_for(week.mentor), week)
    client = client_for(week.coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get(summary)
    for number in range(5):
        learner = ParticipantFactory(project=week.project, first_name=f"L{number}")
        assignment = Assignment.objects.create(
            participant=learner, placement=week.placement, host_company=week.host, mentor=week.mentor
        )
        save_days(week.mentor, [DayEntry(assignment.pk, week.monday, "present")])
    with CaptureQueriesContext(connection) as many:
        assert 'id="h-placement-signatures"' in client.get(summary).content.decode()
    assert len(many) == len(few)
