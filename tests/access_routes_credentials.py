"""Access-matrix entries for Europass Mobility documents and digital credentials; merged into ROUTES by
test_access.py. The office reads them, the coordinator drafts, edits and issues; mentors have no part; the
learner's own files answer their My trip link only, and only once issued (the world's is a draft: 404)."""

from .access_expect import expect

OFFICE = expect(302, 403, 403, 200, 200)
OFFICE_NO_POST = expect(302, 403, 403, 405, 405)
OFFICE_NOTHING_YET = expect(302, 403, 403, 404, 404)
COORDINATOR = expect(302, 403, 403, 403, 200)
POST_ONLY = expect(302, 403, 403, 403, 405)
POST_REDIRECTS = expect(302, 403, 403, 403, 302)
NOBODY_YET = expect(404, 404, 404, 404, 404)
NO_POST = expect(405, 405, 405, 405, 405)


def a_draft(world):
    """A learner's Europass Mobility in review, with the certificate it takes its facts from."""
    from credentials.models import EuropassMobility
    from reports.models import Certificate

    from .test_credentials import certificate_for

    certificate = Certificate.objects.filter(assignment=world.assignment).first() or certificate_for(world)
    europass, _created = EuropassMobility.objects.get_or_create(
        assignment=certificate.assignment, defaults={"activities": "Greased bearings", "job_skills": "Safety"}
    )
    return {"pk": europass.pk}


def a_file(world):
    return a_draft(world) | {"name": "pdf-en"}


def a_learner_file(world):
    from .access_routes_preparation import a_link

    a_draft(world)
    return {"token": a_link(world).token, "name": "pdf-ro"}


CREDENTIALS_ROUTES = {
    "credentials:flow": (lambda w: {"pk": w.placement.pk}, OFFICE, OFFICE_NO_POST),
    "credentials:flow_zip": (lambda w: {"pk": w.placement.pk}, OFFICE_NOTHING_YET, OFFICE_NO_POST),
    "credentials:draft": (lambda w: {"pk": w.assignment.pk}, POST_ONLY, POST_REDIRECTS),
    # An empty text is refused on the form (400); staff read the page but never write.
    "credentials:edit": (a_draft, OFFICE, expect(302, 403, 403, 403, 400)),
    "credentials:issue": (a_draft, COORDINATOR, POST_REDIRECTS),
    "credentials:make_files": (a_draft, POST_ONLY, POST_REDIRECTS),
    "credentials:data": (a_draft, OFFICE_NOTHING_YET, OFFICE_NO_POST),
    "credentials:file": (a_file, OFFICE_NOTHING_YET, OFFICE_NO_POST),
    "credentials:learner_file": (a_learner_file, NOBODY_YET, NO_POST),
}
