"""Personal-data protection: least access, the log of looks, export, anonymisation, consents, uploads."""

import io
import json
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentRound, Outcome, OutcomeRating, ScaleLevel, Unit
from attendance.models import AttendanceRecord, AttendanceStatus
from documents import jobs
from documents.models import DocumentJob
from participants.models import Barrier, Participant
from placements.models import Assignment
from privacy import services
from privacy.models import AppendOnly, LearnerFile, PersonalDataLog
from privacy.tasks import apply_retention_rules, list_due_for_anonymisation
from reports import printouts
from reports.final_report import report_pdf, report_xlsx
from reports.models import Certificate
from reports.services import attention_items

from .tools import pdf_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100 + b"This program cannot be run"

SECRETS = {
    "special_needs": "Needs-SENTINEL epilepsy medication",
    "id_document_number": "ZC 471147",
    "health_insurance_number": "80642000000000999111",
}


@pytest.fixture
def sensitive(world):
    for field, value in SECRETS.items():
        setattr(world.learner, field, value)
    world.learner.shared_with_mentor = "Give instructions in writing"
    world.learner.emergency_contact_phone = "+40 711 222 333"
    world.learner.save()
    world.learner.barriers.set([Barrier.objects.get(code="health")])
    return world


def upload(client, participant, content, name="scan.pdf", kind="id_scan"):
    return client.post(
        reverse("privacy:file_add", args=[participant.pk]),
        {"kind": kind, "description": "", "file": SimpleUploadedFile(name, content)},
    )


def stored_files(private_files):
    return [p for p in private_files.rglob("*") if p.is_file()]


# --- 1. least access -----------------------------------------------------------------------------------------


def pages(world):
    a, p = world.assignment, world.placement
    return [
        reverse("participants:list"),
        reverse("participants:detail", args=[world.learner.pk]),
        reverse("placements:placement_detail", args=[p.pk]),
        reverse("attendance:learner", args=[a.pk]),
        reverse("attendance:placement", args=[p.pk]),
        reverse("attendance:week", args=[p.pk, f"{p.start_date:%Y-%m-%d}"]),
        reverse("assessments:assignment", args=[a.pk]),
        reverse("assessments:placement", args=[p.pk]),
        reverse("dashboard"),
        reverse("documents:documents"),
    ]


@pytest.mark.parametrize("role", ["staff", "mentor"])
def test_staff_and_mentor_pages_never_show_sensitive_values(sensitive, client_for, role):
    client = client_for(sensitive.user(role))
    for url in pages(sensitive):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for value in SECRETS.values():
            assert value not in page, (url, value)
        assert "Health problems" not in page, url


def test_coordinator_sees_the_sensitive_values(sensitive, client_for):
    page = client_for(sensitive.coordinator).get(reverse("participants:detail", args=[sensitive.learner.pk]))
    text = page.content.decode()
    assert all(value in text for value in SECRETS.values())
    assert "Health problems" in text


def test_documents_staff_and_mentors_can_ask_for_never_print_sensitive_values(sensitive):
    from reports import certificates

    assignment, placement = sensitive.assignment, sensitive.placement
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.COMPLETED)
    assignment.refresh_from_db()
    certificate = certificates.issue_certificate(assignment, sensitive.mentor)
    documents = [
        certificates.render_certificate(certificate)[0],
        printouts.learning_agreement(assignment)[0],
        printouts.attendance_record(assignment)[0],
        printouts.attendance_sheet(placement, placement.start_date)[0],
        report_pdf(sensitive.project)[0],
    ]
    for pdf in documents:
        text = " ".join(pdf_text(pdf).split())
        for value in SECRETS.values():
            assert value not in text
    for pdf in documents[:4]:  # about one learner or one placement: no category named (the report counts them)
        assert "Health problems" not in " ".join(pdf_text(pdf).split())
    xlsx = report_xlsx(sensitive.project)[0]
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        cells = " ".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml"))
    assert not any(value in cells for value in SECRETS.values())
    assert "Țurcanu" not in cells


def test_mentor_sees_what_they_need_at_work(sensitive, client_for):
    page = client_for(sensitive.mentor).get(reverse("participants:detail", args=[sensitive.learner.pk]))
    text = page.content.decode()
    assert "Ștefan Țurcanu" in text
    assert "Give instructions in writing" in text
    assert str(sensitive.learner.qualification) in text


