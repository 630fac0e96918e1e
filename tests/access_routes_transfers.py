"""Access-matrix entries for the transfers app; merged into ROUTES by test_access.py.

Everything here is the coordinator's: imports write many records at once and exports carry restricted data.
"""

from .access_expect import expect

COORDINATOR = expect(302, 403, 403, 403, 200)
COORDINATOR_READ_POST = expect(302, 403, 403, 403, 405)
# An empty POST is an upload form without a file: the page comes back with its error, nothing is kept.
COORDINATOR_FORM_POST = expect(302, 403, 403, 403, 400)
COORDINATOR_ACTION_POST = expect(302, 403, 403, 403, 302)
NOT_ALLOWED_GET = expect(302, 403, 403, 403, 405)


def coordinators_upload(world):
    """A pending import of one valid learner, uploaded by the world's coordinator."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from transfers.models import ImportBatch

    content = (
        "project,last_name,first_name,date_of_birth,gender,qualification\n"
        f"{world.project.reference},Stan,Ana,2007-05-04,female,{world.placement.qualification.name}\n"
    ).encode()
    batch = ImportBatch(kind="participants", filename="learners.csv", uploaded_by=world.coordinator)
    batch.file = storages["private"].save(f"imports/{batch.pk.hex}.csv", ContentFile(content))
    batch.sha256 = hashlib.sha256(content).hexdigest()
    batch.save()
    return {"pk": batch.pk}


DOWNLOAD = {"kind": "participants", "file_format": "csv"}

TRANSFERS_ROUTES = {
    "transfers:home": (None, COORDINATOR, COORDINATOR_READ_POST),
    "transfers:import": (lambda w: {"kind": "participants"}, COORDINATOR, COORDINATOR_FORM_POST),
    "transfers:template": (lambda w: DOWNLOAD, COORDINATOR, COORDINATOR_READ_POST),
    "transfers:export": (lambda w: DOWNLOAD, COORDINATOR, COORDINATOR_READ_POST),
    # GET shows the preview; an empty POST confirms it (the file is valid) and comes back to the result.
    "transfers:batch": (coordinators_upload, COORDINATOR, COORDINATOR_ACTION_POST),
    "transfers:discard": (coordinators_upload, NOT_ALLOWED_GET, COORDINATOR_ACTION_POST),
}
