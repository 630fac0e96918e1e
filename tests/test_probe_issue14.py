"""A hostile look at schools apart, consortium projects and per-project public sites: each test here is a leak
found after they landed, kept so that it stays closed."""

from django.urls import reverse
from django.utils import timezone

from .test_consortium import consortium  # noqa: F401  (fixture)
from .test_schools_apart import SECRET_COMPANY, other_school  # noqa: F401  (fixture)


def test_a_coordinators_digest_names_only_their_schools_lapsing_agreements(world, other_school):  # noqa: F811
    from notifications.models import Kind
    from notifications.services import coordinator_items

    today = timezone.localdate()
    mine = [item for item in coordinator_items(today, world.coordinator) if item.kind == Kind.AGREEMENTS_LAPSING]
    assert not any(SECRET_COMPANY in item.text() for item in mine)
    theirs = coordinator_items(today, other_school.coordinator)
    assert any(SECRET_COMPANY in item.text() for item in theirs if item.kind == Kind.AGREEMENTS_LAPSING)


MONEY_OF_A_MOBILITY = (
    ("grants:mobility", "pk"),
    ("grants:mobility_edit", "pk"),
    ("grants:real_cost_add", "pk"),
    ("grants:module_figures", "assignment_pk"),
)


def test_a_member_school_neither_reads_nor_changes_the_consortiums_money_for_its_own_learner(
    world,
    consortium,  # noqa: F811
    client_for,
):
    from grants.models import RealCost

    own_assignment = consortium.own.assignments.get()
    for role in ("staff", "coordinator"):
        client = client_for(world.user(role))
        for name, key in MONEY_OF_A_MOBILITY:
            url = reverse(name, kwargs={key: own_assignment.pk})
            assert client.get(url).status_code in (404, 403, 405), f"GET {name} as {role}"
            data = {"reason": "Taxi", "amount": "100.00", "distance_km": "5000", "days": "90"}
            assert client.post(url, data).status_code in (404, 403, 405), f"POST {name} as {role}"
    assert not RealCost.objects.exists()
    lead = client_for(consortium.coordinator)
    assert lead.get(reverse("grants:mobility", args=[own_assignment.pk])).status_code == 200
