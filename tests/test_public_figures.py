"""The public home page's figures, counted by public.selectors in two queries, say what the final report says."""

from datetime import timedelta

import pytest
from django.db.models import Count, Q

from attendance import services
from attendance.services import DayEntry
from placements.models import Assignment, Placement
from public import selectors
from reports.final_report import report_data

from .factories import AssignmentFactory, OrganisationFactory, ParticipantFactory
from .sites import on_site


@pytest.fixture
def recorded(running):
    """Days of every kind on both placements, a learner without a record, and one who withdrew."""
    world = running
    monday = world.placement.start_date
    waiting = ParticipantFactory(project=world.project, qualification=world.placement.qualification)
    AssignmentFactory(participant=waiting, placement=world.placement, host_company=world.host, mentor=world.mentor)
    gone = ParticipantFactory(project=world.project, qualification=world.placement.qualification)
    withdrawn = AssignmentFactory(
        participant=gone, placement=world.placement, host_company=OrganisationFactory(name="Left"), mentor=world.mentor
    )
    days = [
        DayEntry(world.assignment.pk, monday, "present"),
        DayEntry(world.assignment.pk, monday + timedelta(days=1), "late", reason="Bus", hours="6"),
        DayEntry(world.assignment.pk, monday + timedelta(days=2), "sick"),
        DayEntry(world.assignment.pk, monday + timedelta(days=3), "closed"),
        DayEntry(world.assignment.pk, monday + timedelta(days=4), "absent-unexcused"),
        DayEntry(world.other_assignment.pk, monday, "present"),
        DayEntry(world.other_assignment.pk, monday + timedelta(days=1), "present"),
        DayEntry(withdrawn.pk, monday, "absent-unexcused"),
    ]
    assert services.save_days(world.coordinator, days).ok
    Assignment.objects.filter(pk=withdrawn.pk).update(status=Assignment.Status.WITHDRAWN, withdrawal_reason="Ill")
    return world


def figures(project):
    placements = list(project.placements.select_related("work_pattern"))
    return selectors.results(project, placements)


def test_the_home_attendance_rate_is_the_final_reports(recorded):
    rate = figures(recorded.project)["attendance_rate"]
    assert rate is not None
    assert rate == report_data(recorded.project)["attendance"]["total"]["rate"]


def test_the_home_counts_learners_placements_and_hosts_still_on_the_project(recorded):
    project = recorded.project
    counted = Assignment.objects.filter(placement__project=project).aggregate(
        trained=Count("participant", distinct=True, filter=~Q(status=Assignment.Status.WITHDRAWN)),
        hosts=Count("host_company", distinct=True, filter=~Q(status=Assignment.Status.WITHDRAWN)),
    )
    shown = figures(project)
    assert shown["trained"] == counted["trained"] == 3  # the learner who withdrew is not counted
    assert shown["host_companies"] == counted["hosts"] == 2  # nor the host only they went to
    assert shown["placements"] == Placement.objects.filter(project=project).count()


def test_the_home_partners_are_the_school_the_receiving_partners_and_the_hosts_in_use(recorded, client):
    world = recorded
    names = {o.name for o in selectors.home_content(world.project)["partners"]}
    expected = {world.project.sending_organisation.name, world.placement.receiving_partner.name}
    assert names == expected | {world.host.name, world.other_host.name}  # not "Left", whose learner withdrew
    html = client.get(on_site("public:home")).content.decode()
    assert all(name in html for name in names)
