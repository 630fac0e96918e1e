"""Documents attached to an application: the one upload check, private storage, a download per role, and their
end (erased with the application's personal data; an ID copy becomes the participant's ID scan)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from privacy.models import LearnerFile, PersonalDataLog
from selection import services
from selection.models import ApplicationDocument, Call, CommitteeMember

from .access_routes_selection import a_call
from .factories import ProjectFactory, UserFactory
from .test_selection import apply, ranked

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100 + b"This program cannot be run"


@pytest.fixture
def call(world):
    return a_call(world)


@pytest.fixture
def member_b(world, call):
    return CommitteeMember.objects.create(call=call, user=UserFactory(username="teacher", role=Role.STAFF))


def attach(application, kind="school_certificate", content=PDF, user=None):
    return services.attach_document(
        application_id=application.pk,
        kind=kind,
        description="",
        upload=SimpleUploadedFile("scan.pdf", content),
        user_id=user.pk,
    )


def stored(private_files):
    return [p for p in private_files.rglob("*") if p.is_file()]


def test_the_coordinator_attaches_a_document_kept_privately_under_a_random_name(world, call, client_for, private_files):
    application = apply(world, call)
    response = client_for(world.coordinator).post(
        reverse("selection:document_add", args=[application.pk]),
        {"kind": "school_certificate", "description": "Year 10", "file": SimpleUploadedFile("Ana-Lingurar.pdf", PDF)},
    )
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    assert document.content_type == "application/pdf" and "Lingurar" not in document.path
    assert [p.read_bytes() for p in stored(private_files)] == [PDF]
    page = client_for(world.coordinator).get(application.get_absolute_url()).content.decode()
    assert reverse("selection:document", args=[document.pk]) in page


def test_a_file_of_the_wrong_type_is_refused_on_the_field_and_nothing_is_kept(world, call, client_for, private_files):
    application = apply(world, call)
    response = client_for(world.coordinator).post(
        reverse("selection:document_add", args=[application.pk]),
        {"kind": "id_copy", "description": "", "file": SimpleUploadedFile("id.pdf", EXE)},
    )
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG files are accepted" in str(response.context["form"].errors["file"])
    assert not ApplicationDocument.objects.exists() and stored(private_files) == []


@pytest.mark.parametrize("kind", ["school_certificate", "id_copy"])
def test_the_download_per_role(world, call, client_for, kind):
    """Coordinators open every document; a member of this call's committee (the staff account here) the
    documents other than the ID copy; staff outside the committee, another call's committee, mentors and
    anonymous visitors nothing."""
    application = apply(world, call)
    document = attach(application, kind=kind, user=world.coordinator)
    url = reverse("selection:document", args=[document.pk])
    other_call = Call.objects.create(
        **{f.name: getattr(call, f.name) for f in Call._meta.fields if f.name not in ("id", "project")},
        project=ProjectFactory(),
    )
    elsewhere = UserFactory(username="other-committee", role=Role.STAFF)
    CommitteeMember.objects.create(call=other_call, user=elsewhere)
    outside = UserFactory(username="office", role=Role.STAFF)
    expected = {
        None: 302,
        world.mentor: 403,
        outside: 404,
        elsewhere: 404,
        world.staff: 200 if kind == "school_certificate" else 404,
        world.coordinator: 200,
    }
    for user, status in expected.items():
        response = client_for(user).get(url)
        assert response.status_code == status, (user, status)
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Disposition"].startswith("attachment")
            assert response["Cache-Control"] == "private, no-store"


def test_documents_go_when_the_unselected_applications_are_erased(
    world, call, member_b, private_files, django_capture_on_commit_callbacks
):
    selected, reserve, rejected = ranked(world, call, member_b, [4, 2, 1])
    attach(rejected, user=world.coordinator)
    kept = attach(reserve, user=world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.erase_unselected(call_id=call.pk, today=call.appeals_until + timedelta(days=1)) == 1
    assert list(ApplicationDocument.objects.all()) == [kept]
    assert len(stored(private_files)) == 1


def test_an_id_copy_becomes_the_participants_id_scan_and_the_rest_goes(
    world, call, member_b, private_files, django_capture_on_commit_callbacks
):
    selected, reserve = ranked(world, call, member_b, [4, 2])
    id_copy = attach(selected, kind="id_copy", user=world.coordinator)
    attach(selected, kind="support_letter", user=world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_selection(call_id=call.pk, confirmed_by_id=world.coordinator.pk, today=call.confirmable_from())
    selected.refresh_from_db()
    learner_file = LearnerFile.objects.get(participant=selected.participant)
    assert learner_file.kind == LearnerFile.Kind.ID_SCAN and learner_file.path == id_copy.path
    assert not ApplicationDocument.objects.exists()
    assert [p.name for p in stored(private_files)] == [id_copy.path.split("/")[-1]]
    assert PersonalDataLog.objects.filter(
        participant=selected.participant, action=PersonalDataLog.Action.FILE_ADDED
    ).exists()


def test_nothing_is_attached_to_an_erased_application(world, call, member_b):
    selected, reserve, rejected = ranked(world, call, member_b, [4, 2, 1])
    services.erase_unselected(call_id=call.pk, today=call.appeals_until + timedelta(days=1))
    with pytest.raises(services.SelectionRefused):
        attach(rejected, user=world.coordinator)
