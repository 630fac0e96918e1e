import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from placements.models import Assignment, ContactPerson, Placement, Project

from .factories import OrganisationFactory, ParticipantFactory, UserFactory


def placement_data(world, **changes):
    return {
        "project": world.project.pk,
        "title": "Flow 3 – Mechanics, Porto",
        "qualification": world.placement.qualification_id,
        "receiving_partner": world.placement.receiving_partner_id,
        "city": "Porto",
        "country": "PT",
        "start_date": "2027-05-03",
        "end_date": "2027-05-28",
        "status": "planned",
        "description": "",
        **changes,
    }


def test_coordinator_creates_placement(world, client_for):
    response = client_for(world.coordinator).post(reverse("placements:create"), placement_data(world))
    placement = Placement.objects.get(title="Flow 3 – Mechanics, Porto")
    assert response.status_code == 302
    assert placement.duration_days == 26


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2027-05-01"}, "end_date", "must end after it starts"),
        ({"start_date": "2030-01-01", "end_date": "2030-01-28"}, "start_date", "within the project's dates"),
        ({"receiving_partner": "host"}, "receiving_partner", "Select a valid choice"),
        ({"title": ""}, "title", "This field is required"),
    ],
)
def test_bad_placement_input_is_refused(world, client_for, changes, field, message):
    if changes.get("receiving_partner") == "host":
        changes["receiving_partner"] = world.host.pk  # a host company is not a receiving partner
    before = Placement.objects.count()
    response = client_for(world.coordinator).post(reverse("placements:create"), placement_data(world, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Placement.objects.count() == before


def test_database_refuses_placement_ending_before_it_starts(world):
    from django.db import IntegrityError

    world.placement.end_date = world.placement.start_date
    with pytest.raises(IntegrityError):
        world.placement.save()


def test_coordinator_assigns_several_learners_with_host_and_mentor(world, client_for):
    new = [ParticipantFactory(project=world.project, qualification=world.placement.qualification) for _ in range(3)]
    response = client_for(world.coordinator).post(
        reverse("placements:assign", args=[world.placement.pk]),
        {
            "participants": [p.pk for p in new],
            "host_company": world.host.pk,
            "mentor": world.mentor.pk,
            "status": "confirmed",
        },
    )
    assert response.status_code == 302
    created = Assignment.objects.filter(placement=world.placement, participant__in=new)
    assert created.count() == 3
    assert {(a.host_company_id, a.mentor_id, a.status) for a in created} == {
        (world.host.pk, world.mentor.pk, "confirmed")
    }
    assert all(a.history.get().history_user == world.coordinator for a in created)


def test_assigning_a_mentor_from_another_company_is_refused(world, client_for):
    new = ParticipantFactory(project=world.project)
    response = client_for(world.coordinator).post(
        reverse("placements:assign", args=[world.placement.pk]),
        {"participants": [new.pk], "host_company": world.host.pk, "mentor": world.other_mentor.pk, "status": "planned"},
    )
    assert response.status_code == 400
    assert "Choose a mentor of Metalúrgica do Cávado" in " ".join(response.context["assign_form"].errors["mentor"])
    assert not Assignment.objects.filter(participant=new).exists()


def test_a_learner_already_on_the_placement_cannot_be_assigned_twice(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("placements:assign", args=[world.placement.pk]),
        {"participants": [world.learner.pk], "status": "planned"},
    )
    assert response.status_code == 400
    assert Assignment.objects.filter(participant=world.learner).count() == 1


def test_learners_of_another_project_are_not_offered(world, client_for):
    stranger = ParticipantFactory()  # its own project
    response = client_for(world.coordinator).get(reverse("placements:placement_detail", args=[world.placement.pk]))
    offered = list(response.context["assign_form"].fields["participants"].queryset)
    assert stranger not in offered
    assert world.other_learner in offered


def test_withdrawal_needs_a_reason(world, client_for):
    url = reverse("placements:assignment_edit", args=[world.assignment.pk])
    data = {"host_company": world.host.pk, "mentor": world.mentor.pk, "status": "withdrawn", "withdrawal_reason": " "}
    response = client_for(world.coordinator).post(url, data)
    assert "Give the reason" in " ".join(response.context["form"].errors["withdrawal_reason"])
    world.assignment.refresh_from_db()
    assert world.assignment.status == "planned"
    data["withdrawal_reason"] = "Family emergency; returned home in week 2."
    assert client_for(world.coordinator).post(url, data).status_code == 302
    world.assignment.refresh_from_db()
    assert world.assignment.status == "withdrawn"


def test_placement_page_shows_host_companies_and_mentors(world, client_for):
    page = client_for(world.coordinator).get(reverse("placements:placement_detail", args=[world.placement.pk]))
    html = page.content.decode()
    assert "Metalúrgica do Cávado" in html
    assert "Rui Gonçalves" in html
    assert [a.participant_id for a in page.context["assignments"]] == [world.learner.pk]


def test_mentor_sees_their_learners_on_the_placement_but_not_others(world, client_for):
    other = ParticipantFactory(project=world.project, first_name="Florin", last_name="Rostaș")
    mentor_b = UserFactory(username="mentor_b", role=Role.MENTOR, organisation=world.host)
    Assignment.objects.create(participant=other, placement=world.placement, host_company=world.host, mentor=mentor_b)
    html = (
        client_for(world.mentor).get(reverse("placements:placement_detail", args=[world.placement.pk])).content.decode()
    )
    assert "Țurcanu" in html
    assert "Rostaș" not in html
    assert "Assign learners" not in html


def test_organisation_is_saved_with_its_contacts_or_not_at_all(world, client_for):
    data = {
        "name": "Confecții Siret SRL",
        "kind": "employer",
        "oid": "e12345678",
        "country": "RO",
        "city": "Bacău",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Cristian Pârvu",
        "contacts-0-email": "not an email",
    }
    client = client_for(world.coordinator)
    response = client.post(reverse("placements:organisation_create"), data)
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Confecții Siret SRL").exists()
    data["contacts-0-email"] = "cristian@example.ro"
    assert client.post(reverse("placements:organisation_create"), data).status_code == 302
    org = Organisation.objects.get(name="Confecții Siret SRL")
    assert org.oid == "E12345678"
    assert ContactPerson.objects.get(organisation=org).name == "Cristian Pârvu"


def test_organisation_oid_must_be_well_formed_and_unique(world, client_for):
    OrganisationFactory(name="Existing", oid="E10000001")
    client = client_for(world.coordinator)
    base = {
        "name": "New",
        "kind": "host",
        "country": "PT",
        "city": "Braga",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }
    bad = client.post(reverse("placements:organisation_create"), {**base, "oid": "123"})
    assert "letter E followed by 8 digits" in " ".join(bad.context["form"].errors["oid"])
    taken = client.post(reverse("placements:organisation_create"), {**base, "oid": "E10000001"})
    assert "Your address book already has this organisation: Existing (Braga)." in taken.context["form"].errors["oid"]


def test_coordinator_creates_project(world, client_for):
    data = {
        "title": "Next year's mobility",
        "reference": "2027-1-RO01-KA122-VET-000000001",
        "key_action": "KA122-VET",
        "sending_organisation": world.project.sending_organisation_id,
        "start_date": "2027-09-01",
        "end_date": "2028-08-31",
        "required_attendance_rate": "80",
    }
    assert client_for(world.coordinator).post(reverse("placements:project_create"), data).status_code == 302
    assert Project.objects.filter(reference="2027-1-RO01-KA122-VET-000000001").exists()
    data["reference"] = "2027-1-RO01-KA122-VET-000000002"
    data["end_date"] = "2027-01-01"
    response = client_for(world.coordinator).post(reverse("placements:project_create"), data)
    assert response.status_code == 200
    assert "must end after it starts" in str(response.context["form"].errors)


def test_coordinator_invites_a_mentor_only_with_a_host_company(world, client_for):
    data = {"first_name": "Ana", "last_name": "Sousa", "email": "ana@example.pt"}
    client = client_for(world.coordinator)
    response = client.post(reverse("accounts:mentor_invite"), data)
    assert "required" in " ".join(response.context["form"].errors["organisation"])
    data["organisation"] = world.placement.receiving_partner.pk
    response = client.post(reverse("accounts:mentor_invite"), data)
    assert "organisation" in response.context["form"].errors  # a receiving partner is no host company
    data["organisation"] = world.host.pk
    assert client.post(reverse("accounts:mentor_invite"), data).status_code == 302
    from accounts.models import User

    assert not User.objects.get(email="ana@example.pt").has_usable_password()


def test_a_forged_number_of_contact_forms_is_refused_quickly(world, client_for):
    import time

    from django.urls import reverse

    data = {
        "name": "Nova Host",
        "kind": "host",
        "country": "PT",
        "city": "Braga",
        "contacts-TOTAL_FORMS": "99999999999999999999",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    started = time.monotonic()
    response = client_for(world.coordinator).post(reverse("placements:organisation_create"), data)
    assert time.monotonic() - started < 5
    assert response.status_code == 200


def test_projects_list_shows_fifty_projects_a_page_newest_first(world, client_for):
    # Found by `make bench-large`: 500 projects on one page cost 13× the trivial view instead of 3×.
    school = world.project.sending_organisation
    Project.objects.bulk_create(
        Project(
            title=f"Project {n:02d}",
            reference=f"PAGE-{n:02d}",
            public_slug=f"page-{n:02d}",  # bulk_create skips save(), which would choose one
            start_date=f"2024-01-{n % 28 + 1:02d}",
            end_date="2024-12-31",
            sending_organisation=school,
        )
        for n in range(55)
    )
    client = client_for(world.coordinator)
    first = client.get(reverse("placements:project_list"))
    second = client.get(reverse("placements:project_list"), {"page": 2})
    assert len(first.context["projects"]) == 50
    assert first.context["projects"][0] == world.project  # the newest
    assert len(second.context["projects"]) == Project.objects.count() - 50
    assert "Page 1 of 2" in first.content.decode()


def test_the_placement_page_reads_the_schools_hosts_and_mentors_once_for_both_forms(world, client_for):
    """The form that assigns learners and the one that gives learners a host company list the same host
    companies and mentors: one query each, not one per form, and both forms still offer them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.coordinator)
    url = reverse("placements:placement_detail", args=[world.placement.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="hosts_host_company"' in page and 'id="id_host_company"' in page
    assert page.count(f'<option value="{world.host.pk}">') == 2
    host_lists = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "placements_organisation"')]
    assert len(host_lists) == 1, host_lists


def more_learners(world, count):
    """`count` more learners of the flow's project, a third each: on the flow with a host company and mentor, on
    it without, and not on it yet (to assign); every sixth on it has withdrawn."""
    for n in range(count):
        learner = ParticipantFactory(project=world.project, qualification=world.placement.qualification)
        if n % 3 == 2:
            continue
        withdrawn = n % 6 == 0
        Assignment.objects.create(
            participant=learner,
            placement=world.placement,
            host_company=world.host if n % 3 == 0 else None,
            mentor=world.mentor if n % 3 == 0 else None,
            status="withdrawn" if withdrawn else "confirmed",
            withdrawal_reason="Went home." if withdrawn else "",
        )


# The coordinator's placement page: the session, the user and their second factor; the flow with whether they
# may change it (placements.access.placement_and_change); its learners; whether its qualification has learning
# outcomes; its accompanying persons; the school's host companies and mentors, once for both forms; the learners
# to assign. The learners to give a host company are the table's.
PLACEMENT_PAGE_QUERIES = 10


def test_the_placement_pages_queries_do_not_grow_with_its_learners(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.coordinator)
    url = reverse("placements:placement_detail", args=[world.placement.pk])
    client.get(url)
    counts = []
    for count in (3, 30):
        more_learners(world, count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200
        assert 'name="participants"' in page and 'name="assignments"' in page and "aria-label=" in page
        counts.append(len(queries))
    assert counts == [PLACEMENT_PAGE_QUERIES] * 2


@pytest.mark.parametrize(
    ("form_name", "form_class", "field"),
    [
        ("assign_form", "AssignParticipantsForm", "participants"),
        ("assign_form", "AssignParticipantsForm", "host_company"),
        ("assign_form", "AssignParticipantsForm", "mentor"),
        ("host_form", "HostForLearnersForm", "assignments"),
        ("host_form", "HostForLearnersForm", "host_company"),
        ("host_form", "HostForLearnersForm", "mentor"),
    ],
)
def test_the_placement_pages_lists_are_what_the_forms_querysets_offer(world, client_for, form_name, form_class, field):
    """The page lists each form's choices from rows it read once (the learners to give a host company from its
    table): the same choices, in the same order, as the form's own queryset, which validates what is posted."""
    from placements import forms

    more_learners(world, 9)
    response = client_for(world.coordinator).get(reverse("placements:placement_detail", args=[world.placement.pk]))
    shown = [(str(value), label) for value, label in response.context[form_name].fields[field].choices]
    own = getattr(forms, form_class)(world.placement).fields[field]
    offered = [(str(value), label) for value, label in own.choices]
    assert shown == offered
    assert len([value for value, _label in offered if value]) >= 1


def test_a_refused_host_form_shows_the_ticked_learners_and_the_reason(world, client_for):
    more_learners(world, 3)
    ticked = Assignment.objects.filter(placement=world.placement).exclude(status="withdrawn").order_by("pk")[:2]
    response = client_for(world.coordinator).post(
        reverse("placements:set_hosts", args=[world.placement.pk]),
        {"assignments": [a.pk for a in ticked], "host_company": world.host.pk, "mentor": world.other_mentor.pk},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the fields marked below. Nothing was saved." in page
    assert 'class="select form-select is-invalid" aria-invalid="true" aria-describedby="hosts_mentor_error"' in page
    assert '<div id="hosts_mentor_error" class="invalid-feedback">' in page and "Choose a mentor of" in page
    for assignment in ticked:
        assert f'value="{assignment.pk}"  id="hosts_assignments_' in page
    assert page.count(" checked>") == 2
