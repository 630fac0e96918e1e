"""Access-matrix entries for the selection app; merged into ROUTES by test_access.py.

The public call page and application form answer everyone; the office reads the calls and applications and only
coordinators change them; the scoring pages open for members of that call's committee only (here the staff
account, so the coordinator, who is not a member, gets 404 like anyone outside the committee)."""

from datetime import timedelta

from django.utils import timezone

from selection.models import Application, Call, CallFlow, CommitteeMember, Criterion

from .access_expect import expect
from .sites import site_args

EVERYONE = expect(200, 200, 200, 200, 200)
NO_POST = expect(405, 405, 405, 405, 405)
OFFICE = expect(302, 403, 403, 200, 200)
OFFICE_POST = expect(302, 403, 403, 405, 405)
COORDINATOR = expect(302, 403, 403, 403, 200)
NOT_ALLOWED_GET = expect(302, 403, 403, 403, 405)
MEMBERS = expect(302, 403, 403, 200, 404)
MEMBERS_POST_ONLY = expect(302, 403, 403, 405, 405)


def a_call(world):
    today = timezone.localdate()
    call, created = Call.objects.get_or_create(
        project=world.project,
        title="Call 2026",
        defaults={
            "text_ro": "Apel",
            "text_en": "Call",
            "plain_ro": "Poți merge în Portugalia.",
            "plain_en": "You can go to Portugal.",
            "eligibility": "Enrolled in the qualification.",
            "opens_on": today - timedelta(days=5),
            "closes_on": today + timedelta(days=5),
            "decision_on": today + timedelta(days=10),
            "appeals_until": today + timedelta(days=15),
            "appeal_route": "Write to the director.",
            "published": True,
        },
    )
    if created:
        CallFlow.objects.create(call=call, placement=world.placement, places=1, reserve_places=1)
        Criterion.objects.create(call=call, name="Motivation", weight=2, max_score=4)
        CommitteeMember.objects.create(call=call, user=world.staff)
    return call


def an_application(world):
    call = a_call(world)
    application, _created = Application.objects.get_or_create(
        call=call,
        first_name="Ionuț",
        last_name="Lingurar",
        defaults={
            "placement": world.placement,
            "date_of_birth": "2006-05-01",
            "gender": "male",
            "qualification": world.placement.qualification,
        },
    )
    return application


def an_appeal_pk(world):
    from selection.models import Appeal

    appeal, _created = Appeal.objects.get_or_create(
        application=an_application(world), defaults={"received_on": "2026-10-06", "grounds": "My interview was short."}
    )
    return {"pk": appeal.pk}


def a_document_pk(world):
    """A school certificate: the staff account sits on the call's committee and opens it (an ID copy it would
    not: tests/test_selection_documents.py walks every role and kind)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from selection import services
    from selection.models import ApplicationDocument

    application = an_application(world)
    document = ApplicationDocument.objects.filter(application=application).first()
    if document is None:
        document = services.attach_document(
            application_id=application.pk,
            kind="school_certificate",
            description="",
            upload=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
            user_id=world.coordinator.pk,
        )
    return {"pk": document.pk}


def call_pk(world):
    return {"pk": a_call(world).pk}


def application_pk(world):
    return {"pk": an_application(world).pk}


SELECTION_ROUTES = {
    "selection:public_call": (site_args(call_pk), EVERYONE, NO_POST),
    "selection:legacy_public_call": (call_pk, expect(302, 302, 302, 302, 302), expect(302, 302, 302, 302, 302)),
    # An empty POST shows the form again with its errors and stores nothing.
    "selection:apply": (site_args(call_pk), EVERYONE, EVERYONE),
    "selection:legacy_apply": (call_pk, expect(302, 302, 302, 302, 302), expect(302, 302, 302, 302, 302)),
    "selection:apply_done": (site_args(call_pk), EVERYONE, NO_POST),
    "selection:legacy_apply_done": (call_pk, expect(302, 302, 302, 302, 302), expect(302, 302, 302, 302, 302)),
    "selection:calls": (None, OFFICE, OFFICE_POST),
    "selection:call_create": (None, COORDINATOR, COORDINATOR),
    "selection:call": (call_pk, OFFICE, OFFICE_POST),
    "selection:call_edit": (call_pk, COORDINATOR, COORDINATOR),
    "selection:flows": (call_pk, COORDINATOR, COORDINATOR),
    "selection:criteria": (call_pk, COORDINATOR, COORDINATOR),
    "selection:committee": (call_pk, COORDINATOR, COORDINATOR),
    "selection:applications": (call_pk, OFFICE, OFFICE_POST),
    "selection:application_new": (call_pk, COORDINATOR, COORDINATOR),
    # Refused (scores are missing): the coordinator is sent back to the call with the reason.
    "selection:rank": (call_pk, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 302)),
    # The page says what confirming does, or why it cannot be done yet; the POST does it.
    "selection:confirm": (call_pk, COORDINATOR, expect(302, 403, 403, 403, 302)),
    "selection:erase": (call_pk, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 302)),
    "selection:application": (application_pk, OFFICE, OFFICE_POST),
    "selection:replace": (application_pk, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 302)),
    "selection:appeal_new": (application_pk, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 302)),
    "selection:appeal_decide": (an_appeal_pk, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 302)),
    # An empty POST: the form comes back with its errors, nothing kept.
    "selection:document_add": (application_pk, COORDINATOR, expect(302, 403, 403, 403, 400)),
    "selection:document": (a_document_pk, OFFICE, OFFICE_POST),
    "selection:scoring": (call_pk, MEMBERS, MEMBERS_POST_ONLY),
    "selection:sign": (call_pk, MEMBERS_POST_ONLY, expect(302, 403, 403, 302, 404)),
    # An empty POST: the member's form comes back with its errors.
    "selection:score": (application_pk, MEMBERS, expect(302, 403, 403, 200, 404)),
    "selection:conflict": (application_pk, MEMBERS_POST_ONLY, expect(302, 403, 403, 302, 404)),
}
