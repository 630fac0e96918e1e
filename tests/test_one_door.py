"""One wall, one door: what a user may read or change is decided in accounts/roles.py and the apps' access.py
modules only, and a membership's role decides what someone may do in that school's rows."""

import re
from pathlib import Path

import pytest
from django.http import Http404
from django.urls import reverse

from accounts.models import Membership, Role
from attendance.models import AttendanceRecord
from placements.access import assignment_to_change, placement_for, placement_to_change
from placements.models import Placement

from .factories import UserFactory
from .test_schools_apart import other_school  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent
ROLE_CHECK = re.compile(r"\.role\s*(==|!=)|\brole_of\(|\buser\.role\b")


def kit_or_elsewhere(path):
    relative = path.relative_to(ROOT)
    top = relative.parts[0]
    return top in ("accounts", "tests", ".venv", "var", "static", "locale") or relative.name == "access.py"


def test_no_role_check_outside_the_access_kit():
    found = []
    for path in ROOT.rglob("*.py"):
        if kit_or_elsewhere(path) or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ROLE_CHECK.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "a role is looked at outside accounts/ and the access.py modules:\n" + "\n".join(found)


def test_the_source_scan_would_see_a_role_check(tmp_path):
    """The pattern the scan looks for matches each way the issue found a role being compared."""
    for line in ('request.user.role == "coordinator"', "if role_of(user) != Role.MENTOR:", "if user.role in x:"):
        assert ROLE_CHECK.search(line), line
    assert not ROLE_CHECK.search('users.filter(role__in=OFFICE, memberships__role="staff")')


def test_role_tuples_live_in_accounts_roles():
    found = []
    for path in ROOT.rglob("*.py"):
        if kit_or_elsewhere(path) or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"=\s*\(Role\.\w+,", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


@pytest.fixture
def both(world, other_school):  # noqa: F811
    """Coordinator at the first school, staff at the second (other_school)."""
    person = UserFactory(username="both", role=Role.COORDINATOR, school=world.project.sending_organisation)
    Membership.objects.create(user=person, organisation=other_school.project.sending_organisation, role=Role.STAFF)
    return person


def test_a_coordinator_at_one_school_and_staff_at_another_reads_both(world, other_school, both):  # noqa: F811
    assert placement_for(both, world.placement.pk) == world.placement
    assert placement_for(both, other_school.placement.pk) == other_school.placement


def test_a_coordinator_at_one_school_and_staff_at_another_changes_only_the_first(
    world,
    other_school,  # noqa: F811
    both,
):
    assert placement_to_change(both, world.placement.pk) == world.placement
    assert assignment_to_change(both, world.assignment.pk) == world.assignment
    with pytest.raises(Http404):
        placement_to_change(both, other_school.placement.pk)
    with pytest.raises(Http404):
        assignment_to_change(both, other_school.assignment.pk)


