"""Before departure: the readiness checklist and its rules, the parental consent, preparation attendance with
the workplace statuses' rules (all or nothing), and the hours counted in the final report."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from attendance.models import AttendanceStatus
from participants.models import Participant
from preparation import selectors, services
from preparation.models import InsurancePolicy, PreparationPlan, PreparationSession, SessionAttendance

from .factories import AssignmentFactory, ParticipantFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def status(code):
    return AttendanceStatus.objects.get(code=code)


@pytest.fixture
def ready_world(world):
    """The world's flow with everything in place for its adult learner."""
    placement = world.placement
    PreparationPlan.objects.create(placement=placement, minimum_hours=Decimal(4))
    InsurancePolicy.objects.create(
        placement=placement,
        insurer="Asirom",
        number="TA-1",
        phone="+40 21 000 0000",
        valid_from=placement.start_date,
        valid_until=placement.end_date,
    )
    Participant.objects.filter(pk=world.learner.pk).update(
        id_document_number="ZC 1",
        id_document_expiry=date(2030, 1, 1),
        health_insurance_number="806",
        health_insurance_expiry=date(2030, 1, 1),
        consent_data_processing_on=date(2026, 9, 1),
        emergency_contact_name="Maria",
        emergency_contact_phone="+40 745 000 000",
        special_needs="",
        date_of_birth=date(2000, 1, 1),
    )
    return world


def a_session(world, hours=4, title="Portuguese"):
    return PreparationSession.objects.create(
        placement=world.placement,
        topic="language",
        title=title,
        starts_at=timezone.make_aware(datetime(2027, 2, 1, 10)),
        hours=Decimal(hours),
        trainer="Ana Pereira",
    )


def attend(world, session, code="present", reason="", hours=""):
    return services.record_session_attendance(
        session_id=session.pk,
        entries=[services.SessionEntry(world.assignment.pk, status(code).pk, reason, hours)],
        recorded_by_id=world.coordinator.pk,
    )


def row(world):
    world.assignment.refresh_from_db()
    return selectors.learner_readiness(world.assignment)


def test_a_learner_with_everything_in_place_is_go(ready_world):
    attend(ready_world, a_session(ready_world))
    assert row(ready_world).go


def test_missing_preparation_hours_make_a_learner_not_yet(ready_world):
    attend(ready_world, a_session(ready_world, hours=2))
    result = row(ready_world)
    assert result.items["preparation"] is False and not result.go


def test_an_id_document_expiring_before_the_return_is_not_enough(ready_world):
    attend(ready_world, a_session(ready_world))
    Participant.objects.filter(pk=ready_world.learner.pk).update(
        id_document_expiry=ready_world.placement.end_date.replace(day=1)
    )
    assert row(ready_world).items["id_document"] is False


def test_insurance_must_cover_the_whole_stay(ready_world):
    InsurancePolicy.objects.update(valid_until=ready_world.placement.start_date)
    assert row(ready_world).items["insurance"] is False


def test_a_learner_under_18_needs_a_parents_signed_consent(ready_world):
    attend(ready_world, a_session(ready_world))
    Participant.objects.filter(pk=ready_world.learner.pk).update(date_of_birth=date(2010, 1, 1))
    assert row(ready_world).items["consent"] is False
    services.attach_parental_consent(
        assignment_id=ready_world.assignment.pk,
        upload=SimpleUploadedFile("acord.pdf", PDF, content_type="application/pdf"),
        signed_on=date(2026, 10, 1),
        user=ready_world.coordinator,
    )
    assert row(ready_world).items["consent"] is True
    assert row(ready_world).go


def test_a_consent_upload_that_is_not_a_pdf_or_image_is_refused(ready_world):
    with pytest.raises(services.PreparationRefused):
        services.attach_parental_consent(
            assignment_id=ready_world.assignment.pk,
            upload=SimpleUploadedFile("acord.pdf", b"MZ not a pdf at all", content_type="application/pdf"),
            signed_on=date(2026, 10, 1),
            user=ready_world.coordinator,
        )


def test_special_needs_ask_for_a_support_plan(ready_world):
    attend(ready_world, a_session(ready_world))
    Participant.objects.filter(pk=ready_world.learner.pk).update(special_needs="Reads with difficulty")
    assert row(ready_world).items["support_plan"] is False
    services.set_support_plan(assignment_id=ready_world.assignment.pk, ready=True)
    assert row(ready_world).go


def test_staff_see_no_support_plan_item(ready_world, client_for):
    Participant.objects.filter(pk=ready_world.learner.pk).update(special_needs="Reads with difficulty")
    url = reverse("preparation:learner", args=[ready_world.assignment.pk])
    assert "Support plan" in client_for(ready_world.coordinator).get(url).content.decode()
    staff_page = client_for(ready_world.staff).get(url).content.decode()
    assert "Support plan" not in staff_page and "Reads with difficulty" not in staff_page


def test_a_status_that_needs_a_reason_is_refused_without_one_and_nothing_is_saved(world):
    session = a_session(world)
    other = AssignmentFactory(participant=ParticipantFactory(project=world.project), placement=world.placement)
    with pytest.raises(services.AttendanceErrors) as failed:
        services.record_session_attendance(
            session_id=session.pk,
            entries=[
                services.SessionEntry(other.pk, status("present").pk),
                services.SessionEntry(world.assignment.pk, status("late").pk, ""),
            ],
            recorded_by_id=world.coordinator.pk,
        )
    assert world.assignment.pk in failed.value.errors
    assert not SessionAttendance.objects.exists()


