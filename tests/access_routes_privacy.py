"""Access-matrix entries for the privacy app; merged into ROUTES by test_access.py."""

from .access_expect import expect

COORDINATOR = expect(302, 403, 403, 403, 200)
# An empty POST is an invalid form: the page comes back with its errors, nothing changes.
COORDINATOR_FORM_POST = expect(302, 403, 403, 403, 400)


def learner(world):
    return {"pk": world.learner.pk}


def id_scan(world):
    """An ID scan of the mentor's own learner: even that mentor never opens it, nor staff."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from privacy.models import LearnerFile, random_file_name

    path = storages["private"].save(random_file_name("pdf"), ContentFile(b"%PDF-1.4 scan"))
    learner_file = LearnerFile.objects.create(
        participant=world.learner,
        kind=LearnerFile.Kind.ID_SCAN,
        path=path,
        original_name="scan.pdf",
        content_type="application/pdf",
        size=13,
        uploaded_by=world.coordinator,
    )
    return {"pk": learner_file.pk}


PRIVACY_ROUTES = {
    "privacy:due": (None, COORDINATOR, expect(302, 403, 403, 403, 405)),
    "privacy:anonymise": (learner, COORDINATOR, COORDINATOR_FORM_POST),
    "privacy:withdraw_consent": (
        lambda w: {"pk": w.learner.pk, "kind": "publication"},
        COORDINATOR,
        COORDINATOR_FORM_POST,
    ),
    "privacy:file_add": (learner, COORDINATOR, COORDINATOR_FORM_POST),
    "privacy:file": (id_scan, expect(302, 404, 404, 404, 200), expect(302, 405, 405, 405, 405)),
    "privacy:file_delete": (id_scan, COORDINATOR, expect(302, 403, 403, 403, 302)),
}
