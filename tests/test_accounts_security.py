"""Sign-in security without the second factor: throttling (django-axes), password strength, session expiry,
password reset by email."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from outbox.models import OutgoingMessage

from .conftest import PASSWORD

WRONG = "not-the-password-at-all"


def sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def signed_in(client):
    return client.get(reverse("dashboard")).status_code == 200


def lock_out(client, username):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, username, WRONG).status_code == 200
    return sign_in(client, username, WRONG)


# Throttling


def test_five_failed_sign_ins_pause_that_name_from_that_address_with_a_clear_message(world):
    client = Client()
    response = lock_out(client, "mentor")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is paused" in page
    assert "paused for 15 minutes" in page
    assert reverse("accounts:password_reset") in page
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.LOCKED_OUT, account=world.mentor).count() == 1


def test_the_right_password_does_not_get_in_during_the_pause(world):
    client = Client()
    lock_out(client, "mentor")
    assert sign_in(client, "mentor", PASSWORD).status_code == 429
    assert not signed_in(client)


def test_attempts_during_the_pause_do_not_extend_it_nor_log_it_again(world):
    client = Client()
    lock_out(client, "mentor")
    first_end = AccessAttempt.objects.get(username="mentor").attempt_time
    sign_in(client, "mentor", WRONG)
    assert AccessAttempt.objects.get(username="mentor").attempt_time == first_end
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.LOCKED_OUT).count() == 1


def test_the_pause_concerns_only_that_name_from_that_address(world):
    lock_out(Client(), "mentor")
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    assert sign_in(elsewhere, "mentor", PASSWORD).status_code == 302
    same_address_other_name = Client()
    assert sign_in(same_address_other_name, "staff", PASSWORD).status_code == 302


def test_the_pause_ends_after_the_cool_off_period(world):
    client = Client()
    lock_out(client, "mentor")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert sign_in(client, "mentor", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_clears_the_count_of_failures(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "mentor", WRONG)
    assert sign_in(client, "mentor", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert sign_in(client, "mentor", WRONG).status_code == 200
    assert not AccessAttempt.objects.filter(failures_since_start__gte=2).exists()


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofing = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # The client writes its own X-Forwarded-For entries; the proxy appends the real one on the right.
        sign_in(spoofing, "mentor", WRONG, HTTP_X_FORWARDED_FOR=f"198.51.100.{_}, 203.0.113.9")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    colleague_behind_same_proxy = Client(REMOTE_ADDR="10.0.0.1")
    response = sign_in(colleague_behind_same_proxy, "mentor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert response.status_code == 302


def test_the_coordinator_sees_the_pause_and_lifts_it(world, client_for):
    mentor_client = Client()
    lock_out(mentor_client, "mentor")
    coordinator = client_for(world.coordinator)
    page = coordinator.get(reverse("accounts:lockouts")).content.decode()
    assert "Lift the pause for mentor" in page
    block = AccessAttempt.objects.get(username="mentor")
    response = coordinator.post(reverse("accounts:lockout_lift", args=[block.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = SecurityEvent.objects.get(action=SecurityEvent.Action.LOCKOUT_LIFTED)
    assert (event.account, event.actor) == (world.mentor, world.coordinator)
    assert sign_in(mentor_client, "mentor", PASSWORD).status_code == 302


def test_only_coordinators_see_and_lift_pauses(world, client_for):
    lock_out(Client(), "other_mentor")
    block = AccessAttempt.objects.get()
    for user in (world.staff, world.mentor):
        client = client_for(user)
        assert client.get(reverse("accounts:lockouts")).status_code == 403
        assert client.post(reverse("accounts:lockout_lift", args=[block.pk])).status_code == 403
    assert AccessAttempt.objects.exists()


def test_the_log_lines_of_a_failed_sign_in_name_neither_the_password_nor_the_person(world, caplog):
    with caplog.at_level("INFO"):
        lock_out(Client(), "mentor")
    assert caplog.records
    assert WRONG not in caplog.text
    assert '"mentor"' not in caplog.text and "127.0.0.1" not in caplog.text
    stored = AccessAttempt.objects.get()
    assert WRONG not in stored.post_data


def test_the_list_of_pauses_reads_a_fixed_number_of_queries(world, client_for):
    client = client_for(world.coordinator)

    def block(n):
        for i in range(n):
            AccessAttempt.objects.create(
                username=f"guess{i}-{n}",
                ip_address="192.0.2.1",
                user_agent="x",
                failures_since_start=5,
                attempt_time=timezone.now(),
            )
            SecurityEvent.record(SecurityEvent.Action.LOCKED_OUT, username=f"guess{i}-{n}")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:lockouts")).status_code == 200
        return len(queries)

    block(2)
    few = count()
    block(20)
    assert count() == few


# Passwords and sessions


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw-1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("384920174635", "This password is entirely numeric."),
    ],
)
def test_a_weak_new_password_is_refused_with_the_reason(world, client_for, password, message):
    client = client_for(world.mentor)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    world.mentor.refresh_from_db()
    assert world.mentor.check_password(PASSWORD)


def test_a_coordinator_cannot_give_a_new_account_a_weak_password(world, client_for):
    client = client_for(world.coordinator)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "weak", "password1": "short-pw-1", "password2": "short-pw-1", "role": "staff"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_the_session_lasts_a_working_day_and_ends_with_the_browser(world):
    client = Client()
    response = sign_in(client, "mentor", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    assert client.session.get_expiry_age() == 8 * 60 * 60


# Password reset by email


def test_the_sign_in_page_links_to_the_password_reset(db, client):
    assert reverse("accounts:password_reset") in client.get(reverse("login")).content.decode()


def ask_for_reset(client, email, capture):
    """The reset form, with the outbox's after-commit dispatch run as the request's transaction ends."""
    with capture(execute=True):
        return client.post(reverse("accounts:password_reset"), {"email": email})


def test_a_password_reset_email_carries_a_link_that_works_once(world, django_capture_on_commit_callbacks):
    world.mentor.email = "rui@example.pt"
    world.mentor.save()
    client = Client()
    response = ask_for_reset(client, "RUI@example.pt", django_capture_on_commit_callbacks)
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rui@example.pt"]
    assert message.subject == "A new password for Erasmus+ mobility"
    assert "Your sign-in name is mentor." in message.body
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "a-fresh-pass-phrase-2026"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.url == reverse("accounts:password_reset_complete")
    world.mentor.refresh_from_db()
    assert world.mentor.check_password(new_password)
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.PASSWORD_RESET, account=world.mentor).exists()

    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "This link does not work any more" in again.content.decode()


def test_a_password_reset_answers_alike_and_sends_nothing_in_the_request_for_known_and_unknown_addresses(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """An SMTP round trip inside the request would make a registered address answer slower than an unknown one."""
    from outbox import tasks

    queued = []
    monkeypatch.setattr(tasks.send_message, "apply_async", lambda args, **options: queued.append(args))
    world.mentor.email = "rui@example.pt"
    world.mentor.save()
    known = ask_for_reset(Client(), "rui@example.pt", django_capture_on_commit_callbacks)
    unknown = ask_for_reset(Client(), "nobody@example.pt", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert not mail.outbox
    (message,) = OutgoingMessage.objects.all()
    assert queued == [[message.pk]]
    assert message.to == "rui@example.pt" and "/accounts/password/reset/" in message.body


def test_a_password_reset_email_waits_for_the_sweep_when_the_queue_is_down(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from outbox import services, tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("no broker")

    sent_later = tasks.send_message.apply_async
    monkeypatch.setattr(tasks.send_message, "apply_async", broker_down)
    world.mentor.email = "rui@example.pt"
    world.mentor.save()
    response = ask_for_reset(Client(), "rui@example.pt", django_capture_on_commit_callbacks)
    assert response.url == reverse("accounts:password_reset_done")
    assert not mail.outbox
    assert OutgoingMessage.objects.get().dispatched_at is None

    monkeypatch.setattr(tasks.send_message, "apply_async", sent_later)  # the broker is back
    assert services.sweep() == 1
    assert [m.to for m in mail.outbox] == [["rui@example.pt"]]


def test_the_text_of_a_password_reset_email_is_erased_once_sent(world, django_capture_on_commit_callbacks):
    world.mentor.email = "rui@example.pt"
    world.mentor.save()
    ask_for_reset(Client(), "rui@example.pt", django_capture_on_commit_callbacks)
    message = OutgoingMessage.objects.get()
    assert message.status == OutgoingMessage.Status.SENT and message.body == ""
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_a_reset_link_refuses_a_weak_password(world, django_capture_on_commit_callbacks):
    world.mentor.email = "rui@example.pt"
    world.mentor.save()
    client = Client()
    ask_for_reset(client, "rui@example.pt", django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "short-pw-1", "new_password2": "short-pw-1"}
    )
    assert "at least 12 characters" in response.content.decode()
    world.mentor.refresh_from_db()
    assert world.mentor.check_password(PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_email(world):
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []
