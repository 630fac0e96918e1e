"""Once, not thirty times (issue 22, item 4): a host company and mentor for several learners of a flow at once."""

from django.urls import reverse

from placements.models import Assignment

from .factories import AssignmentFactory, ParticipantFactory


def test_a_coordinator_sets_one_host_and_mentor_for_several_learners_at_once(world, client_for):
    others = [
        AssignmentFactory(participant=ParticipantFactory(project=world.project), placement=world.placement)
        for _ in range(2)
    ]
    client = client_for(world.coordinator)
    page = client.get(world.placement.get_absolute_url()).content.decode()
    assert reverse("placements:set_hosts", args=[world.placement.pk]) in page
    response = client.post(
        reverse("placements:set_hosts", args=[world.placement.pk]),
        {"assignments": [a.pk for a in others], "host_company": world.host.pk, "mentor": world.mentor.pk},
    )
    assert response.status_code == 302
    for assignment in others:
        assignment.refresh_from_db()
        assert (assignment.host_company, assignment.mentor) == (world.host, world.mentor)
        assert assignment.history.first().history_user == world.coordinator


def test_a_mentor_of_another_company_or_a_learner_of_another_flow_saves_nothing(world, client_for):
    lone = AssignmentFactory(participant=ParticipantFactory(project=world.project), placement=world.placement)
    client = client_for(world.coordinator)
    url = reverse("placements:set_hosts", args=[world.placement.pk])
    wrong_mentor = client.post(
        url, {"assignments": [lone.pk], "host_company": world.host.pk, "mentor": world.other_mentor.pk}
    )
    assert wrong_mentor.status_code == 400 and "Choose a mentor of" in wrong_mentor.content.decode()
    other_flow = client.post(url, {"assignments": [lone.pk, world.other_assignment.pk], "host_company": world.host.pk})
    assert other_flow.status_code == 400
    lone.refresh_from_db()
    assert lone.host_company is None and lone.mentor is None
    assert Assignment.objects.get(pk=world.other_assignment.pk).host_company == world.other_host


def test_a_sessions_attendance_is_filled_in_as_present_for_everyone_and_saved_only_on_save(world, client_for):
    from datetime import datetime
    from decimal import Decimal

    from django.utils import timezone

    from attendance.models import AttendanceStatus
    from preparation.models import PreparationSession, SessionAttendance

    session = PreparationSession.objects.create(
        placement=world.placement,
        topic="language",
        title="Portugheză",
        starts_at=timezone.make_aware(datetime(2027, 2, 1, 10)),
        hours=Decimal(4),
        trainer="Ana Pereira",
    )
    extra = AssignmentFactory(participant=ParticipantFactory(project=world.project), placement=world.placement)
    client = client_for(world.coordinator)
    url = reverse("preparation:session", args=[session.pk])
    assert "data-all-present" in client.get(url).content.decode()
    filled = client.get(url + "?all=present").content.decode()
    present = AttendanceStatus.objects.get(code="present").pk
    for assignment in (world.assignment, extra):
        assert f'name="status-{assignment.pk}"' in filled
    assert filled.count(f'<option value="{present}" selected') == 2
    assert not SessionAttendance.objects.exists()


def test_my_trip_links_for_a_flow_are_made_at_once_and_shown_only_on_the_sheet(world, client_for):
    import re

    from common.tokens import hash_token
    from preparation.models import TripLink
    from preparation.services import create_trip_link

    kept = create_trip_link(assignment_id=world.assignment.pk, created_by_id=world.coordinator.pk)
    newcomers = [
        AssignmentFactory(participant=ParticipantFactory(project=world.project), placement=world.placement)
        for _ in range(2)
    ]
    client = client_for(world.coordinator)
    url = reverse("preparation:links_sheet", args=[world.placement.pk])
    assert url in client.get(reverse("preparation:links", args=[world.placement.pk])).content.decode()
    sheet = client.post(url)
    assert sheet.status_code == 200 and sheet["Cache-Control"] == "private, no-store"
    html = sheet.content.decode()
    made = TripLink.objects.active().filter(assignment__in=newcomers)
    assert made.count() == 2
    # The sheet is the one place the new links exist in clear: each opens one of the new learners' trips.
    shown = {hash_token(token) for token in re.findall(r"/trip/([A-Za-z0-9_-]{20,})/", html)}
    assert shown == {link.token_hash for link in made}
    assert html.count('class="qr"') == 2 and "data-copy" in html
    assert TripLink.objects.get(pk=kept.pk).revoked_at is None
    assert kept.token_hash not in shown
    again = client.post(url).content.decode()
    assert TripLink.objects.active().count() == 3 and "already has a working link" in again
