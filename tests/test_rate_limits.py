"""Limits shared by every web process: the cache they count in, the password-reset limit, django-axes' blocks."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import throttling
from accounts.forms import QuietPasswordResetForm
from accounts.throttling import RateLimit

from .conftest import PASSWORD
from .sites import on_site

ROOT = Path(__file__).resolve().parent.parent


def python(code, **env):
    """Run `code` in a separate Python process with this project's settings, as another web process would."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "mobility.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


# The shared cache


def test_without_redis_the_cache_is_the_database():
    backend = python("from django.conf import settings; print(settings.CACHES['default']['BACKEND'])", REDIS_URL="")
    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_with_redis_the_cache_is_redis():
    backend = python(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert backend == "django.core.cache.backends.redis.RedisCache"


COUNT_TWICE = (
    "from accounts.throttling import RateLimit\n"
    "limit = RateLimit('shared-test', limit=2, window=60)\n"
    "print(limit.allow('{subject}'), limit.allow('{subject}'))"
)
ASK = (
    "from accounts.throttling import RateLimit\n"
    "limit = RateLimit('shared-test', limit=2, window=60)\n"
    "print(*(limit.exceeded(subject) for subject in {subjects!r}))"
)
MIGRATE = "from django.core.management import call_command\ncall_command('migrate', 'common', verbosity=0)\n"


def test_a_count_made_by_one_process_holds_in_another_on_the_database_cache(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}", "REDIS_URL": ""}
    assert python(MIGRATE + COUNT_TWICE.format(subject="a"), **env) == "True True"
    assert python(ASK.format(subjects=["a", "b"]), **env) == "True False"


@pytest.mark.redis
def test_a_count_made_by_one_process_holds_in_another_on_redis(tmp_path):
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("CI must set REDIS_URL and reach the machine's Redis")
        pytest.skip("REDIS_URL is not set")
    subject = f"subject-{time.time_ns()}"  # a run of its own on a Redis that other runs share
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    assert python(COUNT_TWICE.format(subject=subject), **env) == "True True"
    assert python(ASK.format(subjects=[subject]), **env) == "True"


def test_the_migrations_create_the_cache_table(db):
    from django.db import connection

    assert settings.CACHE_TABLE in connection.introspection.table_names()


# RateLimit


def test_a_rate_limit_refuses_past_its_limit_and_counts_each_subject_apart(db):
    limit = RateLimit("test", limit=2, window=60)
    assert [limit.allow("a"), limit.allow("a"), limit.allow("a")] == [True, True, False]
    assert limit.exceeded("a")
    assert limit.allow("b") and not limit.exceeded("b")


def test_asking_whether_a_limit_is_exceeded_counts_nothing(db):
    limit = RateLimit("test", limit=1, window=60)
    for _ in range(3):
        assert not limit.exceeded("a")
    assert limit.allow("a")


def test_a_rate_limit_lets_the_subject_through_again_after_its_window(db):
    limit = RateLimit("test", limit=1, window=1)
    assert limit.allow("a") and not limit.allow("a")
    time.sleep(1.1)
    assert limit.allow("a")


def test_the_database_cache_keeps_a_count_for_the_whole_window(db, monkeypatch):
    """Its incr() stores the count again with the default timeout of 5 minutes; the window is an hour."""
    if not settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        pytest.skip("Redis keeps a key's expiry when it counts")
    from django.core.cache.backends import db as db_cache

    limit = RateLimit("test", limit=2, window=60 * 60)
    limit.allow("a")
    limit.allow("a")
    later = timezone.now() + timedelta(minutes=30)
    monkeypatch.setattr(db_cache, "tz_now", lambda: later)
    assert limit.exceeded("a")
    assert not limit.allow("a")


def test_the_cache_holds_no_address_in_clear():
    key = RateLimit("test", limit=1, window=60)._subject_key("rui@example.pt")
    assert "rui" not in key and "example" not in key


@pytest.fixture
def cache_server_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }


def test_a_rate_limit_lets_everything_through_while_the_cache_server_is_down(db, cache_server_down):
    limit = RateLimit("test", limit=1, window=60)
    assert not limit.exceeded("a")
    assert limit.allow("a") and limit.allow("a")  # not limiting beats an error page


def test_the_public_home_page_answers_while_the_cache_server_is_down(world, client, cache_server_down):
    response = client.get(on_site("public:home"))
    assert response.status_code == 200


# Password reset


@pytest.fixture
def sent_after_commit(django_capture_on_commit_callbacks):
    """Call a request and run what it left for after the commit (the outbox hands mail over then)."""

    def call(request, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return request(*args)

    return call


def ask_reset(email, **extra):
    return Client().post(reverse("accounts:password_reset"), {"email": email}, **extra)


@pytest.fixture
def rui(world):
    world.mentor.email = "rui@example.pt"
    world.mentor.save()
    return world.mentor


def test_three_reset_emails_an_hour_reach_an_address_and_a_fourth_request_answers_the_same(rui, sent_after_commit):
    answers = [sent_after_commit(ask_reset, "rui@example.pt") for _ in range(3)]
    assert len(mail.outbox) == 3
    fourth = sent_after_commit(ask_reset, "RUI@example.pt")
    assert len(mail.outbox) == 3
    assert fourth.status_code == 302 and {answer.url for answer in answers} == {fourth.url}


def test_the_reset_limit_of_one_address_does_not_hold_back_another(rui, world, sent_after_commit):
    world.other_mentor.email = "ana@example.ro"
    world.other_mentor.save()
    for _ in range(4):
        sent_after_commit(ask_reset, "rui@example.pt")
    sent_after_commit(ask_reset, "ana@example.ro")
    assert [m.to for m in mail.outbox][-1] == ["ana@example.ro"]


def test_an_account_that_had_three_reset_emails_this_hour_gets_no_fourth(rui):
    for _ in range(3):
        throttling.PASSWORD_RESETS_PER_ACCOUNT.count(rui.pk)
    form = QuietPasswordResetForm(data={"email": "rui@example.pt"})
    assert form.is_valid()
    assert list(form.get_users("rui@example.pt")) == []


def test_an_unknown_address_is_counted_like_a_known_one(db):
    """Otherwise the limit's absence on a fourth request would tell that no account has this address."""
    for _ in range(4):
        ask_reset("nobody@example.org")
    assert throttling.PASSWORD_RESETS_PER_ADDRESS.exceeded("nobody@example.org")


# django-axes


def test_sign_in_blocks_are_kept_in_the_database_that_all_processes_share():
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_a_block_recorded_by_another_process_holds_here(world):
    """Another web process writes its failures to the table; nothing in this process's memory or cache knows."""
    AccessAttempt.objects.create(
        username="mentor",
        ip_address="127.0.0.1",
        user_agent="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
    )
    response = Client().post(reverse("login"), {"username": "mentor", "password": PASSWORD})
    assert response.status_code == 429
