"""The final conference in a real browser: a visitor registers and cancels on a phone (axe-core finds no serious
problem on any of those pages); on the day the coordinator checks people in at 360 px with one tap, and undoes it."""

from datetime import datetime, time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conference.models import AgendaItem, Event, Registration, Speaker

from .browser import screenshot, watch_csp
from .sites import on_site
from .test_browser import sign_in
from .test_browser_public import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def event(world):
    event = Event.objects.create(
        project=world.project,
        title="Second Chance at work: what two mobilities taught us",
        starts_at=timezone.make_aware(datetime(2027, 5, 20, 9, 30)),
        ends_at=timezone.make_aware(datetime(2027, 5, 20, 13, 30)),
        venue="Liceul Tehnologic „Ștefan cel Mare”, festivity hall",
        address="Strada Mioriței 12",
        city="Bacău",
        description="The learners, their mentors and local employers on two four-week placements.",
        capacity=3,
        published=True,
    )
    AgendaItem.objects.create(event=event, starts_at=time(10), title="Welcome", speaker="Mirela Constantinescu")
    AgendaItem.objects.create(event=event, starts_at=time(10, 30), title="Mentoring at the workbench", speaker="Rui")
    Speaker.objects.create(event=event, name="Rui Gonçalves", role="Mentor", organisation="Metalúrgica do Cávado")
    for name, kind, status in [
        ("Cristina Mocanu", "employer", "confirmed"),
        ("Dorin Țuțuianu-Vâlcu", "employer", "confirmed"),
        ("Elena Șerban", "authority", "waiting"),
    ]:
        Registration.objects.create(
            event=event,
            name=name,
            email=f"{kind}.{len(name)}@example.ro",
            organisation="Mecanica Siret SA",
            type=kind,
            local_employer=kind == "employer",
            status=status,
        )
    return event


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_visitor_registers_and_cancels_on_a_phone(event, live_server, browser):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    csp = watch_csp(page)
    problems = {}

    page.goto(live_server.url + on_site("conference:event"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Second Chance at work")
    expect(page.get_by_text("1 place left")).to_be_visible()
    problems["event"] = axe_violations(page)
    assert fits(page, 360)
    screenshot(page, "conference-event-phone")

    page.get_by_role("link", name="Register").click()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    expect(page.get_by_text("Enter your name.")).to_be_visible()
    problems["register-errors"] = axe_violations(page)
    assert fits(page, 360)
    screenshot(page, "conference-register-errors-phone")
    assert Registration.objects.count() == 3

    page.get_by_label("Your name").fill("Ștefan Bălășescu")
    page.get_by_label("Your email address").fill("stefan@example.ro")
    page.get_by_label("Organisation").fill("Service Auto Bacău")
    page.get_by_role("radio", name="Employer").check()
    page.get_by_label("My company is an employer from the school's region").check()
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Register").click()

    # The answer says to look in the mailbox (the same for an address already registered); the email's link
    # opens the registration.
    expect(page.get_by_role("heading", level=1)).to_have_text("Look in your mailbox")
    problems["answer"] = axe_violations(page)
    assert fits(page, 360)
    registration = Registration.objects.get(email="stefan@example.ro")
    (message,) = mail.outbox
    assert registration.get_confirmation_url() in message.body
    page.goto(live_server.url + registration.get_confirmation_url())
    expect(page.locator("[data-registration-status]")).to_have_attribute("data-registration-status", "confirmed")
    expect(page.locator("[data-code]")).to_have_text(registration.display_code)
    problems["registered"] = axe_violations(page)
    assert fits(page, 360)
    screenshot(page, "conference-registered-phone")

    page.get_by_role("link", name="Cancel my registration").click()
    problems["cancel"] = axe_violations(page)
    screenshot(page, "conference-cancel-phone")
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.locator("[data-registration-status]")).to_have_attribute("data-registration-status", "cancelled")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    # Elena waited: her place came back with Ștefan's cancellation.
    assert Registration.objects.get(name="Elena Șerban").status == Registration.Status.CONFIRMED
    screenshot(page, "conference-cancelled-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + on_site("conference:event"))
    problems["event-desktop"] = axe_violations(page)
    screenshot(page, "conference-event-desktop")

    assert not {name: found for name, found in problems.items() if found}
    assert not csp, csp


def test_coordinator_checks_people_in_on_a_phone(event, world, live_server, browser):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    csp = watch_csp(page)
    sign_in(page, live_server.url, "coordinator")
    page.goto(live_server.url + reverse("conference:check_in", args=[event.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in")

    page.get_by_label("Name or personal code").fill("tutuianu")  # htmx narrows the list as one types
    dorin = Registration.objects.get(name__startswith="Dorin")
    row = page.locator(f"#registration-{dorin.pk}")
    expect(page.locator(".check-in-row")).to_have_count(1)
    expect(row).to_be_visible()

    button = row.get_by_role("button", name="Check in")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb's target
    button.click()
    expect(page.locator(f"#registration-{dorin.pk}")).to_have_attribute("data-checked-in", "yes")
    expect(page.locator("#attended-count")).to_contain_text("1 of 2 checked in")
    assert fits(page, 360)
    screenshot(page, "conference-check-in-phone")
    dorin.refresh_from_db()
    assert dorin.checked_in_by == world.coordinator

    page.locator(f"#registration-{dorin.pk}").get_by_role("button", name="Undo").click()
    expect(page.locator(f"#registration-{dorin.pk}")).to_have_attribute("data-checked-in", "no")
    dorin.refresh_from_db()
    assert dorin.checked_in_at is None

    # By code, as read out at the desk, with dashes and in lower case.
    page.get_by_label("Name or personal code").fill(dorin.display_code.lower())
    expect(page.locator(".check-in-row")).to_have_count(1)
    page.locator(f"#registration-{dorin.pk}").get_by_role("button", name="Check in").click()
    expect(page.locator(f"#registration-{dorin.pk}")).to_have_attribute("data-checked-in", "yes")
    assert not csp, csp


def test_check_in_works_without_javascript(event, world, live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "coordinator")
    page.goto(live_server.url + reverse("conference:check_in", args=[event.pk]))
    page.get_by_label("Name or personal code").fill("Cristina")
    page.get_by_role("button", name="Find").click()
    cristina = Registration.objects.get(name="Cristina Mocanu")
    page.locator(f"#registration-{cristina.pk}").get_by_role("button", name="Check in").click()
    expect(page.locator(f"#registration-{cristina.pk}")).to_have_attribute("data-checked-in", "yes")
    assert "q=Cristina" in page.url
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_office_pages_fit_phone_and_desktop(event, world, live_server, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    csp = watch_csp(page)
    sign_in(page, live_server.url, "coordinator")
    pages = {
        "manage": reverse("conference:manage"),
        "event": reverse("conference:manage_event", args=[event.pk]),
        "edit": reverse("conference:event_edit", args=[event.pk]),
        "agenda": reverse("conference:agenda", args=[event.pk]),
        "speakers": reverse("conference:speakers", args=[event.pk]),
        "registrations": reverse("conference:registrations", args=[event.pk]),
        "check-in": reverse("conference:check_in", args=[event.pk]),
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert fits(page, width), name
        screenshot(page, f"conference-office-{name}-{width}")
    assert not csp, csp


@pytest.fixture
def eager():
    from mobility.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_attendee_gets_their_certificate_with_their_code_on_a_phone(event, world, live_server, browser, eager):
    from conference import services

    cristina = services.check_in(Registration.objects.get(name="Cristina Mocanu").pk, world.coordinator)
    page = browser.new_page(viewport={"width": 360, "height": 800})
    csp = watch_csp(page)
    page.goto(live_server.url + cristina.get_confirmation_url())
    page.get_by_role("link", name="Your certificate of attendance").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Get my certificate").click()
    expect(page.locator("#certificate-status")).to_have_attribute("data-status", "done", timeout=20000)
    assert axe_violations(page) == []
    assert fits(page, 360)
    screenshot(page, "conference-my-certificate-phone")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    assert download.value.suggested_filename.startswith("attendance-")
    assert not csp, csp
