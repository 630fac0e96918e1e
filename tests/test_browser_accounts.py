"""In a real browser: a coordinator's first sign-in sets up two-factor sign-in on a phone, by keyboard, with the
typed key (no camera needed); the next sign-in asks for a code; too many wrong passwords pause signing in."""

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts import twofactor

from .browser import screenshot, watch_csp
from .conftest import PASSWORD
from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def password_step(page, base, username, password=PASSWORD):
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")


def test_a_coordinator_sets_up_two_factor_on_a_phone_then_gives_a_code_at_the_next_sign_in(world, live_server, browser):
    base = live_server.url
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    csp = watch_csp(phone)
    password_step(phone, base, "coordinator")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(phone.locator(".qr-code svg")).to_be_visible()
    expect(phone.get_by_role("button", name="Menu")).to_have_count(0)
    screenshot(phone, "two-factor-enrol-360")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    secret = phone.locator("#totp-secret").inner_text()
    code = f"{TOTP(bytes.fromhex(twofactor.key_from_base32(secret))).token():06d}"
    # The code field has the focus: type and press Enter, as a keyboard user would.
    expect(phone.get_by_label("Code from your authenticator app")).to_be_focused()
    phone.keyboard.type(code)
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(phone.locator(".backup-codes li")).to_have_count(twofactor.BACKUP_CODE_COUNT)
    screenshot(phone, "two-factor-backup-codes-360")
    phone.get_by_role("link", name="I have saved them, continue").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Social inclusion")

    desktop = browser.new_page(viewport={"width": 1280, "height": 900})
    desktop_csp = watch_csp(desktop)
    password_step(desktop, base, "coordinator")
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Enter your code")
    screenshot(desktop, "two-factor-verify-desktop")
    field = desktop.get_by_label("Code from your authenticator app, or a backup code")
    field.fill("000000" if code != "000000" else "111111")
    field.press("Enter")
    expect(desktop.get_by_text("This code is not right")).to_be_visible()
    device = world.coordinator.totpdevice_set.get()
    desktop.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a wrong code
    desktop.get_by_label("Code from your authenticator app, or a backup code").fill(twofactor.current_code(device))
    desktop.get_by_role("button", name="Continue").click()
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("Social inclusion")

    desktop.goto(f"{base}/accounts/two-factor/")
    expect(desktop.get_by_text("10 backup codes left")).to_be_visible()
    screenshot(desktop, "two-factor-status-desktop")
    assert csp == [] and desktop_csp == []


def test_repeated_wrong_passwords_pause_signing_in_with_a_clear_page(world, live_server, browser):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    csp = watch_csp(page)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(page, live_server.url, "mentor", password="not-the-password-at-all")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signing in is paused")
    expect(page.get_by_role("link", name="set a new password through a link sent to your email;")).to_be_visible()
    screenshot(page, "sign-in-paused-360")
    page.get_by_role("link", name="set a new password through a link sent to your email;").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    screenshot(page, "password-reset-360")

    office = browser.new_page(viewport={"width": 1280, "height": 900})
    office_csp = watch_csp(office)
    sign_in(office, live_server.url, "coordinator")
    office.goto(f"{live_server.url}/accounts/users/")
    office.get_by_role("link", name="Sign-in blocks").click()
    screenshot(office, "sign-in-blocks-desktop")
    office.get_by_role("button", name="Lift the pause for mentor").click()
    expect(office.get_by_text("mentor can sign in again.")).to_be_visible()
    expect(office.get_by_text("No sign-in is paused now.")).to_be_visible()
    password_step(page, live_server.url, "mentor")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Signing in is paused")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    assert csp == [] and office_csp == []
