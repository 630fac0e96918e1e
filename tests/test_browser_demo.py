"""The coordinator's main pages on the demo's own data, on a phone (360 px): nothing scrolls sideways and axe-core
finds no serious or critical WCAG 2.1 AA violation.

The other walks run on test fixtures, whose short titles and few states missed what the demo shows: a project
picker with a long title, the placements table, links on the budget's highlighted rows. This walk loads the demo
(`load_demo`) so that realistic titles and states are covered.
"""

from django.core.management import call_command
from django.urls import reverse

from accounts.models import Organisation, User
from placements.models import Assignment, Placement, Project

from .browser import screenshot, watch_csp
from .test_browser_public import axe_violations
from .test_browser_staff import BROWSER_MARKS, STICKING_OUT, signed_in_context

pytestmark = BROWSER_MARKS

WIDTH = 360
REFERENCE = "2026-1-RO01-KA122-VET-000187412"  # the demo school's running project


def demo_pages():
    """The coordinator's main pages, each on the demo's own objects."""
    project = Project.objects.get(reference=REFERENCE)
    placement = Placement.objects.filter(project=project).order_by("start_date").first()
    assignment = Assignment.objects.filter(placement=placement).order_by("pk").first()
    host = Organisation.objects.filter(pk=assignment.host_company_id).get()
    return {
        "dashboard": reverse("dashboard"),
        "participants": reverse("participants:list"),
        "participant": reverse("participants:detail", args=[assignment.participant_id]),
        "placements": reverse("placements:list"),
        "placement": reverse("placements:placement_detail", args=[placement.pk]),
        "projects": reverse("placements:project_list"),
        "project": reverse("placements:project_detail", args=[project.pk]),
        "organisation": reverse("placements:organisation_detail", args=[host.pk]),
        "today": reverse("attendance:today"),
        "attendance": reverse("attendance:placement", args=[placement.pk]),
        "assessments": reverse("assessments:placement", args=[placement.pk]),
        "budget": reverse("grants:budget", args=[project.pk]),
        "payments": reverse("grants:payments", args=[project.pk]),
        "employers": reverse("employers:list"),
        "agreements": reverse("employers:agreements"),
        "preparation": reverse("preparation:flow", args=[placement.pk]),
        "documents": reverse("documents:documents"),
        "graduates": reverse("alumni:overview"),
        "questionnaires": reverse("feedback:overview"),
    }


def test_the_coordinators_pages_on_the_demos_data_fit_a_phone_and_pass_axe(live_server, browser):
    call_command("load_demo")
    context = signed_in_context(browser, live_server, User.objects.get(username="coordinator"), WIDTH)
    page = context.new_page()
    csp = watch_csp(page)
    wrong = {}
    for name, url in demo_pages().items():
        response = page.goto(live_server.url + url)
        problems = []
        if response.status != 200:
            problems.append(f"answered {response.status}")
        else:
            problems += axe_violations(page)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > WIDTH:
                sticking_out = page.evaluate(STICKING_OUT, WIDTH)
                problems.append(f"scrolls sideways: {scroll_width} px wide in a {WIDTH} px window: {sticking_out}")
        if csp:
            problems.append(f"CSP: {csp[:]}")
            csp.clear()
        if problems:
            wrong[f"{name} {url}"] = problems
            screenshot(page, f"demo-coordinator-{WIDTH}-{name}")
    context.close()
    assert not wrong, "\n".join(f"{page}: {problems}" for page, problems in wrong.items())
