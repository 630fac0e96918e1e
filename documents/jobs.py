"""Document jobs: recorded by the web process, rendered by a Celery worker, swept when lost.

The web process never renders: `request_document` stores the job and dispatches the task once the
transaction commits. If the broker cannot be reached the job stays queued and the sweep sends it later.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import DocumentJob
from .registry import FAN_OUTS, RENDERERS, NotIssuable

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def request_document(
    user: Any, kind: str, params: dict[str, Any], title: str, language: str | None = None
) -> DocumentJob:
    """A job for the worker, in `language` or the one the requester reads now."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    job = DocumentJob.objects.create(kind=kind, params=params, title=title, requested_by=user, language=language)
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id: int) -> bool:
    """Send the job to the worker; a broker that is down leaves it queued for the sweep, never an error page."""
    from .tasks import render_document

    try:
        render_document.apply_async(args=[job_id], retry=False)
    except Exception as error:  # the broker's errors vary by transport; the sweep will try again
        log.warning("document job %s left queued, broker unreachable: %r", job_id, error)
        return False
    DocumentJob.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    return True


def sweep(now: datetime | None = None) -> int:
    """Re-dispatch jobs that were never sent, or that a lost worker left queued or running too long."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.DOCUMENT_JOB_STALE_AFTER)
    jobs = DocumentJob.objects.filter(
        Q(status=DocumentJob.Status.QUEUED, dispatched_at__isnull=True)
        | Q(status=DocumentJob.Status.QUEUED, dispatched_at__lt=stale)
        | Q(status=DocumentJob.Status.RUNNING, started_at__lt=stale)
    )
    sent = 0
    for job in jobs:
        if job.attempts >= MAX_ATTEMPTS:
            DocumentJob.objects.filter(pk=job.pk).update(
                status=DocumentJob.Status.FAILED, error=_("Gave up after %(n)d attempts.") % {"n": job.attempts}
            )
            continue
        DocumentJob.objects.filter(pk=job.pk).update(status=DocumentJob.Status.QUEUED)
        sent += dispatch(job.pk)
    return sent


def progress(job: DocumentJob, value: int) -> None:
    """Move the job's progress bar (0-100); renderers of long documents call it as they go."""
    DocumentJob.objects.filter(pk=job.pk).update(progress=value)


def run_job(job_id: int) -> DocumentJob:
    """The task's body. Safe to run twice: a finished job is left alone and files are written under the
    job's own name, so a repeated delivery replaces rather than duplicates; certificates keep their number.

    A document of many parts fans out (registry.FanOut): one task per part still to render, so that every
    worker process takes a share, then `assemble` packs them once all are there."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        if job.status == DocumentJob.Status.DONE:
            return job
        job.status, job.started_at, job.attempts, job.error = (
            DocumentJob.Status.RUNNING,
            timezone.now(),
            job.attempts + 1,
            "",
        )
        job.progress, job.error_detail = 0, ""
        job.save(update_fields=["status", "started_at", "attempts", "error", "error_detail", "progress"])
    try:
        # A fanned-out document's parts are made (certificates issued, reasons for those left out written)
        # in the job's language too, not the worker's.
        with translation.override(job.language or settings.LANGUAGE_CODE):
            if job.kind in FAN_OUTS:
                return fan_out(job)
            content, filename = RENDERERS[job.kind](job)
    except NotIssuable as error:
        if error.not_before:
            job.params = {**job.params, "retry_from": error.not_before.isoformat()}
            job.save(update_fields=["params"])
        with translation.override(job.language or settings.LANGUAGE_CODE):
            return _fail(job, str(error))
    return _finish(job, content, filename)


def _finish(job: DocumentJob, content: bytes, filename: str) -> DocumentJob:
    storage = storages["private"]
    path = f"documents/{job.pk}/{filename}"
    if storage.exists(path):
        storage.delete(path)
    storage.save(path, ContentFile(content))
    job.file, job.filename, job.size = path, filename, len(content)
    job.sha256 = hashlib.sha256(content).hexdigest()
    job.status, job.progress, job.finished_at = DocumentJob.Status.DONE, 100, timezone.now()
    job.save(update_fields=["file", "filename", "size", "sha256", "status", "progress", "finished_at"])
    return job


def _fail(job: DocumentJob, message: str) -> DocumentJob:
    job.status, job.error, job.finished_at = DocumentJob.Status.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def mark_failed(job_id: int, message: str, *, detail: str = "") -> None:
    """`message` is for the person who asked (empty: an unexpected failure), `detail` for coordinators."""
    DocumentJob.objects.filter(pk=job_id).exclude(status=DocumentJob.Status.DONE).update(
        status=DocumentJob.Status.FAILED, error=message, error_detail=detail, finished_at=timezone.now()
    )


def fan_out(job: DocumentJob) -> DocumentJob:
    from .tasks import assemble_document, render_part

    ids, skipped = FAN_OUTS[job.kind].parts(job)
    job.params = {**job.params, "parts": ids, "skipped": skipped}
    job.save(update_fields=["params"])
    made = FAN_OUTS[job.kind].rendered(ids)
    for part in ids:
        if part not in made:
            render_part.delay(job.kind, part)
    assemble_document.apply_async(args=[job.pk], countdown=0.5)
    return job


def render_part(kind: str, part: int) -> None:
    FAN_OUTS[kind].render_part(part)


def assemble(job_id: int) -> bool:
    """Pack a fanned-out document once every part is rendered. Returns False while some are missing, after
    moving the progress bar on, so that the task can look again shortly."""
    job = DocumentJob.objects.get(pk=job_id)
    if job.status != DocumentJob.Status.RUNNING:
        return True
    fan = FAN_OUTS[job.kind]
    ids = job.params["parts"]
    rendered = len(fan.rendered(ids))
    if rendered < len(ids):
        progress(job, int(90 * rendered / len(ids)))
        return False
    with translation.override(job.language or settings.LANGUAGE_CODE):
        content, filename = fan.assemble(job, ids, job.params.get("skipped", []))
    _finish(job, content, filename)
    return True
