"""Preparation's rules: session attendance saved whole or not at all with the workplace statuses' rules; the
signed parental consent kept through privacy's safe upload and linked to the learner's readiness."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from attendance.models import AttendanceStatus
from common.exceptions import NotAllowed
from common.tokens import hash_token, issue, new_token
from common.validators import parse_decimal
from placements.models import Assignment
from privacy.models import LearnerFile
from privacy.services import store_upload

from .models import Incident, PreparationSession, Readiness, SessionAttendance, TripLink


class PreparationRefused(NotAllowed):
    """A step that cannot be taken, with a message for the person who tried."""


@dataclass(frozen=True)
class SessionEntry:
    assignment_id: int
    status_id: int | None
    reason: str = ""
    hours: str = ""


def _hours(entry: SessionEntry, status: AttendanceStatus, session: PreparationSession) -> Decimal:
    """As at the workplace: a status that does not count hours gives 0; one that does gives the session's hours
    unless fewer are given (late, left early)."""
    if not status.counts_hours:
        return Decimal(0)
    if not entry.hours.strip():
        return session.hours
    value = parse_decimal(entry.hours)
    if value is None or not Decimal(0) < value <= session.hours:
        raise PreparationRefused(
            _("Hours must be more than 0 and at most the session's %(hours)s.") % {"hours": session.hours}
        )
    return value.quantize(Decimal("0.01"))


def record_session_attendance(*, session_id: int, entries: list[SessionEntry], recorded_by_id: int) -> int:
    """Every learner's line of one session: all are checked first, then all saved, or none. Lines without a
    status are left as they are. Returns how many were saved."""
    session = PreparationSession.objects.get(pk=session_id)
    learners = set(Assignment.objects.active().filter(placement_id=session.placement_id).values_list("pk", flat=True))
    statuses = {status.pk: status for status in AttendanceStatus.objects.all()}
    rows = []
    errors = {}
    for entry in entries:
        if entry.status_id is None:
            continue
        if entry.assignment_id not in learners or entry.status_id not in statuses:
            raise PreparationRefused(_("This learner or status does not belong here."))
        status = statuses[entry.status_id]
        if status.not_a_working_day:
            errors[entry.assignment_id] = _("This status is for a closed workplace: choose another.")
            continue
        if status.needs_reason and not entry.reason.strip():
            errors[entry.assignment_id] = _("“%(status)s” needs a reason.") % {"status": status}
            continue
        try:
            hours = _hours(entry, status, session)
        except PreparationRefused as refused:
            errors[entry.assignment_id] = str(refused)
            continue
        rows.append((entry.assignment_id, status, hours, entry.reason.strip()))
    if errors:
        raise AttendanceErrors(errors)
    with transaction.atomic():
        for assignment_id, status, hours, reason in rows:
            SessionAttendance.objects.update_or_create(
                session=session,
                assignment_id=assignment_id,
                defaults={"status": status, "hours": hours, "reason": reason, "recorded_by_id": recorded_by_id},
            )
    return len(rows)


class AttendanceErrors(PreparationRefused):
    """Lines that cannot be saved, by assignment id; nothing was saved."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(_("Some lines cannot be saved. Nothing was saved."))
        self.errors = errors


def readiness_for(assignment_id: int) -> Readiness:
    readiness, _created = Readiness.objects.get_or_create(assignment_id=assignment_id)
    return readiness


def attach_parental_consent(*, assignment_id: int, upload: UploadedFile, signed_on: date, user: User) -> Readiness:
    """The signed copy, kept through privacy's checked upload (type by content, size limit, random name, logged)."""
    assignment = Assignment.objects.select_related("participant").get(pk=assignment_id)
    if signed_on > date.today():
        raise PreparationRefused(_("The signing date cannot be in the future."))
    try:
        learner_file = store_upload(
            assignment.participant,
            LearnerFile.Kind.SIGNED_AGREEMENT,
            _("Parental consent: %(flow)s") % {"flow": assignment.placement},
            upload,
            user,
        )
    except ValidationError as error:
        raise PreparationRefused(" ".join(error.messages)) from error
    readiness = readiness_for(assignment_id)
    readiness.parental_consent_file, readiness.parental_consent_on = learner_file, signed_on
    readiness.save(update_fields=["parental_consent_file", "parental_consent_on"])
    return readiness


def set_support_plan(*, assignment_id: int, ready: bool) -> Readiness:
    readiness = readiness_for(assignment_id)
    readiness.support_plan_ready = ready
    readiness.save(update_fields=["support_plan_ready"])
    return readiness


# --- My trip links, incidents -----------------------------------------------------------------------------------


# A My trip link goes by text message, where a message with Romanian letters holds 70 characters: its token has 128
# random bits (22 characters), beyond guessing as the 256 of the other links (common.tokens), in half the length.
TRIP_TOKEN_BYTES = 16


def create_trip_link(*, assignment_id: int, created_by_id: int) -> TripLink:
    """A new personal link for the learner; any earlier one stops working at once (one link per learner). The
    link's token is on the returned link only (`link.token`): show it now, the database keeps its hash."""
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
        if assignment.status == Assignment.Status.WITHDRAWN:
            raise PreparationRefused(_("This learner withdrew: there is no trip to show."))
        TripLink.objects.active().filter(assignment=assignment).update(revoked_at=timezone.now())
        link = TripLink.objects.create(assignment=assignment, created_by_id=created_by_id)
        issue(link, TRIP_TOKEN_BYTES)
        return link


