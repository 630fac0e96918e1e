"""On a 360 px phone: the mentor records today, marks a learner late with a reason and submits the week;
the coordinator approves it; after that the mentor can no longer change it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import AttendanceRecord, WeekSignoff, WorkPattern
from placements.models import Assignment

from .browser import screenshot, watch_csp
from .factories import ParticipantFactory
from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_mentor_records_the_day_on_a_phone_and_an_approved_week_is_locked(running, live_server, browser):
    world = running
    late_learner = ParticipantFactory(project=world.project, first_name="Dănuț", last_name="Ciurar")
    late = Assignment.objects.create(
        participant=late_learner, placement=world.placement, host_company=world.host, mentor=world.mentor
    )
    # The week's working days end today, so that recording today completes the week and it may be submitted.
    later = WorkPattern.DAYS[timezone.localdate().weekday() + 1 :]
    WorkPattern.objects.filter(placement=world.placement).update(**dict.fromkeys(later, 0))
    base = live_server.url

    phone = browser.new_page(viewport={"width": 360, "height": 740})

    phone_csp = watch_csp(phone)
    sign_in(phone, base, "mentor")
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("link", name="Attendance today").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Today")

    row = phone.locator(f"#row-{world.assignment.pk}")
    row.get_by_role("button", name="Present", exact=True).click()
    expect(phone.locator(f"#row-{world.assignment.pk} [data-status]")).to_have_attribute("data-status", "present")

    late_row = phone.locator(f"#row-{late.pk}")
    late_row.get_by_role("button", name="Late", exact=True).click()  # no reason yet: refused on the row
    expect(phone.locator(f"#row-{late.pk} [role=alert]")).to_contain_text("Give a reason")
    phone.locator(f"#reason-{late.pk}").fill("The bus from Braga was late")
    phone.locator(f"#row-{late.pk}").get_by_role("button", name="Late", exact=True).click()
    expect(phone.locator(f"#row-{late.pk} [data-status]")).to_have_attribute("data-status", "late")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "the Today page scrolls sideways"
    screenshot(phone, "attendance-today-phone")

    phone.get_by_role("link", name="Week grid of Flow 1 – Mechanics").click()
    phone.get_by_role("button", name="Submit the week").click()
    expect(phone.locator("[data-signoff-state]")).to_have_attribute("data-signoff-state", "submitted")
    screenshot(phone, "attendance-week-phone")

    office = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(office, base, "coordinator")
    office.goto(phone.url)
    office.get_by_role("button", name="Approve and lock").click()
    expect(office.locator("[data-signoff-state]")).to_have_attribute("data-signoff-state", "approved")
    office.close()

    phone.goto(f"{base}/attendance/today/")
    phone.locator(f"#row-{late.pk}").get_by_role("button", name="Present", exact=True).click()
    expect(phone.locator(f"#row-{late.pk} [role=alert]")).to_contain_text("approved and locked")
    record = AttendanceRecord.objects.get(assignment=late, date=timezone.localdate())
    assert (record.status.code, record.reason) == ("late", "The bus from Braga was late")
    assert WeekSignoff.objects.get().state == "approved"
    assert not phone_csp, phone_csp
    phone.close()
