"""The one mail path: every email recorded, sent after the commit by the worker, retried with backoff, sent once
however often its task is delivered, left for the sweep when the broker is down, and shown to coordinators."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox import services
from outbox.models import OutgoingMessage
from outbox.tasks import send_message
from public.models import Submission

from .factories import SchoolFactory
from .sites import on_site
from .test_public import submission_data

Status = OutgoingMessage.Status


def a_message(**fields):
    """A message of the tests' one school unless `school=` says otherwise."""
    values = {
        "school": SchoolFactory(),
        "to": "ana@example.org",
        "subject": "We received your good practice",
        "body": "Hello",
        "purpose": OutgoingMessage.Purpose.EXCHANGE_RECEIVED,
        "due_at": timezone.now(),
    }
    return OutgoingMessage.objects.create(**values | fields)


def later(**delta):
    return timezone.now() + timedelta(**delta)


# A mail server that is down


def test_a_good_practice_is_taken_as_usual_when_the_mail_server_refuses(
    db, client, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(on_site("public:submit"), submission_data())

    assert response.status_code == 302 and response.url == on_site("public:exchange_thanks")
    submission = Submission.objects.get()
    message = OutgoingMessage.objects.get()
    assert (message.to, message.status, message.attempts) == ("ana@example.org", Status.QUEUED, 1)
    assert message.problem == OutgoingMessage.Problem.UNREACHABLE
    assert message.reference == f"public.submission:{submission.pk}"
    assert "Connection refused" not in client.get(response.url).content.decode()
    assert not mail.outbox


def test_a_message_the_server_refused_goes_out_once_it_is_back(
    db, mail_server_down, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send(
            to="ana@example.org", subject="Hello", body="Text", purpose="exchange_received", school_id=None
        )
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)

    settings.MAILERS = mail_server_down
    assert services.sweep() == 0  # its retry is not due yet
    assert services.sweep(now=later(hours=1)) == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.problem, message.last_error) == (Status.SENT, 2, "", "")


def test_a_message_failing_every_attempt_ends_failed_with_its_error(db, mail_server_down):
    message = a_message()
    send_message.apply(args=[message.pk])  # eager: each retry runs at once

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, services.MAX_ATTEMPTS)
    assert message.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert message.problem == OutgoingMessage.Problem.UNREACHABLE
    assert not mail.outbox


def test_retries_wait_longer_each_time():
    assert [services.backoff(n) for n in range(1, 5)] == [60, 120, 240, 480]
    assert services.backoff(20) == services.MAX_RETRY_SECONDS


def test_a_failed_attempt_schedules_the_next_after_its_backoff(db, mail_server_down):
    message = a_message()
    outcome = services.deliver(message.pk)
    message.refresh_from_db()
    assert outcome == services.Outcome(Status.QUEUED, retry_in=60)
    assert message.due_at > timezone.now() + timedelta(seconds=50)


# Sent once


def test_a_task_delivered_twice_sends_the_message_once(db):
    message = a_message()
    send_message.apply(args=[message.pk])
    send_message.apply(args=[message.pk])
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)


def test_a_message_another_worker_is_sending_is_left_alone(db):
    message = a_message(status=Status.SENDING, claimed_at=timezone.now())
    assert services.deliver(message.pk) == services.SKIPPED
    assert not mail.outbox


def test_the_sweep_sends_again_what_a_dead_worker_left_claimed(db, settings):
    message = a_message(status=Status.SENDING, claimed_at=later(seconds=-settings.OUTBOX_STALE_AFTER - 1))
    services.sweep()
    message.refresh_from_db()
    assert message.status == Status.SENT and len(mail.outbox) == 1


def test_the_sweep_leaves_a_fresh_claim_alone(db):
    message = a_message(status=Status.SENDING, claimed_at=timezone.now())
    services.sweep()
    message.refresh_from_db()
    assert message.status == Status.SENDING and not mail.outbox


# A broker that is down


def broker_down(*args, **kwargs):
    raise ConnectionError("no broker")


