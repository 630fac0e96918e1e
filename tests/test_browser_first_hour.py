"""A new school's coordinator starts a project in Romanian in a real browser (issue 22, item 6): after signing in,
every page is reached by a link of the page before (the project's checklist, a list's "make one", the menu), and
each form returns where the coordinator was. The walk does every step of the checklist a new project can do on its
first day: partners, flow, qualification and its outcomes, the call and its flows, the selection (criteria,
committee, an application, its score, the ranking, the confirmation that makes the participant), preparation,
travel and accommodation, the award and budget; it reaches the documents and asks for the final report by the menu.
The steps that wait for dates (stages, certificates, a final report after the last stage) are covered by
tests/test_checklist.py."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organisation, Role
from documents.models import DocumentJob
from grants.models import ProjectGrant
from placements.models import Placement, Project
from selection.models import Call

from .browser import screenshot, watch_csp
from .factories import SchoolFactory, UserFactory
from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def step(page, key):
    return page.locator(f'[data-step="{key}"]')


def missing_link(page, key, index=0):
    return step(page, key).locator("ul a").nth(index)


def test_a_new_schools_coordinator_walks_from_nothing_to_the_final_report_by_links_only(live_server, browser):
    school = SchoolFactory(name="Școala Profesională Roman", city="Roman")
    coordinator = UserFactory(username="coordonator", role=Role.COORDINATOR, school=school)
    today = timezone.localdate()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    csp = watch_csp(page)
    sign_in(page, live_server.url, "coordonator")
    # Romanian from here on, as the language menu would set it.
    page.context.add_cookies([{"name": "django_language", "value": "ro", "url": live_server.url}])
    page.reload()

    # The dashboard of an empty school offers the first project.
    page.locator("main a[href$='/projects/new/']").click()
    page.locator("#id_title").fill("Incluziune prin practică 2027")
    page.locator("#id_reference").fill("2027-1-RO01-KA122-VET-000654321")
    page.locator("#id_sending_organisation").select_option(str(school.pk))
    page.locator("#id_start_date").fill(str(today))
    page.locator("#id_end_date").fill(str(today + timedelta(days=540)))
    page.locator("main button[type=submit]").click()
    project = Project.objects.get(reference="2027-1-RO01-KA122-VET-000654321")
    expect(page.locator("#h-checklist")).to_contain_text("Unde se află proiectul")
    expect(page.locator("[data-next-step]")).to_have_attribute("data-next-step", "partners")

    # Partners: each missing one is made from the checklist, and the form comes back to the project.
    for kind, name, city in (("receiving", "Intercâmbio Minho", "Braga"), ("host", "Metalúrgica do Cávado", "Braga")):
        missing_link(page, "partners").click()
        expect(page.locator("#id_kind")).to_have_value(kind)
        page.locator("#id_name").fill(name)
        page.locator("#id_country").select_option("PT")
        page.locator("#id_city").fill(city)
        page.locator("main button[type=submit]").click()
        expect(page.locator("#h-checklist")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1281
    expect(step(page, "partners")).to_have_attribute("data-done", "yes")

    # A flow needs a qualification the catalogue does not have yet: made from the placement form, then back.
    missing_link(page, "flows").click()
    expect(page.locator("#id_project")).to_have_value(str(project.pk))
    page.locator("[data-form-hints] a").first.click()
    page.locator("#id_name").fill("Mecanic întreținere și reparații")
    page.locator("main button[type=submit]").click()
    page.locator("#id_title").fill("Flux 1 – Mecanici")
    page.locator("#id_qualification").select_option(label="Mecanic întreținere și reparații")
    page.locator("#id_receiving_partner").select_option(label="Intercâmbio Minho")
    page.locator("#id_city").fill("Braga")
    page.locator("#id_country").select_option("PT")
    page.locator("#id_start_date").fill(str(today + timedelta(days=120)))
    page.locator("#id_end_date").fill(str(today + timedelta(days=147)))
    page.locator("main button[type=submit]").click()
    expect(step(page, "flows")).to_have_attribute("data-done", "yes")
    flow = Placement.objects.get(project=project)

    # The new qualification has no learning outcomes: the checklist says so and leads to where they are written.
    expect(step(page, "outcomes")).to_have_attribute("data-done", "no")
    missing_link(page, "outcomes").click()
    page.locator("main a[href$='/units/new/']").click()
    page.locator("#id_title").fill("Întreținerea utilajelor")
    page.locator("main button[type=submit]").click()
    page.locator("main a[href$='/outcomes/new/']").first.click()
    page.locator("input[name=kind][value=skills]").check()
    page.locator("#id_text").fill("Înlocuiește piesele uzate respectând fișa tehnică")
    page.locator("main button[type=submit]").click()

    # The menu reaches the current project (the one just made).
    page.locator("nav button.dropdown-toggle", has_text="Setările proiectului").click()
    page.locator("nav a[data-current-project]").click()
    expect(step(page, "outcomes")).to_have_attribute("data-done", "yes")

    # The call: made from the checklist for this project; its flows' list offers the flow, a row added without saving.
    missing_link(page, "call").click()
    expect(page.locator("#id_project")).to_have_value(str(project.pk))
    fields = {
        "#id_title": "Apel 2027",
        # Applications closed yesterday (a call made on paper, entered afterwards): the selection can be confirmed
        # today, and the walk goes on to the participants.
        "#id_opens_on": str(today - timedelta(days=30)),
        "#id_closes_on": str(today - timedelta(days=1)),
        "#id_decision_on": str(today),
        "#id_appeals_until": str(today + timedelta(days=10)),
        "#id_eligibility": "Elev în programul A doua șansă.",
        "#id_text_ro": "Apel pentru stagii în Portugalia.",
        "#id_plain_ro": "Poți merge în Portugalia.",
        "#id_text_en": "Call for placements in Portugal.",
        "#id_plain_en": "You can go to Portugal.",
        "#id_appeal_route": "La director, în scris, în 3 zile.",
    }
    for selector, value in fields.items():
        page.locator(selector).fill(value)
    page.locator("#id_published").check()
    page.locator("main button[type=submit]").click()
    call = Call.objects.get(project=project)
    page.locator(f"main a[href$='/selection/{call.pk}/flows/']").first.click()
    rows = page.locator("[data-formset-rows] fieldset")
    before = rows.count()
    page.locator("[data-add-row]").click()
    expect(rows).to_have_count(before + 1)
    page.locator(f"select[name='flows-{before}-placement']").select_option(str(flow.pk))
    page.locator(f"input[name='flows-{before}-places']").fill("16")
    page.locator("main button[type=submit]").click()
    assert call.flows.get().places == 16

    page.locator("nav button.dropdown-toggle", has_text="Setările proiectului").click()
    page.locator("nav a[data-current-project]").click()
    expect(step(page, "call")).to_have_attribute("data-done", "yes")
    expect(page.locator("[data-next-step]")).to_have_attribute("data-next-step", "selection")
    screenshot(page, "first-hour-checklist")

    # The selection, from the checklist's step: a criterion scored 0 to 10 described as the help text shows, the
    # coordinator on the committee, an application with the fewer-opportunities tick and a category.
    missing_link(page, "selection").click()
    page.locator(f"main a[href$='/selection/{call.pk}/criteria/']").click()
    page.locator("#id_criteria-0-name").fill("Motivație")
    page.locator("#id_criteria-0-max_score").fill("10")
    page.locator("#id_criteria-0-descriptors").fill("0: nicio motivație\n5: vrea să plece\n10: are un plan")
    page.locator("main button[type=submit]").click()
    page.locator(f"main a[href$='/selection/{call.pk}/committee/']").click()
    criterion = call.criteria.get()
    page.locator("#id_committee-0-user").select_option(str(coordinator.pk))
    page.locator("main button[type=submit]").click()
    page.locator(f"main a[href$='/selection/{call.pk}/applications/new/']").click()
    assert call.committee.get().user == coordinator
    page.locator("#id_first_name").fill("Ionuț")
    page.locator("#id_last_name").fill("Lingurar")
    page.locator("#id_date_of_birth").fill("2008-02-11")
    page.locator("input[name=gender][value=male]").check()
    page.locator("#id_qualification").select_option(label="Mecanic întreținere și reparații")
    page.locator("#id_fewer_opportunities").check()
    page.locator("input[name=barriers]").nth(0).check()
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_first_name")).to_have_value("")  # saved: the form is ready for the next one
    application = call.applications.get()
    assert application.fewer_opportunities and application.barriers.count() == 1

    # The coordinator scores it as a committee member: the descriptions read as written.
    page.locator(f"ol.breadcrumb a[href$='/selection/{call.pk}/']").click()
    page.locator(f"main a[href$='/selection/{call.pk}/scoring/']").click()
    page.locator(f"main a[href$='/selection/application/{application.pk}/score/']").click()
    expect(page.locator("main form").first).to_contain_text("5 – vrea să plece")
    expect(page.locator("main form").first).not_to_contain_text("1 – 5:")
    page.locator(f"input[name='c{criterion.pk}'][value='5']").check()
    page.locator("main form").first.locator("button[type=submit]").click()

    # The ranking, then the confirmation, which says what it does before it does it.
    page.locator(f"ol.breadcrumb a[href$='/selection/{call.pk}/']").click()
    page.locator(f"main form[action$='/selection/{call.pk}/rank/'] button").click()
    page.locator(f"main a[href$='/selection/{call.pk}/confirm/']").click()
    page.locator("main form[method=post] button[type=submit]").click()
    participant_link = page.locator("main table a[href*='/participants/']")
    expect(participant_link).to_be_visible()
    application.refresh_from_db()
    participant = application.participant
    assert participant is not None and participant.barriers.count() == 1  # the tick and its category came along
    participant_link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lingurar")
    page.locator("nav button.dropdown-toggle", has_text="Setările proiectului").click()
    page.locator("nav a[data-current-project]").click()
    expect(step(page, "selection")).to_have_attribute("data-done", "yes")

    # Preparation: the checklist's missing session leads to its form.
    expect(step(page, "preparation")).to_have_attribute("data-done", "no")
    missing_link(page, "preparation").click()
    page.locator("#id_topic").select_option("language")
    page.locator("#id_title").fill("Limba portugheză, prima lecție")
    page.locator("#id_starts_at").fill(f"{today + timedelta(days=30)}T10:00")
    page.locator("#id_hours").fill("4")
    page.locator("#id_trainer").fill("Prof. Ana Popescu")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Limba portugheză")
    page.locator("nav button.dropdown-toggle", has_text="Setările proiectului").click()
    page.locator("nav a[data-current-project]").click()
    expect(step(page, "preparation")).to_have_attribute("data-done", "yes")

    # Readiness: the flow's table marks the emergency contact missing; the mark leads to the learner's field and the
    # form comes back to the table, now without the mark.
    step(page, "preparation").locator("a").first.click()
    page.locator(f"main a[href$='/flow/{flow.pk}/']").first.click()
    emergency_mark = page.locator("main a[href*='#id_emergency_contact_name']")
    expect(emergency_mark).to_have_count(1)
    emergency_mark.click()
    page.locator("#id_emergency_contact_name").fill("Maria Lingurar")
    page.locator("#id_emergency_contact_relation").fill("mama")
    page.locator("#id_emergency_contact_phone").fill("+40 745 123 456")
    page.locator("main button[type=submit]").click()
    expect(page.locator("main a[href*='/learner/']").first).to_be_visible()
    expect(emergency_mark).to_have_count(0)

    # My trip links for the whole flow at once: a sheet of short links to print or copy.
    page.locator(f"main a[href$='/flow/{flow.pk}/my-trip-links/']").click()
    page.locator(f"main form[action$='/flow/{flow.pk}/my-trip-links/sheet/'] button").click()
    expect(page.locator("[data-links-sheet] li")).to_have_count(1)
    expect(page.locator("[data-links-sheet] li")).to_contain_text("Lingurar")
    page.locator("nav button.dropdown-toggle", has_text="Setările proiectului").click()
    page.locator("nav a[data-current-project]").click()

    # Travel: the journey and the accommodation, each from the checklist, each back to the project by the menu.
    expect(step(page, "travel")).to_have_attribute("data-done", "no")
    missing_link(page, "travel", 0).click()
    page.locator("#id_travel_legs-0-direction").select_option("outbound")
    page.locator("#id_travel_legs-0-mode").select_option("plane")
    page.locator("#id_travel_legs-0-carrier").fill("TAROM")
    page.locator("#id_travel_legs-0-departure_place").fill("Iași")
    page.locator("#id_travel_legs-0-departs_at").fill(f"{flow.start_date - timedelta(days=1)}T06:00")
    page.locator("#id_travel_legs-0-arrival_place").fill("Porto")
    page.locator("#id_travel_legs-0-arrives_at").fill(f"{flow.start_date - timedelta(days=1)}T12:00")
    page.locator("input[name='travel_legs-0-travellers']").first.check()
    page.locator("main button[type=submit]").click()
    expect(page.locator("[name='travel_legs-0-carrier']")).to_have_count(0)  # saved, and away from the form
    page.locator("nav button.dropdown-toggle", has_text="Setările proiectului").click()
    page.locator("nav a[data-current-project]").click()
    expect(step(page, "travel").locator("ul a")).to_have_count(1)
    missing_link(page, "travel", 0).click()
    page.locator("#id_accommodations-0-name").fill("Residencial Avenida")
    page.locator("#id_accommodations-0-address").fill("Avenida da Liberdade 10, Braga")
    page.locator("main button[type=submit]").click()
    expect(page.locator("[name='accommodations-0-name']")).to_have_count(0)
    page.locator("nav button.dropdown-toggle", has_text="Setările proiectului").click()
    page.locator("nav a[data-current-project]").click()
    expect(step(page, "travel")).to_have_attribute("data-done", "yes")
    assert flow.travel_legs.get().travellers.get().participant == participant

    # The award: the checklist's missing amounts lead to the grant form, which returns to the budget.
    expect(step(page, "budget")).to_have_attribute("data-done", "no")
    missing_link(page, "budget").click()
    page.locator("#id_max_grant").fill("60000")
    page.locator("#id_awarded_travel").fill("12000")
    page.locator("#id_awarded_individual").fill("40000")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grant și buget")
    assert ProjectGrant.objects.get(project=project).max_grant == 60000

    # The budget's breadcrumb goes back to the project, whose checklist ticks the award.
    page.locator(f"ol.breadcrumb a[href$='/projects/{project.pk}/']").click()
    expect(step(page, "budget")).to_have_attribute("data-done", "yes")

    # Documents: the menu reaches the coordinator's documents; the checklist says certificates wait for a stage.
    expect(step(page, "documents")).to_have_attribute("data-done", "no")
    page.locator("nav button.dropdown-toggle", has_text="Setările proiectului").click()
    page.locator("nav .dropdown-menu.show a[href$='/documents/']").click()
    expect(page).to_have_url(re.compile(r"/documents/$"))

    # The final report: the menu's link opens the project at its report buttons; asking for one queues it.
    page.locator("nav button.dropdown-toggle", has_text="Setările proiectului").click()
    page.locator("nav .dropdown-menu.show a[href$='#final-report']").click()
    expect(step(page, "final_report")).to_have_attribute("data-done", "no")
    page.locator(f"#final-report form[action*='/final-report/{project.pk}/'] button").click()
    expect(page.locator("#job-status")).to_have_attribute("data-status", re.compile(r"^(queued|running|done)$"))
    job = DocumentJob.objects.get(kind=DocumentJob.Kind.FINAL_REPORT, params__project=project.pk)
    assert job.requested_by.username == "coordonator"
    screenshot(page, "first-hour-final-report")

    assert Organisation.objects.filter(schools=school).count() == 3
    assert csp == []
