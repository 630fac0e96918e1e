"""Mentors join by invitation: the coordinator gives a mentor's name, address and host company; the mentor gets,
through the outbox and in their own language, a link that works once and for INVITATION_DAYS days, with which they
choose their own password and land on Today. No password passes through another person. Only a hash of the
link's token is stored (Invitation.token_hash); sending again replaces it."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.locales import language_of_country, zone_name_of_country

from .models import Invitation, Role, User
from .services import share_schools

INVITATION_DAYS = 14


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def free_username(email: str) -> str:
    """The part of the address before the @, made unique: what the mentor types to sign in."""
    base = slugify(email.split("@")[0]).replace("-", ".")[:140] or "mentor"
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}{number}"
    return name


@transaction.atomic
def invite_mentor(*, first_name: str, last_name: str, email: str, organisation, language: str, by: User) -> User:
    """A mentor's account without a password, in the schools of `by`, and their invitation sent."""
    mentor = User(
        username=free_username(email),
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=Role.MENTOR,
        organisation=organisation,
        language=language or language_of_country(organisation.country),
        time_zone=zone_name_of_country(organisation.country),
    )
    mentor.set_unusable_password()
    mentor.save()
    share_schools(account=mentor, by=by, join=True)
    send_invitation(mentor, by=by)
    return mentor


def send_invitation(mentor: User, *, by: User) -> Invitation:
    """A new link for `mentor` (an older one stops working), mailed in their language."""
    from common.sections import SEND_MAIL, the_one

    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation, _created = Invitation.objects.update_or_create(
        account=mentor,
        defaults={
            "token_hash": token_hash(token),
            "sent_at": now,
            "expires_at": now + timedelta(days=INVITATION_DAYS),
            "sent_by": by,
            "accepted_at": None,
        },
    )
    language = mentor.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "mentor": mentor,
            "company": mentor.organisation,
            "by": by,
            "link": settings.SITE_URL + reverse("accounts:join", args=[token]),
            "days": INVITATION_DAYS,
        }
        the_one(
            SEND_MAIL,  # the outbox, which the foundation does not import
            to=mentor.email,
            subject=_("Your account for the Erasmus+ learners' attendance"),
            body=render_to_string("accounts/email/invitation.txt", context),
            purpose="mentor_invitation",
            language=language,
            about=mentor,
            sensitive=True,  # the link is a key: its text is erased once sent
            expires_at=invitation.expires_at,
            school_of_about=True,  # their (first) school's mail
        )
    return invitation


def invitation_for(token: str) -> Invitation | None:
    """The open invitation this token belongs to; None when it is unknown, used, expired or replaced."""
    found = (
        Invitation.objects.select_related("account")
        .filter(token_hash=token_hash(token), accepted_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if found is None or not found.account.is_active:
        return None
    return found


def accept(invitation: Invitation, password: str) -> User:
    """The mentor's own password set; the invitation is used up."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("account").get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValueError("invitation already used")
        mentor = invitation.account
        mentor.set_password(password)
        mentor.save(update_fields=["password"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return mentor
