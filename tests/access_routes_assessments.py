"""Access-matrix entries for the assessments app; merged into ROUTES by test_access.py."""

from django.utils import timezone

from assessments.models import AssessmentRound, Outcome, Unit

from .access_expect import expect

READ_OWN = expect(302, 404, 200, 200, 200)
READ_OWN_POST = expect(302, 405, 405, 405, 405)
OFFICE = expect(302, 403, 403, 200, 200)
OFFICE_POST = expect(302, 403, 403, 405, 405)
COORDINATOR = expect(302, 403, 403, 403, 200)
NOT_ALLOWED_GET = expect(302, 403, 403, 403, 405)


def unit_of(world):
    unit, _created = Unit.objects.get_or_create(
        qualification=world.placement.qualification, title="Health and safety", defaults={"position": 1}
    )
    return unit


def outcome_of(world):
    outcome, _created = Outcome.objects.get_or_create(
        unit=unit_of(world), text="Wears protective equipment.", defaults={"kind": Outcome.Kind.SKILLS}
    )
    return outcome


def submitted_round(world):
    """The mentor's learner's baseline, submitted: the only kind of round that can be reopened."""
    round, _created = AssessmentRound.objects.get_or_create(
        assignment=world.assignment,
        kind=AssessmentRound.Kind.BASELINE,
        defaults={"status": "submitted", "submitted_by": world.mentor, "submitted_at": timezone.now()},
    )
    return {"pk": round.assignment_id, "kind": round.kind}


ASSESSMENT_ROUTES = {
    "assessments:assignment": (lambda w: {"pk": w.assignment.pk}, READ_OWN, READ_OWN_POST),
    # An empty POST saves an empty draft: the mentor and the coordinator may, staff only read.
    "assessments:round": (
        lambda w: {"pk": w.assignment.pk, "kind": "baseline"},
        READ_OWN,
        expect(302, 404, 302, 403, 302),
    ),
    # Without a reason nothing is reopened: the page comes back with the error.
    "assessments:round_reopen": (submitted_round, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 200)),
    "assessments:placement": (lambda w: {"pk": w.placement.pk}, READ_OWN, READ_OWN_POST),
    "assessments:framework_list": (None, OFFICE, OFFICE_POST),
    "assessments:framework": (lambda w: {"pk": w.placement.qualification_id}, OFFICE, OFFICE_POST),
    # A qualification used by this school alone: its coordinator writes its framework (assessments.access).
    "assessments:unit_create": (lambda w: {"pk": w.placement.qualification_id}, COORDINATOR, COORDINATOR),
    "assessments:unit_edit": (lambda w: {"pk": unit_of(w).pk}, COORDINATOR, COORDINATOR),
    "assessments:unit_move": (lambda w: {"pk": unit_of(w).pk}, NOT_ALLOWED_GET, expect(302, 403, 403, 403, 400)),
    "assessments:outcome_create": (lambda w: {"pk": unit_of(w).pk}, COORDINATOR, COORDINATOR),
    "assessments:outcome_edit": (lambda w: {"pk": outcome_of(w).pk}, COORDINATOR, COORDINATOR),
    "assessments:outcome_move": (
        lambda w: {"pk": outcome_of(w).pk},
        NOT_ALLOWED_GET,
        expect(302, 403, 403, 403, 400),
    ),
    "assessments:scale": (None, COORDINATOR, COORDINATOR),
}
