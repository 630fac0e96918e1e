"""The document worker's tasks. They keep the names they had in `reports` (`name=`), so that messages queued
before the engine moved, and the beat schedule in settings, still find them."""

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init
from django.db import DatabaseError
from django.utils.translation import gettext as _

from . import jobs

log = logging.getLogger(__name__)


@worker_init.connect
def load_weasyprint(**kwargs: object) -> None:
    """Import WeasyPrint in the worker's main process, before it forks its pool, so that no child pays the
    import (a second or more) on its first document. The web process never imports it."""
    from . import rendering  # noqa: F401

    logging.getLogger(__name__).info("WeasyPrint loaded before forking the pool")


@shared_task(
    name="reports.tasks.render_document",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=4,
    soft_time_limit=240,
    time_limit=300,
)
def render_document(self: Task, job_id: int) -> None:
    """Render one document job. Transient errors (database, disk) retry with backoff; anything else fails
    the job with a reason the person who asked can read."""
    try:
        jobs.run_job(job_id)
    except (DatabaseError, OSError):
        if self.request.retries >= self.max_retries:
            jobs.mark_failed(job_id, _("The server could not finish the document. Try again later."))
        raise
    except SoftTimeLimitExceeded:
        jobs.mark_failed(job_id, _("The document took too long to make."))
    except Exception as error:  # a bug or bad data: the page says so without details, coordinators and the log get them
        jobs.mark_failed(job_id, "", detail=f"{type(error).__name__}: {error}")
        log.exception("document job %s failed", job_id)
        raise


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=5,
    max_retries=4,
    soft_time_limit=120,
    time_limit=150,
)
def render_part(kind: str, part: int) -> None:
    """Render and keep one part of a fanned-out document (e.g. one certificate of a placement's)."""
    jobs.render_part(kind, part)


@shared_task(name="reports.tasks.assemble_document", bind=True, acks_late=True, max_retries=1200)
def assemble_document(self: Task, job_id: int) -> None:
    """Pack a fanned-out job once its parts are rendered; look again every half second until then (ten
    minutes at most, after which the sweep starts the job again)."""
    if not jobs.assemble(job_id):
        raise self.retry(countdown=0.5)


@shared_task(name="reports.tasks.sweep_stale_jobs")
def sweep_stale_jobs() -> int:
    return jobs.sweep()
