"""Travel, "My trip", the emergency sheet and incidents: a learner's link shows only their trip and stops working
when revoked; the emergency sheet is restricted and logged; an incident can lead to a withdrawal in one step."""

import hashlib
import importlib
import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from placements.models import Assignment
from preparation import services
from preparation.models import Accommodation, Incident, PreparationPlan, Room, TravelLeg, TripLink
from privacy.models import PersonalDataLog


def aware(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def trip(world):
    placement = world.placement
    PreparationPlan.objects.create(
        placement=placement,
        meeting_point="In front of the school",
        meeting_at=aware(2027, 2, 28, 5, 0),
        what_to_bring="Your ID card\nYour health card\nWork shoes",
        local_transport="Bus 12 at 7:30",
        school_phone="+40 234 000 000",
    )
    leg = TravelLeg.objects.create(
        placement=placement,
        direction="outbound",
        mode="plane",
        carrier="TAROM",
        departure_place="Bacău airport",
        departs_at=aware(2027, 2, 28, 8),
        arrival_place="Porto airport",
        arrives_at=aware(2027, 2, 28, 12),
        booking_reference="ABC123",
    )
    leg.travellers.set([world.assignment, world.other_assignment])
    place = Accommodation.objects.create(placement=placement, name="Residencial Avenida", address="Av. 10, Braga")
    room = Room.objects.create(accommodation=place, name="12")
    room.occupants.set([world.assignment])
    world.host.address = "Rua da Indústria 5"
    world.host.save()
    return world


def link_for(world, assignment):
    return services.create_trip_link(assignment_id=assignment.pk, created_by_id=world.coordinator.pk)


def test_my_trip_opens_without_an_account_and_shows_the_learners_own_trip(trip, client):
    link = link_for(trip, trip.assignment)
    page = client.get(reverse("trip:my_trip", args=[link.token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ștefan" in html and "Residencial Avenida" in html and "Rua da Indústria 5" in html
    assert "<svg" in html and "TAROM" in html
    assert "Mădălina" not in html and "Stănescu" not in html
    assert page["Cache-Control"] == "private, no-store"


def test_my_trip_is_in_romanian_by_default_and_in_english_on_request(trip, client):
    link = link_for(trip, trip.assignment)
    english = client.get(reverse("trip:my_trip", args=[link.token]) + "?lang=en").content.decode()
    assert 'lang="en"' in english and "What to bring" in english
    assert 'lang="ro"' in client.get(reverse("trip:my_trip", args=[link.token])).content.decode()


def test_a_revoked_link_answers_404(trip, client):
    link = link_for(trip, trip.assignment)
    services.revoke_trip_link(link_id=link.pk)
    assert client.get(reverse("trip:my_trip", args=[link.token])).status_code == 404


def test_a_new_link_retires_the_old_one(trip, client):
    old = link_for(trip, trip.assignment)
    new = link_for(trip, trip.assignment)
    assert client.get(reverse("trip:my_trip", args=[old.token])).status_code == 404
    assert client.get(reverse("trip:my_trip", args=[new.token])).status_code == 200


def test_an_unknown_token_answers_404(trip, client):
    assert client.get(reverse("trip:my_trip", args=["x" * 43])).status_code == 404


def test_each_link_shows_its_own_learner_only(trip, client):
    mine = link_for(trip, trip.assignment)
    theirs = link_for(trip, trip.other_assignment)
    assert "Mădălina" not in client.get(reverse("trip:my_trip", args=[mine.token])).content.decode()
    other_page = client.get(reverse("trip:my_trip", args=[theirs.token])).content.decode()
    assert "Mădălina" in other_page and "Ștefan" not in other_page and "Residencial" not in other_page


def test_tokens_are_long_and_unguessable(trip):
    tokens = {link_for(trip, trip.assignment).token for _ in range(5)}
    # 128 random bits (22 characters): short enough for a text message with Romanian letters, never guessed
    assert len(tokens) == 5 and all(len(token) >= 22 for token in tokens)


def test_the_emergency_sheet_is_logged_for_every_learner(trip, client_for):
    response = client_for(trip.coordinator).get(reverse("preparation:emergency", args=[trip.placement.pk]))
    assert response.status_code == 200
    assert PersonalDataLog.objects.filter(participant=trip.learner, detail="emergency sheet").count() == 1


def test_staff_cannot_open_the_emergency_sheet(trip, client_for):
    assert client_for(trip.staff).get(reverse("preparation:emergency", args=[trip.placement.pk])).status_code == 403
    assert not PersonalDataLog.objects.exists()


def test_an_incident_leads_to_a_withdrawal_and_retires_the_trip_link(trip, client):
    link = link_for(trip, trip.assignment)
    incident = Incident.objects.create(
        placement=trip.placement,
        assignment=trip.assignment,
        kind="conflict",
        occurred_at=aware(2027, 3, 4, 18),
        description="A fight at the residence",
        recorded_by=trip.coordinator,
    )
    services.withdraw_after_incident(incident_id=incident.pk, reason="Sent home after a fight")
    assert Assignment.objects.get(pk=trip.assignment.pk).status == "withdrawn"
    assert Incident.objects.get(pk=incident.pk).led_to_withdrawal
    assert client.get(reverse("trip:my_trip", args=[link.token])).status_code == 404


def test_a_learner_cannot_sleep_in_two_rooms(trip, client_for):
    place = Accommodation.objects.get()
    room = Room.objects.get()
    data = {
        "rooms-TOTAL_FORMS": "2",
        "rooms-INITIAL_FORMS": "1",
        "rooms-0-id": room.pk,
        "rooms-0-name": "12",
        "rooms-0-occupants": [trip.assignment.pk],
        "rooms-1-name": "14",
        "rooms-1-occupants": [trip.assignment.pk],
    }
    response = client_for(trip.coordinator).post(reverse("preparation:rooms", args=[place.pk]), data)
    assert response.status_code == 200 and "is in two rooms" in response.content.decode()
    assert Room.objects.count() == 1


def test_the_my_trip_pdf_fits_on_one_page(trip):
    from documents.models import DocumentJob
    from preparation.documents import render_my_trip

    from .tools import pdf_text, run_tool

    pdf, _name = render_my_trip(DocumentJob(params={"assignment": trip.assignment.pk, "language": "ro"}))
    pages = [line for line in run_tool("pdfinfo", "-", input=pdf).splitlines() if line.startswith("Pages:")]
    assert pages[0].split() == ["Pages:", "1"]
    assert "112" in pdf_text(pdf)


def test_a_new_link_is_shown_once_and_only_its_tokens_hash_is_kept(trip, client_for, client):
    coordinator = client_for(trip.coordinator)
    made = coordinator.post(reverse("preparation:link_create", args=[trip.assignment.pk]))
    assert made.status_code == 200 and "private, no-store" in made["Cache-Control"]
    address = re.search(r"http://testserver/trip/([\w-]+)/", made.content.decode())
    assert address, "the new link is shown when it is made"
    token = address.group(1)
    link = TripLink.objects.active().get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(TripLink.objects.values().get())
    assert client.get(reverse("trip:my_trip", args=[token])).status_code == 200
    listed = coordinator.get(reverse("preparation:links", args=[trip.placement.pk])).content.decode()
    assert token not in listed and "make a new one" in listed


def test_a_copy_of_the_database_opens_no_link(trip, client):
    link_for(trip, trip.assignment)
    stored = TripLink.objects.get().token_hash
    assert client.get(reverse("trip:my_trip", args=[stored])).status_code == 404


def test_links_given_out_before_hashing_keep_working(trip, client):
    """The data migration hashes the tokens already stored: a learner's old link opens their trip still."""
    from django.apps import apps

    migration = importlib.import_module("preparation.migrations.0003_triplink_token_hash")
    old = "a-link-given-out-before-the-hashing-0123456789abc"
    TripLink.objects.create(assignment=trip.assignment, created_by=trip.coordinator, token_hash=old)
    migration.hash_tokens(apps, None)
    assert client.get(reverse("trip:my_trip", args=[old])).status_code == 200


@pytest.mark.parametrize(
    ("slug", "kwargs_of"),
    [
        ("my-trip", lambda w: w.assignment.pk),
        ("parental-consent", lambda w: w.assignment.pk),
        ("emergency-sheet", lambda w: w.placement.pk),
    ],
)
def test_the_coordinator_asks_for_each_document_and_the_worker_makes_it(trip, client_for, slug, kwargs_of):
    from documents import jobs
    from documents.models import DocumentJob

    response = client_for(trip.coordinator).post(reverse("documents:request", args=[slug, kwargs_of(trip)]))
    assert response.status_code == 302
    job = DocumentJob.objects.get()
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.error_detail


def test_printing_the_emergency_sheet_is_logged(trip, client_for):
    client_for(trip.coordinator).post(reverse("documents:request", args=["emergency-sheet", trip.placement.pk]))
    assert PersonalDataLog.objects.filter(participant=trip.learner, detail="emergency sheet printed").exists()


def test_staff_cannot_ask_for_a_learners_trip_or_consent_form(trip, client_for):
    from documents.models import DocumentJob

    client = client_for(trip.staff)
    for slug in ("my-trip", "parental-consent"):
        assert client.post(reverse("documents:request", args=[slug, trip.assignment.pk])).status_code in (403, 404)
    assert not DocumentJob.objects.exists()
