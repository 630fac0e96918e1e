import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init
from django.db import DatabaseError
from django.utils.translation import gettext as _

from . import jobs


@worker_init.connect
def load_weasyprint(**kwargs):
    """Import WeasyPrint in the worker's main process, before it forks its pool, so that no child pays the
    import (a second or more) on its first document. The web process never imports it."""
    from . import rendering  # noqa: F401

    logging.getLogger(__name__).info("WeasyPrint loaded before forking the pool")


@shared_task(
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
def render_document(self, job_id):
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
    except Exception as error:  # a bug or bad data: record it for the page, keep the worker alive
        jobs.mark_failed(job_id, _("The document could not be made: %(error)s") % {"error": error})
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
def render_certificate_file(certificate_id):
    """Render and keep one certificate's PDF: one of the tasks a placement's certificates fan out to."""
    jobs.render_stored_certificate(certificate_id)


@shared_task(bind=True, acks_late=True, max_retries=1200)
def assemble_document(self, job_id):
    """Pack a fanned-out job once its parts are rendered; look again every half second until then (ten
    minutes at most, after which the sweep starts the job again)."""
    if not jobs.assemble(job_id):
        raise self.retry(countdown=0.5)


@shared_task
def sweep_stale_jobs():
    return jobs.sweep()
