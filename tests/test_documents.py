"""Document jobs: recorded by the web, rendered by Celery, downloadable only by those allowed."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from documents import jobs, registry
from documents.models import DocumentJob
from documents.tasks import render_document
from mobility.celery import app
from placements.models import Assignment
from reports import certificates
from reports.models import Certificate

from .factories import ParticipantFactory
from .tools import pdf_text


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def ended(world):
    """The world's first placement is over and its learner completed it."""
    world.placement.start_date, world.placement.end_date = date(2026, 3, 2), date(2026, 3, 27)
    world.placement.save()
    world.assignment.status = Assignment.Status.COMPLETED
    world.assignment.save()
    return world


def ask_certificate(client, assignment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:request_certificate", args=[assignment.pk]))
    return DocumentJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_staff_gets_a_certificate_with_the_exact_names(ended, client_for, eager, django_capture_on_commit_callbacks):
    world = ended
    client = client_for(world.staff)
    job = ask_certificate(client, world.assignment, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    response = client.get(reverse("documents:download", args=[job.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Ștefan Țurcanu" in text or ("Ștefan" in text and "Țurcanu" in text)
    assert "Metalúrgica do Cávado" in text
    certificate = Certificate.objects.get()
    assert certificate.number in text


def test_a_repeated_delivery_neither_duplicates_the_file_nor_the_number(ended, eager, private_files):
    world = ended
    job = jobs.request_document(world.coordinator, "certificate", {"assignment": world.assignment.pk}, "Cert")
    jobs.run_job(job.pk)
    first = DocumentJob.objects.get(pk=job.pk)
    DocumentJob.objects.filter(pk=job.pk).update(status="running")  # as if the ack was lost and it came again
    jobs.run_job(job.pk)
    again = DocumentJob.objects.get(pk=job.pk)
    assert Certificate.objects.count() == 1
    assert again.sha256 == first.sha256
    assert len(list((private_files / "documents" / str(job.pk)).iterdir())) == 1


def test_a_reissued_certificate_is_identical(ended, eager):
    world = ended
    one = jobs.run_job(
        jobs.request_document(world.coordinator, "certificate", {"assignment": world.assignment.pk}, "a").pk
    )
    two = jobs.run_job(jobs.request_document(world.staff, "certificate", {"assignment": world.assignment.pk}, "b").pk)
    certificate = Certificate.objects.get()
    assert one.sha256 == two.sha256 == certificate.sha256
    assert certificate.data["holder"]["last_name"] == "Țurcanu"


def test_a_certificate_waits_for_the_end_of_the_placement(world, eager):
    job = jobs.run_job(
        jobs.request_document(world.coordinator, "certificate", {"assignment": world.assignment.pk}, "c").pk
    )
    assert job.status == "failed"
    assert "can be issued from then on" in job.error
    assert not Certificate.objects.exists()


def test_numbers_follow_each_other_within_a_project(ended, eager):
    world = ended
    other = ParticipantFactory(project=world.project)
    second = Assignment.objects.create(participant=other, placement=world.placement, status="completed")
    for assignment in (world.assignment, second):
        jobs.run_job(jobs.request_document(world.coordinator, "certificate", {"assignment": assignment.pk}, "x").pk)
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [
        f"{world.project.reference.split('-')[-1]}-0001",
        f"{world.project.reference.split('-')[-1]}-0002",
    ]


def test_the_placement_zip_holds_one_pdf_per_learner_with_their_names(
    ended, client_for, eager, django_capture_on_commit_callbacks
):
    world = ended
    other = ParticipantFactory(project=world.project, first_name="Mădălina", last_name="Căldăraru")
    Assignment.objects.create(
        participant=other, placement=world.placement, host_company=world.host, mentor=world.mentor
    )
    client = client_for(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:request_placement_certificates", args=[world.placement.pk]))
    job = DocumentJob.objects.get()
    assert response.url == job.get_absolute_url()
    download = client.get(reverse("documents:download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 2
    assert any("Căldăraru-Mădălina" in n for n in names) and any("Țurcanu-Ștefan" in n for n in names)
    assert "Mădălina Căldăraru" in pdf_text(archive.read(next(n for n in names if "Căldăraru" in n)))


def test_mentor_asks_only_for_their_learners_and_downloads_only_their_jobs(
    ended, client_for, eager, django_capture_on_commit_callbacks
):
    world = ended
    assert (
        client_for(world.other_mentor)
        .post(reverse("reports:request_certificate", args=[world.assignment.pk]))
        .status_code
        == 404
    )
    job = ask_certificate(client_for(world.mentor), world.assignment, django_capture_on_commit_callbacks)
    assert client_for(world.other_mentor).get(reverse("documents:download", args=[job.pk])).status_code == 404
    assert client_for(world.staff).get(reverse("documents:download", args=[job.pk])).status_code == 404
    assert client_for(world.mentor).get(reverse("documents:download", args=[job.pk])).status_code == 200


def test_broker_down_keeps_the_request_and_the_sweep_finishes_it(
    ended, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    world = ended

    def unreachable(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(render_document, "apply_async", unreachable)
    client = client_for(world.coordinator)
    job = ask_certificate(client, world.assignment, django_capture_on_commit_callbacks)
    assert (job.status, job.dispatched_at) == ("queued", None)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "not reachable at the moment" in page

    monkeypatch.undo()
    app.conf.task_always_eager = True
    try:
        assert jobs.sweep() == 1
    finally:
        app.conf.task_always_eager = False
    job.refresh_from_db()
    assert job.status == "done"


def test_sweep_redispatches_a_job_a_lost_worker_left_running(ended, eager):
    world = ended
    job = jobs.request_document(world.coordinator, "certificate", {"assignment": world.assignment.pk}, "x")
    DocumentJob.objects.filter(pk=job.pk).update(
        status="running",
        started_at=timezone.now() - timedelta(hours=1),
        dispatched_at=timezone.now() - timedelta(hours=1),
    )
    assert jobs.sweep() == 1
    job.refresh_from_db()
    assert job.status == "done"


def test_failed_job_shows_the_reason_and_from_when_to_ask_again(world, client_for, eager):
    job = jobs.run_job(
        jobs.request_document(world.coordinator, "certificate", {"assignment": world.assignment.pk}, "c").pk
    )
    client = client_for(world.coordinator)
    page = client.get(job.get_absolute_url()).content.decode()
    # Before the stage ends nothing the coordinator does here helps: the page says from when, and offers no retry.
    assert "could not be made" in page and "Try again" not in page
    assert f'data-retry-from="{world.placement.end_date.isoformat()}"' in page
    world.assignment.status = "completed"
    world.assignment.save()
    client.post(reverse("documents:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done"


def test_progress_partial_for_htmx_polls_until_done(world, client_for):
    job = jobs.request_document(world.coordinator, "certificate", {"assignment": world.assignment.pk}, "c")
    partial = client_for(world.coordinator).get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "<progress" in partial
    DocumentJob.objects.filter(pk=job.pk).update(status="done", filename="x.pdf", size=10)
    partial = client_for(world.coordinator).get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "Download x.pdf" in partial


def test_verification_page_says_valid_or_revoked_and_nothing_personal(ended, client_for, eager):
    world = ended
    jobs.run_job(jobs.request_document(world.coordinator, "certificate", {"assignment": world.assignment.pk}, "c").pk)
    certificate = Certificate.objects.get()
    url = reverse("reports:verify", args=[certificate.verification_code])
    page = client_for(None).get(url).content.decode()
    assert "This certificate is valid" in page and "Ștefan" in page
    assert world.learner.date_of_birth.isoformat() not in page
    client_for(world.coordinator).post(
        reverse("reports:revoke", args=[certificate.pk]), {"reason": "Issued by mistake"}
    )
    page = client_for(None).get(url).content.decode()
    assert "revoked and is not valid" in page
    assert client_for(None).get(reverse("reports:verify", args=["no-such-code"])).status_code == 404


def test_revoking_needs_a_reason(ended, client_for, eager):
    world = ended
    jobs.run_job(jobs.request_document(world.coordinator, "certificate", {"assignment": world.assignment.pk}, "c").pk)
    certificate = Certificate.objects.get()
    client_for(world.coordinator).post(reverse("reports:revoke", args=[certificate.pk]), {"reason": " "})
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_the_placement_certificates_print_as_one_pdf_of_the_issued_pages(
    ended, client_for, eager, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    world = ended
    other = ParticipantFactory(project=world.project, first_name="Mădălina", last_name="Căldăraru")
    Assignment.objects.create(
        participant=other, placement=world.placement, host_company=world.host, mentor=world.mentor
    )
    client = client_for(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:request_placement_certificates", args=[world.placement.pk]), {"format": "pdf"})
    job = DocumentJob.objects.get()
    assert job.kind == "placement_certificates_pdf" and job.status == "done", job.error
    combined = b"".join(client.get(reverse("documents:download", args=[job.pk])).streaming_content)
    single_pages = [
        len(PdfReader(io.BytesIO(certificates.render_certificate(c)[0])).pages) for c in Certificate.objects.all()
    ]
    assert len(PdfReader(io.BytesIO(combined)).pages) == sum(single_pages)


def test_mentors_cannot_ask_for_the_final_report_and_unknown_documents_do_not_exist(world, client_for):
    url = reverse("documents:request", args=["final-report", world.project.pk])
    assert client_for(world.mentor).post(url).status_code == 403
    assert client_for(world.staff).post(url).status_code == 302
    assert (
        client_for(world.staff).post(reverse("documents:request", args=["payslips", world.project.pk])).status_code
        == 404
    )


def test_attendance_sheet_is_asked_for_the_week_shown(world, client_for):
    url = reverse("documents:request", args=["attendance-sheet", world.placement.pk])
    client_for(world.coordinator).post(url, {"week": "2027-03-10"})
    assert DocumentJob.objects.get().params == {"placement": world.placement.pk, "week": "2027-03-08"}


def test_final_report_jobs_make_a_pdf_and_a_spreadsheet(world, client_for, eager, django_capture_on_commit_callbacks):
    client = client_for(world.staff)
    for kind, magic in (("final-report", b"%PDF"), ("final-report-xlsx", b"PK")):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("documents:request", args=[kind, world.project.pk]))
        job = DocumentJob.objects.latest("pk")
        assert job.status == "done", job.error
        assert b"".join(client.get(reverse("documents:download", args=[job.pk])).streaming_content).startswith(magic)


def test_the_certificate_lists_the_tasks_carried_out_the_learners_own_before_the_placements(ended, private_files):
    world = ended
    world.placement.tasks = "Lubricating the presses\n- Changing filters"
    world.placement.save()
    assert world.assignment.tasks_carried_out == ["Lubricating the presses", "Changing filters"]
    certificate = certificates.issue_certificate(world.assignment, world.coordinator)
    text = " ".join(pdf_text(certificates.render_certificate(certificate)[0]).split())
    assert "activities and tasks carried out" in text.lower()
    assert "Lubricating the presses" in text and "Changing filters" in text

    world.assignment.tasks = "Welding brackets under supervision"
    world.assignment.save()
    assert world.assignment.tasks_carried_out == ["Welding brackets under supervision"]


@pytest.fixture
def broken_certificate(monkeypatch):
    """The certificate renderer fails the way a bug would, with internals in the message."""

    def broken(job):
        raise RuntimeError("KeyError in /srv/mobility/reports/certificates.py line 42")

    monkeypatch.setitem(registry.RENDERERS, "certificate", broken)


def failed_job(user, assignment):
    job = jobs.request_document(user, "certificate", {"assignment": assignment.pk}, "c")
    render_document.apply(args=[job.pk])  # eager: the task records the failure and re-raises
    job.refresh_from_db()
    return job


def test_an_unexpected_failure_shows_the_asker_a_fixed_sentence_and_a_reference(world, client_for, broken_certificate):
    job = failed_job(world.staff, world.assignment)
    page = client_for(world.staff).get(job.get_absolute_url()).content.decode()
    assert job.status == "failed"
    assert "Something went wrong on our side" in page and f"D-{job.pk}" in page
    assert "/srv/mobility" not in page and "RuntimeError" not in page


def test_an_unexpected_failure_stores_no_sentence_in_the_workers_language(world, broken_certificate):
    job = failed_job(world.staff, world.assignment)
    assert job.error == ""  # the page writes the sentence in the reader's language


def test_a_coordinator_sees_what_went_wrong_in_someone_elses_failed_job(world, client_for, broken_certificate):
    job = failed_job(world.staff, world.assignment)
    page = client_for(world.coordinator).get(job.get_absolute_url()).content.decode()
    assert "RuntimeError: KeyError in /srv/mobility/reports/certificates.py line 42" in page


def test_an_unexpected_failure_is_logged_with_its_reference(world, broken_certificate, caplog):
    job = failed_job(world.staff, world.assignment)
    assert any(f"document job {job.pk} failed" in r.getMessage() and r.exc_info for r in caplog.records)


def test_retrying_clears_what_went_wrong(world, client_for, broken_certificate, monkeypatch):
    job = failed_job(world.coordinator, world.assignment)
    monkeypatch.setattr(jobs, "dispatch", lambda job_id: True)
    client_for(world.coordinator).post(reverse("documents:retry", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.error_detail) == ("queued", "")


def test_a_failure_for_a_reason_the_coordinator_can_read_is_in_the_language_they_asked_in(world, eager):
    from django.utils import translation

    with translation.override("ro"):
        job = jobs.request_document(world.coordinator, "certificate", {"assignment": world.assignment.pk}, "c")
    job = jobs.run_job(job.pk)
    assert job.status == "failed"
    assert "se termină" in job.error or "poate fi emis" in job.error, job.error
    assert "ends on" not in job.error


def test_a_placement_whose_stage_has_not_ended_offers_its_certificates_disabled_with_the_day(world, client_for):
    page = client_for(world.coordinator).get(world.placement.get_absolute_url()).content.decode()
    assert 'disabled aria-describedby="certificates-from"' in page and 'value="zip"' not in page
    assert "data-certificates-from" in page