def test_mentor_sees_the_emergency_contact_only_around_the_placement(sensitive, client_for):
    url = reverse("participants:detail", args=[sensitive.learner.pk])
    client = client_for(sensitive.mentor)
    assert "+40 711 222 333" not in client.get(url).content.decode()  # the placement is next year
    placement = sensitive.placement
    placement.start_date = timezone.localdate() + timedelta(days=2)
    placement.end_date = placement.start_date + timedelta(days=25)
    placement.save()
    assert "+40 711 222 333" in client.get(url).content.decode()


# --- 2. the log of looks -------------------------------------------------------------------------------------


def test_coordinator_looking_at_restricted_data_is_logged_and_shown(world, client_for):
    client = client_for(world.coordinator)
    client.get(reverse("participants:detail", args=[world.learner.pk]))
    client.get(reverse("participants:edit", args=[world.learner.pk]))
    entries = list(PersonalDataLog.objects.filter(participant=world.learner).values_list("user", "action"))
    assert (world.coordinator.pk, "viewed") in entries
    assert (world.coordinator.pk, "edit_opened") in entries
    page = client.get(reverse("participants:detail", args=[world.learner.pk])).content.decode()
    assert "looked at the restricted data" in page


def test_staff_and_mentor_views_are_not_logged_as_restricted_looks(world, client_for):
    for user in (world.staff, world.mentor):
        client_for(user).get(reverse("participants:detail", args=[world.learner.pk]))
    assert not PersonalDataLog.objects.exists()


def test_the_log_is_append_only(world):
    entry = PersonalDataLog.objects.create(participant=world.learner, user=world.coordinator, action="viewed")
    entry.detail = "changed"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        PersonalDataLog.objects.all().delete()
    with pytest.raises(AppendOnly):
        PersonalDataLog.objects.update(detail="x")


def test_changes_record_who_changed_the_learner(world, client_for):
    client = client_for(world.coordinator)
    world.learner._history_user = world.coordinator
    world.learner.phone = "+40 700 000 000"
    world.learner.save()
    history = client.get(reverse("participants:detail", args=[world.learner.pk])).context["history"]
    assert history[0].history_user == world.coordinator


# --- 3. export -----------------------------------------------------------------------------------------------


@pytest.fixture
def rich(sensitive):
    """The learner with a day of attendance, a rating, a file and a consent."""
    learner = sensitive.learner
    learner.consent_data_processing_on = date(2026, 9, 20)
    learner.consent_dissemination_on = date(2026, 9, 20)
    learner.save()
    AttendanceRecord.objects.create(
        assignment=sensitive.assignment,
        date=sensitive.placement.start_date,
        status=AttendanceStatus.objects.get(code="sick"),
        hours=Decimal(0),
        reason="Asthma attack, Ștefan went to the doctor",
        recorded_by=sensitive.mentor,
        recorded_at=timezone.now(),
    )
    unit = Unit.objects.create(qualification=learner.qualification, title="Safety")
    outcome = Outcome.objects.create(unit=unit, kind=Outcome.Kind.SKILLS, text="Wears protective equipment")
    rounds = AssessmentRound.objects.create(assignment=sensitive.assignment, kind="baseline", rated_by=sensitive.mentor)
    OutcomeRating.objects.create(
        round=rounds, outcome=outcome, level=ScaleLevel.objects.first(), comment="Ștefan is careful"
    )
    services.store_upload(
        learner, "id_scan", "Passport", SimpleUploadedFile("passport.pdf", PDF), sensitive.coordinator
    )
    return sensitive


def test_only_a_coordinator_can_ask_for_the_export(rich, client_for):
    url = reverse("documents:request", args=["learner-data", rich.learner.pk])
    assert client_for(rich.staff).post(url).status_code == 403
    assert client_for(rich.mentor).post(url).status_code == 403
    response = client_for(rich.coordinator).post(url)
    job = DocumentJob.objects.get(kind=DocumentJob.Kind.LEARNER_DATA_EXPORT)
    assert response.url == job.get_absolute_url()
    assert job.params == {"participant": rich.learner.pk}
    assert PersonalDataLog.objects.filter(action="export_requested", user=rich.coordinator).exists()


