"""Every page type each signed-in role can open, in a real browser: axe-core finds no serious or critical WCAG 2.1
AA violation and nothing scrolls sideways. The office works at a desk (1280 px), mentors on a phone (360 px), and
the coordinator's everyday pages are checked on a phone too.

The pages come from the access matrix (test_access.ROUTES, which fails for a URL without an entry): every route
that answers a role's GET with 200 is walked, except those in NOT_WALKED, each with its reason. A new page type is
therefore walked without anyone adding it here; a new download must be listed (the walk fails on a non-HTML page).
"""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.twofactor import must_use_two_factor
from assessments.models import Outcome, Unit
from assessments.services import extreme_levels, save_round, scale
from attendance.models import AttendanceRecord, AttendanceStatus

from .access_expect import expect
from .browser import screenshot, watch_csp
from .conftest import pass_second_factor
from .test_access import ROUTES, url_for
from .test_browser_public import axe_violations

# A11Y_SCREENSHOTS=1 keeps a screenshot of every page walked (in test-artifacts/), not only of those that fail.
SCREENSHOT_EVERY_PAGE = bool(os.environ.get("A11Y_SCREENSHOTS"))


BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def in_a_browser(test):
    """The walks' marks; the checks of the lists below need neither a browser nor a database."""
    for mark in BROWSER_MARKS:
        test = mark(test)
    return test


PUBLIC = "the public site: test_browser_public walks it with axe at 360 and 1280 px"
CONFERENCE = "the conference's public page: test_browser_conference checks it with axe on a phone"
FILE = "a file, not a page"

# name: why the walk leaves it out
NOT_WALKED = {
    "offline:manifest": "the web app manifest (JSON), not a page",
    "offline:service_worker": "the service worker (JavaScript), not a page",
    "signatures:sign_week": "a week outside the walk's placement answers 404; test_browser_signatures.py walks it",
    "openfigures:package": "a download (the open-data ZIP), not a page",
    "health": "a machine's check, not a page",
    "health_status": "a machine's check, not a page",
    "metrics": "a machine's check, not a page",
    "documents:download": FILE,
    "privacy:file": FILE,
    "grants:receipt": FILE,
    "signatures:paper_sheet": FILE,
    "selection:document": FILE,
    "transfers:template": FILE,
    "transfers:export": FILE,
    "conference:my_certificate_download": FILE,
    "public:manage_submission_file": FILE,
    "public:attachment": FILE,
    "public:exchange_file": FILE,
    "public:news_rss": "a feed, not a page",
    "public:news_atom": "a feed, not a page",
    "public:sitemap": "a sitemap, not a page",
    "public:home": PUBLIC,
    "public:articles": PUBLIC,
    "public:topic": PUBLIC,
    "public:article": PUBLIC,
    "public:exchange": PUBLIC,
    "public:submit": PUBLIC,
    "public:exchange_thanks": PUBLIC,
    "public:exchange_item": PUBLIC,
    "public:news": PUBLIC,
    "public:news_item": PUBLIC,
    "public:privacy": PUBLIC,
    "conference:event": CONFERENCE,
    "conference:register": CONFERENCE,
    "conference:registered": CONFERENCE,
    "conference:cancel": CONFERENCE,
    "conference:my_certificate": CONFERENCE,
}

# The coordinator's everyday pages, also checked on a phone (the rest of the office works at a desk).
COORDINATOR_ON_A_PHONE = [
    "dashboard",
    "participants:list",
    "participants:detail",
    "placements:list",
    "placements:placement_detail",
    "attendance:today",
    "attendance:week",
    "attendance:placement",
    "attendance:learner",
    "assessments:placement",
    "assessments:assignment",
    "assessments:round",
    "documents:documents",
    "public:manage",
]


def page_types(role):
    """The route names whose GET answers `role` with 200, less those not walked."""
    return sorted(name for name, (_kwargs, get, _post) in ROUTES.items() if get[role] == 200 and name not in NOT_WALKED)


@pytest.fixture
def lived_in(running):
    """The world a few days in: attendance recorded on the past days, a framework of two units with outcomes,
    and the mentor's learner's baseline rated in a draft, so that tables, charts and forms have rows to show."""
    world = running
    statuses = {status.code: status for status in AttendanceStatus.objects.all()}
    # The first days carry the longest texts a page shows: a reason and a status in many words.
    unusual = [
        ("late", "The 7:40 bus from Braga was late because of the roadworks on the N14 near Celeirós"),
        ("closed", ""),
    ]
    today = timezone.localdate()
    for assignment in (world.assignment, world.other_assignment):
        day = world.placement.start_date
        while day < today:
            code, reason = unusual.pop(0) if unusual else ("present", "")
            AttendanceRecord.objects.create(
                assignment=assignment,
                date=day,
                status=statuses[code],
                hours=Decimal(0 if code == "closed" else 8),
                reason=reason,
                recorded_by=assignment.mentor,
                recorded_at=timezone.now(),
            )
            day += timedelta(days=1)
    outcomes = []
    for qualification in {world.placement.qualification, world.other_placement.qualification}:
        for position, title in enumerate(("Health and safety", "Maintenance of machines"), start=1):
            unit = Unit.objects.create(qualification=qualification, title=title, position=position)
            for kind, text in ((Outcome.Kind.KNOWLEDGE, "Names the parts."), (Outcome.Kind.SKILLS, "Uses tools.")):
                outcome = Outcome.objects.create(unit=unit, kind=kind, text=text)
                if qualification == world.placement.qualification:
                    outcomes.append(outcome)
    levels = scale()
    middle = next(level for level in levels if level.pk not in extreme_levels(levels))
    ratings = {outcome.pk: (middle.pk, "") for outcome in outcomes}
    save_round(world.assignment, "baseline", ratings, user=world.mentor)
    return world


