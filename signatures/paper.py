"""The paper route, for whoever cannot sign on a phone: the week's sheet is printed, signed by hand, scanned
and uploaded. A scan is kept only if it is a PDF by its first bytes and pypdf reads it (pages and all); anything
else is refused with a sentence that says what to do, and nothing is kept."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.private_files import store

from .models import PaperSheet

log = logging.getLogger(__name__)


def check_scan(upload):
    """Raises ValidationError unless `upload` is a readable PDF with at least one page."""
    if upload is None:
        raise ValidationError(_("Choose the scanned sheet: a PDF file."))
    limit = settings.LEARNER_FILE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Scan at a lower resolution or split it.")
            % {"size": f"{upload.size / 1_000_000:.1f}", "limit": f"{limit / 1_000_000:.0f}"}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
        raise ValidationError(
            _(
                "A signed sheet is accepted as a PDF only, and this file is not a PDF, whatever its name says. "
                "Scan the sheet to PDF (most phone scanner apps can) and upload that file."
            )
        )
    from pypdf import PdfReader

    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("The PDF is protected by a password: save it without one and upload it again."))
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 (reading each page's size reads each page)
    except ValidationError:
        raise
    except Exception as error:
        log.info("a scanned sheet could not be read as a PDF: %s", error)
        raise ValidationError(
            _(
                "The file begins like a PDF but cannot be read as one: it may be damaged or cut short. "
                "Scan the sheet again and upload the new file."
            )
        ) from error
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError(_("The PDF has no page. Scan the sheet again and upload the new file."))
    return pages


def keep_scan(*, user, placement, monday, upload):
    check_scan(upload)
    return store(PaperSheet, upload, folder="signed-sheets", placement=placement, week_start=monday, uploaded_by=user)