def create_trip_links_for_flow(*, placement_id: int, created_by_id: int) -> list[TripLink]:
    """A link for every learner of the flow who has none, all or none; learners with a working link keep it.
    The caller shows the new links at once (a printable sheet): it is the one moment they are in clear."""
    with transaction.atomic():
        learners = list(
            Assignment.objects.select_for_update()
            .filter(placement_id=placement_id)
            .exclude(status=Assignment.Status.WITHDRAWN)
            .exclude(Exists(TripLink.objects.active().filter(assignment=OuterRef("pk"))))
            .select_related("participant")
            .order_by("participant__name_key")
        )
        made = []
        for assignment in learners:
            # Only the hash is stored; the token rides on the instance for the sheet shown in this answer.
            token = new_token(TRIP_TOKEN_BYTES)
            link = TripLink(assignment=assignment, token_hash=hash_token(token), created_by_id=created_by_id)
            setattr(link, "token", token)  # noqa: B010 (not a field: the token is never stored)
            made.append(link)
        TripLink.objects.bulk_create(made)
    return made


def revoke_trip_link(*, link_id: int) -> None:
    TripLink.objects.active().filter(pk=link_id).update(revoked_at=timezone.now())


def withdraw_after_incident(*, incident_id: int, reason: str) -> Incident:
    """The incident leads to the learner's withdrawal: the assignment is withdrawn with the reason, the incident
    says so, and the learner's My trip links stop working, in one transaction."""
    if not reason.strip():
        raise PreparationRefused(_("Give the reason for the withdrawal."))
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident_id)
        if incident.assignment_id is None:
            raise PreparationRefused(_("This incident concerns no learner."))
        assignment = Assignment.objects.select_for_update().get(pk=incident.assignment_id)
        if assignment.status == Assignment.Status.WITHDRAWN:
            raise PreparationRefused(_("This learner has already withdrawn."))
        assignment.status, assignment.withdrawal_reason = Assignment.Status.WITHDRAWN, reason.strip()
        assignment.save(update_fields=["status", "withdrawal_reason", "updated_at"])
        TripLink.objects.active().filter(assignment=assignment).update(revoked_at=timezone.now())
        incident.led_to_withdrawal = True
        incident.save(update_fields=["led_to_withdrawal"])
    return incident


def log_emergency_sheet(*, user: User | AnonymousUser, placement_id: int, printed: bool = False) -> None:
    """Opening or printing the emergency sheet shows every learner's emergency contact: one log row each."""
    from privacy.models import PersonalDataLog, record

    detail = "emergency sheet printed" if printed else "emergency sheet"
    for assignment in Assignment.objects.active().filter(placement_id=placement_id).select_related("participant"):
        record(assignment.participant, user, PersonalDataLog.Action.VIEWED, detail)


def anonymise_learner(
    participant_id: int, assignment_ids: list[int], values: dict, scrub: Callable[[str], str]
) -> None:
    """Preparation's records of an anonymised learner (common.sections.ANONYMISE): reasons for absence and the
    notes for the teachers go, incidents keep what happened without the names, personal links stop working."""
    SessionAttendance.objects.filter(assignment_id__in=assignment_ids).update(reason="")
    SessionAttendance.history.filter(assignment_id__in=assignment_ids).update(reason="")
    Readiness.objects.filter(assignment_id__in=assignment_ids).update(shared_with_teachers="")
    Readiness.history.filter(assignment_id__in=assignment_ids).update(shared_with_teachers="")
    for incident in Incident.objects.filter(assignment_id__in=assignment_ids):
        Incident.objects.filter(pk=incident.pk).update(
            description=scrub(incident.description),
            action_taken=scrub(incident.action_taken),
            follow_up=scrub(incident.follow_up),
        )
    Incident.history.filter(assignment_id__in=assignment_ids).update(description="", action_taken="", follow_up="")
    TripLink.objects.filter(assignment_id__in=assignment_ids).delete()


def export_learner(participant: Any, assignment_ids: list[int], row: Callable[[Any], dict]) -> dict:
    """Preparation's records of the learner, for the export of everything held about them
    (common.sections.LEARNER_EXPORT)."""
    from .models import Room, TravelLeg

    return {
        "readiness": [row(r) for r in Readiness.objects.filter(assignment_id__in=assignment_ids)],
        "preparation_attendance": [
            row(a) for a in SessionAttendance.objects.filter(assignment_id__in=assignment_ids).order_by("pk")
        ],
        "travel_legs": [row(leg) for leg in TravelLeg.objects.filter(travellers__in=assignment_ids).distinct()],
        "rooms": [row(room) for room in Room.objects.filter(occupants__in=assignment_ids).distinct()],
        "incidents": [row(i) for i in Incident.objects.filter(assignment_id__in=assignment_ids).order_by("pk")],
        "my_trip_links": [
            {"created_at": link.created_at, "revoked_at": link.revoked_at}
            for link in TripLink.objects.filter(assignment_id__in=assignment_ids)
        ],
    }
