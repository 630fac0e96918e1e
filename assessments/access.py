"""Who may change a qualification's framework (its units and outcomes): the installation's administrators, and a
school's coordinator while the qualification is theirs alone, used by no flow or learner of a school where they
are not a coordinator. A new school writes its own outcomes; a framework another school assesses against stays
as it is (accounts.roles.may_change_catalogues)."""

from typing import Any

from accounts.roles import is_coordinator, may_change_catalogues, scoped


def may_change_framework(user: Any, qualification_id: int) -> bool:
    from participants.models import Participant
    from placements.models import Placement

    if may_change_catalogues(user):
        return True
    if not is_coordinator(user):
        return False
    flows = Placement.objects.filter(qualification_id=qualification_id)
    learners = Participant.objects.filter(qualification_id=qualification_id)
    theirs = scoped(Placement.objects.all(), user, write=True).values("pk")
    their_learners = scoped(Participant.objects.all(), user, write=True).values("pk")
    return not (flows.exclude(pk__in=theirs).exists() or learners.exclude(pk__in=their_learners).exists())
