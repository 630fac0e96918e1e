"""The mentor without signal, in Chromium at 360 px: the Today page opens from the service worker's cache with the
network off (the worker's own requests too), taps are kept in the outbox and counted, and on reconnecting they are
sent in order; a day the coordinator changed meanwhile is shown with both values and the mentor chooses; the same
key sent twice writes once."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import AttendanceRecord
from attendance.services import DayEntry, save_days
from placements.models import Assignment

from .browser import screenshot, watch_csp
from .factories import ParticipantFactory
from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

SEND_TWICE = """async (save) => {
  const token = document.querySelector("#outbox input[name=csrfmiddlewaretoken]").value;
  const post = () => {
    const body = new FormData();
    for (const [name, value] of Object.entries(save)) { body.append(name, value); }
    return fetch("/offline/save-day/", {method: "POST", body, headers: {"X-CSRFToken": token}}).then(r => r.json());
  };
  const first = await post();
  const second = await post();
  return [first, second];
}"""


def record(assignment):
    return AttendanceRecord.objects.filter(assignment=assignment, date=timezone.localdate()).first()


def test_mentor_records_without_signal_and_nothing_is_lost_or_doubled(running, live_server, browser):
    world = running
    second = Assignment.objects.create(
        participant=ParticipantFactory(project=world.project, first_name="Ionuț", last_name="Bălan"),
        placement=world.placement,
        host_company=world.host,
        mentor=world.mentor,
    )
    context = browser.new_context(viewport={"width": 360, "height": 740})
    phone = context.new_page()
    csp = watch_csp(phone)
    sign_in(phone, live_server.url, "mentor")
    phone.goto(f"{live_server.url}/attendance/today/")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()  # now through the worker, which keeps the page
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(phone.locator("#outbox-offline")).to_be_hidden()

    context.set_offline(True)
    phone.reload()  # from the worker's cache: there is no network
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(phone.locator("#outbox-offline")).to_be_visible()
    expect(phone.locator("#outbox-warning")).to_be_visible()

    phone.locator(f"#row-{world.assignment.pk}").get_by_role("button", name="Present", exact=True).click()
    expect(phone.locator("#outbox-badge")).to_have_text("1 not sent yet")
    expect(phone.locator(f"#row-{world.assignment.pk} [data-status]")).to_have_attribute("data-status", "present")

    # Meanwhile, in the office, the coordinator records the second learner as sick.
    save_days(world.coordinator, [DayEntry(second.pk, timezone.localdate(), "sick", reason="Fever")])
    phone.locator(f"#row-{second.pk}").get_by_role("button", name="Present", exact=True).click()
    expect(phone.locator("#outbox-badge")).to_have_text("2 not sent yet")
    phone.reload()  # the outbox outlives the page
    expect(phone.locator("#outbox-badge")).to_have_text("2 not sent yet")
    assert record(world.assignment) is None
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "the Today page scrolls sideways"
    screenshot(phone, "offline-today-phone")

    context.set_offline(False)  # the online event sends the outbox
    expect(phone.locator("#outbox-badge-line")).to_be_hidden()
    conflict = phone.locator(f"[data-conflict='{second.pk}-{timezone.localdate():%Y-%m-%d}']")
    expect(conflict.locator("[data-side=mine]")).to_contain_text("Present")
    expect(conflict.locator("[data-side=theirs]")).to_contain_text("Sick")
    expect(conflict.locator("[data-side=theirs]")).to_contain_text("Fever")
    assert (record(world.assignment).status.code, record(world.assignment).version) == ("present", 1)
    assert (record(second).status.code, record(second).version) == ("sick", 1), "the older save overwrote"
    screenshot(phone, "offline-conflict-phone")

    conflict.get_by_role("button", name="Keep mine").click()
    expect(phone.locator("#outbox-conflicts")).to_be_hidden()
    expect(phone.locator(f"#row-{second.pk} [data-status]")).to_have_attribute("data-status", "present")
    expect(phone.locator(f"#row-{second.pk} [data-status]")).not_to_contain_text("not sent yet")
    assert (record(second).status.code, record(second).version) == ("present", 2)

    save = {"key": "same-key-twice", "assignment": second.pk, "date": f"{timezone.localdate():%Y-%m-%d}"}
    first, again = phone.evaluate(SEND_TWICE, save | {"status": "late", "reason": "Bus", "version": 2})
    assert first["ok"] and again == first
    assert record(second).version == 3 and record(second).history.count() == 3
    assert not csp, csp
    context.close()
