"""A consortium's project: the consortium's office sees every member school's learners in it; a member school's
office sees the project and its flows, and of its learners only its own.

The tests' school (`world`: its coordinator and staff) is a member school of a consortium's project that also
takes learners of a second member school. Every URL of the access matrix is pointed at the consortium's project
and at the OTHER member school's learners: a learner's page answers 404, a page of the project or a flow may
open but shows nothing of the other school's learners, and nothing of the project can be changed by a member
school. The consortium's money, selection, public site and reports stay the consortium's.
"""

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from participants.models import Participant

from .conftest import World
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
from .test_access import ROUTES
from .test_schools_apart import SHARED, by_app, is_public

OTHER_NAME = "Zamfirescu-Ostrov"  # the other member school's learners: appears nowhere else
OWN_NAME = "Lupașcu-Consorțiu"  # the tests' school's learner in the consortium's project


@pytest.fixture
def consortium(world):
    lead = SchoolFactory(name="Consorțiul Școlar Județean Iași", city="Iași")
    other_member = SchoolFactory(name="Școala Profesională Hârlău", city="Hârlău")
    own_school = world.project.sending_organisation
    project = ProjectFactory(
        sending_organisation=lead, reference="2026-1-RO01-KA121-VET-000555555", title="Consortium mobility 2026"
    )
    project.member_schools.set([own_school, other_member])
    mechanic = QualificationFactory(name="Maintenance mechanic")
    # The consortium's address book: its partner and hosts, and its member schools (to name them on its project).
    lead.address_book.add(own_school, other_member)
    partner = OrganisationFactory(name="Partner of the consortium", kind=Organisation.Kind.RECEIVING, schools=[lead])
    placement = PlacementFactory(
        project=project, title="Consortium flow", qualification=mechanic, receiving_partner=partner
    )
    other_placement = PlacementFactory(
        project=project, title="Consortium second flow", qualification=mechanic, receiving_partner=partner
    )
    host = OrganisationFactory(name="Consortium host one", schools=[lead])
    other_host = OrganisationFactory(name="Consortium host two", schools=[lead])
    mentor = UserFactory(username="cons_mentor", role=Role.MENTOR, organisation=host, school=lead)
    other_mentor = UserFactory(username="cons_mentor2", role=Role.MENTOR, organisation=other_host, school=lead)

    def learner(first, last, school):
        return ParticipantFactory(
            project=project, school=school, qualification=mechanic, first_name=first, last_name=last
        )

    others = learner("Ilie", OTHER_NAME, other_member), learner("Ioana", OTHER_NAME, other_member)
    own = learner("Maria", OWN_NAME, own_school)
    AssignmentFactory(participant=own, placement=placement, host_company=host, mentor=mentor)
    # The other member school's learners and objects, as a World the access matrix's routes can point at.
    theirs = World(
        project=project,
        placement=placement,
        other_placement=other_placement,
        host=host,
        other_host=other_host,
        coordinator=UserFactory(username="cons_coordinator", role=Role.COORDINATOR, school=lead),
        staff=UserFactory(username="cons_staff", role=Role.STAFF, school=lead),
        mentor=mentor,
        other_mentor=other_mentor,
        learner=others[0],
        other_learner=others[1],
        assignment=AssignmentFactory(participant=others[0], placement=placement, host_company=host, mentor=mentor),
        other_assignment=AssignmentFactory(
            participant=others[1], placement=other_placement, host_company=other_host, mentor=other_mentor
        ),
    )
    theirs.own = own
    theirs.other_member = other_member
    theirs.other_member_coordinator = UserFactory(
        username="harlau_coordinator", role=Role.COORDINATOR, school=other_member
    )
    return theirs


OBJECT_ROUTES = sorted(
    name for name, (kwargs, _g, _p) in ROUTES.items() if kwargs and name not in SHARED and not is_public(name)
)


