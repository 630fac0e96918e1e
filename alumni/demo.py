"""The demo's recognition decisions: Flow 1's learners, as if the stage had ended (in the demo it ends on
11 December 2026): most recognised in full, some in part. No follow-up is loaded: with the demo's dates no
checkpoint (3, 6, 12 months after the stage) has been reached, and a follow-up dated in the future would be
a lie the public counts would repeat. Idempotent."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments.models import Outcome
from placements.models import Assignment

from .models import Recognition

FLOW = "Flow 1 – Maintenance mechanic, Braga"
HOW = (
    "Credited as the practical training of the module “Maintenance of machines and installations”; "
    "the module's practical exam is waived."
)


@transaction.atomic
def load_recognition():
    coordinator = User.objects.filter(username="coordinator").first()
    assignments = list(
        Assignment.objects.filter(placement__title=FLOW).active().select_related("placement").order_by("pk")
    )
    if coordinator is None or not assignments or Recognition.objects.filter(assignment__in=assignments).exists():
        return
    outcomes = list(
        Outcome.objects.filter(unit__qualification_id=assignments[0].placement.qualification_id).order_by("pk")
    )
    for index, assignment in enumerate(assignments[:13]):
        partial = index % 4 == 3
        recognition = Recognition.objects.create(
            assignment=assignment,
            decision=Recognition.Decision.PARTIAL if partial else Recognition.Decision.FULL,
            how=HOW,
            decided_on=timezone.localdate(),  # never in the future, whatever day the demo is loaded
            decided_by=coordinator,
        )
        recognition.outcomes.set(outcomes[: len(outcomes) // 2] if partial else outcomes)
