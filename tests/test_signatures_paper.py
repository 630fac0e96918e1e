"""The paper route: a scan of a week's sheet signed by hand is kept only if it is a PDF by its first bytes and
pypdf reads it; an image, a renamed file, a damaged PDF or a protected one is refused with a clear message and
nothing is kept. Only a coordinator of the flow's school uploads; the office of that school downloads."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from attendance.models import week_start
from signatures.models import PaperSheet

from .factories import SchoolFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def real_pdf(password=None):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload_url(world):
    return reverse("signatures:upload_paper", args=[world.placement.pk, f"{world.monday:%Y-%m-%d}"])


@pytest.fixture
def paper(running):
    running.monday = week_start(timezone.localdate()) - timedelta(days=7)
    return running


def post(client, world, name, content):
    return client.post(upload_url(world), {"scan": SimpleUploadedFile(name, content)}, follow=True)


def test_a_scanned_pdf_is_kept_and_the_office_downloads_it(paper, client_for):
    response = post(client_for(paper.coordinator), paper, "sheet.pdf", real_pdf())
    assert "The scan of the signed sheet was kept." in response.content.decode()
    sheet = PaperSheet.objects.get()
    assert (sheet.placement, sheet.week_start, sheet.content_type) == (paper.placement, paper.monday, "application/pdf")
    download = client_for(paper.staff).get(reverse("signatures:paper_sheet", args=[sheet.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    week = client_for(paper.coordinator).get(
        reverse("attendance:week", args=[paper.placement.pk, f"{paper.monday:%Y-%m-%d}"])
    )
    assert reverse("signatures:paper_sheet", args=[sheet.pk]) in week.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sheet.png", PNG, "accepted as a PDF only"),
        ("sheet.pdf", PNG, "accepted as a PDF only"),  # a renamed image: the name does not count
        ("sheet.pdf", b"%PDF-1.4\nhello, this is not a PDF at all", "cannot be read as one"),
        ("sheet.pdf", real_pdf()[:200], "cannot be read as one"),  # cut short
        ("sheet.pdf", real_pdf(password="secret"), "protected by a password"),
    ],
)
def test_anything_but_a_readable_pdf_is_refused_with_a_clear_message(paper, client_for, name, content, message):
    response = post(client_for(paper.coordinator), paper, name, content)
    assert message in response.content.decode()
    assert not PaperSheet.objects.exists()


def test_no_file_is_refused(paper, client_for):
    response = client_for(paper.coordinator).post(upload_url(paper), {}, follow=True)
    assert "Choose the scanned sheet" in response.content.decode() and not PaperSheet.objects.exists()


def test_only_the_flows_coordinator_uploads_and_only_its_office_downloads(paper, client_for):
    assert post(client_for(paper.mentor), paper, "sheet.pdf", real_pdf()).status_code == 403
    assert client_for(None).post(upload_url(paper), {}).status_code == 302
    stranger = UserFactory(username="stranger", role="coordinator", school=SchoolFactory(name="Colegiul Iași"))
    assert post(client_for(stranger), paper, "sheet.pdf", real_pdf()).status_code == 404
    assert not PaperSheet.objects.exists()
    post(client_for(paper.coordinator), paper, "sheet.pdf", real_pdf())
    sheet = PaperSheet.objects.get()
    assert client_for(stranger).get(reverse("signatures:paper_sheet", args=[sheet.pk])).status_code == 404
    assert client_for(paper.mentor).get(reverse("signatures:paper_sheet", args=[sheet.pk])).status_code == 403
    outside = reverse("signatures:upload_paper", args=[paper.placement.pk, "2001-01-01"])
    assert (
        client_for(paper.coordinator).post(outside, {"scan": SimpleUploadedFile("s.pdf", real_pdf())}).status_code
        == 404
    )