def signed_in_context(browser, live_server, user, width, language="en"):
    """A browser context whose session is a test client's: signed in (and past any second factor) as `user`,
    reading the pages in `language`."""
    client = Client()
    client.force_login(user)
    if must_use_two_factor(user):
        pass_second_factor(client, user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return context


# The innermost elements that reach past the window's right edge, outside any box that scrolls or clips them. A box
# clips an absolutely positioned element only from its containing block (the nearest positioned ancestor) up.
STICKING_OUT = """(width) => {
  const clipped = (e) => {
    let positioned = getComputedStyle(e).position === "absolute";
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (positioned && style.position === "static") continue;
      positioned = false;
      if (style.overflowX !== "visible") return true;
    }
    return false;
  };
  const out = (e) => e.getBoundingClientRect().right > width + 1 && !clipped(e);
  return [...document.body.querySelectorAll("*")].filter((e) => out(e) && ![...e.children].some(out))
    .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
      + [...e.classList].map((c) => "." + c).join(""));
}"""

# Boxes that scroll sideways when their content is wide (a long reason, a long name, another language) and that the
# keyboard cannot reach: neither focusable themselves nor holding anything focusable. axe flags such a box only when
# the test's data happens to overflow it; this flags it whatever the data.
UNREACHABLE_SCROLL_BOXES = """() => {
  const focusable = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex^='-'])";
  return [...document.body.querySelectorAll("*")].filter((e) => {
    const overflow = getComputedStyle(e).overflowX;
    return (overflow === "auto" || overflow === "scroll") && e.getClientRects().length
      && !e.matches(focusable) && !e.querySelector(focusable);
  }).map((e) => e.tagName.toLowerCase() + [...e.classList].map((c) => "." + c).join("")
    + " before " + JSON.stringify((e.textContent || "").trim().slice(0, 40)));
}"""


def walk(browser, live_server, world, role, width, names, language="en"):
    """Open each page in one tab; return what is wrong, page by page."""
    context = signed_in_context(browser, live_server, world.user(role), width, language)
    page = context.new_page()
    csp = watch_csp(page)
    wrong = {}
    for name in names:
        url = url_for(world, name)
        response = page.goto(live_server.url + url)
        problems = []
        if response.status != 200 or not response.headers.get("content-type", "").startswith("text/html"):
            problems.append(f"answered {response.status} {response.headers.get('content-type')}: list it in NOT_WALKED")
        else:
            problems += axe_violations(page)
            problems += [
                f"keyboard cannot reach a scrolling box: {box}" for box in page.evaluate(UNREACHABLE_SCROLL_BOXES)
            ]
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                sticking_out = page.evaluate(STICKING_OUT, width)
                problems.append(f"scrolls sideways: {scroll_width} px wide in a {width} px window: {sticking_out}")
        if csp:
            problems.append(f"CSP: {csp[:]}")
            csp.clear()
        if problems:
            wrong[f"{name} {url}"] = problems
        if problems or SCREENSHOT_EVERY_PAGE:
            screenshot(page, f"a11y-{role}-{width}-{language}-{name.replace(':', '-')}")
    context.close()
    return wrong


@in_a_browser
@pytest.mark.parametrize(("role", "width"), [("coordinator", 1280), ("staff", 1280), ("mentor", 360)])
def test_every_page_type_a_role_opens_passes_axe_and_fits_its_screen(lived_in, live_server, browser, role, width):
    wrong = walk(browser, live_server, lived_in, role, width, page_types(role))
    assert not wrong, "\n".join(f"{page}: {problems}" for page, problems in wrong.items())


@in_a_browser
def test_a_mentors_pages_in_romanian_fit_a_phone_too(lived_in, live_server, browser):
    """Romanian words are longer than English ones: the phone pages must still fit."""
    wrong = walk(browser, live_server, lived_in, "mentor", 360, page_types("mentor"), language="ro")
    assert not wrong, "\n".join(f"{page}: {problems}" for page, problems in wrong.items())


@in_a_browser
def test_the_coordinators_everyday_pages_pass_axe_and_fit_a_phone(lived_in, live_server, browser):
    wrong = walk(browser, live_server, lived_in, "coordinator", 360, COORDINATOR_ON_A_PHONE)
    assert not wrong, "\n".join(f"{page}: {problems}" for page, problems in wrong.items())


def test_every_page_left_out_of_the_walk_is_a_route_someone_opens():
    """NOT_WALKED does not rot: each name is still a route, and some role's GET still gets 200 there."""
    stale = [name for name in NOT_WALKED if name not in ROUTES or 200 not in ROUTES[name][1].values()]
    assert not stale


def test_the_coordinators_phone_pages_are_pages_the_coordinator_opens():
    assert set(COORDINATOR_ON_A_PHONE) <= set(page_types("coordinator"))


def test_a_page_new_to_the_access_matrix_is_walked_for_the_roles_it_admits(monkeypatch):
    monkeypatch.setitem(ROUTES, "reports:new_page", (None, expect(302, 404, 200, 403, 200), {}))
    walked = {role: "reports:new_page" in page_types(role) for role in ("coordinator", "staff", "mentor")}
    assert walked == {"coordinator": True, "staff": False, "mentor": True}
