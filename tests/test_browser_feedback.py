"""The questionnaire in a real browser at 360 px: a learner answers with the keyboard only, the read-aloud
button speaks the question through the browser's speech synthesis, the page works without JavaScript, and
axe-core finds nothing serious on any of its screens."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.tokens import issue
from feedback import services
from feedback.models import Answer, Invitation
from placements.models import Placement

from .browser import screenshot, watch_csp
from .test_browser_public import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

# Records what would be spoken instead of speaking (a headless browser has no voice).
FAKE_SPEECH = """
window.spoken = [];
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  speaking: false, cancel() { this.speaking = false; }, speak(u) { window.spoken.push([u.lang, u.text]); }}});
Object.defineProperty(window, "SpeechSynthesisUtterance", {configurable: true,
  value: function (text) { this.text = text; }});
"""


@pytest.fixture
def link(world):
    past = timezone.localdate() - timedelta(days=40)
    Placement.objects.update(start_date=past, end_date=past + timedelta(days=25))
    services.make_invitations(placement_id=world.placement.pk, by_id=None)
    invitation = Invitation.objects.get(kind="learner", assignment=world.assignment)
    issue(invitation)  # only the hash is kept: a new link, as the coordinator makes it
    return invitation


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width + 1


def tab_to(page, selector, limit=40):
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus")


def test_learner_answers_with_the_keyboard_only_on_a_phone(link, live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    context.add_init_script(FAKE_SPEECH)
    page = context.new_page()
    csp = watch_csp(page)
    problems = {}
    page.goto(live_server.url + link.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    problems["start"] = axe_violations(page)
    assert fits(page, 360)
    tab_to(page, "a.answer-next")
    page.keyboard.press("Enter")
    for step in range(1, 8):
        expect(page.locator("legend")).to_be_visible()
        if step == 1:
            # The read-aloud button speaks the question and its answers, in the page's language.
            tab_to(page, "button.read-aloud")
            page.keyboard.press("Enter")
            spoken = page.evaluate("window.spoken")
            assert spoken and spoken[0][0] == "ro-RO"
            assert any(words in spoken[0][1] for words in ("Did the lessons", "lecțiile"))
            problems["question"] = axe_violations(page)
            assert fits(page, 360)
            screenshot(page, "feedback-question-360")
        tab_to(page, 'button[value="good"]' if step != 4 else 'button[value="middle"]')
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/{step + 1}/")
    # The last question: words only.
    tab_to(page, "textarea")
    page.keyboard.type("Mulțumesc pentru tot")
    tab_to(page, "button.answer-next")
    page.keyboard.press("Enter")
    page.wait_for_url("**/send/")
    problems["send"] = axe_violations(page)
    assert fits(page, 360)
    tab_to(page, "form button.answer-next")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_be_visible()
    problems["thanks"] = axe_violations(page)
    screenshot(page, "feedback-sent-360")
    assert problems == {"start": [], "question": [], "send": [], "thanks": []}
    assert csp == []
    link.refresh_from_db()
    assert link.is_answered
    chosen = dict(Answer.objects.filter(invitation=link).values_list("question", "choice"))
    assert chosen["preparation"] == "good" and chosen["accommodation"] == "middle"
    assert Answer.objects.get(invitation=link, question="comment").text == "Mulțumesc pentru tot"
    context.close()


def test_the_questionnaire_works_without_javascript(link, live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + link.get_absolute_url() + "?lang=en")
    expect(page.locator("button.read-aloud")).to_be_hidden()  # nothing that cannot work
    page.get_by_role("link", name="Start").click()
    for _step in range(1, 8):
        page.get_by_role("button", name="Yes", exact=False).first.click()
    page.get_by_role("button", name="Skip").or_(page.get_by_role("button", name="Next")).click()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers were sent.")
    link.refresh_from_db()
    assert link.is_answered
    context.close()


def test_graduate_answers_the_follow_up_on_a_phone(world, live_server, browser):
    from alumni.models import FollowUp, FollowUpLink

    link = FollowUpLink.objects.create(assignment=world.assignment, months=6)
    issue(link)
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(live_server.url + link.get_absolute_url())
    problems = {"form": axe_violations(page)}
    assert fits(page, 360)
    tab_to(page, "#situation-trade")
    page.keyboard.press("Space")
    tab_to(page, "#consent-yes")
    page.keyboard.press("Space")
    tab_to(page, "button.answer-next")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_be_visible()
    problems["thanks"] = axe_violations(page)
    screenshot(page, "follow-up-sent-360")
    assert problems == {"form": [], "thanks": []}
    assert FollowUp.objects.get(assignment=world.assignment, months=6).situation == "trade"
    page.close()