def test_export_zip_holds_summary_data_history_and_files(rich, client_for):
    client = client_for(rich.coordinator)
    client.post(reverse("documents:request", args=["learner-data", rich.learner.pk]))
    job = DocumentJob.objects.get(kind=DocumentJob.Kind.LEARNER_DATA_EXPORT)
    jobs.run_job(job.pk)
    response = client.get(reverse("documents:download", args=[job.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "data.json" in names and "summary.pdf" in names
    assert any(n.startswith("uploads/id_scan-") and n.endswith(".pdf") for n in names)
    assert any(n.startswith("documents/learning-agreement") for n in names)
    assert any(n.startswith("documents/attendance-record") for n in names)
    data = json.loads(archive.read("data.json"))
    assert data["participant"]["last_name"] == "Țurcanu"
    assert data["participant"]["id_document_number"] == SECRETS["id_document_number"]
    assert data["fewer_opportunity_categories"] == ["health"]
    assert len(data["participant_history"]) >= 2
    assert data["attendance"][0]["reason"].startswith("Asthma")
    assert data["assessments"][0]["ratings"][0]["comment"] == "Ștefan is careful"
    assert data["files"][0]["kind"] == "id_scan"
    assert archive.read(next(n for n in names if n.startswith("uploads/"))) == PDF
    summary = " ".join(pdf_text(archive.read("summary.pdf")).split())
    assert "Ștefan Țurcanu" in summary and SECRETS["id_document_number"] in summary


def test_export_download_stays_coordinator_only_after_a_role_change(rich, client_for):
    """An export asked for by someone who is staff now (a former coordinator) is theirs no longer."""
    job = DocumentJob.objects.create(
        kind=DocumentJob.Kind.LEARNER_DATA_EXPORT,
        params={"participant": rich.learner.pk},
        title="Export",
        requested_by=rich.staff,
        status="done",
        file="documents/x/data.zip",
        filename="data.zip",
    )
    client = client_for(rich.staff)
    assert client.get(reverse("documents:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("documents:job", args=[job.pk])).status_code == 404


# --- 3. anonymisation ----------------------------------------------------------------------------------------


@pytest.fixture
def expired(rich):
    """The project ended long enough ago; the placement is completed; a certificate was issued."""
    project = rich.project
    project.start_date, project.end_date = date(2015, 9, 1), date(2017, 2, 28)
    project.save()
    Assignment.objects.filter(participant=rich.learner).update(status=Assignment.Status.COMPLETED)
    Assignment.objects.filter(pk=rich.assignment.pk).update(withdrawal_reason="")
    Certificate.objects.create(
        assignment=rich.assignment,
        number="T-1",
        data={"holder": {"first_name": "Ștefan", "last_name": "Țurcanu", "date_of_birth": "2006-05-04"}},
        issued_at=timezone.now(),
        issued_by=rich.coordinator,
    )
    job = jobs.request_document(
        rich.mentor, "attendance_record", {"assignment": rich.assignment.pk}, "Record of Ștefan Țurcanu"
    )
    from public.models import Testimonial

    Testimonial.objects.create(participant=rich.learner, quote="Eu, Ștefan Țurcanu, am învățat mult.", published=True)
    jobs.run_job(job.pk)
    return rich


def text_values_mentioning(word):
    """Every stored text or JSON value, in every table of the project's apps, that contains `word`."""
    found = []
    for model in apps.get_models():
        path = str(model._meta.app_config.path)
        if not path.startswith(str(settings.BASE_DIR)) or ".venv" in path:
            continue  # Django's and the libraries' own tables
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        for values in model.objects.values_list(*fields):
            for value in values:
                if word.casefold() in json.dumps(value, ensure_ascii=False).casefold():
                    found.append((model.__name__, value))
    return found


def test_learners_due_are_listed_by_the_task_the_page_and_the_dashboard(expired, client_for):
    assert set(list_due_for_anonymisation()) == {expired.learner.pk, expired.other_learner.pk}
    assert set(apply_retention_rules()["learners_due"]) == {expired.learner.pk, expired.other_learner.pk}
    daily = settings.CELERY_BEAT_SCHEDULE["apply-retention-rules"]
    assert (daily["task"], daily["schedule"]) == ("privacy.tasks.apply_retention_rules", 86400.0)
    client = client_for(expired.coordinator)
    assert "Ștefan Țurcanu" in client.get(reverse("privacy:due")).content.decode()
    items = attention_items(expired.project)
    assert any(item.url == reverse("privacy:due") for item in items)


def test_another_schools_coordinator_sees_neither_the_learners_due_nor_their_count(expired, client_for):
    """The list and the dashboard's count are of the user's schools' learners: another school's coordinator does
    not read the names of this school's learners whose retention is over, nor how many there are."""
    from accounts.models import Role

    from .factories import ProjectFactory, SchoolFactory, UserFactory

    school = SchoolFactory(name="Școala Profesională Vaslui", city="Vaslui")
    their_project = ProjectFactory(sending_organisation=school, start_date=date(2015, 9, 1), end_date=date(2017, 2, 28))
    elsewhere = UserFactory(username="vaslui_coordinator", role=Role.COORDINATOR, school=school)
    page = client_for(elsewhere).get(reverse("privacy:due"))
    assert page.status_code == 200
    assert "Țurcanu" not in page.content.decode()
    assert not any(item.url == reverse("privacy:due") for item in attention_items(their_project))
    assert "Ștefan Țurcanu" in client_for(expired.coordinator).get(reverse("privacy:due")).content.decode()


def test_anonymisation_removes_names_everywhere_and_keeps_the_figures(
    expired, client_for, private_files, django_capture_on_commit_callbacks
):
    assert text_values_mentioning("Țurcanu")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(expired.coordinator).post(
            reverse("privacy:anonymise", args=[expired.learner.pk]), {"confirm": "on"}
        )
    assert response.status_code == 302
    learner = Participant.objects.get(pk=expired.learner.pk)
    assert learner.is_anonymised and learner.first_name == "Anonymised"
    assert learner.special_needs == "" and learner.id_document_number == "" and learner.emergency_contact_phone == ""
    assert text_values_mentioning("Țurcanu") == []
    assert text_values_mentioning("Ștefan") == []
    assert text_values_mentioning(SECRETS["id_document_number"]) == []
    assert not Participant.history.filter(
        id=learner.pk, health_insurance_number=SECRETS["health_insurance_number"]
    ).exists()
    # What the figures count stays (the final report's own test below compares them whole).
    assert list(learner.barriers.values_list("code", flat=True)) == ["health"]
    assert learner.gender == "male" and learner.qualification == expired.learner.qualification
    assert AttendanceRecord.objects.get(assignment=expired.assignment).status.code == "sick"
    assert OutcomeRating.objects.filter(round__assignment=expired.assignment).count() == 1
    assert not LearnerFile.objects.exists()
    assert stored_files(private_files) == []  # the scan, the rendered record: all gone
    assert PersonalDataLog.objects.filter(participant=learner, action="anonymised").exists()
    assert not Participant.objects.publishable().filter(pk=learner.pk).exists()


def test_final_report_counts_are_the_same_after_anonymisation(expired):
    from reports.final_report import report_data as collect

    before = collect(expired.project)
    services.anonymise(expired.learner, expired.coordinator)
    after = collect(expired.project)
    for key in ("participants", "fewer_opportunities", "completion", "attendance", "competences"):
        assert after[key] == before[key], key


def test_anonymisation_is_refused_before_the_retention_period_ends(rich, client_for):
    Assignment.objects.filter(participant=rich.learner).update(status=Assignment.Status.COMPLETED)
    client = client_for(rich.coordinator)
    url = reverse("privacy:anonymise", args=[rich.learner.pk])
    assert "The retention period ends on" in client.get(url).content.decode()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 400
    assert not Participant.objects.get(pk=rich.learner.pk).is_anonymised


def test_anonymisation_before_the_end_needs_a_withdrawn_consent_and_a_reason(rich, client_for):
    Assignment.objects.filter(participant=rich.learner).update(status=Assignment.Status.COMPLETED)
    services.withdraw_consent(rich.learner, "data-processing", timezone.localdate(), rich.coordinator)
    client = client_for(rich.coordinator)
    url = reverse("privacy:anonymise", args=[rich.learner.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 400
    assert client.post(url, {"confirm": "on", "reason": "Asked to be forgotten"}).status_code == 302
    assert Participant.objects.get(pk=rich.learner.pk).is_anonymised
    assert PersonalDataLog.objects.get(action="anonymised").detail == "Asked to be forgotten"


def test_anonymisation_is_refused_while_on_a_placement(expired):
    Assignment.objects.filter(pk=expired.assignment.pk).update(status=Assignment.Status.CONFIRMED)
    with pytest.raises(services.NotYet):
        services.anonymise(expired.learner, expired.coordinator)


# --- 4. consents ---------------------------------------------------------------------------------------------


def test_withdrawn_publication_consent_removes_the_learner_from_publishable(rich, client_for):
    assert Participant.objects.publishable().filter(pk=rich.learner.pk).exists()
    response = client_for(rich.coordinator).post(
        reverse("privacy:withdraw_consent", args=[rich.learner.pk, "publication"]),
        {"withdrawn_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    learner = Participant.objects.get(pk=rich.learner.pk)
    assert learner.consent_dissemination_withdrawn_by == rich.coordinator
    assert not Participant.objects.publishable().filter(pk=learner.pk).exists()
    assert PersonalDataLog.objects.filter(action="consent_withdrawn").exists()
    page = client_for(rich.coordinator).get(learner.get_absolute_url()).content.decode()
    assert "withdrawn" in page


def test_a_withdrawal_cannot_predate_the_consent(rich, client_for):
    response = client_for(rich.coordinator).post(
        reverse("privacy:withdraw_consent", args=[rich.learner.pk, "publication"]), {"withdrawn_on": "2020-01-01"}
    )
    assert response.status_code == 400
    assert "before it was given" in response.content.decode()
    assert Participant.objects.publishable().filter(pk=rich.learner.pk).exists()


def test_withdrawn_processing_consent_is_on_the_dashboard(rich):
    services.withdraw_consent(rich.learner, "data-processing", timezone.localdate(), rich.coordinator)
    texts = [item.text for item in attention_items(rich.project)]
    assert any("Ștefan Țurcanu withdrew their consent to data processing" in text for text in texts)


def test_the_form_records_who_recorded_a_consent(world, client_for):
    from .test_participants import form_data

    data = form_data(world, consent_dissemination_on="2026-09-20", consent_data_processing_on="2026-09-20")
    assert (
        client_for(world.coordinator).post(reverse("participants:edit", args=[world.learner.pk]), data).status_code
        == 302
    )
    learner = Participant.objects.get(pk=world.learner.pk)
    assert learner.consent_dissemination_recorded_by == world.coordinator
    assert learner.consent_data_processing_recorded_by == world.coordinator


# --- 5. uploads ----------------------------------------------------------------------------------------------


def test_a_pdf_is_stored_under_a_random_name_outside_public_paths(world, client_for, private_files):
    response = upload(client_for(world.coordinator), world.learner, PDF, name="Turcanu passport.pdf")
    assert response.status_code == 302
    learner_file = LearnerFile.objects.get()
    assert "Turcanu" not in learner_file.path and learner_file.path.endswith(".pdf")
    assert (private_files / learner_file.path).read_bytes() == PDF
    url = reverse("privacy:file", args=[learner_file.pk])
    assert url.startswith("/privacy/files/")
    assert not url.startswith(settings.STATIC_URL)
    stored = (private_files / learner_file.path).resolve()
    public_roots = [settings.STATIC_ROOT, settings.BASE_DIR / "static"] + (
        [settings.MEDIA_ROOT] if settings.MEDIA_ROOT else []
    )
    assert not any(stored.is_relative_to(root) for root in public_roots)
    assert str(settings.STORAGES["private"]["OPTIONS"].get("base_url")) == "None"  # no URL serves the folder
    download = client_for(world.coordinator).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert PersonalDataLog.objects.filter(action="file_opened").exists()


def test_a_png_is_accepted(world, client_for):
    assert (
        upload(
            client_for(world.coordinator), world.learner, PNG, name="agreement.png", kind="signed_agreement"
        ).status_code
        == 302
    )
    assert LearnerFile.objects.get().content_type == "image/png"


def test_a_renamed_executable_is_refused_and_nothing_is_stored(world, client_for, private_files):
    response = upload(client_for(world.coordinator), world.learner, EXE, name="agreement.pdf")
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG" in response.content.decode()
    assert not LearnerFile.objects.exists()
    assert stored_files(private_files) == []


def test_an_oversize_file_is_refused_with_the_limit(world, client_for, private_files, settings):
    settings.LEARNER_FILE_MAX_BYTES = 2_000_000
    response = upload(client_for(world.coordinator), world.learner, PDF + b"0" * 2_100_000)
    assert response.status_code == 400
    assert "the limit is 2 MB" in response.content.decode()
    assert not LearnerFile.objects.exists()
    assert stored_files(private_files) == []


def test_a_photo_needs_the_publication_consent(world, client_for, private_files):
    response = upload(client_for(world.coordinator), world.learner, PNG, name="me.png", kind="photo")
    assert response.status_code == 400
    assert stored_files(private_files) == []


def test_staff_open_signed_agreements_but_never_id_scans_and_mentors_nothing(world, client_for):
    scan = services.store_upload(world.learner, "id_scan", "", SimpleUploadedFile("a.pdf", PDF), world.coordinator)
    agreement = services.store_upload(
        world.learner, "signed_agreement", "", SimpleUploadedFile("b.pdf", PDF), world.coordinator
    )
    expected = {
        "staff": {scan: 404, agreement: 200},
        "mentor": {scan: 404, agreement: 404},
        "other_mentor": {scan: 404, agreement: 404},
        "coordinator": {scan: 200, agreement: 200},
    }
    for role, codes in expected.items():
        client = client_for(world.user(role))
        for learner_file, code in codes.items():
            assert client.get(reverse("privacy:file", args=[learner_file.pk])).status_code == code, (role, learner_file)
    staff_page = client_for(world.staff).get(world.learner.get_absolute_url()).content.decode()
    assert reverse("privacy:file", args=[agreement.pk]) in staff_page
    assert reverse("privacy:file", args=[scan.pk]) not in staff_page
    mentor_page = client_for(world.mentor).get(world.learner.get_absolute_url()).content.decode()
    assert "/privacy/files/" not in mentor_page


def test_deleting_a_file_removes_it_and_logs_it(world, client_for, private_files, django_capture_on_commit_callbacks):
    learner_file = services.store_upload(
        world.learner, "id_scan", "", SimpleUploadedFile("a.pdf", PDF), world.coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.coordinator).post(reverse("privacy:file_delete", args=[learner_file.pk]))
    assert response.status_code == 302
    assert not LearnerFile.objects.exists()
    assert stored_files(private_files) == []
    assert PersonalDataLog.objects.filter(action="file_deleted").exists()


def test_an_anonymised_learner_cannot_be_restored(expired, client_for):
    services.anonymise(expired.learner, expired.coordinator)
    client_for(expired.coordinator).post(reverse("participants:restore", args=[expired.learner.pk]))
    assert Participant.objects.get(pk=expired.learner.pk).is_archived


def test_the_changes_name_a_withdrawal(rich, client_for):
    services.withdraw_consent(rich.learner, "publication", timezone.localdate(), rich.coordinator)
    history = client_for(rich.coordinator).get(rich.learner.get_absolute_url()).context["history"]
    assert history[0].history_user == rich.coordinator
    assert "consent to photos and publication withdrawn on" in [str(f) for f in history[0].changed_fields]


def test_due_page_and_learner_page_queries_do_not_grow(expired, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import ParticipantFactory

    client = client_for(expired.coordinator)

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for url in (reverse("privacy:due"), expired.learner.get_absolute_url()):
        small = count(url)
        for n in range(12):
            learner = ParticipantFactory(project=expired.project, qualification=expired.learner.qualification)
            services.store_upload(learner, "id_scan", "", SimpleUploadedFile("a.pdf", PDF), expired.coordinator)
            services.store_upload(
                expired.learner, "signed_agreement", f"n{n}", SimpleUploadedFile("b.pdf", PDF), expired.coordinator
            )
        assert count(url) == small, url
