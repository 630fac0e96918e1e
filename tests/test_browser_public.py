"""The public site in a real browser: axe-core (vendored, never from a CDN) checks WCAG 2.1 AA on every public
page type, on a phone and a desktop; a visitor shares a practice using the keyboard only."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from public.models import Article, NewsItem, ProjectPage, Submission, Topic

from .browser import screenshot, watch_csp
from .sites import on_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def site(world):
    ProjectPage.objects.create(
        project=world.project,
        language="en",
        title=world.project.title,
        introduction="Learning a trade abroad.",
        objectives="- A qualification\n- Real workshops",
        results="Sixteen learners in Braga.",
        published=True,
    )
    article = Article.objects.create(
        project=world.project,
        slug="mentors",
        title="Mentors at the workbench",
        summary="How mentors helped.",
        body="## What we did\n\nEvery morning **attendance** on a phone.\n\n> A quote.",
        topic=Topic.MENTORING,
        status=Article.Status.PUBLISHED,
        placement=world.placement,
    )
    news = NewsItem.objects.create(
        project=world.project,
        slug="arrival",
        title="Arrival in Braga",
        summary="They arrived.",
        body="Text.",
        status=NewsItem.Status.PUBLISHED,
    )
    submission = Submission.objects.create(
        project=world.project,
        organisation="Escola Profissional",
        country="PT",
        contact_name="Ana",
        email="ana@example.org",
        title="Buddy learners",
        topic=Topic.INCLUSION,
        text="Each newcomer has a buddy.",
        client_key="k",
        status=Submission.Status.APPROVED,
        moderated_at=timezone.now(),
    )
    return {"article": article, "news": news, "submission": submission}


def axe_violations(page):
    # page.evaluate goes through the DevTools protocol, so the page's strict CSP does not block the engine.
    page.evaluate(AXE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def public_pages(site):
    return {
        "home": on_site("public:home"),
        "articles": on_site("public:articles"),
        "topic": on_site("public:topic", Topic.MENTORING),
        "article": site["article"].get_absolute_url(),
        "exchange": on_site("public:exchange"),
        "exchange-item": site["submission"].get_absolute_url(),
        "submit": on_site("public:submit"),
        "news": on_site("public:news"),
        "news-item": site["news"].get_absolute_url(),
        "privacy": on_site("public:privacy"),
        "not-found": "/no-such-page/",
    }


@pytest.mark.parametrize("width", [360, 1280])
def test_the_list_of_sites_and_a_second_site_pass_axe_wcag_aa(site, live_server, browser, width):
    from .factories import ProjectFactory, SchoolFactory

    other = ProjectFactory(
        sending_organisation=SchoolFactory(name="Școala Profesională Vaslui"),
        title="Apprentices of Vaslui abroad: a long title that must wrap on a phone",
    )
    ProjectPage.objects.create(
        project=other, language="en", title=other.title, introduction="Hello.", objectives="O.", published=True
    )
    page = browser.new_page(viewport={"width": width, "height": 900})
    csp = watch_csp(page)
    found = {}
    for name, path in {"sites": "/", "second-site": on_site("public:home", project=other)}.items():
        page.goto(live_server.url + path)
        problems = axe_violations(page)
        if problems:
            found[name] = problems
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, name
        screenshot(page, f"public-{name}-{width}")
    assert not found, found
    assert not csp


@pytest.mark.parametrize("width", [360, 1280])
def test_every_public_page_type_passes_axe_wcag_aa(site, live_server, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    csp = watch_csp(page)
    found = {}
    for name, path in public_pages(site).items():
        page.goto(live_server.url + path)
        problems = axe_violations(page)
        if problems:
            found[name] = problems
        # Nothing may scroll sideways on a phone: the page fits its width.
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, name
    screenshot(page, f"public-last-page-{width}")
    assert not found, found
    assert not csp


def test_the_submit_form_with_errors_passes_axe(site, live_server, browser):
    page = browser.new_page(viewport={"width": 360, "height": 900})
    page.goto(live_server.url + on_site("public:submit"))
    page.get_by_role("button", name="Send for moderation").click()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    assert axe_violations(page) == []


def test_a_visitor_shares_a_practice_with_the_keyboard_only(site, live_server, browser):
    page = browser.new_page(viewport={"width": 360, "height": 900})
    page.goto(live_server.url + on_site("public:submit"))
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.locator(".skip-link")).to_be_focused()
    page.locator("#id_organisation").focus()
    page.keyboard.type("Școala Profesională Cluj")
    page.keyboard.press("Tab")
    page.keyboard.type("Romania")  # a select jumps to the typed country
    page.keyboard.press("Tab")
    page.keyboard.type("Ioana Pop")
    page.keyboard.press("Tab")
    page.keyboard.type("ioana@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Portfolios of samples")
    page.keyboard.press("Tab")
    page.keyboard.type("Recognition")
    page.keyboard.press("Tab")
    page.keyboard.type("Learners keep what they sew; the exam board sees it.")
    page.keyboard.press("Tab")  # the attachment, left empty
    page.keyboard.press("Tab")  # the honeypot is skipped: straight to the agreement
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # privacy link
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    submission = Submission.objects.get(title="Portfolios of samples")
    assert submission.organisation == "Școala Profesională Cluj"
    assert submission.country == "RO" and submission.topic == Topic.RECOGNITION
    assert submission.status == Submission.Status.PENDING
