"""The coordinator uploads an ID scan on a phone, withdraws a consent and finds the data-protection pages
readable at 360 px and on a desktop, by keyboard, with no CSP complaint; the mentor sees no file link."""

from datetime import date

import pytest
from django.conf import settings
from playwright.sync_api import expect

from placements.models import Assignment
from privacy.models import LearnerFile

from .browser import screenshot, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def signed_in(browser, live_server, client_for, user, width, height):
    """A page whose session is the test client's: signed in (and past any second factor) as `user`."""
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_coordinator_manages_a_learners_data_on_a_phone_and_a_desktop(
    world, live_server, browser, client_for, tmp_path
):
    learner = world.learner
    learner.consent_data_processing_on = learner.consent_dissemination_on = date(2026, 9, 20)
    learner.special_needs = "Epilepsy: keep away from rotating machines"
    learner.shared_with_mentor = "Give instructions in writing"
    learner.save()
    Assignment.objects.filter(pk=world.assignment.pk).update(status="completed")
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(PDF)
    fake = tmp_path / "agreement.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)

    for width, height in ((360, 780), (1280, 900)):
        page = signed_in(browser, live_server, client_for, world.coordinator, width, height)
        csp = watch_csp(page)
        base = live_server.url
        page.goto(f"{base}/privacy/learner/{learner.pk}/files/new/")
        page.get_by_label("Kind").select_option("id_scan")
        page.get_by_label("File").set_input_files(str(fake))
        page.get_by_role("button", name="Upload").click()
        expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
        expect(page.get_by_text("Only PDF, JPEG and PNG")).to_be_visible()
        assert fits(page, width), "upload page"
        screenshot(page, f"privacy-upload-refused-{width}")
        page.get_by_label("File").set_input_files(str(scan))
        page.get_by_label("Description").fill(f"Passport {width}")
        page.get_by_label("Description").press("Enter")  # submits by keyboard
        expect(page.get_by_role("heading", name="Files")).to_be_visible()
        expect(page.get_by_role("link", name=f"Passport {width}", exact=True)).to_be_visible()
        assert fits(page, width), "learner page"
        screenshot(page, f"privacy-learner-{width}")
        for path, name in (
            (f"/privacy/learner/{learner.pk}/consent/publication/withdraw/", "withdraw"),
            (f"/privacy/learner/{learner.pk}/anonymise/", "anonymise"),
            ("/privacy/due/", "due"),
            (f"/privacy/files/{LearnerFile.objects.order_by('-pk').first().pk}/delete/", "file-delete"),
        ):
            page.goto(base + path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert fits(page, width), name
            screenshot(page, f"privacy-{name}-{width}")
        assert not csp, csp
        page.close()

    mentor = signed_in(browser, live_server, client_for, world.mentor, 360, 780)
    mentor.goto(f"{live_server.url}/participants/{learner.pk}/")
    expect(mentor.get_by_text("Give instructions in writing")).to_be_visible()
    assert "/privacy/files/" not in mentor.content()
    assert "Epilepsy" not in mentor.content()
    screenshot(mentor, "privacy-mentor-learner-360")
    mentor.close()

    # The learner asks to be forgotten: the withdrawal first, then the anonymisation, by keyboard.
    page = signed_in(browser, live_server, client_for, world.coordinator, 1280, 900)
    csp = watch_csp(page)
    page.goto(f"{base}/privacy/learner/{learner.pk}/consent/data-processing/withdraw/")
    page.get_by_label("Withdrawn on").press("Enter")
    expect(page.get_by_text("withdrawn").first).to_be_visible()
    page.goto(f"{base}/privacy/learner/{learner.pk}/anonymise/")
    page.get_by_label("Reason").fill("Asked to be forgotten")
    page.get_by_label("I understand").check()
    screenshot(page, "privacy-anonymise-early-1280")
    page.get_by_role("button", name="Anonymise").click()
    expect(page.get_by_text("Anonymised on")).to_be_visible()
    screenshot(page, "privacy-anonymised-1280")
    assert not csp, csp
    page.close()

    assert not LearnerFile.objects.filter(participant=learner).exists()
