"""Access-matrix entries for the conference app; merged into ROUTES by test_access.py.

Public pages answer everyone the same; the office pages admit coordinators and staff, and only coordinators
change anything (the check-in included)."""

from datetime import datetime

from django.utils import timezone

from conference.models import Event, Registration

from .access_expect import expect
from .sites import site_args

EVERYONE = expect(200, 200, 200, 200, 200)
NO_POST = expect(405, 405, 405, 405, 405)
REDIRECT = expect(302, 302, 302, 302, 302)
OFFICE = expect(302, 403, 403, 200, 200)
OFFICE_POST = expect(302, 403, 403, 405, 405)
COORDINATOR = expect(302, 403, 403, 403, 200)
NOT_ALLOWED_GET = expect(302, 403, 403, 403, 405)


def an_event(world, published=True):
    event, _created = Event.objects.get_or_create(
        project=world.project,
        title="Final conference",
        defaults={
            "starts_at": timezone.make_aware(datetime(2027, 5, 20, 9, 30)),
            "ends_at": timezone.make_aware(datetime(2027, 5, 20, 13, 30)),
            "venue": "Festivity hall",
            "address": "Strada Mioriței 12",
            "city": "Bacău",
            "capacity": 50,
            "published": published,
        },
    )
    return event


def a_registration(world):
    """A fresh confirmed registration each time: a POST to its cancel page cancels it."""
    event = an_event(world)
    number = Registration.objects.count()
    return Registration.objects.create(
        event=event,
        name="Ștefania Bîrlădeanu",
        email=f"stefania{number}@example.ro",
        type=Registration.Type.EMPLOYER,
        status=Registration.Status.CONFIRMED,
    )


def attended(world):
    """A registrant checked in at the desk: their code opens their own certificate page."""
    registration = a_registration(world)
    Registration.objects.filter(pk=registration.pk).update(
        checked_in_at=timezone.now(), checked_in_by=world.coordinator
    )
    return {"code": registration.code}


def attended_with_certificate(world):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from documents.models import DocumentJob

    code = attended(world)["code"]
    registration = Registration.objects.get(code=code)
    job = DocumentJob.objects.create(
        kind=DocumentJob.Kind.CONFERENCE_CERTIFICATE,
        params={"registration": registration.pk},
        title="Certificate of attendance",
        requested_by=world.coordinator,
        status=DocumentJob.Status.DONE,
        filename="attendance.pdf",
        file=storages["private"].save(f"documents/test/{code}.pdf", ContentFile(b"%PDF-1.7 test")),
    )
    Registration.objects.filter(pk=registration.pk).update(certificate_job=job)
    return {"code": code}


def by_code(world):
    return {"code": a_registration(world).code}


def event_pk(world):
    return {"pk": an_event(world).pk}


CONFERENCE_ROUTES = {
    # The public pages are on the project's site (/p/<site>/conference/...).
    "conference:event": (site_args(), EVERYONE, NO_POST),
    # An empty POST shows the form again with its errors and stores nothing.
    "conference:register": (site_args(event_pk), EVERYONE, EVERYONE),
    "conference:register_done": (site_args(event_pk), EVERYONE, NO_POST),
    "conference:registered": (site_args(by_code), EVERYONE, NO_POST),
    # The confirm POST cancels (and says so on the page).
    "conference:cancel": (site_args(by_code), EVERYONE, EVERYONE),
    # The attendee's own certificate, by code: anyone holding the code, signed in or not.
    "conference:my_certificate": (site_args(attended), EVERYONE, expect(302, 302, 302, 302, 302)),
    "conference:my_certificate_download": (site_args(attended_with_certificate), EVERYONE, NO_POST),
    # The addresses of the time of one site send everyone on to the owning project's site.
    "conference:legacy_event": (None, REDIRECT, REDIRECT),
    "conference:legacy_register": (event_pk, REDIRECT, REDIRECT),
    "conference:legacy_register_done": (event_pk, REDIRECT, REDIRECT),
    "conference:legacy_registered": (by_code, REDIRECT, REDIRECT),
    "conference:legacy_cancel": (by_code, REDIRECT, REDIRECT),
    "conference:legacy_my_certificate": (attended, REDIRECT, REDIRECT),
    "conference:manage": (None, OFFICE, OFFICE_POST),
    "conference:event_create": (None, COORDINATOR, COORDINATOR),
    "conference:manage_event": (event_pk, OFFICE, OFFICE_POST),
    "conference:event_edit": (event_pk, COORDINATOR, COORDINATOR),
    # An empty POST lacks the formset's management form: the page comes back with the error.
    "conference:agenda": (event_pk, COORDINATOR, COORDINATOR),
    "conference:speakers": (event_pk, COORDINATOR, COORDINATOR),
    "conference:registrations": (event_pk, OFFICE, OFFICE_POST),
    "conference:check_in": (event_pk, COORDINATOR, expect(302, 403, 403, 403, 405)),
    "conference:check_in_toggle": (
        lambda w: {"pk": a_registration(w).pk},
        NOT_ALLOWED_GET,
        expect(302, 403, 403, 403, 302),
    ),
}
