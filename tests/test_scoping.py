"""The one scoping rule (accounts.roles.scoped) and the fetch helper for the office's own objects."""

import pytest
from django.http import Http404

from accounts.roles import get_for, scoped
from participants.models import Participant
from placements.models import Qualification


def test_a_mentor_cannot_fetch_an_office_object_by_id(world):
    with pytest.raises(Http404):
        get_for(world.mentor, Qualification.objects.all(), pk=world.placement.qualification_id)


def test_staff_fetch_an_office_object_by_id(world):
    assert get_for(world.staff, Qualification.objects.all(), pk=world.placement.qualification_id)


def test_a_mentor_sees_only_rows_that_name_them(world):
    mine = scoped(Participant.objects.all(), world.mentor, mentor="assignments__mentor")
    assert set(mine) == set(Participant.objects.filter(assignments__mentor=world.mentor))
    assert mine.exists() and not mine.filter(assignments__mentor=world.other_mentor).exists()
