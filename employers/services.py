"""The partnership's rules: a graduate is introduced to an employer only with their recorded consent, never
once anonymised or without consent to data processing; an anonymised graduate's notes go. Views call these."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from common.exceptions import NotAllowed
from participants.models import Participant

from .models import Introduction, Offer

PARTNER_KINDS = (Organisation.Kind.EMPLOYER, Organisation.Kind.RECEIVING, Organisation.Kind.HOST)


def graduates() -> Any:
    """Learners who finished (or are past the end of) a stage: the ones who may be introduced."""
    today = timezone.localdate()
    return (
        Participant.objects.filter(anonymised_at__isnull=True, assignments__placement__end_date__lt=today)
        .exclude(assignments__status="withdrawn")
        .distinct()
        .order_by("name_key", "pk")
    )


def introduce(
    *,
    organisation_id: int,
    participant_id: int,
    consent: bool,
    consent_on: date | None,
    by_id: int,
    offer_id: int | None = None,
    introduced_on: date | None = None,
    note: str = "",
) -> Introduction:
    """Record an introduction. Refused (NotAllowed) without the graduate's consent, recorded with its date."""
    today = timezone.localdate()
    introduced_on = introduced_on or today
    if not consent or consent_on is None:
        raise NotAllowed(_("A graduate is introduced to an employer only with their consent: record it first."))
    if consent_on > today:
        raise NotAllowed(_("The consent cannot be dated in the future."))
    if consent_on > introduced_on:
        raise NotAllowed(_("A graduate is introduced only after they agreed."))
    participant = Participant.objects.get(pk=participant_id)
    if participant.is_anonymised or not participant.processing_consent_in_force:
        raise NotAllowed(_("This learner's data may not be passed on: no consent to data processing."))
    organisation = Organisation.objects.get(pk=organisation_id, kind=Organisation.Kind.EMPLOYER)
    offer = Offer.objects.get(pk=offer_id, organisation=organisation) if offer_id else None
    with transaction.atomic():
        return Introduction.objects.create(
            organisation=organisation,
            offer=offer,
            participant=participant,
            consent_on=consent_on,
            consent_recorded_by_id=by_id,
            introduced_on=introduced_on,
            note=note.strip()[:300],
        )


def set_outcome(*, introduction_id: int, outcome: str) -> Introduction:
    if outcome not in Introduction.Outcome.values:
        raise NotAllowed(_("Choose an outcome."))
    introduction = Introduction.objects.get(pk=introduction_id)
    introduction.outcome = outcome
    introduction.save(update_fields=["outcome"])
    return introduction


def forget_learner(participant_id: int) -> None:
    Introduction.objects.filter(participant_id=participant_id).update(note="")
    Introduction.history.filter(participant_id=participant_id).update(note="")
