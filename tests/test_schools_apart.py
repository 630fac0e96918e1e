"""Two schools on one installation: nothing of one is seen by the other's office.

A second school gets its own project, placements, host companies, coordinator, staff, mentors and learners
(`other_school`). Every URL of the access matrix is then tried as the FIRST school's coordinator and staff
with the SECOND school's objects: an object page answers 404 (or what the matrix already says for the role:
403, 405), and no page the first school can open shows the second school's learner, project or money.
"""

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role

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
from .sites import is_site_redirect
from .test_access import ROUTES

# A name and a reference that appear nowhere else, so any page showing them shows the other school.
SECRET_NAME = "Xenofontescu"
SECRET_REFERENCE = "2026-1-RO01-KA122-VET-777777777"
SECRET_TITLE = "Apprentices of Vaslui abroad"
# The second school's address book: its host companies, partner and local employer, and its mail.
SECRET_COMPANY = "Zătoane"
SECRET_OID = "E99999999"

# URLs whose object is shared by every school on purpose (catalogues, the public site's verification), or
# that fetch "the" object of a kind and so cannot be pointed at the other school's.
SHARED = {
    "placements:qualification_edit",  # qualifications: a national catalogue
    "attendance:status_edit",  # attendance codes
    "assessments:framework",  # a qualification's units and outcomes: the national standard
    "assessments:unit_create",
    "assessments:unit_edit",
    "assessments:unit_move",
    "assessments:outcome_create",
    "assessments:outcome_edit",
    "assessments:outcome_move",
    "grants:rate_table",  # the Commission's rates
    "grants:rate_table_edit",
    # The page in a language of the coordinator's own project: "the" object, not one pointed at by id.
    "public:manage_page",
    # Not an object: the import's upload and template pages.
    "transfers:import",
    "transfers:template",
}


# Not the other school's object, but a page that must not show its learners: the whole-table export (only the
# viewer's schools' rows).
CONTENT_ONLY = {"transfers:export"}


def is_public(name):
    """Public pages and links held by a token (a learner's trip, a questionnaire, a registration) answer anyone
    holding them, signed in or not: they are not the office's, so not part of this test (each project's public
    site keeps to its own content: tests/test_public_sites.py)."""
    return ROUTES[name][1]["anonymous"] != 302 or is_site_redirect(name)


@pytest.fixture
def other_school(world):
    school = SchoolFactory(name="Școala Profesională Vaslui", city="Vaslui")
    project = ProjectFactory(sending_organisation=school, reference=SECRET_REFERENCE, title=SECRET_TITLE)
    mechanic = QualificationFactory(name="Maintenance mechanic")
    partner = OrganisationFactory(
        name=f"{SECRET_COMPANY} partner", kind=Organisation.Kind.RECEIVING, oid=SECRET_OID, schools=[school]
    )
    placement = PlacementFactory(
        project=project, title="Vaslui flow", qualification=mechanic, receiving_partner=partner
    )
    other_placement = PlacementFactory(
        project=project, title="Vaslui second flow", qualification=mechanic, receiving_partner=partner
    )
    host = OrganisationFactory(name=f"{SECRET_COMPANY} host one", schools=[school])
    other_host = OrganisationFactory(name=f"{SECRET_COMPANY} host two", schools=[school])
    employer_of_the_other_school(school)
    mail_of_the_other_school(school)
    mentor = UserFactory(username="vaslui_mentor", role=Role.MENTOR, organisation=host, school=school)
    other_mentor = UserFactory(username="vaslui_mentor2", role=Role.MENTOR, organisation=other_host, school=school)
    learner = ParticipantFactory(project=project, qualification=mechanic, first_name="Ilie", last_name=SECRET_NAME)
    other_learner = ParticipantFactory(
        project=project, qualification=mechanic, first_name="Ioana", last_name=SECRET_NAME
    )
    return World(
        project=project,
        placement=placement,
        other_placement=other_placement,
        host=host,
        other_host=other_host,
        coordinator=UserFactory(username="vaslui_coordinator", role=Role.COORDINATOR, school=school),
        staff=UserFactory(username="vaslui_staff", role=Role.STAFF, school=school),
        mentor=mentor,
        other_mentor=other_mentor,
        learner=learner,
        other_learner=other_learner,
        assignment=AssignmentFactory(participant=learner, placement=placement, host_company=host, mentor=mentor),
        other_assignment=AssignmentFactory(
            participant=other_learner, placement=other_placement, host_company=other_host, mentor=other_mentor
        ),
    )


