"""The conference's rules: registering within capacity, the waiting list, cancelling, check-in, figures.

Every change of who holds a place locks the event's row first (select_for_update), so that two people
registering at once, or a cancellation racing a registration, can never put more people on the confirmed list
than there are places. Emails go through the outbox, which sends them after the transaction commits: nobody is
told about a place they do not have, and a mail server that is down delays an email, never the answer.

Registering answers alike for a new address and one already registered (the form must not tell who is
registered): the person learns which by email, sent to that address only.
"""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.throttling import RateLimit
from outbox import services as outbox

from .models import Event, Registration

Status = Registration.Status

# At most this many registrations from one address in RATE_WINDOW seconds (a school registering its
# teachers one by one stays well under it; a script does not).
RATE_LIMIT = 5
RATE_WINDOW = 60 * 60
# Someone typing another person's address again and again sends them at most one "already registered" email in
# this many seconds.
ALREADY_REGISTERED_EMAIL_EVERY = 60 * 60
# Counted in the shared cache, so that every web process sees the same count.
REGISTRATIONS_PER_ADDRESS = RateLimit("conference-registrations", limit=RATE_LIMIT, window=RATE_WINDOW)


class RegistrationRefused(Exception):
    """A registration that cannot be accepted, with a message for the person registering."""


def places_left(event, confirmed=None):
    if confirmed is None:
        confirmed = event.registrations.filter(status=Status.CONFIRMED).count()
    return max(event.capacity - confirmed, 0)


def is_open(event, now=None):
    return event.published and event.registration_open and (now or timezone.now()) < event.ends_at


def rate_limited(address, event_id):
    # Counted per conference, so per project's site: one site's crowd never closes another's registration.
    return REGISTRATIONS_PER_ADDRESS.exceeded((event_id, address or "unknown"))


def _count_for_rate(address, event_id):
    REGISTRATIONS_PER_ADDRESS.count((event_id, address or "unknown"))


def register(event_id, data, address=None):
    """Register someone (data: the form's cleaned data); confirmed while places last, otherwise waiting.
    An address already registered for the event is not registered again: its owner gets an email saying so,
    and the caller answers as for a new registration. Returns the (new or existing) registration, or None in the
    rare race where the existing one was cancelled meanwhile.
    Raises RegistrationRefused, and stores nothing, when registration is closed or the address has registered
    too often."""
    if rate_limited(address, event_id):
        raise RegistrationRefused(_("Too many registrations from your connection. Please try again in an hour."))
    email = data["email"].strip().lower()
    try:
        registration = _register(event_id, data, email)
    except IntegrityError:  # the same email registered a moment ago by another request
        registration = _already_registered(event_id, email)
    _count_for_rate(address, event_id)
    return registration


def _register(event_id, data, email):
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        if not is_open(event):
            raise RegistrationRefused(_("Registration for this conference is closed."))
        if event.registrations.active().filter(email__iexact=email).exists():
            return _already_registered(event_id, email)
        confirmed = event.registrations.filter(status=Status.CONFIRMED).count()
        registration = Registration.objects.create(
            event=event,
            name=data["name"],
            email=email,
            organisation=data.get("organisation", ""),
            type=data["type"],
            local_employer=bool(data.get("local_employer")) and data["type"] == Registration.Type.EMPLOYER,
            accessibility_needs=data.get("accessibility_needs", ""),
            status=Status.CONFIRMED if confirmed < event.capacity else Status.WAITING,
            # Emails speak the language the person registered in, also when someone else's cancellation
            # promotes them.
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        send_registration_email(registration, "confirmation")
    return registration


def _already_registered(event_id, email):
    """Tell the owner of the address that they are registered already (their code and how to cancel), at most
    once an hour; nothing is changed."""
    with transaction.atomic():
        registration = (
            Registration.objects.active().select_related("event").filter(event_id=event_id, email__iexact=email).first()
        )
        if registration is None:  # cancelled between the two requests: nothing to tell
            return None
        since = timezone.now() - timedelta(seconds=ALREADY_REGISTERED_EMAIL_EVERY)
        told = outbox.OutgoingMessage.objects.filter(
            reference=outbox.reference_to(registration),
            purpose=outbox.Purpose.CONFERENCE_ALREADY_REGISTERED,
            created_at__gte=since,
        )
        if not told.exists():
            send_registration_email(registration, "already_registered")
    return registration


def cancel(code):
    """Cancel the registration with this code; a confirmed place goes to the first on the waiting list, in the
    same transaction. Returns (registration, promoted registration or None). Cancelling twice changes nothing."""
    with transaction.atomic():
        event_id = Registration.objects.filter(code=code).values_list("event_id", flat=True).first()
        if event_id is None:
            raise Registration.DoesNotExist
        event = Event.objects.select_for_update().get(pk=event_id)
        registration = Registration.objects.select_for_update().get(code=code)
        if registration.status == Status.CANCELLED:
            return registration, None
        held_place = registration.status == Status.CONFIRMED
        registration.status, registration.cancelled_at = Status.CANCELLED, timezone.now()
        registration.checked_in_at, registration.checked_in_by, registration.certificate_job = None, None, None
        registration.save(update_fields=["status", "cancelled_at", "checked_in_at", "checked_in_by", "certificate_job"])
        promoted = _promote(event) if held_place else None
    return registration, promoted


def _promote(event):
    """Give free places to those waiting longest; the caller holds the event's lock. Returns the first promoted."""
    free = places_left(event)
    waiting = list(
        event.registrations.select_for_update().filter(status=Status.WAITING).order_by("created_at", "pk")[:free]
    )
    for registration in waiting:
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status"])
        send_registration_email(registration, "promoted")
    return waiting[0] if waiting else None


def update_capacity(event):
    """After a coordinator raised the number of places: promote as many as now fit."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        return _promote(locked)


def check_in(registration_id, user, undo=False):
    """Mark a confirmed registrant as arrived (or undo it). Returns the registration; raises
    RegistrationRefused for someone without a confirmed place."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("event").get(pk=registration_id)
        if undo:
            registration.checked_in_at, registration.checked_in_by = None, None
            registration.certificate_job = None
        elif registration.status != Status.CONFIRMED:
            raise RegistrationRefused(_("Only someone with a confirmed place can be checked in."))
        elif registration.checked_in_at is None:
            registration.checked_in_at, registration.checked_in_by = timezone.now(), user
        registration.save(update_fields=["checked_in_at", "checked_in_by", "certificate_job"])
    return registration


def request_own_certificate(registration):
    """The attendee asks for their certificate with their code. The job is recorded in the name of whoever
    checked them in (a job needs someone responsible, and that coordinator may see it); asking again while one
    is on its way or done hands back the same job. Returns the job."""
    from documents.jobs import request_document
    from documents.models import DocumentJob

    if registration.checked_in_at is None or registration.checked_in_by is None:
        raise RegistrationRefused(_("A certificate of attendance is issued once you are checked in at the desk."))
    with transaction.atomic():
        locked = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("certificate_job")
            .get(pk=registration.pk)
        )
        job = locked.certificate_job
        if job is None or job.status == DocumentJob.Status.FAILED:
            job = request_document(
                locked.checked_in_by,
                DocumentJob.Kind.CONFERENCE_CERTIFICATE,
                {"registration": locked.pk, "asked_by_attendee": True},
                _("Certificate of attendance of %(name)s (asked for by the attendee)") % {"name": locked.name},
            )
            locked.certificate_job = job
            locked.save(update_fields=["certificate_job"])
    return job


