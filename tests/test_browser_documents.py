"""Staff asks for a placement's certificates, watches the progress bar finish and downloads the ZIP."""

import zipfile
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from mobility.celery import app
from placements.models import Assignment

from .browser import screenshot, watch_csp
from .factories import ParticipantFactory
from .test_browser import sign_in
from .test_documents_worker import broker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_staff_downloads_the_placement_certificates_as_a_zip(world, live_server, browser, tmp_path):
    world.placement.start_date, world.placement.end_date = date(2026, 3, 2), date(2026, 3, 27)
    world.placement.save()
    Assignment.objects.filter(pk=world.assignment.pk).update(status="completed")
    second = ParticipantFactory(project=world.project, first_name="Mădălina", last_name="Căldăraru", gender="female")
    Assignment.objects.create(
        participant=second, placement=world.placement, host_company=world.host, mentor=world.mentor, status="completed"
    )

    with broker("memory://"), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page_csp = watch_csp(page)
        sign_in(page, live_server.url, "staff")
        page.goto(f"{live_server.url}/placements/{world.placement.pk}/")
        page.get_by_role("button", name="All certificates (ZIP)").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Certificates of Flow 1")
        expect(page.locator("#job-status")).to_have_attribute("data-status", "done", timeout=60_000)
        screenshot(page, "documents-ready")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download").click()
        path = tmp_path / "certificates.zip"
        download.value.save_as(path)
        assert not page_csp, page_csp
        page.close()

    names = sorted(zipfile.ZipFile(path).namelist())
    assert len(names) == 2
    assert "Căldăraru-Mădălina" in names[0] and "Țurcanu-Ștefan" in names[1]
    assert all(name.endswith(".pdf") for name in names)
