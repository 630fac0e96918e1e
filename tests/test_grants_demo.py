"""The demo's money as a school's finance person checks it: every learner's grant page shows the Guide's steps
(the 70 % line from day 15), the figures agree with a computation by hand, the preparatory visit is a budget line
of its own with the example table's unit cost, compared with the award, and the Module's file of the demo passes
the reference's checks."""

import re
from datetime import date
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from grants import beneficiary_module, selectors
from grants.models import PreparatoryVisit
from placements.models import Assignment, Project

from .test_grants_module_export import check_against_reference, read

REFERENCE = "2026-1-RO01-KA122-VET-000187412"  # the demo school's running project


def text_of(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.find("<main") :]))


def test_the_demo_follows_the_guide_on_every_learners_page_and_budgets_its_preparatory_visit(db, client_for):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # idempotent: still one visit
    project = Project.objects.get(reference=REFERENCE)
    visit = PreparatoryVisit.objects.get(project=project)
    assert (visit.visited_on, visit.persons) == (date(2026, 10, 6), 2)
    assert project.start_date <= visit.visited_on < min(p.start_date for p in project.placements.all())

    budget = selectors.project_budget(project)
    assert budget.missing == []
    row = next(row for row in budget.categories if row.category == "preparatory")
    # 2 persons × 575 EUR (the example table's unit cost) = 1,150 EUR, awarded as such: no "exceeds" warning
    assert (row.awarded, row.planned, row.actual) == (Decimal("1150.00"),) * 3
    assert not any(warning.startswith("Preparatory visits:") for warning in budget.warnings)
    assert project.grant.max_grant == sum(row.awarded for row in budget.categories)  # the award adds up
    assert project.grant.max_grant == Decimal("111150.00")
    # Inclusion support awarded at the 2026 call's 125 EUR: 31 × 125 + 240 (a room at real cost) = 4,115, as planned
    inclusion = next(row for row in budget.categories if row.category == "inclusion")
    assert inclusion.awarded == inclusion.planned == Decimal("4115.00")

    client = client_for(User.objects.get(username="coordinator"))
    client.cookies["django_language"] = "en"
    page = text_of(client.get(reverse("grants:budget", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="en"))
    assert "2 × 575 EUR = 1,150 EUR" in page
    assert "Intercâmbio Minho – Associação para a Mobilidade, Braga" in page
    assert "holds example figures" in page  # the example table says so on the page that uses it

    totals = {}
    for assignment in Assignment.objects.filter(placement__project=project).select_related("participant"):
        response = client.get(reverse("grants:mobility", args=[assignment.pk]), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        text = text_of(response)
        # The planned stay (26 days abroad + travel days) always reaches day 15: the 70 % line is on every page.
        assert re.search(r"days 15–(28|30) × 0\.7 × 80 EUR \(56 EUR\)", text), assignment.participant
        totals[str(assignment.participant)] = re.findall(r"Total ([0-9,.]+)", text)
    assert len(totals) == 31
    # By hand (Bacău → Braga 2,853 km, band 2,000–2,999 km; group 2 example rate 80 EUR; 70 % = 56 EUR from day 15):
    # standard travel: 395 + (14 × 80 + 14 × 56 = 1,904) + 350 organisational + 125 inclusion = 2,774
    assert totals["Ionuț Căldăraru"] == ["2,774.00", "2,774.00"]
    # green travel, 4 travel days: 535 + (14 × 80 + 16 × 56 = 2,016) + 350 + 125 = 3,026
    assert totals["Sorin Bălan"] == ["3,026.00", "3,026.00"]
    # home on day 10 (force majeure): 10 + 2 travel days = 12 < 15, 12 × 80 = 960; 395 + 960 + 350 + 125 = 1,830
    assert totals["Petrică Zlătaru"] == ["2,774.00", "1,830.00"]
    # a room near the workshop at real cost: 2,774 + 240 = 3,014
    assert totals["Elena Lingurar"] == ["3,014.00", "3,014.00"]

    # The Module's file of the demo: every mandatory field of every row, by the reference (issue 18, item 4)
    names, marks, rows = read(beneficiary_module.export_xlsx(project)[0])
    check_against_reference(names, marks, rows)
    assert len(rows) == 33  # 31 learners and 2 accompanying teachers
    by_name = {(row["Participant first name"], row["Participant last name"]): row for row in rows}
    assert by_name[("Sorin", "Bălan")]["Main means of transport"] == "Train"  # the green traveller
    assert by_name[("Petrică", "Zlătaru")]["Force majeure"] == "YES"
