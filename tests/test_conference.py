"""The final conference: registering within capacity, the waiting list and its promotion, cancelling by code,
emails, the check-in, certificates of attendance and the figures for the final report."""

import io
import re
import zipfile
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from conference import services
from conference.certificates import render_certificate
from conference.demo import load_conference
from conference.models import Event, Registration
from documents.models import DocumentJob
from documents.registry import NotIssuable
from mobility.celery import app
from reports.final_report import report_data, report_tables, report_xlsx

from .sites import on_site
from .tools import pdf_text

Status = Registration.Status


@pytest.fixture
def event(world):
    return Event.objects.create(
        project=world.project,
        title="Second Chance at work",
        starts_at=timezone.now() + timedelta(days=30),
        ends_at=timezone.now() + timedelta(days=30, hours=4),
        venue="Sala de festivități",
        address="Strada Mioriței 12",
        city="Bacău",
        capacity=2,
        published=True,
    )


def valid(**changes):
    data = {
        "name": "Ioana Țăranu",
        "email": "ioana@example.ro",
        "organisation": "Confecții Bacău",
        "type": "employer",
        "local_employer": "on",
        "accessibility_needs": "",
        "homepage": "",
        "consent": "on",
    }
    return data | changes


def register(client, event, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(on_site("conference:register", event.pk), valid(**changes))


def add(event, name, status=Status.CONFIRMED, **fields):
    return Registration.objects.create(
        event=event,
        name=name,
        email=fields.pop("email", f"{slugify(name)}@example.ro"),
        type=fields.pop("type", Registration.Type.SCHOOL),
        status=status,
        **fields,
    )


# The public pages


def test_event_page_shows_date_venue_agenda_speakers_and_places_left(client, event):
    event.agenda.create(starts_at="10:00", title="Welcome", speaker="Mirela Constantinescu")
    event.speakers.create(name="Rui Gonçalves", role="Mentor", organisation="Metalúrgica do Cávado")

    response = client.get(on_site("conference:event"))

    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Second Chance at work", "Sala de festivități", "Welcome", "Rui Gonçalves", "2 places left"):
        assert text in html
    assert on_site("conference:register", event.pk) in html


def test_event_page_offers_the_waiting_list_when_full(client, event):
    add(event, "Ana Pop")
    add(event, "Dan Pop")
    html = client.get(on_site("conference:event")).content.decode()
    assert 'data-places-left="0"' in html
    assert "Join the waiting list" in html


def test_public_cannot_see_an_unpublished_conference(client, event, client_for, world):
    event.published = False
    event.save()

    page = client.get(on_site("conference:event"))
    assert page.status_code == 200
    assert "Second Chance at work" not in page.content.decode()
    assert client.get(on_site("conference:register", event.pk)).status_code == 404
    assert client.post(on_site("conference:register", event.pk), valid()).status_code == 404
    assert not Registration.objects.exists()
    # Signed-in staff do not see it on the public site either: they preview it in the office pages.
    assert client_for(world.coordinator).get(on_site("conference:register", event.pk)).status_code == 404


def test_registering_confirms_sends_the_code_and_links_to_cancel(client, event, django_capture_on_commit_callbacks):
    response = register(client, event, django_capture_on_commit_callbacks)

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == on_site("conference:register_done", event.pk)
    assert (registration.status, registration.email, registration.local_employer) == (
        Status.CONFIRMED,
        "ioana@example.ro",
        True,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ioana@example.ro"]
    assert "Your place at Second Chance at work" in message.subject
    assert registration.display_code in message.body
    assert f"/conference/registration/{registration.code}/cancel/" in message.body
    answer = client.get(response.url).content.decode()
    assert "Look in your mailbox" in answer and registration.display_code not in answer
    page = client.get(registration.get_confirmation_url()).content.decode()
    assert registration.display_code in page
    assert 'data-registration-status="confirmed"' in page


def test_codes_are_random_unique_and_unguessable(event):
    codes = {add(event, f"Person {i}", status=Status.WAITING).code for i in range(50)}
    assert len(codes) == 50
    assert all(len(code) == 12 and code.isalnum() for code in codes)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name."),
        ({"email": ""}, "email", "Enter your email address."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"type": ""}, "type", "Choose the type of your organisation."),
        ({"type": "company"}, "type", "Select a valid choice."),
        ({"name": "x" * 151}, "name", "at most 150 characters"),
        ({"organisation": "o" * 201}, "organisation", "at most 200 characters"),
        ({"accessibility_needs": "n" * 1001}, "accessibility_needs", "at most 1000 characters"),
        ({"name": "<script>alert(1)</script>"}, "name", "Use plain text"),
        ({"organisation": "<b>ACME</b>"}, "organisation", "Use plain text"),
        ({"accessibility_needs": "<script>x</script>"}, "accessibility_needs", "Use plain text"),
        ({"consent": ""}, "consent", "Tick this box"),
        ({"local_employer": "on", "type": "school"}, "local_employer", "Only an employer can be a local employer"),
        ({"homepage": "http://spam.example"}, "homepage", "Leave this field empty"),
    ],
)
def test_bad_input_gives_a_clear_error_and_stores_nothing(client, event, changes, field, message):
    response = client.post(on_site("conference:register", event.pk), valid(**changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert "Nothing was saved." in html
    assert "<script>alert(1)</script>" not in html
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_the_same_email_cannot_register_twice(client, event, django_capture_on_commit_callbacks):
    register(client, event, django_capture_on_commit_callbacks)
    register(client, event, django_capture_on_commit_callbacks, email="IOANA@example.ro", name="Other")

    registration = Registration.objects.get()
    assert registration.name == "Ioana Țăranu"


def test_an_already_registered_address_gets_the_same_answer_as_a_new_one(
    client, event, django_capture_on_commit_callbacks
):
    """The form must not tell a stranger whether an address is registered."""
    add(event, "Ioana Țăranu", email="ioana@example.ro")
    known = register(client, event, django_capture_on_commit_callbacks, email="IOANA@example.ro", name="Other")
    new = register(client, event, django_capture_on_commit_callbacks, email="dan@example.ro", name="Dan")

    assert known.status_code == new.status_code == 302 and known.url == new.url
    assert answer_text(client.get(known.url)) == answer_text(client.get(new.url))


def answer_text(response):
    """The page without what differs between any two requests (the CSRF token and the CSP nonce)."""
    return re.sub(r'(value|nonce)="[^"]*"', "", response.content.decode())


def test_the_email_to_an_already_registered_address_says_so_with_the_code(
    client, event, django_capture_on_commit_callbacks
):
    existing = add(event, "Ioana Țăranu", email="ioana@example.ro", status=Status.WAITING)
    register(client, event, django_capture_on_commit_callbacks, email="Ioana@example.ro", name="Someone else")

    (message,) = mail.outbox
    assert message.to == ["ioana@example.ro"]
    assert message.subject == "You are already registered for Second Chance at work"
    assert "nothing has changed" in message.body and "you are on the waiting list" in message.body
    assert "Dear Ioana Țăranu" in message.body and "Someone else" not in message.body
    assert existing.display_code in message.body and existing.get_cancel_url() in message.body
    assert Registration.objects.get().status == Status.WAITING


def test_registering_an_address_again_and_again_sends_one_reminder_an_hour(
    client, event, django_capture_on_commit_callbacks
):
    add(event, "Ioana Țăranu", email="ioana@example.ro")
    for _attempt in range(3):
        register(client, event, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_registering_an_address_already_registered_counts_towards_the_rate_limit(
    client, event, django_capture_on_commit_callbacks
):
    add(event, "Ioana Țăranu", email="ioana@example.ro")
    for _attempt in range(services.RATE_LIMIT):
        register(client, event, django_capture_on_commit_callbacks)
    response = register(client, event, django_capture_on_commit_callbacks, email="new@example.ro")
    assert "Too many registrations" in response.content.decode()


def test_the_database_refuses_a_second_active_registration_per_email(event):
    add(event, "Ana Pop", email="ana@example.ro")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, name="Ana", email="ANA@example.ro", type="school", status="waiting")


def test_after_cancelling_the_same_email_may_register_again(client, event, django_capture_on_commit_callbacks):
    register(client, event, django_capture_on_commit_callbacks)
    services.cancel(Registration.objects.get().code)
    register(client, event, django_capture_on_commit_callbacks)
    assert sorted(Registration.objects.values_list("status", flat=True)) == ["cancelled", "confirmed"]


def test_repeated_registrations_from_one_address_are_held_back(client, event, django_capture_on_commit_callbacks):
    event.capacity = 100
    event.save()
    for i in range(services.RATE_LIMIT):
        assert register(client, event, django_capture_on_commit_callbacks, email=f"p{i}@example.ro").status_code == 302
    response = register(client, event, django_capture_on_commit_callbacks, email="one-more@example.ro")

    assert response.status_code == 200
    assert "Too many registrations" in response.content.decode()
    assert Registration.objects.count() == services.RATE_LIMIT
    other = client.post(on_site("conference:register", event.pk), valid(email="x@example.ro"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_behind_the_proxy_the_registration_limit_counts_each_visitor(client, event, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    event.capacity = 100
    event.save()
    url = on_site("conference:register", event.pk)
    for i in range(services.RATE_LIMIT):
        response = client.post(
            url, valid(email=f"p{i}@example.ro"), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
        )
        assert response.status_code == 302
    held = client.post(url, valid(email="more@example.ro"), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert "Too many registrations" in held.content.decode()
    other = client.post(url, valid(email="x@example.ro"), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert other.status_code == 302


def test_closed_registration_stores_nothing(client, event):
    event.registration_open = False
    event.save()
    response = client.post(on_site("conference:register", event.pk), valid())
    assert "closed" in response.content.decode()
    assert not Registration.objects.exists()


# Capacity and the waiting list


def test_capacity_holds_and_the_rest_wait(client, event, django_capture_on_commit_callbacks):
    for i in range(4):
        register(client, event, django_capture_on_commit_callbacks, email=f"p{i}@example.ro", name=f"Person {i}")

    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING, Status.WAITING]
    assert "waiting list" in mail.outbox[2].subject
    waiting = Registration.objects.filter(status=Status.WAITING).first()
    assert 'data-registration-status="waiting"' in client.get(waiting.get_confirmation_url()).content.decode()


def test_registrations_racing_for_the_last_place_never_overbook(event):
    """Sequentially, the same path two concurrent requests take: each locks the event row, then counts."""
    add(event, "Ana Pop")
    first = services.register(event.pk, {"name": "A", "email": "a@example.ro", "type": "school"})
    second = services.register(event.pk, {"name": "B", "email": "b@example.ro", "type": "school"})
    assert (first.status, second.status) == (Status.CONFIRMED, Status.WAITING)
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == event.capacity


def test_register_locks_the_event_row(event):
    with CaptureQueriesContext(connection) as queries:
        services.register(event.pk, {"name": "A", "email": "a@example.ro", "type": "school"})
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in q["sql"] and "conference_event" in q["sql"] for q in queries.captured_queries)


def test_cancelling_a_place_promotes_the_first_waiting_and_emails_them(
    client, event, django_capture_on_commit_callbacks
):
    confirmed = add(event, "Ana Pop")
    add(event, "Dan Pop")
    first_waiting = add(event, "Eva Pop", status=Status.WAITING)
    second_waiting = add(event, "Ion Pop", status=Status.WAITING)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(on_site("conference:cancel", confirmed.code))

    assert response.status_code == 200
    assert 'data-registration-status="cancelled"' in response.content.decode()
    confirmed.refresh_from_db()
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert confirmed.status == Status.CANCELLED and confirmed.cancelled_at is not None
    assert first_waiting.status == Status.CONFIRMED
    assert second_waiting.status == Status.WAITING
    assert [m.to for m in mail.outbox] == [[first_waiting.email]]
    assert "A place is free for you" in mail.outbox[0].subject
    assert first_waiting.display_code in mail.outbox[0].body


def test_cancelling_a_waiting_registration_promotes_nobody(event):
    add(event, "Ana Pop")
    add(event, "Dan Pop")
    waiting = add(event, "Eva Pop", status=Status.WAITING)
    later = add(event, "Ion Pop", status=Status.WAITING)
    _registration, promoted = services.cancel(waiting.code)
    later.refresh_from_db()
    assert promoted is None and later.status == Status.WAITING


def test_cancelling_twice_changes_nothing(client, event):
    registration = add(event, "Ana Pop")
    client.post(on_site("conference:cancel", registration.code))
    response = client.post(on_site("conference:cancel", registration.code))
    assert "already cancelled" in response.content.decode() or 'data-registration-status="cancelled"' in (
        response.content.decode()
    )
    assert Registration.objects.get().status == Status.CANCELLED


def test_cancel_page_asks_before_cancelling(client, event):
    registration = add(event, "Ana Pop")
    html = client.get(on_site("conference:cancel", registration.code)).content.decode()
    assert "Yes, cancel my registration" in html
    assert Registration.objects.get().status == Status.CONFIRMED


def test_wrong_code_is_404(client, event):
    add(event, "Ana Pop")
    for name in ("conference:cancel", "conference:registered"):
        assert client.get(on_site(name, "WRONGCODE123")).status_code == 404
        assert client.post(on_site(name, "WRONGCODE123")).status_code in (404, 405)
    assert Registration.objects.get().status == Status.CONFIRMED


def test_raising_capacity_promotes_those_waiting(client_for, world, event):
    add(event, "Ana Pop")
    add(event, "Dan Pop")
    waiting = add(event, "Eva Pop", status=Status.WAITING)
    event.capacity = 3
    event.save()
    services.update_capacity(event)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


# The office pages


def test_coordinator_checks_in_and_undoes_with_htmx(client_for, world, event):
    registration = add(event, "Ana Pop")
    client = client_for(world.coordinator)
    url = reverse("conference:check_in_toggle", args=[registration.pk])

    response = client.post(url, HTTP_HX_REQUEST="true")
    registration.refresh_from_db()
    assert registration.checked_in_by == world.coordinator and registration.checked_in_at is not None
    assert 'data-checked-in="yes"' in response.content.decode()
    assert "1 of 1 checked in" in response.content.decode()

    client.post(url, {"undo": "1"}, HTTP_HX_REQUEST="true")
    registration.refresh_from_db()
    assert registration.checked_in_at is None and registration.checked_in_by is None


def test_check_in_without_javascript_redirects_back_to_the_search(client_for, world, event):
    registration = add(event, "Ana Pop")
    response = client_for(world.coordinator).post(
        reverse("conference:check_in_toggle", args=[registration.pk]), {"q": "Ana"}
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('conference:check_in', args=[event.pk])}?q=Ana#registration-{registration.pk}"


def test_someone_waiting_cannot_be_checked_in(client_for, world, event):
    waiting = add(event, "Eva Pop", status=Status.WAITING)
    response = client_for(world.coordinator).post(
        reverse("conference:check_in_toggle", args=[waiting.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Only someone with a confirmed place" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


def test_check_in_finds_by_name_or_code(client_for, world, event):
    ana = add(event, "Ana Pop")
    add(event, "Dan Ionescu")
    client = client_for(world.coordinator)
    url = reverse("conference:check_in", args=[event.pk])

    by_name = client.get(url, {"q": "ionescu"}).context["rows"]
    by_code = client.get(url, {"q": ana.display_code.lower()}).context["rows"]
    partial = client.get(url, {"q": "Ana"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="check-in-results")

    assert [r.name for r in by_name] == ["Dan Ionescu"]
    assert by_code == [ana]
    assert partial.templates[0].name == "conference/partials/check_in_results.html"


def test_staff_read_the_registrations_but_not_the_accessibility_needs(client_for, world, event):
    add(event, "Ana Pop", accessibility_needs="Wheelchair access")
    url = reverse("conference:registrations", args=[event.pk])
    assert "Wheelchair access" not in client_for(world.staff).get(url).content.decode()
    assert "Wheelchair access" in client_for(world.coordinator).get(url).content.decode()


def test_registration_list_filters_by_type_status_and_search(client_for, world, event):
    add(event, "Ana Pop", type="employer", local_employer=True)
    add(event, "Dan Pop", type="school")
    add(event, "Eva Ionescu", type="ngo", status=Status.WAITING)
    client = client_for(world.staff)
    url = reverse("conference:registrations", args=[event.pk])

    def names(**params):
        return [r.name for r in client.get(url, params).context["registrations"]]

    assert names(type="employer") == ["Ana Pop"]
    assert names(status="waiting") == ["Eva Ionescu"]
    assert names(local="yes") == ["Ana Pop"]
    assert names(q="ionescu") == ["Eva Ionescu"]
    assert names() == ["Ana Pop", "Dan Pop", "Eva Ionescu"]


def test_coordinator_edits_the_agenda_and_speakers(client_for, world, event):
    client = client_for(world.coordinator)
    data = {
        "agenda-TOTAL_FORMS": "1",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-starts_at": "10:00",
        "agenda-0-title": "Welcome",
        "agenda-0-speaker": "Mirela",
    }
    response = client.post(reverse("conference:agenda", args=[event.pk]), data)
    assert response.status_code == 302
    assert list(event.agenda.values_list("title", flat=True)) == ["Welcome"]

    data = {
        "speakers-TOTAL_FORMS": "1",
        "speakers-INITIAL_FORMS": "0",
        "speakers-0-name": "",
        "speakers-0-role": "Mentor",
        "speakers-0-position": "0",
    }
    response = client.post(reverse("conference:speakers", args=[event.pk]), data)
    assert response.status_code == 200
    assert "Nothing was saved." in response.content.decode()
    assert not event.speakers.exists()


def test_coordinator_creates_a_conference_and_bad_dates_are_refused(client_for, world):
    client = client_for(world.coordinator)
    data = {
        "project": world.project.pk,
        "title": "Final conference",
        "starts_at": "2027-05-20T13:00",
        "ends_at": "2027-05-20T09:00",
        "venue": "Hall",
        "address": "Strada Mioriței 12",
        "city": "Bacău",
        "capacity": "80",
    }
    response = client.post(reverse("conference:event_create"), data)
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert not Event.objects.exists()

    response = client.post(reverse("conference:event_create"), data | {"ends_at": "2027-05-20T14:00"})
    event = Event.objects.get()
    assert response.url == reverse("conference:manage_event", args=[event.pk])
    assert not event.published


def test_places_cannot_drop_below_those_confirmed(client_for, world, event):
    add(event, "Ana Pop")
    add(event, "Dan Pop")
    data = {
        "project": world.project.pk,
        "title": event.title,
        "starts_at": "2027-05-20T09:00",
        "ends_at": "2027-05-20T13:00",
        "venue": event.venue,
        "address": event.address,
        "city": event.city,
        "capacity": "1",
        "published": "on",
    }
    response = client_for(world.coordinator).post(reverse("conference:event_edit", args=[event.pk]), data)
    assert "2 people already have a place" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 2


def test_event_page_shows_the_figures(client_for, world, event):
    add(event, "Ana Pop", type="employer", local_employer=True, checked_in_at=timezone.now())
    html = client_for(world.staff).get(reverse("conference:manage_event", args=[event.pk])).content.decode()
    assert 'data-figure="local-attended">1<' in html
    assert 'data-figure="registered">1<' in html


def more_registrations(event, count):
    start = Registration.objects.filter(event=event).count()
    for i in range(start, start + count):
        Registration.objects.create(
            event=event,
            name=f"Person {i}",
            email=f"person{i}@example.ro",
            type=Registration.Type.values[i % 5],
            status=Status.CONFIRMED if i % 3 else Status.WAITING,
            checked_in_at=timezone.now() if i % 3 == 1 else None,
        )


@pytest.mark.parametrize(
    ("name", "role", "public"),
    [
        ("conference:event", None, True),
        ("conference:register", None, True),
        ("conference:manage", "staff", False),
        ("conference:manage_event", "staff", False),
        ("conference:registrations", "coordinator", False),
        ("conference:check_in", "coordinator", False),
    ],
)
def test_query_counts_do_not_grow_with_registrations(client_for, world, event, name, role, public):
    event.agenda.create(starts_at="10:00", title="Welcome")
    event.speakers.create(name="Rui Gonçalves")
    client = client_for(world.user(role) if role else None)
    if public:
        url = on_site(name) if name == "conference:event" else on_site(name, event.pk)
    else:
        url = reverse(name, args=[event.pk]) if name != "conference:manage" else reverse(name)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    more_registrations(event, 3)
    few = count()
    more_registrations(event, 40)
    assert count() == few


# Certificates of attendance


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_certificate_names_the_attendee_with_romanian_diacritics(event):
    attendee = add(
        event, "Ștefan Țăranu-Bălășescu", organisation="Școala Gimnazială „Ion Creangă”", checked_in_at=timezone.now()
    )
    pdf, filename = render_certificate(attendee)
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    assert "Ștefan Țăranu-Bălășescu" in text
    assert "Școala Gimnazială „Ion Creangă”" in text
    assert "Co-funded by the European Union" in text
    assert attendee.code not in text and attendee.display_code not in text
    assert filename.startswith(f"attendance-C{event.pk}-")


def test_no_certificate_for_someone_not_checked_in(event):
    with pytest.raises(NotIssuable):
        render_certificate(add(event, "Ana Pop"))


def test_coordinator_downloads_all_certificates_as_zip(
    client_for, world, event, eager, django_capture_on_commit_callbacks
):
    add(event, "Ana Pop", checked_in_at=timezone.now())
    add(event, "Ștefan Ionescu", checked_in_at=timezone.now())
    add(event, "Dan Absent")
    client = client_for(world.coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:request", args=["conference-certificates", event.pk]))
    job = DocumentJob.objects.get()
    job.refresh_from_db()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.status) == (DocumentJob.Kind.CONFERENCE_CERTIFICATES, "done")
    download = client.get(reverse("documents:download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == 2
    assert any("Ștefan Ionescu" in pdf_text(archive.read(name)) for name in archive.namelist())


def test_one_certificate_job_for_a_checked_in_attendee(
    client_for, world, event, eager, django_capture_on_commit_callbacks
):
    attendee = add(event, "Ana Pop", checked_in_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.staff).post(reverse("documents:request", args=["conference-certificate", attendee.pk]))
    job = DocumentJob.objects.get()
    job.refresh_from_db()
    assert (job.kind, job.status, job.requested_by) == (DocumentJob.Kind.CONFERENCE_CERTIFICATE, "done", world.staff)


@pytest.mark.parametrize("role", ["anonymous", "mentor", "other_mentor"])
def test_others_cannot_ask_for_or_download_a_certificate(client_for, world, event, role):
    attendee = add(event, "Ana Pop", checked_in_at=timezone.now())
    client = client_for(world.user(role))
    response = client.post(reverse("documents:request", args=["conference-certificate", attendee.pk]))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))
    assert not DocumentJob.objects.exists()


def test_attendee_gets_their_own_certificate_with_their_code(
    client, client_for, world, event, eager, django_capture_on_commit_callbacks
):
    attendee = add(event, "Ștefan Țăranu")
    services.check_in(attendee.pk, world.coordinator)
    other = add(event, "Ana Pop")
    services.check_in(other.pk, world.coordinator)
    client.logout()
    url = on_site("conference:my_certificate", attendee.code)

    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    attendee.refresh_from_db()
    job = attendee.certificate_job
    job.refresh_from_db()
    assert (job.status, job.params["registration"], job.requested_by) == ("done", attendee.pk, world.coordinator)
    assert 'data-status="done"' in client.get(url).content.decode()
    download = client.get(on_site("conference:my_certificate_download", attendee.code))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # Asking again hands back the same job; another attendee's code never reaches this one's file.
    client.post(url)
    assert DocumentJob.objects.count() == 1
    assert client.get(on_site("conference:my_certificate_download", other.code)).status_code == 404


def test_no_own_certificate_before_check_in_or_after_undo(client, world, event, eager):
    registration = add(event, "Ana Pop")
    assert client.get(on_site("conference:my_certificate", registration.code)).status_code == 404
    assert client.post(on_site("conference:my_certificate", registration.code)).status_code == 404
    registration = services.check_in(registration.pk, world.coordinator)
    services.request_own_certificate(registration)
    services.check_in(registration.pk, world.coordinator, undo=True)
    assert client.get(on_site("conference:my_certificate_download", registration.code)).status_code == 404
    assert client.get(on_site("conference:my_certificate", "NOSUCHCODE99")).status_code == 404


# Figures for the final report


def test_figures_count_registrations_and_attendance_by_type_with_local_employers(event):
    now = timezone.now()
    add(event, "Ana Pop", type="employer", local_employer=True, checked_in_at=now)
    add(event, "Dan Pop", type="employer", local_employer=True)
    add(event, "Eva Pop", type="employer", status=Status.WAITING)
    add(event, "Ion Pop", type="school", status=Status.CANCELLED, cancelled_at=now)
    add(event, "Lia Pop", type="authority", checked_in_at=now)

    found = services.figures(event.project)

    by_type = {row["type"]: (row["registered"], row["attended"]) for row in found["types"]}
    assert by_type == {"school": (0, 0), "employer": (3, 1), "authority": (1, 1), "ngo": (0, 0), "other": (0, 0)}
    assert found["local_employers"] == {"registered": 2, "attended": 1}
    assert found["total"] == {"registered": 4, "attended": 2}
    assert (found["waiting"], found["cancelled"]) == (1, 1)


def test_final_report_lists_the_conference_and_its_figures(event):
    now = timezone.now()
    add(event, "Ana Pop", type="employer", local_employer=True, checked_in_at=now)
    add(event, "Lia Pop", type="authority", checked_in_at=now)

    data = report_data(event.project)
    tables = report_tables(data)

    assert data["dissemination"][0]["kind"] == "Final conference"
    assert data["dissemination"][0]["reached"] == 2
    assert data["conference"]["local_employers"] == {"registered": 1, "attended": 1}
    rows = {row[0]: row[1:] for row in tables["conference"].rows}
    assert rows["Employer"] == [1, 1]
    assert rows["of which local employers"] == [1, 1]
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(report_xlsx(event.project)[0]))
    sheet = {row[0]: row[1:] for row in workbook["Final conference"].iter_rows(min_row=2, values_only=True)}
    assert sheet["of which local employers"] == (1, 1)


def test_final_report_without_a_conference_says_nothing_is_recorded(world):
    data = report_data(world.project)
    assert data["dissemination"] == []
    assert data["conference"]["events"] == []


# Demo


def test_demo_conference_is_published_with_waiting_list_and_local_employers(db):
    from django.core.management import call_command

    call_command("load_demo")
    load_conference()  # idempotent
    event = Event.objects.get()
    assert event.published and event.city == "Bacău"
    assert event.starts_at.year == 2027
    assert event.registrations.count() == 12
    assert event.registrations.filter(status=Status.WAITING).count() == 2
    assert event.registrations.filter(local_employer=True).exists()
    assert event.agenda.exists() and event.speakers.exists()


def test_model_forbids_checking_in_someone_waiting(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        add(event, "Eva Pop", status=Status.WAITING, checked_in_at=timezone.now())


def test_event_dates_must_be_in_order(world):
    start = timezone.make_aware(datetime(2027, 5, 20, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            project=world.project,
            title="x",
            starts_at=start,
            ends_at=start,
            venue="v",
            address="a",
            city="c",
            capacity=1,
        )


def test_a_mail_server_down_does_not_lose_the_registration_nor_its_email(
    client, event, django_capture_on_commit_callbacks, mail_server_down, settings
):
    from outbox.models import OutgoingMessage
    from outbox.services import sweep

    response = register(client, event, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == on_site("conference:register_done", event.pk)
    assert Registration.objects.get().status == Status.CONFIRMED
    message = OutgoingMessage.objects.get()
    assert (message.status, message.attempts, message.problem) == ("queued", 1, "unreachable")
    assert not mail.outbox

    settings.MAILERS = mail_server_down  # the server is back; the sweep finds the message overdue
    sweep(now=timezone.now() + timedelta(hours=1))
    assert [m.to for m in mail.outbox] == [["ioana@example.ro"]]
    assert "Your place at Second Chance at work" in mail.outbox[0].subject


def test_a_promotion_email_speaks_the_language_the_person_registered_in(
    client, event, django_capture_on_commit_callbacks
):
    from outbox.models import OutgoingMessage

    add(event, "Ana Pop")
    leaving = add(event, "Dan Pop")
    add(event, "Eva Pop", status=Status.WAITING, language="ro")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(on_site("conference:cancel", leaving.code))  # the canceller browses in English
    message = OutgoingMessage.objects.get()
    assert message.language == "ro"
    assert "A place is free for you" not in message.subject and "Second Chance at work" in message.subject


def test_registering_records_the_visitors_language(client, event, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "pt"
    register(client, event, django_capture_on_commit_callbacks)
    assert Registration.objects.get().language == "pt"


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_an_event_date_the_database_cannot_store_gets_the_forms_message(world, moment):
    """0001-01-01 00:00 in Bucharest is a year 0 in UTC: converting it raised OverflowError (found by the fuzz)."""
    from conference.forms import EventForm

    form = EventForm(
        data={
            "project": world.project.pk,
            "title": "Second Chance at work",
            "starts_at": moment,
            "ends_at": "2027-05-20T14:00",
            "venue": "Sala",
            "address": "Strada Mioriței 12",
            "city": "Bacău",
            "capacity": "10",
        }
    )
    assert not form.is_valid()
    assert form.errors["starts_at"] == ["Enter a date between the years 1900 and 2999."]
