"""A project's own checklist (issue 22, item 1): each step ticked from the data, what is missing linked to where
it is fixed, in a fixed number of queries; the current project follows the coordinator (item 5)."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from assessments.models import Outcome, Unit
from placements.checklist import project_checklist
from placements.models import Project
from preparation.models import PreparationSession
from selection.models import Call, CallFlow

from .factories import (
    AssignmentFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlacementFactory,
    ProjectFactory,
    QualificationFactory,
    SchoolFactory,
    UserFactory,
)


def steps(project, today=date(2027, 1, 10)):
    return {step.key: step for step in project_checklist(project, today)["steps"]}


@pytest.fixture
def empty_project(db):
    return ProjectFactory(reference="2027-1-RO01-KA122-VET-000000001", start_date=date(2027, 1, 1))


def test_a_new_project_of_an_empty_school_has_every_step_open_and_says_where_to_begin(empty_project):
    checklist = project_checklist(empty_project, date(2027, 1, 10))
    keys = [step.key for step in checklist["steps"]]
    assert keys == [
        "partners",
        "outcomes",
        "flows",
        "call",
        "selection",
        "preparation",
        "travel",
        "budget",
        "stages",
        "documents",
        "final_report",
    ]
    assert checklist["done"] == 0
    assert checklist["next"].key == "partners"
    for step in checklist["steps"]:
        assert step.missing, f"{step.key} says nothing of what is missing"
        for text, url in step.missing:
            assert text and url.startswith("/"), step.key
    partners = checklist["steps"][0]
    back = reverse("placements:project_detail", args=[empty_project.pk])
    assert [url.split("?")[0] for _text, url in partners.missing] == [reverse("placements:organisation_create")] * 2
    assert f"next={back.replace('/', '%2F')}" in partners.missing[0][1]


def make_flow(project, school, *, learners, outcomes=True, prepared=True, with_call=None):
    qualification = QualificationFactory(name=f"Qualification {project.placements.count()}")
    flow = PlacementFactory(project=project, qualification=qualification)
    if outcomes:
        unit = Unit.objects.create(qualification=flow.qualification, title="Unit 1")
        Outcome.objects.create(unit=unit, kind=Outcome.Kind.values[0], text="Uses the tools safely")
    host = OrganisationFactory(schools=[school])
    mentor = UserFactory(role=Role.MENTOR, organisation=host)
    for _ in range(learners):
        AssignmentFactory(
            participant=ParticipantFactory(project=project), placement=flow, host_company=host, mentor=mentor
        )
    if prepared:
        PreparationSession.objects.create(
            placement=flow,
            topic=PreparationSession.Topic.values[0],
            title="Safety",
            starts_at=timezone.make_aware(datetime(2027, 2, 1, 10)),
            hours=2,
            trainer="Ana Pop",
        )
    if with_call:
        CallFlow.objects.create(call=with_call, placement=flow, places=learners or 1)
    return flow


def test_steps_tick_themselves_from_the_data(empty_project):
    school = empty_project.sending_organisation
    today = date(2027, 1, 10)
    OrganisationFactory(kind=Organisation.Kind.HOST, schools=[school])
    assert not steps(empty_project)["partners"].done
    OrganisationFactory(kind=Organisation.Kind.RECEIVING, schools=[school])
    assert steps(empty_project)["partners"].done

    flow = PlacementFactory(project=empty_project)
    found = steps(empty_project)
    assert found["flows"].done
    assert not found["outcomes"].done
    assert flow.qualification.name in found["outcomes"].missing[0][0]
    assert found["outcomes"].missing[0][1] == reverse("assessments:framework", args=[flow.qualification.pk])
    unit = Unit.objects.create(qualification=flow.qualification, title="Unit 1")
    Outcome.objects.create(unit=unit, kind=Outcome.Kind.values[0], text="Uses the tools safely")
    assert steps(empty_project)["outcomes"].done

    assert steps(empty_project)["selection"].missing[0][1] == reverse("selection:calls")
    call = Call.objects.create(
        project=empty_project,
        title="Call 2027",
        text_ro="x",
        text_en="x",
        plain_ro="x",
        plain_en="x",
        eligibility="x",
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=5),
        decision_on=today + timedelta(days=10),
        appeals_until=today + timedelta(days=15),
        appeal_route="x",
    )
    found = steps(empty_project)
    assert found["call"].missing[0][1] == reverse("selection:flows", args=[call.pk])
    assert "confirm the selection after that" in found["selection"].missing[0][0]
    CallFlow.objects.create(call=call, placement=flow, places=2)
    Call.objects.filter(pk=call.pk).update(published=True)
    assert steps(empty_project)["call"].done

    found = steps(empty_project)
    assert [url for _t, url in found["travel"].missing] == [
        reverse("preparation:legs", args=[flow.pk]),
        reverse("preparation:accommodation", args=[flow.pk]),
    ]
    assert found["budget"].missing[0][1] == reverse("grants:grant_edit", args=[empty_project.pk])
    assert "certificates from 26.03.2027" in found["documents"].missing[0][0]
    assert not found["final_report"].done


def test_the_checklist_costs_the_same_queries_for_one_flow_or_four(empty_project):
    school = empty_project.sending_organisation
    make_flow(empty_project, school, learners=1)
    with CaptureQueriesContext(connection) as one:
        project_checklist(Project.objects.get(pk=empty_project.pk), date(2027, 1, 10))
    for _ in range(3):
        make_flow(empty_project, school, learners=4, outcomes=False)
    with CaptureQueriesContext(connection) as four:
        checklist = project_checklist(Project.objects.get(pk=empty_project.pk), date(2027, 1, 10))
    assert len(four) == len(one) <= 7  # the project, then six for the checklist
    assert len(steps(empty_project)["outcomes"].missing) == 3
    assert len(checklist["steps"]) == 11


def test_the_project_page_and_the_dashboard_show_the_checklist_with_the_next_step(world, client_for):
    client = client_for(world.coordinator)
    page = client.get(reverse("placements:project_detail", args=[world.project.pk])).content.decode()
    assert "data-next-step=" in page
    assert 'data-step="final_report"' in page
    dashboard = client.get(reverse("dashboard") + f"?project={world.project.pk}").content.decode()
    assert 'data-step="partners"' in dashboard


def test_a_consortium_member_school_sees_no_checklist_of_the_consortium(world, client_for):
    member = SchoolFactory(name="Școala Gimnazială Vaslui")
    world.project.member_schools.add(member)
    outsider = UserFactory(username="member_coord", role=Role.COORDINATOR, school=member)
    page = client_for(outsider).get(reverse("placements:project_detail", args=[world.project.pk]))
    assert page.status_code == 200
    assert b"data-next-step" not in page.content and b'data-step="' not in page.content


def test_a_project_just_made_becomes_the_current_one_and_the_menu_reaches_its_pages(world, client_for):
    client = client_for(world.coordinator)
    client.get(reverse("dashboard") + f"?project={world.project.pk}")
    response = client.post(
        reverse("placements:project_create"),
        {
            "title": "Proiect 2027",
            "reference": "2027-1-RO01-KA122-VET-000777777",
            "key_action": "KA122-VET",
            "start_date": "2027-09-01",
            "end_date": "2028-08-31",
            "sending_organisation": world.project.sending_organisation.pk,
            "required_attendance_rate": 80,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Project.objects.get(reference="2027-1-RO01-KA122-VET-000777777")
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.context["project"] == new
    page = dashboard.content.decode()
    assert reverse("grants:budget", args=[new.pk]) in page
    assert reverse("documents:documents") in page
    assert reverse("placements:project_detail", args=[new.pk]) + "#final-report" in page


def test_a_mentor_has_no_current_project_in_the_menu(world, client_for):
    page = client_for(world.mentor).get(reverse("dashboard")).content.decode()
    assert reverse("grants:budget", args=[world.project.pk]) not in page


def test_a_form_reached_from_an_empty_list_returns_where_the_coordinator_was_and_never_elsewhere(world, client_for):
    client = client_for(world.coordinator)
    back = reverse("placements:project_detail", args=[world.project.pk])
    url = reverse("placements:organisation_create")
    form = client.get(f"{url}?kind=receiving&next={back}")
    assert form.context["form"].initial["kind"] == "receiving"
    assert f'name="next" value="{back}"' in form.content.decode()
    data = {
        "name": "Parceiro Novo",
        "kind": "receiving",
        "country": "PT",
        "city": "Porto",
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
    }
    assert client.post(url, data | {"next": back})["Location"] == back
    made = client.post(url, data | {"name": "Alt partener", "next": "https://evil.example/steal"})
    assert made["Location"] == Organisation.objects.get(name="Alt partener").get_absolute_url()
