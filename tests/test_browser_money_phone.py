"""On a phone (360 px), the coordinator records a preparatory visit and reads the Module's workbook through its
dry run: no page scrolls sideways, and nothing is saved before the confirmation."""

import pytest
from playwright.sync_api import expect

from grants.models import ModuleFigures, PreparatoryVisit

from . import test_grants
from .browser import screenshot, watch_csp
from .test_browser import sign_in
from .test_browser_public import axe_violations
from .test_grants_reconciliation import module_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

money = test_grants.money  # the fixtures, shared


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{page.url} scrolls sideways on a phone"
    found = axe_violations(page)
    assert not found, (page.url, found)


def test_a_preparatory_visit_and_the_modules_dry_run_on_a_phone(money, live_server, browser, tmp_path):
    base = live_server.url
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    csp = watch_csp(phone)
    sign_in(phone, base, "coordinator")

    phone.goto(f"{base}/grants/projects/{money.project.pk}/preparatory-visits/new/")
    phone.get_by_label("Date of the visit").fill("2026-09-10")
    phone.get_by_label("Destination").fill("Escola Profissional, Braga")
    phone.get_by_label("Persons").fill("4")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_role("main")).to_contain_text("at most 3 persons")
    fits(phone)
    phone.get_by_label("Persons").fill("2")
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator("#preparatory + .table-responsive")).to_contain_text("2 × 575 EUR = 1,150 EUR")
    assert PreparatoryVisit.objects.get().persons == 2
    fits(phone)

    path = tmp_path / "module.xlsx"
    path.write_bytes(module_workbook(money, ("Distance band", "3000 - 3999 km")).read())
    phone.goto(f"{base}/grants/projects/{money.project.pk}/reconciliation/import/")
    fits(phone)
    phone.get_by_label("The Module's workbook").set_input_files(str(path))
    phone.get_by_role("button", name="Check the figures").click()
    expect(phone.locator("#rows")).to_contain_text("Row 3")
    expect(phone.locator("#rows")).to_contain_text("Distance band: ours")
    assert not ModuleFigures.objects.exists()
    fits(phone)
    screenshot(phone, "module-dry-run-phone")
    phone.get_by_role("button", name="Save the figures of 2 mobilities").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Reconciliation")
    assert ModuleFigures.objects.count() == 2
    assert not csp, csp
    phone.close()