def test_a_staff_school_answers_its_pages_but_refuses_the_changes(
    world,
    other_school,  # noqa: F811
    both,
    client_for,
):
    client = client_for(both)
    theirs = other_school.placement
    assert client.get(reverse("placements:placement_detail", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("placements:edit", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("placements:edit", args=[theirs.pk]), {"title": "Renamed by a reader"})
    assert response.status_code == 404
    assert Placement.objects.get(pk=theirs.pk).title == "Vaslui flow"
    # The same page of their own school opens for changing.
    assert client.get(reverse("placements:edit", args=[world.placement.pk])).status_code == 200


def test_a_staff_school_records_no_attendance(world, other_school, both, client_for):  # noqa: F811
    theirs = other_school.assignment
    monday = theirs.placement.start_date
    key = f"{theirs.pk}-{monday:%Y%m%d}"
    url = reverse("attendance:week", args=[theirs.placement.pk, f"{monday:%Y-%m-%d}"])
    response = client_for(both).post(url, {f"s-{key}": "present", f"v-{key}": "0"})
    assert response.status_code == 403
    assert not AttendanceRecord.objects.filter(assignment=theirs).exists()


def test_the_dashboard_of_a_person_of_two_schools_offers_both_projects(
    world,
    other_school,  # noqa: F811
    both,
    client_for,
):
    body = client_for(both).get(reverse("dashboard")).content.decode()
    assert f'<option value="{world.project.pk}"' in body
    assert f'<option value="{other_school.project.pk}"' in body


def test_a_schools_coordinator_cannot_change_the_eu_rate_tables(world, client_for):
    """The Commission's rates are the installation's: a coordinator rewrote another school's grant through them."""
    from grants.models import RateTable

    from .access_routes_grants import a_rate_table

    pk = a_rate_table(world)["pk"]
    before = RateTable.objects.get(pk=pk).label
    client = client_for(world.coordinator)
    assert client.get(reverse("grants:rate_table_edit", args=[pk])).status_code == 403
    assert client.post(reverse("grants:rate_table_edit", args=[pk]), {"label": "Rewritten"}).status_code == 403
    assert RateTable.objects.get(pk=pk).label == before
    assert client.get(reverse("grants:rate_table", args=[pk])).status_code == 200
    assert (
        reverse("grants:rate_table_edit", args=[pk])
        not in client.get(reverse("grants:rate_table", args=[pk])).content.decode()
    )
    administrator = UserFactory(username="administrator", role=Role.COORDINATOR, is_superuser=True, school=False)
    assert client_for(administrator).get(reverse("grants:rate_table_edit", args=[pk])).status_code == 200


def test_a_schools_coordinator_cannot_change_the_attendance_codes(world, client_for):
    from attendance.models import AttendanceStatus

    status = AttendanceStatus.objects.get(code="present")
    response = client_for(world.coordinator).post(reverse("attendance:status_edit", args=[status.pk]), {"label": "X"})
    assert response.status_code == 403
    assert AttendanceStatus.objects.get(pk=status.pk).label == status.label


def test_the_lists_of_one_school_name_nothing_of_the_other(world, other_school, client_for):  # noqa: F811
    """The preparation overview listed every school's flows, the calls list and the conference list every
    school's, and the transfers page the other school's imports with its staff's names."""
    from django.utils import timezone

    from conference.models import Event
    from selection.models import Call
    from transfers.models import ImportBatch

    from .access_routes_selection import a_call

    a_call(other_school)
    Call.objects.filter(project=other_school.project).update(title="Apelul Vasluian")
    Event.objects.create(
        project=other_school.project,
        title="Conferința Vasluiană",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        venue="Sala",
        address="Strada 1",
        city="Vaslui",
        capacity=10,
    )
    other_school.coordinator.last_name = "Vasluianu"
    other_school.coordinator.save()
    ImportBatch.objects.create(kind="participants", filename="x.csv", sha256="0", uploaded_by=other_school.coordinator)
    pages = {
        "preparation:overview": "Vaslui flow",
        "selection:calls": "Apelul Vasluian",
        "conference:manage": "Conferința Vasluiană",
        "transfers:home": "Vasluianu",
    }
    wrong = []
    for name, secret in pages.items():
        body = client_for(world.coordinator).get(reverse(name)).content.decode()
        if secret in body:
            wrong.append(f"{name} shows {secret}")
    assert not wrong, "\n".join(wrong)


def test_the_qualifications_page_counts_only_the_schools_own_learners(world, other_school, client_for):  # noqa: F811
    response = client_for(world.coordinator).get(reverse("placements:qualification_list"))
    counts = {q.pk: (q.participant_count, q.placement_count) for q in response.context["qualifications"]}
    # The other school's two learners and two flows are of the same (shared) qualification: not counted here.
    assert other_school.learner.qualification_id == world.learner.qualification_id
    assert counts[world.learner.qualification_id] == (1, 1)


def test_the_import_pages_help_names_no_learner_of_the_installation(world, other_school, client_for):  # noqa: F811
    """The assignments import page's example of a learner's name was the demo's first learner, shown to every
    school."""
    for kind in ("assignments", "participants"):
        body = client_for(other_school.coordinator).get(reverse("transfers:import", args=[kind])).content.decode()
        assert world.learner.last_name not in body
