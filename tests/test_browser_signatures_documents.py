"""The learning agreement, a receipt and the host's e-mailed page signed on a 360 px phone: nothing wider than the
screen, the learner draws on the pad and types their code, the host types the code sent to their address."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from grants import services as grants_services
from placements.models import ContactPerson
from signatures import host_links, services
from signatures.models import SignatureEvent

from .browser import screenshot, watch_csp
from .test_browser import sign_in
from .test_browser_public import axe_violations
from .test_browser_signatures import draw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "wider than the phone"
    found = axe_violations(page)
    assert not found, found


def learner_draws_and_signs(page, assignment, button):
    pad = page.locator("#pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box["width"] <= 360
    draw(page, box, (30, 40), (200, 80))
    page.get_by_label("I agree to the sentence above.").check()
    page.get_by_label("Personal signing code").fill(services.current_code(assignment))
    page.get_by_role("button", name=button).click()


def test_the_agreement_is_signed_on_the_mentors_phone(running, live_server, browser):
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    csp = watch_csp(phone)
    sign_in(phone, live_server.url, "mentor")
    phone.goto(f"{live_server.url}/signatures/agreements/{running.assignment.pk}/")
    fits(phone)
    phone.get_by_label("On behalf of the host company").check()
    phone.get_by_role("button", name="Sign for the host company").click()
    expect(phone.locator("[data-signature=host]")).to_have_attribute("data-state", "signed")
    learner_draws_and_signs(phone, running.assignment, "Sign as learner")
    expect(phone.locator("[data-signature=learner]")).to_have_attribute("data-state", "signed")
    fits(phone)
    event = SignatureEvent.objects.get(role="learner")
    assert event.document == "learning-agreement" and event.method == "code-drawn" and event.strokes
    assert not csp, csp
    phone.close()


def test_a_receipt_is_signed_on_the_coordinators_tablet_held_upright(running, live_server, browser):
    payment = grants_services.record_allowance(
        placement=running.placement,
        assignment=running.assignment,
        paid_on=running.placement.start_date,
        amount=Decimal("250.00"),
        currency="RON",
        exchange_rate=Decimal("4.9770"),
        method="cash",
        advance=False,
        description="",
        user=running.coordinator,
    )
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in(phone, live_server.url, "coordinator")
    phone.goto(f"{live_server.url}/signatures/receipts/{payment.pk}/")
    fits(phone)
    learner_draws_and_signs(phone, running.assignment, "Sign as learner")
    expect(phone.locator("[data-signature=learner]")).to_have_attribute("data-state", "signed")
    assert SignatureEvent.objects.get().document == "receipt"
    phone.close()


def host_page_with_the_code_form(running, live_server, browser, language="pt"):
    contact = ContactPerson.objects.create(organisation=running.host, name="Joana Costa", email="joana@host.example")
    _link, token = host_links.send_link(
        user=running.coordinator, assignment=running.assignment, name=contact.name, email=contact.email
    )
    phone = browser.new_page(viewport={"width": 360, "height": 740}, locale=language)
    csp = watch_csp(phone)
    phone.goto(f"{live_server.url}/sign/agreement/{token}/")
    fits(phone)
    return phone, csp


def test_the_host_draws_the_signature_from_the_e_mailed_link_on_a_phone(running, live_server, browser):
    phone, csp = host_page_with_the_code_form(running, live_server, browser, language="en")
    phone.get_by_role("button", name="Send me a code").click()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    phone.get_by_label("The code sent to your address").fill(code)
    phone.get_by_label("On behalf of the host company").check()
    pad = phone.locator("#pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box["width"] <= 360 and box["height"] >= 150
    draw(phone, box, (30, 40), (200, 80))
    fits(phone)
    screenshot(phone, "host-signature-phone")
    phone.get_by_role("button", name="Full screen").click()
    full = pad.bounding_box()
    assert full["width"] <= 360 and full["height"] > 400, "the pad does not take the screen"
    screenshot(phone, "host-signature-phone-full-screen")
    phone.get_by_role("button", name="Done").click()
    phone.get_by_role("button", name="Sign for the host company").click()
    expect(phone.locator("[data-signed]")).to_be_visible()
    event = SignatureEvent.objects.get()
    assert (event.role, event.method) == ("host", "email-code-drawn") and event.device_time
    assert len(event.strokes) == 1 and event.svg.startswith("<svg") and event.typed_name == "Joana Costa"
    assert not csp, csp
    phone.close()


def test_the_host_signs_by_keyboard_with_the_typed_name_in_portuguese(running, live_server, browser):
    phone, csp = host_page_with_the_code_form(running, live_server, browser)
    assert phone.locator("html").get_attribute("lang") == "pt"
    send = phone.get_by_role("button", name="Enviar-me um código")
    send.focus()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    phone.locator("#host-code").focus()
    phone.keyboard.type(code)
    # Tab from the code to the consent, over the pad's buttons, to the typed name and the button.
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.id") == "consent-host"
    phone.keyboard.press("Space")
    order = []
    for _step in range(6):
        phone.keyboard.press("Tab")
        order.append(phone.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        if order[-1] == "host-name":
            break
    assert order[-1] == "host-name", order
    phone.keyboard.press("ControlOrMeta+a")
    phone.keyboard.type("Joana M. Costa")
    fits(phone)
    screenshot(phone, "host-signature-phone-pt")
    phone.keyboard.press("Enter")
    expect(phone.locator("[data-signed]")).to_be_visible()
    event = SignatureEvent.objects.get()
    assert (event.method, event.typed_name, event.strokes) == ("email-code", "Joana M. Costa", [])
    assert event.signer_name.startswith("Joana M. Costa <joana@host.example>")
    assert not csp, csp
    phone.close()
