"""Preparatory visits as a budget item: recorded by the coordinator of the project's school, paid as the call
year's unit cost per person for at most the table's number of persons, refused where the table has no figure."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from grants import selectors
from grants.models import PreparatoryVisit, RateTable

from . import test_grants
from .factories import ProjectFactory, SchoolFactory, UserFactory

money = test_grants.money  # the fixtures, shared

PAST = date(2026, 9, 10)  # within the world's project (2026-09-01 – 2028-02-29), before today
LATER = date(2027, 5, 4)


def visit_data(**changes):
    return {"visited_on": "2026-09-10", "destination": "Escola Profissional, Braga", "persons": "2"} | changes


def create_url(project):
    return reverse("grants:preparatory_visit_create", args=[project.pk])


def test_a_coordinator_records_a_visit_and_the_budget_pays_2_x_575(money, client_for):
    response = client_for(money.coordinator).post(create_url(money.project), visit_data())
    assert response.status_code == 302
    visit = PreparatoryVisit.objects.get()
    assert (visit.project, visit.visited_on, visit.persons) == (money.project, PAST, 2)
    budget = selectors.project_budget(money.project)
    row = next(row for row in budget.categories if row.category == "preparatory")
    # The example table of 2026: 575 EUR per person; 2 persons = 1,150 EUR, earned since the visit took place.
    assert (row.planned, row.actual) == (Decimal("1150.00"), Decimal("1150.00"))
    assert row.is_unit_cost
    labels = [row.category for row in budget.categories]
    assert labels.index("preparatory") == labels.index("organisational") + 1
    page = client_for(money.coordinator).get(reverse("grants:budget", args=[money.project.pk])).content.decode()
    assert "Preparatory visits" in page
    assert "2 × 575 EUR = 1,150 EUR" in page
    assert "Escola Profissional, Braga" in page


def test_a_visit_to_come_is_planned_not_earned_and_totals_include_it(money):
    before = selectors.project_budget(money.project).total.planned
    PreparatoryVisit.objects.create(project=money.project, visited_on=LATER, destination="Braga", persons=3)
    budget = selectors.project_budget(money.project)
    row = next(row for row in budget.categories if row.category == "preparatory")
    assert (row.planned, row.actual) == (Decimal("1725.00"), Decimal("0.00"))  # 3 × 575
    assert budget.total.planned == before + Decimal("1725.00")


def test_no_preparatory_line_without_a_visit(money):
    assert "preparatory" not in [row.category for row in selectors.project_budget(money.project).categories]


@pytest.mark.parametrize("persons", ["4", "10"])
def test_more_persons_than_the_table_funds_is_a_form_error(money, client_for, persons):
    response = client_for(money.coordinator).post(create_url(money.project), visit_data(persons=persons))
    assert response.status_code == 200
    assert "at most 3 persons" in str(response.context["form"].errors["persons"])
    assert not PreparatoryVisit.objects.exists()


def test_the_limit_is_the_tables(money, client_for):
    RateTable.objects.filter(call_year=2026).update(preparatory_visit_persons=2)
    response = client_for(money.coordinator).post(create_url(money.project), visit_data(persons="3"))
    assert "at most 2 persons" in str(response.context["form"].errors["persons"])


@pytest.mark.parametrize("day", ["2026-08-31", "2028-03-01"])
def test_a_visit_outside_the_project_is_a_form_error(money, client_for, day):
    response = client_for(money.coordinator).post(create_url(money.project), visit_data(visited_on=day))
    assert response.status_code == 200
    assert "within the project" in str(response.context["form"].errors["visited_on"])
    assert not PreparatoryVisit.objects.exists()


def test_an_empty_unit_cost_gives_no_figure_but_a_message(money, client_for):
    RateTable.objects.filter(call_year=2026).update(preparatory_visit=None)
    PreparatoryVisit.objects.create(project=money.project, visited_on=PAST, destination="Braga", persons=2)
    budget = selectors.project_budget(money.project)
    assert "preparatory visit, per person" in budget.missing
    assert budget.preparatory[0].figures.lines == []
    page = client_for(money.coordinator).get(reverse("grants:budget", args=[money.project.pk])).content.decode()
    assert "has no unit cost for preparatory visits" in page
    assert "1,150" not in page


def test_the_award_for_preparatory_visits_is_typed_and_compared(money, client_for):
    PreparatoryVisit.objects.create(project=money.project, visited_on=PAST, destination="Braga", persons=2)
    grant = money.project.grant
    grant.awarded_preparatory = Decimal("575.00")
    grant.save()
    budget = selectors.project_budget(money.project)
    row = next(row for row in budget.categories if row.category == "preparatory")
    assert row.awarded == Decimal("575.00") and row.planned_over
    assert any(warning.startswith("Preparatory visits:") for warning in budget.warnings)


def a_visit(world):
    return PreparatoryVisit.objects.create(project=world.project, visited_on=PAST, destination="Braga", persons=2)


def test_anonymous_mentor_and_staff_cannot_record_or_change_a_visit(money, client_for):
    visit = a_visit(money)
    edit = reverse("grants:preparatory_visit_edit", args=[visit.pk])
    delete = reverse("grants:preparatory_visit_delete", args=[visit.pk])
    anonymous = client_for(None)
    assert anonymous.post(create_url(money.project), visit_data()).status_code == 302  # to the sign-in page
    assert anonymous.post(edit, visit_data(persons="1")).status_code == 302
    for user in (money.mentor, money.other_mentor, money.staff):
        client = client_for(user)
        assert client.get(create_url(money.project)).status_code == 403
        assert client.post(create_url(money.project), visit_data()).status_code == 403
        assert client.post(edit, visit_data(persons="1")).status_code == 403
        assert client.post(delete).status_code == 403
    visit.refresh_from_db()
    assert visit.persons == 2
    assert PreparatoryVisit.objects.count() == 1


@pytest.fixture
def vaslui(db):
    """A second school with its own project and coordinator."""
    school = SchoolFactory(name="Școala Profesională Vaslui", city="Vaslui")
    project = ProjectFactory(sending_organisation=school, reference="2026-1-RO01-KA122-VET-000000777")
    coordinator = UserFactory(username="vaslui", role=Role.COORDINATOR, school=school)
    return project, coordinator


def test_another_schools_coordinator_gets_404_by_url(money, client_for, vaslui):
    other_project, other_coordinator = vaslui
    visit = a_visit(money)
    client = client_for(other_coordinator)
    assert client.get(create_url(money.project)).status_code == 404
    assert client.post(create_url(money.project), visit_data()).status_code == 404
    assert client.post(reverse("grants:preparatory_visit_edit", args=[visit.pk]), visit_data()).status_code == 404
    assert client.post(reverse("grants:preparatory_visit_delete", args=[visit.pk])).status_code == 404
    assert PreparatoryVisit.objects.count() == 1 and PreparatoryVisit.objects.get().project == money.project


def test_a_project_id_in_the_body_is_ignored(money, client_for, vaslui):
    other_project, other_coordinator = vaslui
    # Our coordinator names the other school's project in the body: the visit stays in the URL's project.
    response = client_for(money.coordinator).post(create_url(money.project), visit_data(project=str(other_project.pk)))
    assert response.status_code == 302
    assert PreparatoryVisit.objects.get().project == money.project
    # The other school's coordinator names our project in the body of their own: it stays theirs.
    response = client_for(other_coordinator).post(create_url(other_project), visit_data(project=str(money.project.pk)))
    assert response.status_code == 302
    assert PreparatoryVisit.objects.filter(project=money.project).count() == 1
    assert PreparatoryVisit.objects.filter(project=other_project).count() == 1
    # An edit naming the other project in the body moves nothing.
    visit = PreparatoryVisit.objects.get(project=money.project)
    client_for(money.coordinator).post(
        reverse("grants:preparatory_visit_edit", args=[visit.pk]), visit_data(project=str(other_project.pk))
    )
    visit.refresh_from_db()
    assert visit.project == money.project


def test_a_coordinator_edits_and_deletes_a_visit(money, client_for):
    visit = a_visit(money)
    client = client_for(money.coordinator)
    edit = reverse("grants:preparatory_visit_edit", args=[visit.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, visit_data(persons="3")).status_code == 302
    visit.refresh_from_db()
    assert visit.persons == 3
    assert client.get(reverse("grants:preparatory_visit_delete", args=[visit.pk])).status_code == 405
    assert client.post(reverse("grants:preparatory_visit_delete", args=[visit.pk])).status_code == 302
    assert not PreparatoryVisit.objects.exists()


def test_the_final_reports_budget_names_the_preparatory_visits(money):
    from grants.reporting import final_report_sections

    PreparatoryVisit.objects.create(project=money.project, visited_on=PAST, destination="Braga", persons=1)
    categories = final_report_sections(money.project)["budget"]["categories"]
    row = next(row for row in categories if row["label"] == "Preparatory visits")
    assert row["actual"] == "575.00"


def test_the_grant_form_takes_the_award_for_preparatory_visits_and_sums_it(money, client_for):
    data = {
        "call_year": "2026",
        "max_grant": "2000",
        "prefinancing_percent": "80",
        "awarded_travel": "1000",
        "awarded_individual": "0",
        "awarded_organisational": "0",
        "awarded_inclusion": "0",
        "awarded_linguistic": "0",
        "awarded_exceptional": "0",
        "awarded_preparatory": "1.150,00",
        "agency_payments-TOTAL_FORMS": "0",
        "agency_payments-INITIAL_FORMS": "0",
    }
    url = reverse("grants:grant_edit", args=[money.project.pk])
    response = client_for(money.coordinator).post(url, data)
    assert "more than the maximum grant" in str(response.context["form"].errors["max_grant"])  # 1,000 + 1,150
    response = client_for(money.coordinator).post(url, data | {"max_grant": "3000"})
    assert response.status_code == 302, response.context["form"].errors
    money.project.grant.refresh_from_db()
    assert money.project.grant.awarded_preparatory == Decimal("1150.00")