def member_school_refused(world, consortium, client_for, name):
    kwargs_of, get_expected, post_expected = ROUTES[name]
    url = reverse(name, kwargs=kwargs_of(consortium))
    wrong = []
    for role in ("staff", "coordinator"):
        client = client_for(world.user(role))
        response = client.get(url)
        refused = (404, get_expected[role]) if get_expected[role] not in (200, 302, 400) else (404,)
        # The project and its flows open to a member school (their own learners are on them), the rest 404.
        if response.status_code not in refused and response.status_code != 200:
            wrong.append(f"GET as {role}: {response.status_code}")
        if OTHER_NAME in response.content.decode(errors="replace"):
            wrong.append(f"GET as {role} shows the other member school's learner")
        response = client.post(url, {})
        refused = (404, 403, 405) if post_expected[role] in (200, 302, 400) else (post_expected[role], 404)
        if response.status_code not in refused:
            wrong.append(f"POST as {role}: {response.status_code}, expected one of {refused}")
    return [f"{name} ({url}): {problem}" for problem in wrong]


@pytest.mark.parametrize("app", sorted(by_app(OBJECT_ROUTES)))
def test_a_member_school_reaches_nothing_of_the_other_members_learners_and_changes_nothing_of_the_project(
    world, consortium, client_for, app
):
    wrong = [
        problem
        for name in by_app(OBJECT_ROUTES)[app]
        for problem in member_school_refused(world, consortium, client_for, name)
    ]
    assert not wrong, "\n".join(wrong)


LIST_ROUTES = sorted(name for name, (kwargs, _g, _p) in ROUTES.items() if not kwargs and not is_public(name))


@pytest.mark.parametrize("app", sorted(by_app(LIST_ROUTES)))
def test_no_list_of_a_member_school_shows_the_other_members_learners(world, consortium, client_for, app):
    wrong = []
    for name in by_app(LIST_ROUTES)[app]:
        for role in ("staff", "coordinator"):
            response = client_for(world.user(role)).get(reverse(name), {"q": "Ilie"})
            if response.status_code == 500 or OTHER_NAME in response.content.decode(errors="replace"):
                wrong.append(f"{name} as {role}: {response.status_code}, or shows the other member's learner")
    assert not wrong, "\n".join(wrong)


def learners_seen_by(client):
    return client.get(reverse("participants:list")).content.decode()


def test_each_office_sees_the_learners_it_should(world, consortium, client_for):
    member = learners_seen_by(client_for(world.coordinator))
    assert OWN_NAME in member and world.learner.last_name in member and OTHER_NAME not in member
    lead = learners_seen_by(client_for(consortium.coordinator))
    assert OWN_NAME in lead and OTHER_NAME in lead and world.learner.last_name not in lead
    other = learners_seen_by(client_for(consortium.other_member_coordinator))
    assert OTHER_NAME in other and OWN_NAME not in other and world.learner.last_name not in other


def test_a_member_school_opens_the_flow_and_its_own_learners_on_it(world, consortium, client_for):
    client = client_for(world.staff)
    response = client.get(reverse("placements:placement_detail", args=[consortium.placement.pk]))
    assert response.status_code == 200
    assert OWN_NAME in response.content.decode() and OTHER_NAME not in response.content.decode()
    response = client.get(reverse("attendance:placement", args=[consortium.placement.pk]))
    assert response.status_code == 200
    assert OWN_NAME in response.content.decode() and OTHER_NAME not in response.content.decode()
    assert client.get(reverse("participants:detail", args=[consortium.own.pk])).status_code == 200
    assert client.get(reverse("participants:detail", args=[consortium.learner.pk])).status_code == 404


def test_the_consortiums_money_stays_the_consortiums(world, consortium, client_for):
    for name in ("grants:budget", "grants:payments", "grants:reconciliation"):
        url = reverse(name, args=[consortium.project.pk])
        assert client_for(world.coordinator).get(url).status_code == 404, name
        assert client_for(consortium.coordinator).get(url).status_code == 200, name


def participant_data(project, school, **extra):
    return {
        "project": project.pk,
        "school": school.pk if school else "",
        "first_name": "Nou",
        "last_name": "Venit",
        "date_of_birth": "2007-02-03",
        "gender": "male",
        "qualification": QualificationFactory(name="Maintenance mechanic").pk,
        "consent_given_by": "learner",
        **extra,
    }


