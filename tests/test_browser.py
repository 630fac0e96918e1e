"""End to end, in a real browser: the coordinator enters a learner and assigns them; the mentor sees them."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from accounts.twofactor import current_code, must_use_two_factor

from .browser import screenshot, watch_csp
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def sign_in(page, base, username):
    """Through the sign-in form; a coordinator then types the code of their authenticator (made here if the
    world's coordinator has none yet), computed as the phone app would."""
    authenticator = authenticator_for(username)
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if authenticator is not None:
        authenticator.refresh_from_db()
        page.get_by_label("Code from your authenticator app, or a backup code").fill(current_code(authenticator))
        page.get_by_role("button", name="Continue").click()
    # Signed in once the browser has left the sign-in and code pages: a test that goes on at once (page.goto)
    # would otherwise cancel the form's post and land on the sign-in page, as one did on a loaded machine.
    page.wait_for_url(lambda url: "/login/" not in url and "/two-factor/code/" not in url)


def authenticator_for(username):
    user = User.objects.get(username=username)
    if not must_use_two_factor(user):
        return None
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Test authenticator"}
    )
    return device


def test_coordinator_adds_and_assigns_a_learner_and_only_their_mentor_sees_them(world, live_server, browser):
    base = live_server.url
    desktop = browser.new_page(viewport={"width": 1280, "height": 900})
    desktop_csp = watch_csp(desktop)
    sign_in(desktop, base, "coordinator")
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("Social inclusion")

    desktop.get_by_role("link", name="Participants").first.click()
    desktop.get_by_role("link", name="Add participant").click()
    desktop.get_by_label("First name").fill("Ștefănel")
    desktop.get_by_label("Last name").fill("Căldăraru")
    desktop.get_by_label("Date of birth").fill("2007-02-14")
    desktop.get_by_label("Gender").select_option("male")
    desktop.get_by_label("Qualification").select_option(label="Maintenance mechanic")
    desktop.get_by_label("Consent to data processing given on").fill("2026-09-20")
    desktop.get_by_label("Consent given by").select_option("guardian")
    desktop.get_by_role("button", name="Save").click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Ștefănel Căldăraru")
    expect(desktop.get_by_text("Not assigned to a placement yet.")).to_be_visible()

    desktop.get_by_role("link", name="Placements").first.click()
    desktop.get_by_role("link", name="Flow 1 – Mechanics").click()
    desktop.get_by_label("Căldăraru Ștefănel (Maintenance mechanic)").check()
    desktop.locator("#id_host_company").select_option(label="Metalúrgica do Cávado")
    desktop.locator("#id_mentor").select_option(label="Rui Gonçalves (Metalúrgica do Cávado)")
    desktop.get_by_role("button", name="Assign").click()
    expect(desktop.get_by_role("status").first).to_contain_text("1 learner was assigned")
    expect(desktop.locator("#learners + .table-responsive")).to_contain_text("Căldăraru Ștefănel")
    screenshot(desktop, "placement-desktop")
    assert not desktop_csp, desktop_csp
    desktop.close()

    phone = browser.new_page(viewport={"width": 360, "height": 740})

    phone_csp = watch_csp(phone)
    sign_in(phone, base, "mentor")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Hello, Rui")
    expect(phone.get_by_role("main")).to_contain_text("Ștefănel Căldăraru")
    expect(phone.get_by_role("main")).to_contain_text("Ștefan Țurcanu")
    expect(phone.get_by_role("main")).not_to_contain_text("Mădălina")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways on a phone"
    screenshot(phone, "mentor-phone")

    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("link", name="My learners").click()
    expect(phone.get_by_role("main")).to_contain_text("Căldăraru Ștefănel")
    expect(phone.get_by_role("main")).not_to_contain_text("Stănescu")
    response = phone.goto(f"{base}/participants/{world.other_learner.pk}/")
    assert response.status == 404
    assert not phone_csp, phone_csp
    phone.close()
