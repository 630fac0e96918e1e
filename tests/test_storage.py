"""Private files on either backend: a folder of this machine, or an S3-compatible bucket (a local moto server).

Each test runs twice through the `storage_backend` fixture: a document written by the engine and downloaded, an
upload stored and served, a public attachment served once approved, a learner's files deleted with the learner's
anonymisation, a certificate reissued byte for byte, and a backup restored. Downloads stay behind the same views
and permission checks: the app streams the bytes, no storage URL reaches a page."""

from datetime import date

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from common.storage import walk
from documents import jobs
from documents.models import DocumentJob
from grants.demo import RECEIPT_PDF
from grants.models import Payment
from participants.models import Participant
from placements.models import Assignment
from privacy import services
from privacy.models import LearnerFile
from public.models import Submission
from reports import certificates
from reports.models import Certificate

from .sites import on_site
from .test_grants import money, payment_data  # noqa: F401  (a fixture)
from .test_privacy import PDF, expired, rich, sensitive  # noqa: F401  (fixtures)
from .test_public import submission_data

pytestmark = pytest.mark.usefixtures("storage_backend")


def stored():
    return list(walk(storages["private"]))


def body(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def ended(world):
    world.placement.start_date, world.placement.end_date = date(2026, 3, 2), date(2026, 3, 27)
    world.placement.save()
    Assignment.objects.filter(pk=world.assignment.pk).update(status=Assignment.Status.COMPLETED)
    return world


def test_the_backend_is_the_one_asked_for(storage_backend, private_files):
    storage = storages["private"]
    name = storage.save("probe/a.txt", ContentFile(b"probe"))
    on_disk = (private_files / name).exists()
    assert on_disk == (storage_backend == "filesystem")
    assert storage.save("probe/a.txt", ContentFile(b"again")) != name, "a taken name is never overwritten"


def test_a_document_job_is_written_and_downloaded_through_the_permission_check(ended, client_for):
    job = jobs.request_document(ended.mentor, "certificate", {"assignment": ended.assignment.pk}, "Certificate")
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE and job.file in stored()
    url = reverse("documents:download", args=[job.pk])
    assert client_for(ended.other_mentor).get(url).status_code == 404
    response = client_for(ended.mentor).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert body(response) == storages["private"].open(job.file).read()
    assert body(client_for(ended.mentor).get(url)).startswith(b"%PDF-")


def test_a_reissued_certificate_is_the_same_bytes(ended):
    certificate = certificates.issue_certificate(ended.assignment, ended.coordinator)
    pdf, digest = certificates.render_certificate(certificate)
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.file in stored()
    assert certificates.render_certificate(certificate) == (pdf, digest)


def test_an_upload_is_stored_under_a_random_name_and_served_to_the_coordinator_only(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("privacy:file_add", args=[world.learner.pk]),
        {"kind": "id_scan", "description": "", "file": SimpleUploadedFile("Turcanu passport.pdf", PDF)},
    )
    assert response.status_code == 302
    learner_file = LearnerFile.objects.get()
    assert stored() == [learner_file.path] and "Turcanu" not in learner_file.path
    url = reverse("privacy:file", args=[learner_file.pk])
    assert client_for(world.mentor).get(url).status_code == 404
    assert client_for(world.staff).get(url).status_code == 404
    assert body(client_for(world.coordinator).get(url)) == PDF


def test_a_payment_receipt_is_stored_and_served_to_the_office_only(money, client_for):  # noqa: F811
    data = payment_data(money, assignments=[money.assignment.pk])
    data["receipt_file"] = SimpleUploadedFile("r.pdf", RECEIPT_PDF, content_type="application/pdf")
    response = client_for(money.coordinator).post(reverse("grants:payment_create", args=[money.project.pk]), data)
    assert response.status_code == 302
    receipt = Payment.objects.get().receipt
    assert receipt.path in stored()
    url = reverse("grants:receipt", args=[receipt.pk])
    assert client_for(money.mentor).get(url).status_code == 403
    assert body(client_for(money.staff).get(url)) == RECEIPT_PDF


def test_a_public_attachment_is_served_only_once_approved(client, db):
    upload = SimpleUploadedFile("Șablon.pdf", PDF, "application/pdf")
    assert client.post(on_site("public:submit"), submission_data(attachment=upload)).status_code == 302
    submission = Submission.objects.get()
    assert stored() == [submission.attachment.name]
    url = on_site("public:exchange_file", submission.pk)
    assert client.get(url).status_code == 404
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.APPROVED)
    assert body(client.get(url)) == PDF


def test_anonymisation_deletes_the_learners_files(expired, client_for, django_capture_on_commit_callbacks):  # noqa: F811
    services.store_upload(expired.learner, "id_scan", "", SimpleUploadedFile("a.pdf", PDF), expired.coordinator)
    assert len(stored()) >= 2  # the earlier scan, the rendered attendance record and this one
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(expired.coordinator).post(
            reverse("privacy:anonymise", args=[expired.learner.pk]), {"confirm": "on"}
        )
    assert response.status_code == 302
    assert Participant.objects.get(pk=expired.learner.pk).is_anonymised
    assert not LearnerFile.objects.exists()
    assert stored() == []


def test_an_object_is_never_public(storage_backend, s3_endpoint):
    if storage_backend != "s3":
        pytest.skip("a folder has no ACL; no URL serves it (test_privacy)")
    storage = storages["private"]
    name = storage.save("learners/x.pdf", ContentFile(PDF))
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, aws_access_key_id="t", aws_secret_access_key="t", region_name="us-east-1"
    )
    grants = client.get_object_acl(Bucket=storage.bucket_name, Key=name)["Grants"]
    assert not [grant for grant in grants if "URI" in grant["Grantee"]], "no grant to AllUsers / AuthenticatedUsers"
    url = storage.url(name)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("kept", ["on this machine", "in the storage"])
def test_backup_and_restore_bring_back_the_files(tmp_path_factory, kept):
    storage = storages["private"]
    call_command("load_demo")
    storage.save("documents/7/certificate-ștefan-lăcătuș.pdf", ContentFile(b"%PDF-1.7 " + bytes(range(256)) * 40))
    storage.save("learners/scan.jpg", ContentFile(b"\xff\xd8\xff\xe0" + b"\x00\x01" * 5000))
    before = {name: storage.open(name).read() for name in stored()}
    people = Participant.objects.count()
    if kept == "on this machine":
        archive = tmp_path_factory.mktemp("archives") / "backup.tar.gz"
        call_command("backup", output=str(archive))
        restore = [str(archive)]
    else:
        call_command("backup", to_storage=True)
        (archive,) = [name for name in stored() if name.startswith("backups/")]
        restore = [archive, "--from-storage"]

    call_command("flush", interactive=False)
    for name in stored():
        if not name.startswith("backups/"):
            storage.delete(name)
    storage.save("later.txt", ContentFile(b"written after the backup"))
    call_command("restore", *restore, "--force")

    assert Participant.objects.count() == people
    after = {name: storage.open(name).read() for name in stored() if not name.startswith("backups/")}
    assert after == before
    assert (kept == "in the storage") == any(name.startswith("backups/") for name in stored())
