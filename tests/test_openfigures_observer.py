"""A funder or national body (Role.OBSERVER) reads the open figures of the schools they oversee, and nothing
else: every other page of the access matrix refuses them, and no page they open names a learner."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role

from .factories import (
    AssignmentFactory,
    ParticipantFactory,
    PlacementFactory,
    ProjectFactory,
    SchoolFactory,
    UserFactory,
)
from .sites import is_site_redirect
from .test_access import ROUTES, url_for

OVERVIEW = "openfigures:overview"
# Pages about one's own account, which every signed-in person has (a password, the second factor).
OWN_ACCOUNT = {"accounts:password_change", "accounts:password_change_done", "accounts:two_factor_verify"}


@pytest.fixture
def observer(world):
    funder = UserFactory(username="national_agency", role=Role.OBSERVER, school=False)
    Membership.objects.create(user=funder, organisation=world.project.sending_organisation, role=Role.OBSERVER)
    return funder


def test_the_observer_lands_on_the_figures_and_reads_no_name(world, observer, client_for):
    client = client_for(observer)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url == reverse(OVERVIEW)
    page = client.get(reverse(OVERVIEW)).content.decode()
    assert world.project.title in page
    for learner in (world.learner, world.other_learner):
        assert learner.last_name not in page and learner.first_name not in page
    assert reverse("participants:list") not in page  # the menu offers only what they may open


def test_the_observer_sees_only_the_schools_they_oversee(world, observer, client_for):
    elsewhere = SchoolFactory(name="Școala Profesională Vaslui")
    hidden = ProjectFactory(sending_organisation=elsewhere, title="Apprentices of Vaslui abroad")
    placement = PlacementFactory(project=hidden)
    AssignmentFactory(participant=ParticipantFactory(project=hidden), placement=placement)
    page = client_for(observer).get(reverse(OVERVIEW)).content.decode()
    assert world.project.title in page and "Apprentices of Vaslui abroad" not in page


def test_a_coordinator_of_a_consortium_sees_its_projects_side_by_side(world, client_for):
    page = client_for(world.coordinator).get(reverse(OVERVIEW)).content.decode()
    assert world.project.title in page and "Over time" in page


@pytest.mark.parametrize("app", sorted({name.split(":")[0] for name in ROUTES}))
def test_every_other_page_refuses_the_observer(world, observer, client_for, app):
    """The access matrix, walked as the observer: every page that asks for a sign-in refuses them (or, the
    dashboard, sends them to their figures); the public pages answer them as they answer anyone."""
    client = client_for(observer)
    wrong = []
    for name, (_kwargs, get_expected, _post) in ROUTES.items():
        if name.split(":")[0] != app or name == OVERVIEW or name in OWN_ACCOUNT:
            continue
        if get_expected["anonymous"] != 302 or is_site_redirect(name) or name in ("login", "set_language"):
            continue
        url = url_for(world, name)
        response = client.get(url)
        refused = response.status_code in (403, 404, 405) or (
            response.status_code == 302 and response.url in (reverse(OVERVIEW), reverse("login"))
        )
        if not refused:
            wrong.append(f"{name} ({url}): {response.status_code}")
        elif response.status_code != 302 and world.learner.last_name in response.content.decode(errors="replace"):
            wrong.append(f"{name} ({url}) names a learner")
    assert not wrong, "; ".join(wrong)
