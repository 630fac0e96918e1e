"""The real thing: a Celery worker thread takes the job from a broker and finishes it. In CI the broker
is the machine's Redis; elsewhere Kombu's in-memory transport stands in for it."""

import os
import time
from contextlib import contextmanager
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from kombu import pools

from documents import jobs
from documents.models import DocumentJob
from mobility.celery import app
from placements.models import Assignment

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@contextmanager
def broker(url):
    """Point the Celery app at `url` for the duration, dropping pooled connections on both sides."""
    previous = app.conf.broker_url

    def reset():
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        pools.reset()  # Kombu keeps producer pools per connection, process-wide

    app.conf.broker_url = url
    reset()
    try:
        yield
    finally:
        reset()
        app.conf.broker_url = previous


def finished(job, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.status} after {seconds} s")


def completed_assignment(world):
    world.placement.start_date, world.placement.end_date = date(2026, 3, 2), date(2026, 3, 27)
    world.placement.save()
    Assignment.objects.filter(pk=world.assignment.pk).update(status="completed")
    return world.assignment


def run_through_worker(world):
    assignment = completed_assignment(world)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        job = jobs.request_document(world.coordinator, "certificate", {"assignment": assignment.pk}, "Certificate")
        assert jobs.dispatch(job.pk)
        return finished(job)


def test_a_worker_thread_renders_the_job(world):
    with broker("memory://"):
        job = run_through_worker(world)
    assert job.status == DocumentJob.Status.DONE, job.error
    assert job.size > 1000


@pytest.mark.redis
def test_a_job_goes_through_the_real_redis(world):
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("CI must set REDIS_URL")
        pytest.skip("REDIS_URL is not set")
    with broker(settings.CELERY_BROKER_URL):
        assert app.conf.broker_url.startswith("redis://")
        job = run_through_worker(world)
    assert job.status == DocumentJob.Status.DONE, job.error
