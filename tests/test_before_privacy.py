"""Anonymising a learner reaches what selection and preparation hold about them (common.sections.ANONYMISE)."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from attendance.models import AttendanceStatus
from placements.models import Assignment
from preparation.models import Incident, PreparationSession, Readiness, SessionAttendance, TripLink
from privacy import services as privacy
from selection.models import Appeal, Application

from .access_routes_selection import a_call


def test_anonymising_a_learner_scrubs_their_application_and_preparation_records(world):
    call = a_call(world)
    application = Application.objects.create(
        call=call,
        placement=world.placement,
        first_name="Ștefan",
        last_name="Țurcanu",
        date_of_birth=date(2006, 5, 4),
        gender="male",
        qualification=world.placement.qualification,
        phone="+40 745 000 111",
        motivation="Vreau să lucrez, sunt Ștefan.",
        participant=world.learner,
    )
    Appeal.objects.create(application=application, received_on=date(2026, 10, 6), grounds="Ștefan Țurcanu contestă.")
    session = PreparationSession.objects.create(
        placement=world.placement,
        topic="language",
        title="Portuguese",
        starts_at=timezone.make_aware(datetime(2027, 2, 1, 10)),
        hours=Decimal(2),
        trainer="Ana",
    )
    SessionAttendance.objects.create(
        session=session,
        assignment=world.assignment,
        status=AttendanceStatus.objects.get(code="absent-excused"),
        reason="Ștefan was at the hospital",
        recorded_by=world.coordinator,
    )
    Readiness.objects.create(assignment=world.assignment, shared_with_teachers="Asthma inhaler")
    Incident.objects.create(
        placement=world.placement,
        assignment=world.assignment,
        kind="illness",
        occurred_at=timezone.now(),
        description="Ștefan had a fever",
        recorded_by=world.coordinator,
    )
    TripLink.objects.create(assignment=world.assignment, token_hash="a" * 64, created_by=world.coordinator)
    world.project.start_date, world.project.end_date = date(2015, 9, 1), date(2017, 2, 28)
    world.project.save()
    Assignment.objects.filter(participant=world.learner).update(status=Assignment.Status.COMPLETED)

    privacy.anonymise(world.learner, world.coordinator)

    application.refresh_from_db()
    assert (application.first_name, application.phone, application.motivation) == ("Anonymised", "", "")
    assert application.date_of_birth == date(2006, 1, 1)
    assert not application.history.filter(first_name="Ștefan").exists()
    assert "Ștefan" not in Appeal.objects.get().grounds
    assert SessionAttendance.objects.get().reason == ""
    assert Readiness.objects.get().shared_with_teachers == ""
    assert "Ștefan" not in Incident.objects.get().description
    assert not TripLink.objects.exists()


def test_the_learners_export_holds_their_application_and_preparation_records(world):
    from privacy.export import collect

    call = a_call(world)
    Application.objects.create(
        call=call,
        placement=world.placement,
        first_name="Ștefan",
        last_name="Țurcanu",
        date_of_birth=date(2006, 5, 4),
        gender="male",
        qualification=world.placement.qualification,
        motivation="Vreau să lucrez.",
        participant=world.learner,
    )
    Readiness.objects.create(assignment=world.assignment, shared_with_teachers="Asthma inhaler")
    TripLink.objects.create(assignment=world.assignment, token_hash="b" * 64, created_by=world.coordinator)
    data = collect(world.learner)
    assert data["applications"][0]["motivation"] == "Vreau să lucrez."
    assert data["readiness"][0]["shared_with_teachers"] == "Asthma inhaler"
    assert "token" not in data["my_trip_links"][0]
