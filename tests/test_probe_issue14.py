"""A hostile look at schools apart, consortium projects and per-project public sites: each test here is a leak
found after they landed, kept so that it stays closed."""

from django.urls import reverse
from django.utils import timezone

from .test_consortium import consortium  # noqa: F401  (fixture)
from .test_schools_apart import SECRET_COMPANY, other_school  # noqa: F401  (fixture)


def test_a_coordinators_digest_names_only_their_schools_lapsing_agreements(world, other_school):  # noqa: F811
    from notifications.models import Kind
    from notifications.services import coordinator_items

    today = timezone.localdate()
    mine = [item for item in coordinator_items(today, world.coordinator) if item.kind == Kind.AGREEMENTS_LAPSING]
    assert not any(SECRET_COMPANY in item.text() for item in mine)
    theirs = coordinator_items(today, other_school.coordinator)
    assert any(SECRET_COMPANY in item.text() for item in theirs if item.kind == Kind.AGREEMENTS_LAPSING)


MONEY_OF_A_MOBILITY = (
    ("grants:mobility", "pk"),
    ("grants:mobility_edit", "pk"),
    ("grants:real_cost_add", "pk"),
    ("grants:module_figures", "assignment_pk"),
)


def test_a_member_school_neither_reads_nor_changes_the_consortiums_money_for_its_own_learner(
    world,
    consortium,  # noqa: F811
    client_for,
):
    from grants.models import RealCost

    own_assignment = consortium.own.assignments.get()
    for role in ("staff", "coordinator"):
        client = client_for(world.user(role))
        for name, key in MONEY_OF_A_MOBILITY:
            url = reverse(name, kwargs={key: own_assignment.pk})
            assert client.get(url).status_code in (404, 403, 405), f"GET {name} as {role}"
            data = {"reason": "Taxi", "amount": "100.00", "distance_km": "5000", "days": "90"}
            assert client.post(url, data).status_code in (404, 403, 405), f"POST {name} as {role}"
    assert not RealCost.objects.exists()
    lead = client_for(consortium.coordinator)
    assert lead.get(reverse("grants:mobility", args=[own_assignment.pk])).status_code == 200


def test_a_coordinator_cannot_change_an_account_that_is_also_another_schools(
    world,
    other_school,  # noqa: F811
    client_for,
):
    """A coordinator of both schools (or the installation's superuser, a member of every school after the
    upgrade) is not the account of one school's coordinator to re-address, switch off or strip of two-factor:
    that would hand them the other school."""
    from accounts.models import Membership

    from .factories import UserFactory

    both = UserFactory(username="both_schools", role="coordinator", email="both@example.org")
    Membership.objects.create(user=both, organisation=other_school.project.sending_organisation, role="coordinator")
    superuser = UserFactory(username="it_person", role="coordinator", is_superuser=True, email="it@example.org")
    client = client_for(world.coordinator)
    for account in (both, superuser):
        data = {"first_name": "X", "last_name": "Y", "email": "taken@example.org", "role": "coordinator"}
        assert client.get(reverse("accounts:user_edit", args=[account.pk])).status_code == 404
        assert client.post(reverse("accounts:user_edit", args=[account.pk]), data).status_code == 404
        assert client.post(reverse("accounts:user_two_factor_reset", args=[account.pk])).status_code == 404
        account.refresh_from_db()
        assert account.email != "taken@example.org" and account.is_active
    # One's own school's accounts stay the coordinator's to change.
    response = client.post(
        reverse("accounts:user_edit", args=[world.staff.pk]),
        {"first_name": "S", "last_name": "T", "email": "s@example.org", "role": "staff", "is_active": "on"},
    )
    assert response.status_code == 302