def test_a_broker_that_is_down_leaves_the_message_queued_for_the_sweep(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    sent_later = send_message.apply_async
    monkeypatch.setattr(send_message, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send(
            to="ana@example.org", subject="Hello", body="Text", purpose="exchange_received", school_id=None
        )
    message.refresh_from_db()
    assert (message.status, message.dispatched_at, message.attempts) == (Status.QUEUED, None, 0)

    assert services.sweep() == 0  # still down
    monkeypatch.setattr(send_message, "apply_async", sent_later)
    assert services.sweep() == 1
    assert len(mail.outbox) == 1


def test_nothing_is_dispatched_before_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.send(to="ana@example.org", subject="Hello", body="Text", purpose="exchange_received", school_id=None)
    assert len(callbacks) == 1 and not mail.outbox


# What a message may carry


def test_a_subject_cannot_span_lines(db):
    message = services.send(
        to="a@example.org", subject="Hi\r\nBcc: x@example.org", body="", purpose="exchange_received", school_id=None
    )
    assert message.subject == "Hi Bcc: x@example.org"


def test_a_secret_is_never_sent_after_it_expired_and_its_text_goes(db, monkeypatch):
    monkeypatch.setattr(send_message, "apply_async", broker_down)
    message = services.send(
        to="rui@example.pt",
        subject="A new password",
        body="http://testserver/accounts/password/reset/secret/",
        purpose=OutgoingMessage.Purpose.PASSWORD_RESET,
        sensitive=True,
        expires_at=later(days=1),
        school_id=None,
    )
    services.sweep(now=later(days=1, seconds=1))
    message.refresh_from_db()
    assert (message.status, message.problem, message.body) == (Status.FAILED, "expired", "")
    with pytest.raises(services.CannotSendAgain):
        services.send_again(message.pk)
    assert not mail.outbox


def test_messages_are_deleted_after_their_retention_period(db, settings):
    old = a_message(status=Status.SENT, sent_at=timezone.now())
    OutgoingMessage.objects.filter(pk=old.pk).update(created_at=later(days=-settings.OUTBOX_RETENTION_DAYS - 1))
    recent = a_message()
    assert services.purge() == 1
    assert list(OutgoingMessage.objects.all()) == [recent]


# The coordinators' page


def test_coordinators_see_failed_messages_first_with_the_problem(world, client_for):
    a_message(to="sent@example.org", status=Status.SENT, sent_at=timezone.now())
    a_message(
        to="failed@example.org",
        status=Status.FAILED,
        attempts=5,
        problem="unreachable",
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    response = client_for(world.coordinator).get(reverse("outbox:list"))
    assert response.status_code == 200
    assert [m.to for m in response.context["outgoing"]] == ["failed@example.org", "sent@example.org"]
    html = response.content.decode()
    assert "The mail server could not be reached." in html and "(5 attempts)" in html
    assert "Connection refused" in html  # the technical detail, for the coordinator only
    assert reverse("outbox:send_again", args=[OutgoingMessage.objects.get(status="failed").pk]) in html


def test_the_list_filters_by_status_and_ignores_an_unknown_one(world, client_for):
    a_message(to="sent@example.org", status=Status.SENT, sent_at=timezone.now())
    a_message(to="failed@example.org", status=Status.FAILED)
    client = client_for(world.coordinator)
    failed = client.get(reverse("outbox:list"), {"status": "failed"})
    assert [m.to for m in failed.context["outgoing"]] == ["failed@example.org"]
    unknown = client.get(reverse("outbox:list"), {"status": "99999999999999999999"})
    assert unknown.status_code == 200 and len(unknown.context["outgoing"]) == 2


def test_the_list_never_shows_what_a_message_says(world, client_for):
    a_message(body="http://testserver/accounts/password/reset/MQ/secret-token/", purpose="password_reset")
    html = client_for(world.coordinator).get(reverse("outbox:list")).content.decode()
    assert "secret-token" not in html


def test_send_again_sends_a_failed_message(world, client_for, django_capture_on_commit_callbacks):
    message = a_message(status=Status.FAILED, attempts=5, problem="unreachable", last_error="x")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.coordinator).post(reverse("outbox:send_again", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 1, "")
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_send_again_refuses_a_message_that_was_sent(world, client_for):
    message = a_message(status=Status.SENT, sent_at=timezone.now())
    response = client_for(world.coordinator).post(reverse("outbox:send_again", args=[message.pk]), follow=True)
    assert "This message cannot be sent again." in response.content.decode()
    assert not mail.outbox


@pytest.mark.parametrize("role", ["staff", "mentor"])
def test_only_coordinators_send_again(world, client_for, role):
    message = a_message(status=Status.FAILED)
    response = client_for(world.user(role)).post(reverse("outbox:send_again", args=[message.pk]))
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == Status.FAILED


def test_the_coordinators_menu_links_to_the_outgoing_mail_and_staffs_does_not(world, client_for):
    link = f'href="{reverse("outbox:list")}"'
    assert link in client_for(world.coordinator).get(reverse("dashboard")).content.decode()
    assert link not in client_for(world.staff).get(reverse("dashboard")).content.decode()


def test_the_dashboard_tells_a_coordinator_when_mail_failed(world, client_for):
    client = client_for(world.coordinator)
    assert "could not be sent" not in client.get(reverse("dashboard")).content.decode()
    a_message(status=Status.FAILED)
    assert "1 email could not be sent." in client.get(reverse("dashboard")).content.decode()
    assert "could not be sent" not in client_for(world.staff).get(reverse("dashboard")).content.decode()


# Through a real worker


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_a_message_dispatched_twice_once(monkeypatch):
    """The broker hands the task over twice (the request's dispatch and the sweep's, say): one email leaves.

    The test waits for both deliveries to have run (the worker's task_postrun signal), not for a time: a slow
    machine cannot make it pass without the second delivery having been tried."""
    import threading

    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from mobility.celery import app
    from outbox.tasks import send_message

    from .test_documents_worker import broker

    deliveries = threading.Semaphore(0)

    def delivered(sender=None, **kwargs):
        if sender is not None and sender.name == send_message.name:
            deliveries.release()

    task_postrun.connect(delivered, weak=False)
    monkeypatch.undo()  # the real apply_async, not the test's stand-in worker
    try:
        with broker("memory://"), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            message = services.send(
                to="ana@example.org", subject="Hello", body="Text", purpose="exchange_received", school_id=None
            )
            assert services.dispatch(message.pk)
            assert deliveries.acquire(timeout=60), "the first delivery did not run"
            assert deliveries.acquire(timeout=60), "the second delivery did not run"
    finally:
        task_postrun.disconnect(delivered)
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 1
    assert len(mail.outbox) == 1