def employer_of_the_other_school(school):
    from datetime import date

    from employers.models import Agreement, ContactEvent, Offer, PartnerProfile

    employer = OrganisationFactory(
        name=f"{SECRET_COMPANY} employer", kind=Organisation.Kind.EMPLOYER, country="RO", schools=[school]
    )
    PartnerProfile.objects.create(
        organisation=employer, sector=SECRET_COMPANY, public_listing_agreed_on=date(2026, 1, 1)
    )
    ContactEvent.objects.create(organisation=employer, happened_on=date(2026, 1, 2), kind="call", summary="Called")
    Offer.objects.create(
        organisation=employer, qualification=QualificationFactory(), title=f"{SECRET_COMPANY} job", places=1
    )
    # Due for renewal now: the dashboard and the agreements' list would flag it.
    Agreement.objects.create(
        organisation=employer,
        title=f"{SECRET_COMPANY} agreement",
        scope="Interviews",
        starts_on=date(2020, 1, 1),
        ends_on=date(2099, 1, 1),
        renewal_due_on=date(2020, 6, 1),
    )
    return employer


def mail_of_the_other_school(school):
    from outbox.models import OutgoingMessage

    return OutgoingMessage.objects.create(
        to=f"{SECRET_NAME}@example.org",
        subject="Two questions from your school",
        body="Hello",
        purpose=OutgoingMessage.Purpose.FOLLOW_UP_REQUEST,
        status=OutgoingMessage.Status.FAILED,
        attempts=5,
        problem=OutgoingMessage.Problem.UNREACHABLE,
        school=school,
    )


OBJECT_ROUTES = sorted(
    name for name, (kwargs, _g, _p) in ROUTES.items() if kwargs and name not in SHARED and not is_public(name)
)
LIST_ROUTES = sorted(name for name, (kwargs, _g, _p) in ROUTES.items() if not kwargs and not is_public(name))


def by_app(names):
    """Routes grouped by their app: one test an app, so the two schools are built once for its routes, not once
    a route (the suite's time), and a failure still names every route that failed."""
    groups = {}
    for name in names:
        groups.setdefault(name.split(":")[0], []).append(name)
    return groups


OBJECT_GROUPS = by_app(OBJECT_ROUTES)
LIST_GROUPS = by_app(LIST_ROUTES)


def other_schools_object_refused(world, other_school, client_for, name):
    kwargs_of, get_expected, post_expected = ROUTES[name]
    url = reverse(name, kwargs=kwargs_of(other_school))
    wrong = []
    for role in ("staff", "coordinator"):
        client = client_for(world.user(role))
        response = client.get(url)
        if name in CONTENT_ONLY:
            if response.status_code != get_expected[role]:
                wrong.append(f"GET as {role}: {response.status_code}, expected {get_expected[role]}")
            if SECRET_NAME in response.content.decode(errors="replace"):
                wrong.append(f"GET as {role} shows the other school's learner")
            continue
        want = 404 if get_expected[role] in (200, 302, 400) else get_expected[role]
        if response.status_code not in (want, 404):
            wrong.append(f"GET as {role}: {response.status_code}, expected {want}")
        if SECRET_NAME in response.content.decode(errors="replace"):
            wrong.append(f"GET as {role} shows the other school's learner")
        response = client.post(url, {})
        want = 404 if post_expected[role] in (200, 302, 400) else post_expected[role]
        if response.status_code not in (want, 404):
            wrong.append(f"POST as {role}: {response.status_code}, expected {want}")
    return [f"{name} ({url}): {problem}" for problem in wrong]