def test_a_document_asked_for_by_a_coordinator_of_two_schools_is_not_the_other_schools_to_download(
    world,
    other_school,  # noqa: F811
    client_for,
):
    """A job belongs to the schools of the person who asked for it; one who belongs to two schools asks for a
    document of the second school's learner: the first school's coordinator must not read it by its number."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from accounts.models import Membership
    from documents.models import DocumentJob

    from .factories import UserFactory

    both = UserFactory(username="both_schools", role="coordinator")
    Membership.objects.create(user=both, organisation=other_school.project.sending_organisation, role="coordinator")
    job = DocumentJob.objects.create(
        kind="certificate",
        params={"assignment": other_school.assignment.pk},
        title=f"Certificate of {other_school.learner}",
        requested_by=both,
    )
    job.file = storages["private"].save(f"documents/test/{job.pk}.pdf", ContentFile(b"%PDF-1.7 test"))
    job.status, job.filename = "done", "certificate.pdf"
    job.save()
    client = client_for(world.coordinator)
    assert client.get(reverse("documents:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[job.pk])).status_code == 404
    assert client_for(both).get(reverse("documents:download", args=[job.pk])).status_code == 200
    # A job of the first school's own people stays its coordinators'.
    own = DocumentJob.objects.create(kind="certificate", title="Own", requested_by=world.staff)
    assert client_for(world.coordinator).get(reverse("documents:job", args=[own.pk])).status_code == 200


def test_a_calls_committee_offers_and_takes_only_the_calls_schools_office(
    world,
    other_school,  # noqa: F811
    client_for,
):
    """A committee member opens every application of the call: a member from another school would read this
    school's applicants, and the list of choices would name the other school's people."""
    from selection.models import CommitteeMember

    from .access_routes_selection import a_call

    call = a_call(world)
    other_school.staff.first_name, other_school.staff.last_name = "Outsider", "Vasluianu"
    other_school.staff.save()
    client = client_for(world.coordinator)
    url = reverse("selection:committee", args=[call.pk])
    page = client.get(url).content.decode()
    assert "Vasluianu" not in page and f'value="{other_school.staff.pk}"' not in page
    member = CommitteeMember.objects.get(call=call)
    data = {
        "committee-TOTAL_FORMS": "2",
        "committee-INITIAL_FORMS": "1",
        "committee-MIN_NUM_FORMS": "0",
        "committee-MAX_NUM_FORMS": "1000",
        "committee-0-id": member.pk,
        "committee-0-call": call.pk,
        "committee-0-user": world.staff.pk,
        "committee-1-call": call.pk,
        "committee-1-user": other_school.staff.pk,
    }
    client.post(url, data)
    assert not CommitteeMember.objects.filter(user=other_school.staff).exists()
    client.post(url, {**data, "committee-1-user": world.coordinator.pk})
    assert CommitteeMember.objects.filter(call=call, user=world.coordinator).exists()


def test_a_final_report_names_only_its_schools_local_employers(world, other_school):  # noqa: F811
    from reports.final_report import report_data

    from .factories import OrganisationFactory

    OrganisationFactory(name="Own employer", kind="employer", schools=[world.project.sending_organisation])
    names = [employer["name"] for employer in report_data(world.project)["employers"]]
    assert "Own employer" in names
    assert not any(SECRET_COMPANY in name for name in names)


def test_a_consortium_does_not_change_its_member_schools_own_record(world, consortium, client_for):  # noqa: F811
    """A member school is in the consortium's address book (to be named on its project); its record is still
    the school's own (its name on its certificates, its public site, its contacts): the consortium reads it,
    but neither renames it nor adds contacts to it."""
    own_school = world.project.sending_organisation
    name = own_school.name
    client = client_for(consortium.coordinator)
    url = reverse("placements:organisation_edit", args=[own_school.pk])
    assert client.get(url).status_code == 404
    data = {"kind": "sending", "country": "RO", "city": "Iași", "name": "Renamed by the consortium"}
    data |= {"contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"}
    assert client.post(url, data).status_code == 404
    own_school.refresh_from_db()
    assert own_school.name == name
    assert client.get(reverse("placements:organisation_detail", args=[own_school.pk])).status_code == 200
    # Nor moves it (its coordinates measure the school's own grants' distances).
    location = reverse("grants:location", args=[own_school.pk])
    assert client.get(location).status_code == 404
    assert client.post(location, {"place": "Elsewhere", "latitude": "1", "longitude": "1"}).status_code == 404
    # The school's own coordinator still keeps its record.
    client = client_for(world.coordinator)
    assert client.get(url).status_code == 200 and client.get(location).status_code == 200


def test_changing_an_account_does_not_add_it_to_the_editors_other_schools(world, client_for):
    from accounts.models import Membership
    from tests.factories import SchoolFactory, UserFactory

    second = SchoolFactory(name="Școala a doua")
    Membership.objects.create(user=world.coordinator, organisation=second, role="coordinator")
    staff = UserFactory(username="one.school.staff", role="staff")  # of the tests' one school only
    response = client_for(world.coordinator).post(
        reverse("accounts:user_edit", args=[staff.pk]),
        {
            "username": staff.username,
            "first_name": "Ana",
            "last_name": "Pop",
            "email": "",
            "phone": "+40 721 000 000",
            "role": "coordinator",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    memberships = dict(staff.memberships.values_list("organisation__name", "role"))
    assert memberships == {world.project.sending_organisation.name: "coordinator"}
