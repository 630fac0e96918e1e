"""Production processes: the health report, the metrics' address check, JSON logs with a request id that follows
a request into its tasks, the queues, and the refusal of development settings."""

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentJob
from mobility.celery import app
from ops import health
from ops.logs import JsonFormatter
from ops.production import Configuration, problems
from ops.requestid import RequestIdFilter
from placements.models import Assignment

from .test_documents_worker import broker

ROOT = Path(__file__).resolve().parent.parent


# --- /health/ ---------------------------------------------------------------------------------------------


def test_health_reports_every_service_and_the_oldest_queued_job(client, world):
    job = DocumentJob.objects.create(kind="certificate", title="x", requested_by=world.coordinator)
    DocumentJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    response = client.get(reverse("health_status"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    report = response.json()
    assert report["status"] == "ok"
    assert {name: check["ok"] for name, check in report["checks"].items()} == {
        "database": True,
        "broker": True,
        "storage": True,
    }
    assert report["queues"]["document_jobs"]["queued"] == 1
    assert 295 <= report["queues"]["document_jobs"]["oldest_seconds"] <= 400
    assert report["queues"]["outgoing_messages"] == {"queued": 0, "oldest_seconds": None}


class Unreachable:
    def __call__(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused (secret.internal:5432)")

    def cursor(self):
        self()


@pytest.mark.parametrize("down", ["database", "broker", "storage"])
def test_health_answers_503_and_names_the_service_that_is_down(client, db, monkeypatch, down):
    if down == "database":
        monkeypatch.setattr(health, "connection", Unreachable())
    elif down == "broker":
        monkeypatch.setattr(health, "_broker_connection", Unreachable())
    else:
        monkeypatch.setattr(storages["private"], "exists", Unreachable())
    response = client.get(reverse("health_status"))
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "down"
    assert [name for name, check in report["checks"].items() if not check["ok"]] == [down]
    assert report["checks"][down]["error"] == "OperationalError"
    assert "secret.internal" not in response.content.decode(), "the details go to the log, not to the public"


def test_the_trivial_health_view_stays_the_benchs_floor(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.content == b"ok"


# --- /metrics ---------------------------------------------------------------------------------------------


def test_metrics_are_served_to_an_allowed_address(client, world):
    DocumentJob.objects.create(kind="certificate", title="a", requested_by=world.coordinator, status="done")
    DocumentJob.objects.create(kind="certificate", title="b", requested_by=world.coordinator, status="failed")
    client.get(reverse("health"))
    response = client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    text = response.content.decode()
    assert re.search(r'mobility_http_requests_total\{method="GET",status="200",view="health"\} \d', text)
    assert 'mobility_http_request_duration_seconds_bucket{le="0.1",view="health"}' in text
    assert 'mobility_document_jobs{status="done"} 1.0' in text
    assert 'mobility_document_jobs{status="failed"} 1.0' in text
    assert 'mobility_outgoing_messages{status="queued"} 0.0' in text
    assert 'mobility_oldest_queued_seconds{queue="document_jobs"} 0.0' in text


def test_metrics_answer_404_to_another_address(client, db):
    assert client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.7").status_code == 404


def test_metrics_through_the_proxy_count_as_the_real_client(client, db, settings):
    """nginx on 127.0.0.1 appends the client's address: a visitor from outside must not pass as the proxy."""
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("metrics")
    assert client.get(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 404
    forged = "127.0.0.1, 203.0.113.7"  # the visitor's own claim stays on the left
    assert client.get(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forged).status_code == 404


def test_metrics_allow_a_network(client, db, settings):
    settings.METRICS_ALLOWED_IPS = ["10.20.0.0/16"]
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == 404


# --- request id and JSON logs -------------------------------------------------------------------------------


def test_a_request_id_is_taken_from_the_proxy_or_made(client, db):
    assert client.get(reverse("health"), HTTP_X_REQUEST_ID="f00d-42")["X-Request-ID"] == "f00d-42"
    made = client.get(reverse("health"), HTTP_X_REQUEST_ID='x" injected\nline')["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)


def test_a_json_log_line_is_one_object_with_the_request_id():
    record = logging.LogRecord("mobility", logging.ERROR, __file__, 1, "Ștefan's %s", ("job",), None)
    record.request_id = "abc"
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line) | {"time": None} == {
        "time": None,
        "level": "ERROR",
        "logger": "mobility",
        "message": "Ștefan's job",
        "request_id": "abc",
    }


@contextmanager
def json_log():
    """Every line logged in any thread meanwhile, formatted as production writes it. Entered after the worker
    starts: Celery's Django fix-up sets Django's logging up again, which replaces the root's handlers."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_request_id_follows_the_request_into_the_task_it_starts(world, client_for):
    world.placement.start_date, world.placement.end_date = (
        timezone.localdate() - timedelta(days=40),
        (timezone.localdate() - timedelta(days=10)),
    )
    world.placement.save()
    Assignment.objects.filter(pk=world.assignment.pk).update(status="completed")
    client = client_for(world.mentor)
    worker = start_worker(app, pool="solo", loglevel="INFO", perform_ping_check=False, shutdown_timeout=30)
    with broker("memory://"), worker, json_log() as lines:
        response = client.post(
            reverse("reports:request_certificate", args=[world.assignment.pk]), HTTP_X_REQUEST_ID="req-7f3a"
        )
        assert response.status_code == 302
        job = DocumentJob.objects.get()
        deadline = time.monotonic() + 60
        while not job.finished and time.monotonic() < deadline:
            time.sleep(0.2)
            job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.error
    task_lines = [line for line in lines() if line.get("task") == "reports.tasks.render_document"]
    assert {line["request_id"] for line in task_lines} == {"req-7f3a"}
    assert any(line["message"].startswith("task finished: SUCCESS") for line in task_lines)


# --- queues ---------------------------------------------------------------------------------------------------


def queue_of(task_name):
    return app.amqp.router.route({}, task_name)["queue"].name


def test_documents_go_to_their_own_queue_and_the_rest_to_default(settings):
    for name in ("reports.tasks.render_document", "documents.tasks.render_part", "reports.tasks.assemble_document"):
        assert queue_of(name) == "documents"
    for name in ("outbox.tasks.send_message", "outbox.tasks.sweep_outbox", "privacy.tasks.apply_retention_rules"):
        assert queue_of(name) == "default"
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert queue_of(entry["task"]) == "default"


# --- make prod's refusal ---------------------------------------------------------------------------------------

PRODUCTION = Configuration(
    production=True,
    debug=False,
    allowed_hosts=["mobility.school.example"],
    database_engine="django.db.backends.postgresql",
    broker_url="redis://127.0.0.1:6379/0",
    cache_backend="django.core.cache.backends.redis.RedisCache",
    private_storage_backend="storages.backends.s3.S3Storage",
    private_files_root_from_environment=False,
)


def test_production_settings_pass():
    assert problems(PRODUCTION) == []


def test_sqlite_or_the_file_system_broker_are_refused():
    from dataclasses import replace

    found = problems(replace(PRODUCTION, database_engine="django.db.backends.sqlite3", broker_url="filesystem://"))
    assert len(found) == 2
    assert "PostgreSQL" in found[0] and "Redis" in found[1]


def test_check_production_refuses_the_development_settings(db):
    with pytest.raises(CommandError) as refused:
        call_command("check_production")
    message = str(refused.value)
    assert "DJANGO_ENV must be 'production'" in message
    # The tests' own database is SQLite locally and PostgreSQL in CI: the refusal names it only in the first case.
    assert ("not SQLite" in message) == (connection.vendor == "sqlite")


def test_check_production_refuses_sqlite_even_with_production_settings(tmp_path):
    """The real command in a process of its own, with DJANGO_ENV=production and a proper key but SQLite."""
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "k" * 20 + "-a-long-random-production-key-for-the-test-" + "x" * 10,
        "ALLOWED_HOSTS": "mobility.school.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6399/0",
        "S3_BUCKET": "files",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check_production"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "not SQLite" in result.stderr
    assert "DJANGO_ENV" not in result.stderr and "Redis" not in result.stderr and "S3_BUCKET" not in result.stderr


def test_make_prod_checks_before_it_starts_anything():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nprod:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    assert recipe[0].strip() == "$(BIN)/python manage.py check_production --connect"
    started = "\n".join(recipe)
    assert "gunicorn" in started and "-Q documents" in started and "-Q default" in started and " beat " in started
