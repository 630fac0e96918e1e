"""Private files: every download goes through common.private_files.serve and carries its headers (an attachment
with a safe name, no cache anywhere, no type sniffing); an upload that cannot be recorded leaves no file."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from common import private_files
from grants.models import Receipt

from .test_access import url_for

# Every URL that hands out a stored file, with who opens it in the access matrix's world.
DOWNLOADS = [
    ("privacy:file", "coordinator"),  # a learner's file (ID scan, signed agreement, photo)
    ("selection:document", "coordinator"),  # an application's document
    ("grants:receipt", "coordinator"),  # a receipt
    ("documents:download", "coordinator"),  # a generated document: certificates, the Beneficiary Module export
    ("conference:my_certificate_download", "anonymous"),  # an attendee's certificate, by their code
    ("public:attachment", "anonymous"),  # an article's PDF on the public site
    ("public:exchange_file", "anonymous"),  # an approved submission's PDF
    ("public:manage_submission_file", "coordinator"),  # a submission's PDF, before moderation
    ("transfers:export", "coordinator"),  # an export (CSV or XLSX), made in memory
]


@pytest.mark.parametrize(("name", "role"), DOWNLOADS, ids=[name for name, _role in DOWNLOADS])
def test_every_download_is_a_private_attachment(world, client_for, name, role):
    response = client_for(world.user(role)).get(url_for(world, name))
    assert response.status_code == 200, name
    assert response["Content-Disposition"].startswith("attachment; filename"), name
    assert response["Cache-Control"] == "private, no-store", name
    assert response["X-Content-Type-Options"] == "nosniff", name


def test_a_file_name_outside_ascii_is_given_as_rfc_6266_says(world):
    name = storages["private"].save("test/name.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.4 x"))
    response = private_files.serve(name, filename='Ștefan "Țurcanu".pdf', content_type="application/pdf")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert '"' not in disposition.removeprefix("attachment; filename*=utf-8''")
    quoted = private_files.serve(name, filename='a"b.pdf')["Content-Disposition"]
    assert quoted == 'attachment; filename="a\\"b.pdf"'


def test_a_missing_file_answers_404(world):
    from django.http import Http404

    with pytest.raises(Http404):
        private_files.serve("test/nothing-here.pdf", filename="x.pdf")
    with pytest.raises(Http404):
        private_files.serve("", filename="x.pdf")


def test_an_upload_that_cannot_be_recorded_leaves_no_file(world):
    storage = storages["private"]
    before = set(storage.listdir("receipts")[1]) if storage.exists("receipts") else set()
    upload = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")

    def refuse(receipt):
        raise RuntimeError("the log could not be written")

    with pytest.raises(RuntimeError):
        private_files.store(Receipt, upload, folder="receipts", then=refuse, uploaded_by=world.coordinator)
    assert not Receipt.objects.exists()
    after = set(storage.listdir("receipts")[1]) if storage.exists("receipts") else set()
    assert after == before


def test_a_file_is_judged_by_its_bytes_not_its_name(world):
    upload = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        private_files.store(Receipt, upload, folder="receipts", uploaded_by=world.coordinator)
    assert not Receipt.objects.exists()
