"""Signing a week on a 360 px phone: the mentor signs signed in; the learner draws on a full-screen pad that keeps
its strokes when the phone turns, types their code, and the signature is kept with its strokes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import week_start
from attendance.services import DayEntry, save_days
from signatures import services
from signatures.models import SignatureEvent

from .browser import screenshot, watch_csp
from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def draw(page, box, start, end):
    page.mouse.move(box["x"] + start[0], box["y"] + start[1])
    page.mouse.down()
    for step in range(1, 11):
        x = start[0] + (end[0] - start[0]) * step / 10
        y = start[1] + (end[1] - start[1]) * step / 10
        page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.up()


def test_mentor_and_learner_sign_a_week_on_a_phone(running, live_server, browser):
    world = running
    monday = week_start(timezone.localdate()) - timedelta(days=7)
    save_days(world.mentor, [DayEntry(world.assignment.pk, monday + timedelta(days=n), "present") for n in range(5)])
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    csp = watch_csp(phone)
    sign_in(phone, live_server.url, "mentor")
    phone.goto(f"{live_server.url}/attendance/placements/{world.placement.pk}/week/{monday:%Y-%m-%d}/")
    phone.locator(f"[data-signatures='{world.assignment.pk}']").get_by_role("link", name="Signatures").click()

    phone.get_by_label("As the learner's mentor at the host company").check()
    phone.get_by_role("button", name="Sign as mentor").click()
    expect(phone.locator("[data-signature=mentor]")).to_have_attribute("data-state", "signed")

    phone.get_by_role("button", name="Full screen").click()
    pad = phone.locator("#pad")
    box = pad.bounding_box()
    assert box["width"] <= 360 and box["height"] > 400, "the pad does not take the screen"
    scrolled = phone.evaluate("window.scrollY")
    draw(phone, box, (40, 100), (250, 160))
    draw(phone, box, (60, 200), (200, 120))
    assert phone.evaluate("window.scrollY") == scrolled, "drawing scrolled the page"
    phone.set_viewport_size({"width": 740, "height": 360})  # the phone turns
    expect(pad).to_have_js_property("width", 740 - 16)  # resized to the screen less the padding (pixel ratio 1)
    assert phone.evaluate("window.signaturePadForTests.toData().length") == 2, "turning the phone lost the strokes"
    screenshot(phone, "signature-pad-landscape")
    phone.get_by_role("button", name="Done").click()
    phone.set_viewport_size({"width": 360, "height": 740})
    final = pad.bounding_box()

    phone.get_by_label("I agree to the sentence above.").check()
    phone.get_by_label("Personal signing code").fill(services.current_code(world.assignment))
    phone.get_by_role("button", name="Sign as learner").click()
    expect(phone.locator("[data-signature=learner]")).to_have_attribute("data-state", "signed")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "signature-signed-phone")
    event = SignatureEvent.objects.get(role="learner")
    assert event.method == "code-drawn" and len(event.strokes) == 2
    # Kept through two resizes, scaled alike on both axes: the first stroke keeps its shape, inside the box.
    first = event.strokes[0]["points"]
    width = max(p["x"] for p in first) - min(p["x"] for p in first)
    height = max(p["y"] for p in first) - min(p["y"] for p in first)
    assert abs(width / height - 210 / 60) < 0.2, (width, height)
    points = [p for s in event.strokes for p in s["points"]]
    assert all(0 <= p["x"] <= final["width"] and 0 <= p["y"] <= final["height"] for p in points)
    assert event.device_time and event.user_agent
    assert not csp, csp
    phone.close()
