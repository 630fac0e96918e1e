"""Fault tolerance of documents: the broker going away and a worker dying in the middle of a job.

1. A Redis server of the test's own (on a free port; the machine's Redis on 6379 is left alone) is stopped;
   pages keep answering, a document request is recorded and its page says it is saved and waiting; Redis
   comes back, the sweep sends the request, a worker finishes it.
2. A real `celery worker` process on a file-system broker is killed with SIGKILL while it renders (the
   renderer is made slow in that process only); the job still finishes: a new worker redelivers it after
   the sweep (whole worker killed), or the pool's own process replaces the killed child and the message is
   rejected back onto the queue (`reject_on_worker_lost`).

The worker processes share the test database: PostgreSQL's test database as it is, SQLite's in-memory
test database through a file copied out before and back after (the sqlite3 backup API).
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse

from documents import jobs
from documents.models import DocumentJob
from mobility.celery import app
from placements.models import Assignment

from .test_documents_worker import broker, finished
from .tools import require_tool

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

ROOT = Path(settings.BASE_DIR)


def completed_assignment(world):
    world.placement.start_date, world.placement.end_date = date(2026, 3, 2), date(2026, 3, 27)
    world.placement.save()
    Assignment.objects.filter(pk=world.assignment.pk).update(status="completed")
    return world.assignment


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {seconds} s")


# 1. Redis down ------------------------------------------------------------------------------------------


class RedisServer:
    """A throw-away redis-server on a port of its own, in memory only."""

    def __init__(self, port, folder):
        self.port, self.folder, self.process = port, folder, None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, 10, f"redis-server on port {self.port}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def own_redis(tmp_path):
    require_tool("redis-server")
    server = RedisServer(free_port(), tmp_path)
    server.start()
    yield server
    if server.process:
        server.stop()


def test_with_redis_down_pages_answer_and_the_request_is_finished_when_it_is_back(world, client_for, own_redis):
    from celery.contrib.testing.worker import start_worker

    assignment = completed_assignment(world)
    client = client_for(world.coordinator)
    with broker(own_redis.url):
        own_redis.stop()

        started = time.monotonic()
        response = client.post(reverse("reports:request_certificate", kwargs={"pk": assignment.pk}))
        assert response.status_code == 302
        assert time.monotonic() - started < 10, "asking for a document must not hang on a dead broker"
        job = DocumentJob.objects.get()
        assert (job.status, job.dispatched_at) == (DocumentJob.Status.QUEUED, None)

        page = client.get(response.url)
        assert page.status_code == 200
        assert "Your request is saved and will be made as soon as it is back" in page.text
        for name, kwargs in [("dashboard", None), ("documents:documents", None), ("participants:list", None)]:
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name

        own_redis.start()
        assert jobs.sweep() == 1
        job.refresh_from_db()
        assert job.dispatched_at is not None
        assert "Waiting for the document service" in client.get(response.url).text
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            finished(job)
    assert job.status == DocumentJob.Status.DONE, job.error
    assert storages["private"].exists(job.file)
    assert "Your document is ready." in client.get(response.url).text


# 2. A worker killed in the middle of a job ------------------------------------------------------------

# Runs in the worker process only: the certificate renderer notes who runs it and, on a job's first
# attempt, sleeps long enough to be killed. `--sweep` re-sends lost jobs first, as the beat does every
# two minutes in production.
WORKER = """
import os, sys, time
import django
django.setup()
from mobility.celery import app
from documents import jobs

real = jobs.RENDERERS["certificate"]

def slow(job):
    with open(os.environ["MARKER"], "a") as marker:
        marker.write(f"{os.getpid()} {job.attempts}\\n")
    if job.attempts == 1:
        time.sleep(120)
    return real(job)

jobs.RENDERERS["certificate"] = slow
if "--sweep" in sys.argv:
    print("swept", jobs.sweep(), flush=True)
app.worker_main(["worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO",
                 "--without-heartbeat", "--without-gossip", "--without-mingle"])
