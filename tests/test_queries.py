"""Page query counts must not grow with the data: measured at 31 and at 310 participants."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import Barrier, Participant, fold
from placements.models import Assignment

# The coordinator's dashboard: 20, one to tell whether mail failed (outbox), one for the agreements due for
# renewal (employers, through common.sections.ATTENTION).
MAX_QUERIES = 22

PAGES = [
    # (url name, kwargs from the world, role)
    ("dashboard", None, "coordinator"),
    ("dashboard", None, "staff"),
    ("dashboard", None, "mentor"),
    ("participants:list", None, "coordinator"),
    ("participants:list", None, "mentor"),
    ("participants:detail", lambda w: {"pk": w.learner.pk}, "coordinator"),
    ("participants:detail", lambda w: {"pk": w.learner.pk}, "mentor"),
    ("participants:edit", lambda w: {"pk": w.learner.pk}, "coordinator"),
    ("placements:list", None, "coordinator"),
    ("placements:list", None, "mentor"),
    ("placements:placement_detail", lambda w: {"pk": w.placement.pk}, "coordinator"),
    ("placements:placement_detail", lambda w: {"pk": w.placement.pk}, "mentor"),
    ("placements:organisation_list", None, "coordinator"),
    ("placements:organisation_detail", lambda w: {"pk": w.host.pk}, "coordinator"),
    ("placements:project_list", None, "coordinator"),
    ("placements:project_detail", lambda w: {"pk": w.project.pk}, "staff"),
    ("placements:qualification_list", None, "coordinator"),
    ("placements:assignment_edit", lambda w: {"pk": w.assignment.pk}, "coordinator"),
    ("accounts:user_list", None, "coordinator"),
]


def grow(world, total):
    """Add learners until the project has `total`, half on each placement, with hosts, mentors and barriers."""
    have = Participant.objects.filter(project=world.project).count()
    placements = [
        (world.placement, world.host, world.mentor),
        (world.other_placement, world.other_host, world.other_mentor),
    ]
    new = [
        Participant(
            project=world.project,
            first_name=f"Ionuț{i}",
            last_name="Căldăraru",
            name_key=fold(f"Căldăraru Ionuț{i}"),
            date_of_birth=date(2006, 1, 1),
            gender="male" if i % 2 else "female",
            qualification=placements[i % 2][0].qualification,
        )
        for i in range(have, total)
    ]
    Participant.objects.bulk_create(new)
    new = list(Participant.objects.filter(project=world.project).exclude(assignments__isnull=False))
    Assignment.objects.bulk_create(
        Assignment(
            participant=p,
            placement=placements[i % 2][0],
            host_company=placements[i % 2][1],
            mentor=placements[i % 2][2],
            status="confirmed",
        )
        for i, p in enumerate(new)
    )
    through = Participant.barriers.through
    barrier = Barrier.objects.first()
    through.objects.bulk_create(through(participant_id=p.pk, barrier_id=barrier.pk) for p in new)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "kwargs_of", "role"), PAGES, ids=[f"{p[0]}-{p[2]}" for p in PAGES])
def test_page_query_count_does_not_grow_with_participants(world, client_for, name, kwargs_of, role):
    url = reverse(name, kwargs=kwargs_of(world) if kwargs_of else None)
    client = client_for(world.user(role))
    grow(world, 31)
    small = count_queries(client, url)
    grow(world, 310)
    large = count_queries(client, url)
    assert small == large, f"{name} as {role}: {small} queries at 31 participants, {large} at 310"
    assert large <= MAX_QUERIES
