"""Private files (learners' files, application documents, receipts, generated documents): one way to keep an
upload (`store`) and one way to hand a file out (`serve`).

`store` checks the upload by its first bytes (never its name), keeps it under a random name in
STORAGES["private"] and records it in one transaction; nothing is kept when anything fails. `serve` comes after
the permission check: the caller passes the name of a file whose record it fetched through its access helper.
Every download is an attachment with a safe Content-Disposition (RFC 6266: `filename*` for names outside
ASCII), `Cache-Control: private, no-store` (no proxy or browser cache keeps a learner's scan) and
`X-Content-Type-Options: nosniff`.
"""

import uuid
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Checked against the file's first bytes, never its name or the browser's word for it.
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class PrivateFile(models.Model):
    """An uploaded file kept in the private storage under a random name, with what the uploader called it."""

    path = models.CharField(max_length=200, unique=True, editable=False)  # inside STORAGES["private"]
    original_name = models.CharField(gettext_lazy("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(gettext_lazy("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def extension(self) -> str:
        return PurePosixPath(self.path).suffix.lstrip(".")


def check_upload(upload: Any) -> tuple[str, str]:
    """The file's real type and extension, or a ValidationError that says what is wrong. Reads only the head."""
    limit = settings.LEARNER_FILE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Scan at a lower resolution or split it.")
            % {"size": f"{upload.size / 1_000_000:.1f}", "limit": f"{limit / 1_000_000:.0f}"}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("Only PDF, JPEG and PNG files are accepted; this file is not one of them, whatever its name says.")
        )
    return kind.mime, ALLOWED_TYPES[kind.mime]


def store[Stored: PrivateFile](
    model: type[Stored],
    upload: Any,
    *,
    folder: str,
    then: Callable[[Stored], None] | None = None,
    **fields: Any,
) -> Stored:
    """Check `upload`, keep it as `<folder>/<random>.<ext>` and create its `model` record with `fields`; `then`
    runs in the same transaction (a log line, say). If anything fails, neither file nor record is kept."""
    mime, extension = check_upload(upload)
    storage = storages["private"]
    path = storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", upload)
    try:
        with transaction.atomic():
            record = model.objects.create(
                path=path,
                original_name=(upload.name or "")[-200:],
                content_type=mime,
                size=upload.size or 0,
                **fields,
            )
            if then is not None:
                then(record)
    except Exception:
        storage.delete(path)
        raise
    return record


def protect(response: HttpResponse, filename: str | None = None) -> HttpResponse:
    """The headers every private download carries; `filename` makes it an attachment under that name."""
    if filename is not None:
        response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve(name: str, *, filename: str, content_type: str | None = None, storage: Storage | None = None) -> FileResponse:
    """The file `name` of the private storage (or `storage`) as a download called `filename`; 404 when there is
    no such file. The caller has checked that the user may have it."""
    storage = storage if storage is not None else storages["private"]
    if not name or not storage.exists(name):
        raise Http404
    response = FileResponse(storage.open(name, "rb"), as_attachment=True, filename=filename, content_type=content_type)
    protect(response)
    return response
