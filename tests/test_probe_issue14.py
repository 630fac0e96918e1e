"""A hostile look at schools apart, consortium projects and per-project public sites: each test here is a leak
found after they landed, kept so that it stays closed."""

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