@pytest.mark.parametrize("app", sorted(OBJECT_GROUPS))
def test_the_other_schools_objects_answer_404(world, other_school, client_for, app):
    wrong = [
        problem
        for name in OBJECT_GROUPS[app]
        for problem in other_schools_object_refused(world, other_school, client_for, name)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("app", sorted(LIST_GROUPS))
def test_no_page_of_one_school_shows_the_other(world, other_school, client_for, app):
    wrong = []
    for name in LIST_GROUPS[app]:
        for role in ("staff", "coordinator"):
            # Searched for the other school's learner by first name (list pages' `q`; the page repeats the words
            # searched for, so not by the name looked for in the page).
            response = client_for(world.user(role)).get(reverse(name), {"q": other_school.learner.first_name})
            if response.status_code == 500:
                wrong.append(f"{name} as {role}: 500")
            body = response.content.decode(errors="replace")
            for secret in (SECRET_NAME, SECRET_REFERENCE, SECRET_TITLE):
                if secret in body:
                    wrong.append(f"{name} as {role}, searched, shows the other school's {secret}")
            # And unsearched: every row the page lists, none of the other school's address book or mail.
            body = client_for(world.user(role)).get(reverse(name)).content.decode(errors="replace")
            for secret in (SECRET_NAME, SECRET_COMPANY, SECRET_OID, SECRET_TITLE):
                if secret in body:
                    wrong.append(f"{name} as {role} shows the other school's {secret}")
    assert not wrong, "\n".join(wrong)


def test_the_dashboard_of_one_school_cannot_be_pointed_at_the_other(world, other_school, client_for):
    for role in ("staff", "coordinator"):
        response = client_for(world.user(role)).get(reverse("dashboard"), {"project": other_school.project.pk})
        body = response.content.decode()
        assert response.status_code == 200
        assert SECRET_TITLE not in body and world.project.title in body


def test_each_schools_office_sees_its_own(world, other_school, client_for):
    """The rule is symmetrical: the second school's coordinator sees their learners, not the first's."""
    body = client_for(other_school.coordinator).get(reverse("participants:list")).content.decode()
    assert SECRET_NAME in body and world.learner.last_name not in body


def test_a_coordinators_new_account_joins_their_school_only(world, other_school, client_for):
    from accounts.models import User

    response = client_for(world.coordinator).post(
        reverse("accounts:user_create"),
        {
            "username": "new.staff",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
            "role": "staff",
        },
    )
    assert response.status_code == 302
    account = User.objects.get(username="new.staff")
    assert list(account.memberships.values_list("organisation", "role")) == [
        (world.project.sending_organisation_id, "staff")
    ]
    body = client_for(account).get(reverse("participants:list")).content.decode()
    assert world.learner.last_name in body and SECRET_NAME not in body


def test_a_coordinators_digest_counts_their_school_only(world, other_school):

    from django.utils import timezone

    from attendance.models import WeekSignoff
    from notifications.models import Kind
    from notifications.services import coordinator_items

    WeekSignoff.objects.create(
        placement=other_school.placement,
        mentor=other_school.mentor,
        week_start=other_school.placement.start_date,
        state=WeekSignoff.State.SUBMITTED,
    )
    today = timezone.localdate()
    kinds = {item.kind for item in coordinator_items(today, world.coordinator)}
    assert Kind.SUBMISSIONS_WAITING not in kinds
    assert Kind.SUBMISSIONS_WAITING in {item.kind for item in coordinator_items(today, other_school.coordinator)}


def test_a_superuser_sees_every_school(world, other_school, client_for):
    admin = UserFactory(username="it.person", role=Role.COORDINATOR, is_superuser=True, school=False)
    body = client_for(admin).get(reverse("participants:list")).content.decode()
    assert SECRET_NAME in body and world.learner.last_name in body


def test_an_office_user_of_no_school_sees_nothing(world, client_for):
    lost = UserFactory(username="lost.staff", role=Role.STAFF, school=False)
    body = client_for(lost).get(reverse("participants:list")).content.decode()
    assert world.learner.last_name not in body
    assert client_for(lost).get(reverse("participants:detail", args=[world.learner.pk])).status_code == 404


def test_an_import_cannot_name_the_other_schools_project(world, other_school):
    from transfers.services import plan_rows

    header = ["project", "last_name", "first_name", "date_of_birth", "gender", "qualification"]
    rows = [(2, [ref, "Nou", "Ion", "2008-01-02", "male", "Maintenance mechanic"]) for ref in [SECRET_REFERENCE]]
    refused = plan_rows("participants", header, rows, user=world.coordinator)
    assert refused.rows[0].action == "error"
    accepted = plan_rows("participants", header, rows, user=other_school.coordinator)
    assert accepted.rows[0].action == "create", accepted.rows[0].errors


def apps_of(app_label, migration):
    """The models as the migration sees them, for calling its data step: Organisation was placements' then
    (it moved into accounts in accounts/0011), so the project's app registry no longer answers for it."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state((app_label, migration)).apps


def test_upgrading_a_one_school_installation_keeps_everyone_seeing_what_they_saw(world, client_for):
    """The migration's data step: users of an installation from before memberships join its school."""
    import importlib

    from accounts.models import Membership

    Membership.objects.all().delete()
    assert world.learner.last_name not in client_for(world.staff).get(reverse("participants:list")).content.decode()
    importlib.import_module("accounts.migrations.0007_membership").existing_users_join_existing_schools(
        apps_of("accounts", "0007_membership"), None
    )
    assert world.learner.last_name in client_for(world.staff).get(reverse("participants:list")).content.decode()
    assert Membership.objects.get(user=world.coordinator).role == Role.COORDINATOR


# Models with no way to a school: catalogues every school shares, rows reached only through a scoped parent,
# and what README's "Schools apart" names as still shared. A new model must declare `project_path` or
# `school_path` (accounts.roles.school_filter), or be added here with its reason: a model missing from both
# would be shared by every school without anyone deciding it (an application's documents once were).
SHARED_MODELS = {
    "accounts.BackupCodes": "a user's own, never listed",
    "accounts.Membership": "a user's own, edited in the admin",
    "assessments.Outcome": "catalogue",
    "assessments.ScaleLevel": "catalogue",
    "assessments.Unit": "catalogue",
    "attendance.AttendanceStatus": "catalogue",
    "grants.CountryGroup": "catalogue (EU rate tables)",
    "grants.ModuleFigures": "reached only through its mobility or stay, both scoped",
    "grants.RateTable": "catalogue (EU rate tables)",
    "grants.ExchangeRate": "catalogue (the Commission's monthly accounting rates, InforEuro)",
    "grants.TravelBand": "catalogue (EU rate tables)",
    "notifications.ReminderSettings": "a user's own",
    "offline.SaveKey": "a user's own (the answers to their offline saves, found by user and key)",
    "notifications.SentReminder": "a user's own",
    "participants.Barrier": "catalogue",
    "placements.Qualification": "catalogue",
}


def test_every_model_declares_its_way_to_a_school_or_is_named_as_shared():
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    root = Path(settings.BASE_DIR)
    undeclared = {
        model._meta.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(root) and ".venv" not in Path(config.path).parts
        for model in config.get_models()
        if not model.__name__.startswith("Historical")
        and getattr(model, "project_path", None) is None
        and getattr(model, "school_path", None) is None
    }
    assert undeclared == set(SHARED_MODELS), {
        "declare a path or name as shared": undeclared - set(SHARED_MODELS),
        "no longer shared": set(SHARED_MODELS) - undeclared,
    }


# Each school's address book


ORGANISATION_FORM = {
    "kind": "receiving",
    "country": "PT",
    "city": "Braga",
    "contacts-TOTAL_FORMS": "0",
    "contacts-INITIAL_FORMS": "0",
}


def test_a_school_files_its_own_record_of_a_company_the_other_school_already_has(world, other_school, client_for):
    """The OID is unique within an address book: the second school adds the company under the same OID as a
    record of its own, and neither school sees the other's record (nor learns that the other has one)."""
    first_school = world.project.sending_organisation
    theirs = client_for(other_school.coordinator).post(
        reverse("placements:organisation_create"), {**ORGANISATION_FORM, "name": "Minho, Vaslui's", "oid": SECRET_OID}
    )
    assert "Your address book already has this organisation" in theirs.content.decode()  # its own record

    created = client_for(world.coordinator).post(
        reverse("placements:organisation_create"), {**ORGANISATION_FORM, "name": "Minho, ours", "oid": SECRET_OID}
    )
    assert created.status_code == 302
    ours = Organisation.objects.get(name="Minho, ours")
    assert list(ours.schools.all()) == [first_school]
    assert Organisation.objects.filter(oid=SECRET_OID).count() == 2
    assert client_for(other_school.coordinator).get(ours.get_absolute_url()).status_code == 404
    body = client_for(world.coordinator).get(reverse("placements:organisation_list")).content.decode()
    assert "Minho, ours" in body and SECRET_COMPANY not in body


def test_a_company_of_a_coordinator_of_two_schools_joins_both(world, other_school, client_for):
    from accounts.models import Membership

    Membership.objects.create(
        user=world.coordinator, organisation=other_school.project.sending_organisation, role="coordinator"
    )
    client_for(world.coordinator).post(
        reverse("placements:organisation_create"), {**ORGANISATION_FORM, "name": "Shared by a consortium"}
    )
    made = Organisation.objects.get(name="Shared by a consortium")
    assert set(made.schools.all()) == {world.project.sending_organisation, other_school.project.sending_organisation}


def test_an_organisation_import_matches_and_adds_to_the_importers_address_book_only(world, other_school):
    from transfers.kinds import spec_for
    from transfers.services import plan_rows

    header = ["name", "kind", "oid", "country", "city"]
    rows = [(2, [f"{SECRET_COMPANY} partner", "receiving", SECRET_OID, "PT", "Porto"])]
    ours = plan_rows("organisations", header, rows, user=world.coordinator)
    assert ours.rows[0].action == "create", ours.rows[0].errors  # not a change to the other school's record
    theirs = plan_rows("organisations", header, rows, user=other_school.coordinator)
    assert theirs.rows[0].action == "change"

    made = ours.rows[0].form.save()
    spec_for("organisations").created(made, world.coordinator)
    assert list(made.schools.all()) == [world.project.sending_organisation]


def test_forms_offer_only_the_schools_own_organisations(world, other_school, client_for):
    from placements.forms import AssignParticipantsForm

    partner_choices = client_for(world.coordinator).get(reverse("placements:create")).context["form"]
    assert set(partner_choices.fields["receiving_partner"].queryset) == {world.placement.receiving_partner}
    assign = AssignParticipantsForm(world.placement)
    assert set(assign.fields["host_company"].queryset) == {world.host, world.other_host}
    assert other_school.mentor not in set(assign.fields["mentor"].queryset)
    agreement = client_for(world.coordinator).get(reverse("employers:agreement_create")).content.decode()
    assert SECRET_COMPANY not in agreement
    # A forged choice of the other school's partner is refused on the form, nothing saved.
    response = client_for(world.coordinator).post(
        reverse("placements:edit", args=[world.placement.pk]),
        {
            "project": world.project.pk,
            "title": world.placement.title,
            "qualification": world.placement.qualification_id,
            "receiving_partner": other_school.placement.receiving_partner_id,
            "city": "Braga",
            "country": "PT",
            "start_date": "2027-03-01",
            "end_date": "2027-03-26",
            "status": "planned",
        },
    )
    assert response.status_code == 200 and "receiving_partner" in response.context["form"].errors
    world.placement.refresh_from_db()
    assert world.placement.receiving_partner_id != other_school.placement.receiving_partner_id


def test_the_public_home_names_only_its_schools_partners(world, other_school):
    from employers.contributions import public_results

    names = {p["name"] for p in public_results(world.project)["listed_partners"]}
    assert not any(SECRET_COMPANY in name for name in names)
    names = {p["name"] for p in public_results(other_school.project)["listed_partners"]}
    assert f"{SECRET_COMPANY} employer" in names


def test_an_employers_introductions_count_only_the_viewers_graduates(world, other_school, client_for):
    """An employer kept in both schools' books by an upgrade: each school counts its own introductions."""
    from datetime import date

    from employers.models import Introduction

    employer = Organisation.objects.get(name=f"{SECRET_COMPANY} employer")
    employer.schools.add(world.project.sending_organisation)
    Introduction.objects.create(
        organisation=employer,
        participant=other_school.learner,
        consent_on=date(2026, 1, 5),
        consent_recorded_by=other_school.coordinator,
        introduced_on=date(2026, 1, 6),
    )
    listed = client_for(world.coordinator).get(reverse("employers:list")).context["employers"]
    assert [e.introduction_count for e in listed if e.pk == employer.pk] == [0]
    page = client_for(world.coordinator).get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert SECRET_NAME not in page
    listed = client_for(other_school.coordinator).get(reverse("employers:list")).context["employers"]
    assert [e.introduction_count for e in listed if e.pk == employer.pk] == [1]


def test_the_address_book_pages_cost_the_same_for_5_or_50_organisations(world, other_school, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import SchoolFactory

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client = client_for(world.coordinator)
    school = SchoolFactory()
    urls = [reverse("placements:organisation_list"), reverse("placements:organisation_detail", args=[world.host.pk])]
    OrganisationFactory.create_batch(5, schools=[school])
    small = [queries(url) for url in urls]
    for organisation in OrganisationFactory.create_batch(45, schools=[school]):
        organisation.contacts.create(name="Ana")
        world.host.contacts.create(name=f"Contact {organisation.pk}")
    assert [queries(url) for url in urls] == small


# The outgoing mail


def test_the_outgoing_mail_and_its_counts_are_each_schools_own(world, other_school, client_for):
    from outbox import services
    from outbox.models import OutgoingMessage

    reset = services.send(to="it@example.org", subject="Reset", body="key", purpose="password_reset", school_id=None)
    OutgoingMessage.objects.filter(pk=reset.pk).update(status="failed", problem="unreachable")
    assert services.failed_count(world.coordinator) == 0
    assert services.failed_count(other_school.coordinator) == 1
    dashboard = client_for(world.coordinator).get(reverse("dashboard")).content.decode()
    assert "could not be sent" not in dashboard
    listed = client_for(world.coordinator).get(reverse("outbox:list")).context["outgoing"]
    assert list(listed) == []
    admin = UserFactory(username="it.person", role=Role.COORDINATOR, is_superuser=True, school=False)
    assert services.failed_count(admin) == 2  # the system's password reset and the other school's


def test_mail_about_a_learner_goes_as_their_schools(world, other_school):
    from feedback.models import Invitation
    from feedback.services import send_link
    from outbox.models import OutgoingMessage
    from outbox.services import school_of

    invitation = Invitation.objects.create(
        kind="learner", placement=other_school.placement, assignment=other_school.assignment
    )
    send_link(invitation, "learner@example.org")
    assert OutgoingMessage.objects.get(to="learner@example.org").school == other_school.project.sending_organisation
    assert school_of(world.coordinator) == world.project.sending_organisation_id
    assert school_of(UserFactory(username="nobody", school=False)) is None


# Upgrading


def test_upgrading_puts_every_organisation_in_every_schools_address_book(world, other_school, client_for):
    import importlib

    Organisation.schools.through.objects.all().delete()
    importlib.import_module("placements.migrations.0005_address_book").existing_organisations_join_every_school(
        apps_of("placements", "0005_address_book"), None
    )
    schools = set(Organisation.objects.filter(kind="sending"))
    assert all(set(o.schools.all()) == schools for o in Organisation.objects.all())
    assert client_for(world.coordinator).get(other_school.host.get_absolute_url()).status_code == 200


def test_upgrading_one_schools_mail_makes_it_the_schools(world):
    import importlib

    from outbox.models import OutgoingMessage

    mail = OutgoingMessage.objects.create(to="a@example.org", subject="S", purpose="feedback_invitation")
    reset = OutgoingMessage.objects.create(to="b@example.org", subject="S", purpose="password_reset")
    importlib.import_module("outbox.migrations.0003_message_school").existing_mail_is_the_one_schools(
        apps_of("outbox", "0003_message_school"), None
    )
    mail.refresh_from_db()
    reset.refresh_from_db()
    assert (mail.school, reset.school) == (world.project.sending_organisation, None)


def test_a_coordinator_cannot_record_the_other_schools_learner_through_their_own_week_grid(
    running, other_school, client_for
):
    """The week grid's URL names the coordinator's own placement; its body named the other school's assignment,
    and the day was saved (writable_assignments gave a coordinator every school's assignments)."""
    from attendance.models import AttendanceRecord

    world = running
    theirs = other_school.assignment
    theirs.placement.start_date, theirs.placement.end_date = world.placement.start_date, world.placement.end_date
    theirs.placement.save()
    monday = world.placement.start_date
    key = f"{theirs.pk}-{monday:%Y%m%d}"
    url = reverse("attendance:week", args=[world.placement.pk, f"{monday:%Y-%m-%d}"])
    response = client_for(world.coordinator).post(url, {f"s-{key}": "present", f"v-{key}": "0"})
    assert response.status_code == 403
    assert not AttendanceRecord.objects.filter(assignment=theirs).exists()
    # The same body for the coordinator's own learner is saved: the refusal is the wall, not a broken form.
    mine = f"{world.assignment.pk}-{monday:%Y%m%d}"
    response = client_for(world.coordinator).post(url, {f"s-{mine}": "present", f"v-{mine}": "0"})
    assert response.status_code == 302
    assert AttendanceRecord.objects.filter(assignment=world.assignment, date=monday).exists()
