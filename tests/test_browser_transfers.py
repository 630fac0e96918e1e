"""A coordinator imports a spreadsheet from the participants page: preview, fix, confirm; at 360 px and desktop."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from participants.models import Participant

from .browser import screenshot, watch_csp
from .test_transfers import HEADER, csv_bytes, learner_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def signed_in_page(browser, live_server, client, width):
    """A page whose session is the test client's: the client has passed whatever sign-in steps the role needs."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def wider_than_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize(("width", "name"), [(360, "phone"), (1280, "desktop")])
def test_coordinator_previews_fixes_and_imports_a_spreadsheet(
    world, live_server, browser, client_for, tmp_path, width, name
):
    rows = learner_rows(world, 30)
    rows[3][3] = "31.02.2007"
    rows[4][6] = "not-an-email"
    rows.append([world.project.reference, "Țurcanu", "Ștefan", "2006-05-04", "male", "Maintenance mechanic",
                 "stefan.turcanu@example.ro", "+40 721 000 999"])  # fmt: skip
    broken, fixed = tmp_path / "elevi.csv", tmp_path / "elevi-corectat.csv"
    broken.write_bytes(csv_bytes(HEADER, rows, delimiter=";", bom=True))
    rows[3][3], rows[4][6] = "28.02.2007", "ionut4@example.ro"
    fixed.write_bytes(csv_bytes(HEADER, rows, delimiter=";", bom=True))

    page = signed_in_page(browser, live_server, client_for(world.coordinator), width)
    violations = watch_csp(page)
    page.goto(f"{live_server.url}/participants/")
    page.get_by_role("link", name="Import or export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import: Participants")
    screenshot(page, f"transfers-upload-{name}")
    assert not wider_than_the_screen(page)

    page.get_by_label("Spreadsheet").set_input_files(str(broken))
    page.get_by_role("button", name="Check the file").click()
    errors = page.locator("#errors")
    expect(errors).to_contain_text("Line 5")
    expect(errors).to_contain_text("date of birth: Enter a valid date.")
    expect(errors).to_contain_text("Line 6")
    expect(page.get_by_role("button", name="Import: 30 new, 1 changed")).to_have_count(0)
    screenshot(page, f"transfers-preview-errors-{name}")
    assert not wider_than_the_screen(page)

    page.get_by_role("button", name="Discard this upload").click()
    page.get_by_label("Spreadsheet").set_input_files(str(fixed))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("stefan.turcanu@example.ro")).to_be_visible()
    screenshot(page, f"transfers-preview-{name}")
    assert not wider_than_the_screen(page)
    assert Participant.objects.count() == 2

    page.get_by_role("button", name="Import: 30 new, 1 changed").click()
    expect(page.locator("main")).to_contain_text("30 new, 1 changed, 0 unchanged")
    screenshot(page, f"transfers-done-{name}")
    assert Participant.objects.count() == 32

    page.get_by_role("link", name="Import and export").click()
    expect(page.get_by_role("heading", name="Recent imports")).to_be_visible()
    expect(page.locator("main")).to_contain_text("elevi-corectat.csv")
    screenshot(page, f"transfers-home-{name}")
    assert not wider_than_the_screen(page)
    assert not violations, violations
    page.context.close()