"""


class SharedDatabase:
    """The test database as another process can open it."""

    def __init__(self, folder):
        self.file = folder / "shared.sqlite3"
        self.sqlite = connection.vendor == "sqlite"

    @property
    def url(self):
        if self.sqlite:
            return f"sqlite:///{self.file}"
        s = connection.settings_dict
        credentials = f"{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}"
        return f"postgres://{credentials}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"

    def hand_out(self):
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)

    def take_back(self):
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as source:
                source.backup(connection.connection)

    def job_status(self, pk):
        if self.sqlite:
            with sqlite3.connect(self.file, timeout=20) as db:
                return db.execute("select status from reports_documentjob where id = ?", (pk,)).fetchone()[0]
        return DocumentJob.objects.filter(pk=pk).values_list("status", flat=True).get()


@pytest.fixture
def fs_broker(tmp_path):
    """A file-system broker in the test's folder, for this process and for the worker processes (whose
    settings derive the same folders from VAR_DIR)."""
    var = tmp_path / "var"
    folders = {name: var / "broker" / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
        "polling_interval": 0.2,
    }
    previous = app.conf.broker_transport_options
    app.conf.broker_transport_options = options
    with broker("filesystem://"):
        yield var
    app.conf.broker_transport_options = previous


@contextmanager
def worker_process(tmp_path, database, var, private_files, *extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mobility.settings",
        "DATABASE_URL": database.url,
        "CELERY_BROKER_URL": "filesystem://",
        "REDIS_URL": "",
        "VAR_DIR": str(var),
        "PRIVATE_FILES_ROOT": str(private_files),
        "DOCUMENT_JOB_STALE_AFTER": "0",
        "MARKER": str(tmp_path / "marker"),
        "PYTHONPATH": str(ROOT),
    }
    log = open(tmp_path / f"worker-{time.monotonic_ns()}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, *extra],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so that the whole worker can be killed at once
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def marker_lines(tmp_path):
    marker = tmp_path / "marker"
    return marker.read_text().split("\n")[:-1] if marker.exists() else []


def wait_for_job(database, job, status, seconds, tmp_path):
    try:
        wait_for(lambda: database.job_status(job.pk) == status, seconds, f"job {job.pk} {status}")
    except AssertionError:
        logs = "\n".join(p.read_text()[-3000:] for p in sorted(tmp_path.glob("worker-*.log")))
        raise AssertionError(f"job {job.pk} not {status}; worker output:\n{logs}") from None


@pytest.fixture
def slow_job(world, fs_broker):
    assignment = completed_assignment(world)
    job = jobs.request_document(world.coordinator, "certificate", {"assignment": assignment.pk}, "Certificate")
    job.refresh_from_db()
    assert job.dispatched_at is not None, "the job should be on the file-system broker"
    return job


def test_a_job_finishes_after_its_worker_is_killed_and_a_new_one_starts(tmp_path, slow_job, fs_broker, private_files):
    database = SharedDatabase(tmp_path)
    database.hand_out()

    with worker_process(tmp_path, database, fs_broker, private_files) as first:
        wait_for(lambda: marker_lines(tmp_path), 45, "the first worker starting the job")
        assert database.job_status(slow_job.pk) == DocumentJob.Status.RUNNING
        os.killpg(first.pid, signal.SIGKILL)  # the main process and its pool: nothing left to hand the job back
        first.wait(timeout=10)
    assert database.job_status(slow_job.pk) == DocumentJob.Status.RUNNING

    with worker_process(tmp_path, database, fs_broker, private_files, "--sweep"):
        wait_for_job(database, slow_job, DocumentJob.Status.DONE, 45, tmp_path)

    database.take_back()
    slow_job.refresh_from_db()
    assert slow_job.status == DocumentJob.Status.DONE, slow_job.error
    assert slow_job.attempts == 2
    assert [line.split()[1] for line in marker_lines(tmp_path)] == ["1", "2"]
    assert storages["private"].open(slow_job.file).read(5) == b"%PDF-"


def test_a_job_is_redelivered_when_the_process_running_it_is_killed(tmp_path, slow_job, fs_broker, private_files):
    database = SharedDatabase(tmp_path)
    database.hand_out()

    with worker_process(tmp_path, database, fs_broker, private_files) as worker:
        wait_for(lambda: marker_lines(tmp_path), 45, "the worker starting the job")
        child = int(marker_lines(tmp_path)[0].split()[0])
        assert child != worker.pid
        os.kill(child, signal.SIGKILL)
        wait_for_job(database, slow_job, DocumentJob.Status.DONE, 45, tmp_path)

    database.take_back()
    slow_job.refresh_from_db()
    assert slow_job.status == DocumentJob.Status.DONE, slow_job.error
    assert [line.split()[1] for line in marker_lines(tmp_path)] == ["1", "2"]
    assert storages["private"].exists(slow_job.file)