# Emails


PURPOSES = {
    "confirmation": outbox.Purpose.CONFERENCE_REGISTRATION,
    "promoted": outbox.Purpose.CONFERENCE_PLACE_FREED,
    "already_registered": outbox.Purpose.CONFERENCE_ALREADY_REGISTERED,
}


def send_registration_email(registration, kind):
    """kind: "confirmation" (just registered, confirmed or waiting), "promoted" (a place freed up) or
    "already_registered" (someone registered the address again). Sent by the outbox after the commit."""
    language = registration.language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject, body = _registration_email(registration, kind)
    outbox.send(
        to=registration.email,
        subject=subject,
        body=body,
        purpose=PURPOSES[kind],
        language=language,
        reference=outbox.reference_to(registration),
        school_id=outbox.school_of(registration),
    )


def _registration_email(registration, kind):
    site = settings.SITE_URL.rstrip("/")
    context = {
        "registration": registration,
        "event": registration.event,
        "confirmation_url": site + registration.get_confirmation_url(),
        "cancel_url": site + registration.get_cancel_url(),
    }
    title = {"event": registration.event.title}
    if kind == "promoted":
        subject = _("A place is free for you: %(event)s") % title
    elif kind == "already_registered":
        subject = _("You are already registered for %(event)s") % title
    elif registration.status == Status.CONFIRMED:
        subject = _("Your place at %(event)s") % title
    else:
        subject = _("You are on the waiting list for %(event)s") % title
    return subject, render_to_string(f"conference/email/{kind}.txt", context)


# Figures for the coordinator's page and the final report


def figures(project):
    """Registrations and attendance by type of organisation for the project's conferences, with local
    employers counted apart: the project's aim is to involve local economic agents. Counts only.

    "Registered" counts everyone who still wants to come (confirmed or waiting); "attended", those checked in."""
    events = list(Event.objects.filter(project=project).order_by("starts_at", "pk"))
    rows = Registration.objects.filter(event__project=project).values_list(
        "event_id", "type", "local_employer", "status", "checked_in_at"
    )
    registered, attended, per_event = Counter(), Counter(), Counter()
    local = {"registered": 0, "attended": 0}
    waiting = cancelled = 0
    for event_id, kind, is_local, status, checked_in_at in rows:
        if status == Status.CANCELLED:
            cancelled += 1
            continue
        waiting += status == Status.WAITING
        registered[kind] += 1
        local["registered"] += is_local
        if checked_in_at is not None:
            attended[kind] += 1
            per_event[event_id] += 1
            local["attended"] += is_local
    types = [
        {"type": value, "label": str(label), "registered": registered[value], "attended": attended[value]}
        for value, label in Registration.Type.choices
    ]
    return {
        "events": [
            {
                "title": e.title,
                "date": timezone.localtime(e.starts_at).date().isoformat(),
                "city": e.city,
                "capacity": e.capacity,
                "attended": per_event[e.pk],
            }
            for e in events
        ],
        "types": types,
        "local_employers": local,
        "total": {"registered": sum(registered.values()), "attended": sum(attended.values())},
        "waiting": waiting,
        "cancelled": cancelled,
    }


def dissemination_entries(found):
    """The conferences of `figures` as dissemination activities of the final report (reports.final_report)."""
    audience = ", ".join(f"{t['label']}: {t['attended']}" for t in found["types"] if t["attended"])
    return [
        {
            "date": event["date"],
            "kind": _("Final conference"),
            "title": f"{event['title']}, {event['city']}",
            "audience": audience if len(found["events"]) == 1 else "",
            "reached": event["attended"],
        }
        for event in found["events"]
    ]