def test_a_member_school_enters_its_own_learners_only(world, consortium, client_for):
    client = client_for(world.coordinator)
    url = reverse("participants:create")
    page = client.get(url).content.decode()
    assert 'name="school"' in page
    for school in (None, consortium.other_member):
        response = client.post(url, participant_data(consortium.project, school))
        assert response.status_code == 200
        assert "Choose your school" in response.content.decode() or "does not send" in response.content.decode()
    assert not Participant.objects.filter(last_name="Venit").exists()
    response = client.post(url, participant_data(consortium.project, world.project.sending_organisation))
    assert response.status_code == 302
    created = Participant.objects.get(last_name="Venit")
    assert created.school == world.project.sending_organisation
    assert "Venit" in learners_seen_by(client) and "Venit" in learners_seen_by(client_for(consortium.coordinator))
    assert "Venit" not in learners_seen_by(client_for(consortium.other_member_coordinator))


def test_the_consortium_chooses_a_member_school_but_no_school_outside_the_project(world, consortium, client_for):
    client = client_for(consortium.coordinator)
    outsider = SchoolFactory(name="Școala din afară")
    response = client.post(reverse("participants:create"), participant_data(consortium.project, outsider))
    assert response.status_code == 200 and not Participant.objects.filter(last_name="Venit").exists()
    response = client.post(
        reverse("participants:create"), participant_data(consortium.project, consortium.other_member)
    )
    assert response.status_code == 302


def test_a_school_with_no_consortium_is_not_asked_for_a_school(world, client_for):
    assert 'name="school"' not in client_for(world.coordinator).get(reverse("participants:create")).content.decode()


def test_the_rule_is_one_query_whatever_the_consortia(world, consortium, client_for, django_assert_max_num_queries):
    """Scoping adds subqueries, not queries: the list costs the same with one consortium or three."""
    client = client_for(world.coordinator)
    client.get(reverse("participants:list"))
    with django_assert_max_num_queries(30) as before:
        response = client.get(reverse("participants:list"))
    assert response.status_code == 200 and "Țurcanu" in response.content.decode()
    for n in range(2):
        extra = ProjectFactory(sending_organisation=SchoolFactory(name=f"Consortium {n}"), reference=f"2026-X-{n}")
        extra.member_schools.add(world.project.sending_organisation)
        ParticipantFactory(project=extra, school=world.project.sending_organisation, last_name=f"Extra{n}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(reverse("participants:list"))
    assert response.status_code == 200 and "Extra1" in response.content.decode()


def project_data(project, members):
    return {
        "title": project.title,
        "reference": project.reference,
        "key_action": project.key_action,
        "sending_organisation": project.sending_organisation_id,
        "start_date": project.start_date.isoformat(),
        "end_date": project.end_date.isoformat(),
        "required_attendance_rate": 80,
        "member_schools": [school.pk for school in members],
        "summary": "",
    }


def test_the_consortium_names_its_member_schools_and_keeps_those_with_learners(world, consortium, client_for):
    client = client_for(consortium.coordinator)
    url = reverse("placements:project_edit", args=[consortium.project.pk])
    own_school = world.project.sending_organisation
    assert "Școala Profesională Hârlău" in client.get(url).content.decode()
    response = client.post(url, project_data(consortium.project, [own_school]))
    assert response.status_code == 200
    assert "still has learners in this project" in response.content.decode()
    assert set(consortium.project.member_schools.all()) == {own_school, consortium.other_member}
    newcomer = SchoolFactory(name="Școala Nouă")
    consortium.project.sending_organisation.address_book.add(newcomer)
    response = client.post(url, project_data(consortium.project, [own_school, consortium.other_member, newcomer]))
    assert response.status_code == 302
    assert newcomer in consortium.project.member_schools.all()
    response = client.post(url, project_data(consortium.project, [consortium.project.sending_organisation]))
    assert "not a member" in response.content.decode()


def test_a_member_school_is_not_offered_to_change_the_consortiums_project(world, consortium, client_for):
    body = client_for(world.coordinator).get(reverse("placements:project_detail", args=[consortium.project.pk]))
    assert body.status_code == 200
    assert reverse("placements:project_edit", args=[consortium.project.pk]) not in body.content.decode()
    page = client_for(world.coordinator).get(reverse("placements:placement_detail", args=[consortium.placement.pk]))
    assert reverse("placements:edit", args=[consortium.placement.pk]) not in page.content.decode()
    assert 'name="participants"' not in page.content.decode()
