"""placements.services: writes of several rows, called with plain values."""

import pytest
from django.db import IntegrityError

from participants.models import Participant
from placements import services
from placements.models import Assignment

from .factories import ParticipantFactory


def test_assigning_learners_records_who_assigned_them(world):
    learners = [ParticipantFactory(project=world.project) for _ in range(2)]
    made = services.assign_participants(
        placement=world.placement,
        participants=learners,
        host_company=None,
        mentor=None,
        status=Assignment.Status.PLANNED,
        by=world.coordinator,
    )
    assert len(made) == 2
    assert {a.history.get().history_user for a in Assignment.objects.filter(participant__in=learners)} == {
        world.coordinator
    }


def test_assigning_learners_is_all_or_nothing(world):
    learners = [ParticipantFactory(project=world.project), world.assignment.participant]  # the second is there
    before = Assignment.objects.count()
    with pytest.raises(IntegrityError):  # the learner is already on the placement
        services.assign_participants(
            placement=world.placement,
            participants=learners,
            host_company=None,
            mentor=None,
            status=Assignment.Status.PLANNED,
            by=world.coordinator,
        )
    assert Assignment.objects.count() == before
    assert Participant.objects.filter(pk=learners[0].pk, assignments__isnull=True).exists()
