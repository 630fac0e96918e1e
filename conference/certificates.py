"""Certificates of attendance at the conference, rendered by the document engine (documents/) with WeasyPrint.

Only someone checked in at the desk has one. The personal code is never printed: it is the key to the
registration, and a certificate is a paper people show around.
"""

import io
import zipfile

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from documents.registry import NotIssuable

from .models import Event, Registration

ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def certificate_number(registration):
    return f"C{registration.event_id}-{registration.pk:04d}"


def certificate_context(registration):
    event = registration.event
    project = event.project
    return {
        "registration": registration,
        "event": event,
        "project": project,
        "school": project.sending_organisation,
        "number": certificate_number(registration),
        "day": timezone.localtime(event.starts_at).date(),
        "ends": timezone.localtime(event.ends_at).date(),
    }


def _filename(registration):
    return f"attendance-{certificate_number(registration)}-{slugify(registration.name) or 'attendee'}.pdf"


def render_certificate(registration):
    """(PDF bytes, filename) of one attendee's certificate; NotIssuable if they were not checked in."""
    from documents.rendering import render_pdf  # the worker renders; the web process need not load WeasyPrint

    if registration.checked_in_at is None or registration.status != Registration.Status.CONFIRMED:
        raise NotIssuable(
            _("%(name)s was not checked in at the conference: there is no attendance to certify.")
            % {"name": registration.name}
        )
    pdf = render_pdf(
        "reports/documents/conference_certificate.html",
        certificate_context(registration),
        language=settings.LANGUAGE_CODE,
    )
    return pdf, _filename(registration)


def _registrations():
    return Registration.objects.select_related("event__project__sending_organisation")


def certificate_pdf(registration_id):
    return render_certificate(_registrations().get(pk=registration_id))


def certificates_zip(event_id, progress=None):
    """Every checked-in attendee's certificate in one ZIP, by name."""
    event = Event.objects.get(pk=event_id)
    attendees = list(
        _registrations()
        .filter(event=event, status=Registration.Status.CONFIRMED, checked_in_at__isnull=False)
        .order_by("name", "pk")
    )
    if not attendees:
        raise NotIssuable(_("Nobody has been checked in at this conference yet."))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, registration in enumerate(attendees, start=1):
            pdf, filename = render_certificate(registration)
            info = zipfile.ZipInfo(filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, pdf)
            if progress:
                progress(int(95 * done / len(attendees)))
    return buffer.getvalue(), f"attendance-certificates-{slugify(event.title) or event.pk}.zip"
