"""The call and the selection in a real browser: the public call page and the learner's form on a phone (axe-core
finds no serious problem), and a coordinator entering a learner's application at 360 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from selection.models import Application

from .access_routes_selection import a_call
from .browser import screenshot, watch_csp
from .sites import on_site
from .test_browser import sign_in
from .test_browser_public import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_a_learner_reads_the_call_and_applies_on_a_phone(world, live_server, browser):
    call = a_call(world)
    page = browser.new_page(viewport={"width": 360, "height": 800})
    csp = watch_csp(page)
    page.goto(live_server.url + on_site("selection:public_call", call.pk))
    expect(page.get_by_role("heading", name="In short")).to_be_visible()
    expect(page.get_by_text("You can go to Portugal.")).to_be_visible()
    problems = {"call": axe_violations(page)}
    assert fits(page, 360)
    screenshot(page, "selection-call-phone")
    page.get_by_role("link", name="Apply now").first.click()
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    problems["apply-errors"] = axe_violations(page)
    page.get_by_label("Your first name").fill("Ana")
    page.get_by_label("Your last name").fill("Ciurar")
    page.get_by_label("Your date of birth").fill("2006-05-01")
    page.get_by_label("Female").check()
    page.get_by_label("What do you learn at school?").select_option(str(world.placement.qualification_id))
    page.get_by_label("Your phone number").fill("+40 745 000 111")
    page.get_by_label("I agree").check()
    assert fits(page, 360)
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert Application.objects.get().last_name == "Ciurar"
    assert problems == {"call": [], "apply-errors": []}
    assert csp == []


def test_a_coordinator_enters_an_application_on_a_phone(world, live_server, browser):
    call = a_call(world)
    page = browser.new_page(viewport={"width": 360, "height": 800})
    sign_in(page, live_server.url, "coordinator")
    page.goto(live_server.url + reverse("selection:application_new", args=[call.pk]))
    page.get_by_label("First name").fill("Ionuț")
    page.get_by_label("Last name").fill("Lingurar")
    page.get_by_label("Date of birth").fill("2006-02-11")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Qualification").select_option(str(world.placement.qualification_id))
    page.get_by_label("Learner with fewer opportunities").check()
    assert fits(page, 360)
    screenshot(page, "selection-enter-application-phone")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save the application").click()
    expect(page.get_by_text("was saved")).to_be_visible()
    application = Application.objects.get()
    assert application.entered_by.username == "coordinator" and application.fewer_opportunities


def test_a_learner_opens_my_trip_on_a_phone(world, live_server, browser):
    from preparation.models import Accommodation, PreparationPlan, Room
    from preparation.services import create_trip_link

    PreparationPlan.objects.create(
        placement=world.placement, meeting_point="In front of the school", what_to_bring="Your ID card"
    )
    place = Accommodation.objects.create(placement=world.placement, name="Residencial Avenida", address="Braga")
    Room.objects.create(accommodation=place, name="101").occupants.set([world.assignment])
    link = create_trip_link(assignment_id=world.assignment.pk, created_by_id=world.coordinator.pk)
    page = browser.new_page(viewport={"width": 360, "height": 800})
    csp = watch_csp(page)
    page.goto(live_server.url + reverse("trip:my_trip", args=[link.token]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ștefan")
    expect(page.get_by_text("Residencial Avenida, cameră 101")).to_be_visible()  # Romanian unless chosen
    assert fits(page, 360)
    screenshot(page, "my-trip-phone")
    ro_problems = axe_violations(page)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="What to bring")).to_be_visible()
    expect(page.get_by_text("Residencial Avenida, room 101")).to_be_visible()
    assert {"ro": ro_problems, "en": axe_violations(page)} == {"ro": [], "en": []}
    assert csp == []


def test_a_coordinator_attaches_a_document_to_an_application_on_a_phone(world, live_server, browser, tmp_path):
    from .access_routes_selection import an_application

    application = an_application(world)
    wrong, right = tmp_path / "id.pdf", tmp_path / "certificate.pdf"
    wrong.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    right.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page = browser.new_page(viewport={"width": 360, "height": 800})
    sign_in(page, live_server.url, "coordinator")
    page.goto(live_server.url + reverse("selection:application", args=[application.pk]))
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Kind").select_option("id_copy")
    page.get_by_label("File").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Only PDF, JPEG and PNG files are accepted")).to_be_visible()
    problems = {"refused": axe_violations(page)}
    assert fits(page, 360)
    screenshot(page, "selection-document-refused-phone")
    page.get_by_label("Kind").select_option("school_certificate")
    page.get_by_label("File").set_input_files(str(right))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="School certificate")).to_be_visible()
    problems["application"] = axe_violations(page)
    assert fits(page, 360)
    screenshot(page, "selection-application-documents-phone")
    assert problems == {"refused": [], "application": []}