def test_hours_follow_the_status_rules(world):
    session = a_session(world, hours=3)
    attend(world, session, "absent-excused", reason="Doctor")
    assert SessionAttendance.objects.get().hours == 0
    attend(world, session, "late", reason="Bus", hours="2")
    assert SessionAttendance.objects.get().hours == 2
    with pytest.raises(services.AttendanceErrors):
        attend(world, session, "late", reason="Bus", hours="5")


def test_a_learner_of_another_flow_cannot_be_recorded(world):
    session = a_session(world)
    with pytest.raises(services.PreparationRefused):
        services.record_session_attendance(
            session_id=session.pk,
            entries=[services.SessionEntry(world.other_assignment.pk, status("present").pk)],
            recorded_by_id=world.coordinator.pk,
        )


def test_the_coordinator_records_a_session_in_the_browser_form(world, client_for):
    session = a_session(world)
    response = client_for(world.coordinator).post(
        reverse("preparation:session", args=[session.pk]), {f"status-{world.assignment.pk}": status("present").pk}
    )
    assert response.status_code == 302
    assert SessionAttendance.objects.get().hours == 4


def test_staff_cannot_record_attendance(world, client_for):
    session = a_session(world)
    response = client_for(world.staff).post(
        reverse("preparation:session", args=[session.pk]), {f"status-{world.assignment.pk}": status("present").pk}
    )
    assert response.status_code == 403
    assert not SessionAttendance.objects.exists()


def test_preparation_attendance_counts_in_the_final_report(ready_world):
    from reports.final_report import report_data, report_tables

    attend(ready_world, a_session(ready_world))
    data = report_data(ready_world.project)
    flow = next(p for p in data["preparation"] if p["placement"] == ready_world.placement.title)
    assert flow == {
        "placement": ready_world.placement.title,
        "sessions": 1,
        "hours_offered": 4.0,
        "minimum_hours": 4.0,
        "learners": 1,
        "reached_minimum": 1,
        "hours_attended": 4.0,
    }
    assert report_tables(data)["preparation"].rows[0][6] == 4.0


def test_the_parental_consent_form_is_in_romanian_with_the_trips_facts(ready_world):
    from documents.models import DocumentJob
    from preparation.documents import render_parental_consent

    from .tools import pdf_text

    pdf, filename = render_parental_consent(DocumentJob(params={"assignment": ready_world.assignment.pk}))
    text = " ".join(pdf_text(pdf).split())
    assert "Ștefan Țurcanu" in text and "Braga" in text and "Asirom" in text
    assert filename.startswith("acord-parental-")


@pytest.mark.parametrize("size", [1, 6])
def test_the_flow_readiness_page_makes_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, size):
    for _number in range(size):
        AssignmentFactory(participant=ParticipantFactory(project=world.project), placement=world.placement)
    client = client_for(world.staff)
    with django_assert_num_queries(11):
        response = client.get(reverse("preparation:flow", args=[world.placement.pk]))
    assert response.status_code == 200 and "Țurcanu" in response.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_overview_makes_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, size):
    for _number in range(size):
        AssignmentFactory(participant=ParticipantFactory(project=world.project), placement=world.placement)
    client = client_for(world.staff)
    with django_assert_num_queries(13):
        response = client.get(reverse("preparation:overview"))
    assert response.status_code == 200 and world.placement.title in response.content.decode()


def test_the_dashboard_links_a_flow_with_learners_not_ready_to_its_checklist(world):
    from datetime import timedelta

    from reports import services as dashboard

    placement = world.placement
    placement.start_date = timezone.localdate() + timedelta(days=20)  # within the month before departure
    placement.end_date = placement.start_date + timedelta(days=25)
    placement.save()
    items = dashboard.attention_items(world.project)
    url = reverse("preparation:flow", args=[placement.pk])
    assert any(item.url == url and "not ready to travel" in str(item.text) for item in items)


def test_documents_must_be_valid_until_the_return_legs_arrival(ready_world):
    from datetime import timedelta

    from preparation.models import TravelLeg

    attend(ready_world, a_session(ready_world))
    end = ready_world.placement.end_date
    Participant.objects.filter(pk=ready_world.learner.pk).update(id_document_expiry=end)
    assert row(ready_world).items["id_document"] is True
    TravelLeg.objects.create(
        placement=ready_world.placement,
        direction="return",
        mode="plane",
        carrier="TAP",
        departure_place="Porto",
        departs_at=timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time())),
        arrival_place="Bucharest",
        arrives_at=timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time()))
        + timedelta(hours=6),
    )
    assert row(ready_world).items["id_document"] is False


def policy_post(**row):
    data = {
        "insurance_policies-TOTAL_FORMS": "1",
        "insurance_policies-INITIAL_FORMS": "0",
        "insurance_policies-MIN_NUM_FORMS": "0",
        "insurance_policies-MAX_NUM_FORMS": "1000",
    }
    return data | {f"insurance_policies-0-{key}": value for key, value in row.items()}


def test_the_insurance_page_saves_a_policy_and_refuses_bad_input_saving_nothing(world, client_for):
    client = client_for(world.coordinator)
    url = reverse("preparation:insurance", args=[world.placement.pk])
    assert client.get(url).status_code == 200
    good = {
        "cover": "travel_accident",
        "insurer": "Asirom",
        "number": "P-123",
        "phone": "+40 21 000 0000",
        "valid_from": "2026-11-15",
        "valid_until": "2026-12-15",
    }
    bad = client.post(url, policy_post(**(good | {"valid_from": "not a date", "insurer": ""})))
    assert bad.status_code == 200 and "Nothing was saved" in bad.content.decode()
    assert not InsurancePolicy.objects.exists()
    saved = client.post(url, policy_post(**good))
    assert saved.status_code == 302 and saved["Location"] == reverse("preparation:flow", args=[world.placement.pk])
    assert InsurancePolicy.objects.get().number == "P-123"
