"""Access-matrix entries for the preparation app; merged into ROUTES by test_access.py.

The office reads readiness, sessions and policies; only coordinators change them. Mentors see none of it."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from preparation.models import PreparationSession

from .access_expect import expect

OFFICE = expect(302, 403, 403, 200, 200)
OFFICE_POST = expect(302, 403, 403, 405, 405)
COORDINATOR = expect(302, 403, 403, 403, 200)
NOT_ALLOWED_GET = expect(302, 403, 403, 403, 405)


def a_session(world):
    session, _created = PreparationSession.objects.get_or_create(
        placement=world.placement,
        title="Portuguese for the workshop",
        defaults={
            "topic": "language",
            "starts_at": timezone.make_aware(datetime(2027, 2, 1, 10)),
            "hours": Decimal(2),
            "trainer": "Ana Pereira",
        },
    )
    return {"pk": session.pk}


def placement_pk(world):
    return {"pk": world.placement.pk}


def assignment_pk(world):
    return {"pk": world.assignment.pk}


PREPARATION_ROUTES = {
    "preparation:overview": (None, OFFICE, OFFICE_POST),
    "preparation:flow": (placement_pk, OFFICE, OFFICE_POST),
    "preparation:plan": (placement_pk, COORDINATOR, COORDINATOR),
    # An empty POST lacks the formset's management form: the page comes back with the error.
    "preparation:insurance": (placement_pk, COORDINATOR, COORDINATOR),
    "preparation:session_create": (placement_pk, COORDINATOR, COORDINATOR),
    # Staff read the attendance; a coordinator's empty POST saves nothing and returns to the page.
    "preparation:session": (a_session, OFFICE, expect(302, 403, 403, 403, 302)),
    "preparation:session_edit": (a_session, COORDINATOR, COORDINATOR),
    "preparation:learner": (assignment_pk, OFFICE, OFFICE_POST),
    "preparation:consent_upload": (assignment_pk, NOT_ALLOWED_GET, COORDINATOR),
    "preparation:support_plan": (assignment_pk, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 302)),
}


def a_link(world):
    from common.tokens import issue
    from preparation.models import TripLink

    link, _created = TripLink.objects.get_or_create(
        assignment=world.assignment, revoked_at=None, defaults={"created_by": world.coordinator}
    )
    issue(link)  # only the hash is kept: a new token, as the coordinator's "New link" makes
    return link


def an_accommodation(world):
    from preparation.models import Accommodation

    place, _created = Accommodation.objects.get_or_create(
        placement=world.placement, name="Residencial Avenida", defaults={"address": "Av. da Liberdade 10, Braga"}
    )
    return {"pk": place.pk}


def an_incident(world):
    from preparation.models import Incident

    incident, _created = Incident.objects.get_or_create(
        placement=world.placement,
        kind="illness",
        defaults={
            "assignment": world.assignment,
            "occurred_at": timezone.make_aware(datetime(2027, 3, 3, 9)),
            "description": "Fever",
            "recorded_by": world.coordinator,
        },
    )
    return {"pk": incident.pk}


EVERYONE = expect(200, 200, 200, 200, 200)
NO_POST = expect(405, 405, 405, 405, 405)
PREPARATION_ROUTES.update(
    {
        "preparation:shared_notes": (assignment_pk, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 302)),
        "preparation:travel": (placement_pk, OFFICE, OFFICE_POST),
        "preparation:legs": (placement_pk, COORDINATOR, COORDINATOR),
        "preparation:accommodation": (placement_pk, COORDINATOR, COORDINATOR),
        "preparation:rooms": (an_accommodation, COORDINATOR, COORDINATOR),
        "preparation:links": (placement_pk, COORDINATOR, expect(302, 403, 403, 403, 405)),
        "preparation:link_create": (assignment_pk, NOT_ALLOWED_GET, COORDINATOR),  # the new link, shown once
        "preparation:links_sheet": (placement_pk, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 200)),
        "preparation:link_revoke": (lambda w: {"pk": a_link(w).pk}, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 302)),
        # The learner's own page: anyone holding the token, signed in or not.
        "trip:my_trip": (lambda w: {"token": a_link(w).token}, EVERYONE, NO_POST),
        "preparation:emergency": (placement_pk, COORDINATOR, expect(302, 403, 403, 403, 405)),
        "preparation:incidents": (placement_pk, COORDINATOR, expect(302, 403, 403, 403, 405)),
        "preparation:incident_create": (placement_pk, COORDINATOR, COORDINATOR),
        "preparation:incident": (an_incident, COORDINATOR, COORDINATOR),
        "preparation:incident_withdraw": (an_incident, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 302)),
    }
)
