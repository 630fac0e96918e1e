"""The access matrix: every URL the project defines, for every role, GET and POST.

A URL without an entry in ROUTES fails `test_every_url_has_an_entry`, so a new page cannot ship
without its permissions being stated and tested here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access_expect import ADMINS_ONLY, ROLES, expect
from .access_routes_accounts import ACCOUNTS_ROUTES
from .access_routes_alumni import ALUMNI_ROUTES
from .access_routes_assessments import ASSESSMENT_ROUTES
from .access_routes_conference import CONFERENCE_ROUTES
from .access_routes_credentials import CREDENTIALS_ROUTES
from .access_routes_employers import EMPLOYERS_ROUTES
from .access_routes_feedback import FEEDBACK_ROUTES
from .access_routes_grants import GRANTS_ROUTES
from .access_routes_notifications import NOTIFICATIONS_ROUTES
from .access_routes_offline import OFFLINE_ROUTES
from .access_routes_openfigures import OPENFIGURES_ROUTES
from .access_routes_outbox import OUTBOX_ROUTES
from .access_routes_preparation import PREPARATION_ROUTES
from .access_routes_privacy import PRIVACY_ROUTES
from .access_routes_public import PUBLIC_ROUTES
from .access_routes_selection import SELECTION_ROUTES
from .access_routes_signatures import SIGNATURES_ROUTES
from .access_routes_transfers import TRANSFERS_ROUTES
from .sites import is_site_redirect

READ_ALL = expect(302, 200, 200, 200, 200)
READ_OWN = expect(302, 404, 200, 200, 200)  # a mentor reaches only their own learners and placements
OFFICE = expect(302, 403, 403, 200, 200)
COORDINATOR = expect(302, 403, 403, 403, 200)
NOT_ALLOWED_GET = expect(302, 403, 403, 403, 405)


def as_post(get, ok):
    """POST with empty data: the coordinator gets `ok`; roles admitted to a read-only view get 405 before any
    object is looked up; the rest get what GET gives them."""
    return {
        role: (ok if role == "coordinator" else (405 if code in (200, 404) else code)) for role, code in get.items()
    }


# name: (kwargs from the world, GET expectations, POST-with-empty-data expectations)
ROUTES = {
    "dashboard": (None, READ_ALL, as_post(READ_ALL, 405)),
    "health": (None, expect(200, 200, 200, 200, 200), expect(200, 200, 200, 200, 200)),
    # Public, for monitoring; read-only. /metrics answers only to METRICS_ALLOWED_IPS: the test client's
    # 127.0.0.1 is one (test_ops.py tries another address).
    "health_status": (None, expect(200, 200, 200, 200, 200), expect(405, 405, 405, 405, 405)),
    "metrics": (None, expect(200, 200, 200, 200, 200), expect(405, 405, 405, 405, 405)),
    "login": (None, expect(200, 302, 302, 302, 302), expect(200, 302, 302, 302, 302)),
    "logout": (None, expect(405, 405, 405, 405, 405), expect(302, 302, 302, 302, 302)),
    "set_language": (None, expect(302, 302, 302, 302, 302), expect(302, 302, 302, 302, 302)),
    "accounts:user_list": (None, COORDINATOR, as_post(COORDINATOR, 405)),
    "accounts:user_create": (None, COORDINATOR, as_post(COORDINATOR, 200)),
    "accounts:user_edit": (lambda w: {"pk": w.mentor.pk}, COORDINATOR, as_post(COORDINATOR, 200)),
    "accounts:password_change": (None, READ_ALL, as_post(READ_ALL, 200) | {r: 200 for r in ROLES[1:]}),
    "accounts:password_change_done": (None, READ_ALL, as_post(READ_ALL, 405) | {r: 405 for r in ROLES[1:]}),
    "participants:list": (None, READ_ALL, as_post(READ_ALL, 405)),
    "participants:create": (None, COORDINATOR, as_post(COORDINATOR, 200)),
    "participants:detail": (lambda w: {"pk": w.learner.pk}, READ_OWN, as_post(READ_OWN, 405)),
    "participants:edit": (lambda w: {"pk": w.learner.pk}, COORDINATOR, as_post(COORDINATOR, 200)),
    "participants:archive": (lambda w: {"pk": w.learner.pk}, COORDINATOR, as_post(COORDINATOR, 302)),
    "participants:restore": (lambda w: {"pk": w.learner.pk}, NOT_ALLOWED_GET, as_post(COORDINATOR, 302)),
    "placements:project_list": (None, OFFICE, as_post(OFFICE, 405)),
    "placements:project_create": (None, COORDINATOR, as_post(COORDINATOR, 200)),
    "placements:project_detail": (lambda w: {"pk": w.project.pk}, OFFICE, as_post(OFFICE, 405)),
    "placements:project_edit": (lambda w: {"pk": w.project.pk}, COORDINATOR, as_post(COORDINATOR, 200)),
    "placements:organisation_list": (None, OFFICE, as_post(OFFICE, 405)),
    "placements:organisation_create": (None, COORDINATOR, as_post(COORDINATOR, 200)),
    "placements:organisation_detail": (lambda w: {"pk": w.host.pk}, OFFICE, as_post(OFFICE, 405)),
    "placements:organisation_edit": (lambda w: {"pk": w.host.pk}, COORDINATOR, as_post(COORDINATOR, 200)),
    "placements:qualification_list": (None, OFFICE, as_post(OFFICE, 405)),
    "placements:qualification_create": (None, COORDINATOR, as_post(COORDINATOR, 200)),
    "placements:qualification_edit": (
        lambda w: {"pk": w.placement.qualification_id},
        COORDINATOR,
        as_post(COORDINATOR, 200),
    ),
    "placements:list": (None, READ_ALL, as_post(READ_ALL, 405)),
    "placements:create": (None, COORDINATOR, as_post(COORDINATOR, 200)),
    "placements:placement_detail": (lambda w: {"pk": w.placement.pk}, READ_OWN, as_post(READ_OWN, 405)),
    "placements:edit": (lambda w: {"pk": w.placement.pk}, COORDINATOR, as_post(COORDINATOR, 200)),
    "placements:assign": (lambda w: {"pk": w.placement.pk}, NOT_ALLOWED_GET, as_post(COORDINATOR, 400)),
    "placements:set_hosts": (lambda w: {"pk": w.placement.pk}, NOT_ALLOWED_GET, as_post(COORDINATOR, 400)),
    "placements:assignment_edit": (lambda w: {"pk": w.assignment.pk}, COORDINATOR, as_post(COORDINATOR, 200)),
}

RECORDERS_ONLY = expect(302, 200, 200, 403, 200)
POST_ONLY_RECORDERS = expect(302, 405, 405, 403, 405)
READ_OWN_POST = expect(302, 405, 405, 405, 405)  # read views refuse POST before looking anything up


def signoff_pk(world):
    from attendance.models import WeekSignoff

    signoff, _ = WeekSignoff.objects.get_or_create(
        placement=world.placement, mentor=world.mentor, week_start=world.placement.start_date
    )
    return {"pk": signoff.pk}


def present_status(world):
    from attendance.models import AttendanceStatus

    return {"pk": AttendanceStatus.objects.get(code="present").pk}


def week(world):
    return {"pk": world.placement.pk, "day": f"{world.placement.start_date:%Y-%m-%d}"}


ROUTES.update(
    {
        "attendance:today": (None, RECORDERS_ONLY, expect(302, 405, 405, 403, 405)),
        "attendance:all_present": (None, POST_ONLY_RECORDERS, expect(302, 302, 302, 403, 302)),
        "attendance:learner": (lambda w: {"pk": w.assignment.pk}, READ_OWN, READ_OWN_POST),
        "attendance:record_day": (
            lambda w: {"pk": w.assignment.pk, "day": f"{w.placement.start_date:%Y-%m-%d}"},
            POST_ONLY_RECORDERS,
            expect(302, 404, 302, 403, 302),
        ),
        "attendance:placement": (lambda w: {"pk": w.placement.pk}, READ_OWN, READ_OWN_POST),
        "attendance:current_week": (lambda w: {"pk": w.placement.pk}, expect(302, 404, 302, 302, 302), READ_OWN_POST),
        "attendance:week": (week, READ_OWN, expect(302, 404, 302, 403, 302)),
        "attendance:submit_week": (week, POST_ONLY_RECORDERS, expect(302, 404, 302, 403, 404)),
        "attendance:work_pattern": (lambda w: {"pk": w.placement.pk}, COORDINATOR, as_post(COORDINATOR, 200)),
        "attendance:approve": (signoff_pk, NOT_ALLOWED_GET, as_post(COORDINATOR, 302)),
        "attendance:reopen": (signoff_pk, NOT_ALLOWED_GET, as_post(COORDINATOR, 302)),
        "attendance:status_list": (None, OFFICE, as_post(OFFICE, 405)),
        "attendance:status_edit": (present_status, ADMINS_ONLY, ADMINS_ONLY),
    }
)


def mentors_job(world, done=False):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from documents.models import DocumentJob

    job = DocumentJob.objects.create(
        kind="certificate", params={"assignment": world.assignment.pk}, title="Certificate", requested_by=world.mentor
    )
    if done:
        job.file = storages["private"].save(f"documents/test/{job.pk}.pdf", ContentFile(b"%PDF-1.7 test"))
        job.status, job.filename = "done", "certificate.pdf"
        job.save()
    return {"pk": job.pk}


def a_certificate(world):
    from django.utils import timezone

    from reports.models import Certificate

    certificate, _ = Certificate.objects.get_or_create(
        assignment=world.assignment,
        defaults={"number": "TEST-0001", "data": {}, "issued_at": timezone.now(), "issued_by": world.coordinator},
    )
    return {"pk": certificate.pk}


def a_verification_code(world):
    from reports.models import Certificate

    a_certificate(world)
    return {"code": Certificate.objects.get().verification_code}


OWN_JOB = expect(302, 404, 200, 404, 200)  # a job is seen by who asked for it, and by coordinators
ROUTES.update(
    {
        "documents:documents": (None, READ_ALL, as_post(READ_ALL, 405)),
        "documents:job": (mentors_job, OWN_JOB, READ_OWN_POST),
        "documents:retry": (mentors_job, READ_OWN_POST, expect(302, 404, 302, 404, 302)),
        "documents:download": (lambda w: mentors_job(w, done=True), OWN_JOB, READ_OWN_POST),
        "reports:request_certificate": (
            lambda w: {"pk": w.assignment.pk},
            READ_OWN_POST,
            expect(302, 404, 302, 302, 302),
        ),
        "reports:request_placement_certificates": (
            lambda w: {"pk": w.placement.pk},
            expect(302, 403, 403, 405, 405),
            expect(302, 403, 403, 302, 302),
        ),
        "documents:request": (
            lambda w: {"kind": "learning-agreement", "pk": w.assignment.pk},
            READ_OWN_POST,
            expect(302, 404, 302, 302, 302),
        ),
        "reports:revoke": (a_certificate, NOT_ALLOWED_GET, as_post(COORDINATOR, 302)),
        "reports:verify": (a_verification_code, expect(200, 200, 200, 200, 200), expect(405, 405, 405, 405, 405)),
    }
)
ROUTES.update(ACCOUNTS_ROUTES)
ROUTES.update(ASSESSMENT_ROUTES)
ROUTES.update(PUBLIC_ROUTES)
ROUTES.update(CONFERENCE_ROUTES)
ROUTES.update(PRIVACY_ROUTES)
ROUTES.update(TRANSFERS_ROUTES)
ROUTES.update(OUTBOX_ROUTES)
ROUTES.update(GRANTS_ROUTES)
ROUTES.update(SELECTION_ROUTES)
ROUTES.update(PREPARATION_ROUTES)
ROUTES.update(FEEDBACK_ROUTES)
ROUTES.update(ALUMNI_ROUTES)
ROUTES.update(EMPLOYERS_ROUTES)
ROUTES.update(NOTIFICATIONS_ROUTES)
ROUTES.update(CREDENTIALS_ROUTES)
ROUTES.update(OPENFIGURES_ROUTES)
ROUTES.update(OFFLINE_ROUTES)
ROUTES.update(SIGNATURES_ROUTES)

# Django's admin guards itself (is_staff); it is for the IT person, not part of the app's roles.
EXCLUDED_NAMESPACES = {"admin"}


def project_url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= project_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name, so it cannot be in the access matrix"
            names.add(prefix + pattern.name)
    return names


def test_every_url_has_an_entry():
    assert project_url_names() == set(ROUTES)


def url_for(world, name):
    kwargs_of = ROUTES[name][0]
    return reverse(name, kwargs=kwargs_of(world) if kwargs_of else None)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_role_gets_the_expected_answer(world, client_for, name):
    """GET, then POST with empty data, as each role in turn: the coordinator last, so that no successful
    write by an earlier role changes what a later one finds. Every mismatch is reported, not only the first."""
    url = url_for(world, name)
    _objects, get_expected, post_expected = ROUTES[name]
    wrong = []
    for role in ROLES:
        response = client_for(world.user(role)).get(url)
        if response.status_code != get_expected[role]:
            wrong.append(f"GET as {role}: {response.status_code}, expected {get_expected[role]}")
        elif (
            role == "anonymous"
            and response.status_code == 302
            and name != "set_language"
            and not is_site_redirect(name)
        ):
            if not response.url.startswith(reverse("login")):
                wrong.append(f"GET as anonymous redirects to {response.url}, not to the sign-in page")
        response = client_for(world.user(role)).post(url, {})
        if response.status_code != post_expected[role]:
            wrong.append(f"POST as {role}: {response.status_code}, expected {post_expected[role]}")
    assert not wrong, f"{name} ({url}): " + "; ".join(wrong)
