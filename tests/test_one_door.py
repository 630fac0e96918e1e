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


def a_file(learner, kind, by):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from privacy.models import LearnerFile, random_file_name

    path = storages["private"].save(random_file_name("pdf"), ContentFile(b"%PDF-1.4 scan"))
    return LearnerFile.objects.create(
        participant=learner,
        kind=kind,
        path=path,
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        size=13,
        uploaded_by=by,
    )


def test_restricted_data_by_the_role_in_the_learners_school(world, other_school, both, client_for):  # noqa: F811
    """Coordinator at the first school, staff at the second: the first's learners' needs and ID numbers, not the
    second's, though the page of each opens."""
    from accounts.roles import sees_restricted_of
    from privacy.models import PersonalDataLog

    ours, theirs = world.learner, other_school.learner
    type(ours).objects.filter(pk=ours.pk).update(special_needs="Needs of ours", id_document_number="RX111111")
    type(theirs).objects.filter(pk=theirs.pk).update(special_needs="Needs of theirs", id_document_number="VS222222")
    assert sees_restricted_of(both, ours) and not sees_restricted_of(both, theirs)
    client = client_for(both)
    page = client.get(reverse("participants:detail", args=[ours.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Needs of ours" in body and "RX111111" in body
    assert reverse("participants:edit", args=[ours.pk]) in body
    page = client.get(reverse("participants:detail", args=[theirs.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert theirs.last_name in body
    assert "Needs of theirs" not in body and "VS222222" not in body
    # No link to a change that would answer 404.
    assert reverse("participants:edit", args=[theirs.pk]) not in body
    assert reverse("privacy:file_add", args=[theirs.pk]) not in body
    viewed = PersonalDataLog.objects.filter(user=both, action=PersonalDataLog.Action.VIEWED)
    assert set(viewed.values_list("participant", flat=True)) == {ours.pk}
    # The same person with one role everywhere reads both (the rule is the membership's, not a global one).
    Membership.objects.filter(user=both, organisation=other_school.project.sending_organisation).update(
        role=Role.COORDINATOR
    )
    # (read afresh: the answer is kept on the instance for the request that read it)
    theirs = type(theirs).objects.get(pk=theirs.pk)
    assert sees_restricted_of(both, theirs)
    assert "Needs of theirs" in client.get(reverse("participants:detail", args=[theirs.pk])).content.decode()


def test_learner_files_by_the_role_in_the_learners_school(world, other_school, both, client_for):  # noqa: F811
    from privacy.access import file_for, file_to_change, files_for
    from privacy.models import LearnerFile

    our_scan = a_file(world.learner, LearnerFile.Kind.ID_SCAN, world.coordinator)
    their_scan = a_file(other_school.learner, LearnerFile.Kind.ID_SCAN, other_school.coordinator)
    their_agreement = a_file(other_school.learner, LearnerFile.Kind.SIGNED_AGREEMENT, other_school.coordinator)
    assert list(files_for(both, world.learner)) == [our_scan]
    assert list(files_for(both, other_school.learner)) == [their_agreement]
    assert file_for(both, our_scan.pk) == our_scan
    assert file_to_change(both, our_scan.pk) == our_scan
    for pk in (their_scan.pk,):
        with pytest.raises(Http404):
            file_for(both, pk)
    for pk in (their_scan.pk, their_agreement.pk):
        with pytest.raises(Http404):
            file_to_change(both, pk)
    client = client_for(both)
    assert client.get(reverse("privacy:file", args=[their_scan.pk])).status_code == 404
    assert client.post(reverse("privacy:file_delete", args=[their_scan.pk])).status_code == 404
    assert LearnerFile.objects.filter(pk=their_scan.pk).exists()
    # The other school's own coordinator opens it.
    assert file_for(other_school.coordinator, their_scan.pk) == their_scan


def test_an_export_has_the_restricted_cells_of_the_coordinators_school_only(world, other_school, both):  # noqa: F811
    from privacy.models import PersonalDataLog
    from transfers.services import export_file, export_table

    ours, theirs = world.learner, other_school.learner
    type(ours).objects.filter(pk=ours.pk).update(id_document_number="RX111111")
    type(theirs).objects.filter(pk=theirs.pk).update(id_document_number="VS222222")
    header, rows, records = export_table("participants", both)
    cells = {record.pk: dict(zip(header, row, strict=True)) for record, row in zip(records, rows, strict=True)}
    assert cells[ours.pk]["id_document_number"] == "RX111111"
    assert cells[theirs.pk]["id_document_number"] == ""
    assert cells[theirs.pk]["last_name"] == theirs.last_name  # the rest of the row is there: staff read it
    export_file("participants", "csv", both)
    logged = PersonalDataLog.objects.filter(user=both, action=PersonalDataLog.Action.VIEWED)
    assert ours.pk in logged.values_list("participant", flat=True)
    assert not logged.filter(participant__project=other_school.project).exists()


def test_the_export_of_everything_held_by_the_role_in_the_learners_school(
    world,
    other_school,  # noqa: F811
    both,
    client_for,
):
    """Everything held about a learner holds their restricted data: asked for by a coordinator of their school."""
    from documents.access import job_for
    from documents.models import DocumentJob

    client = client_for(both)
    response = client.post(reverse("documents:request", args=["learner-data", other_school.learner.pk]))
    assert response.status_code == 404
    assert not DocumentJob.objects.exists()
    response = client.post(reverse("documents:request", args=["learner-data", world.learner.pk]))
    job = DocumentJob.objects.get(kind=DocumentJob.Kind.LEARNER_DATA_EXPORT)
    assert response.url == job.get_absolute_url()
    # Their own job of a coordinator's kind stays theirs to open, though they belong to a school where they are
    # staff too.
    assert job_for(both, job.pk) == job
    # The other school's coordinator's jobs are not the person's to open there (staff), of whatever kind.
    theirs = DocumentJob.objects.create(
        kind=DocumentJob.Kind.LEARNER_DATA_EXPORT,
        params={"participant": other_school.learner.pk},
        requested_by=other_school.coordinator,
    )
    with pytest.raises(Http404):
        job_for(both, theirs.pk)
    assert job_for(other_school.coordinator, theirs.pk) == theirs
