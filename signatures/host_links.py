"""A host company's representative signs a learner's learning agreement on their own device: the coordinator
sends a link to the representative's address, and the page the link opens sends a one-time code to the same
address (both through the outbox). Only the hashes of the link's token and of the code are kept; the link
expires and signs once; the code expires, and three wrong codes end it (the representative asks for another)."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outbox import services as outbox
from outbox.models import OutgoingMessage

from . import services
from .models import HostSigningLink, SignatureEvent

LINK_VALID_FOR = timedelta(days=14)
CODE_VALID_FOR = timedelta(minutes=15)
CODE_ATTEMPTS = 3
CODE_INTERVAL = timedelta(minutes=1)  # between two codes to the same address: the link cannot flood a mailbox
HOST_LANGUAGE = "pt"  # a host company's people read Portuguese


class LinkError(services.SignatureError):
    pass


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def code_hash(link, code):
    """The code keyed with the server's secret and the link, so that the six digits cannot be found from the
    hash alone."""
    key = f"{settings.SECRET_KEY}:host-signing-code:{link.token_hash}".encode()
    return hmac.new(key, code.strip().encode(), hashlib.sha256).hexdigest()


def link_url(token):
    return settings.SITE_URL.rstrip("/") + reverse("signatures:host_sign", args=[token])


def send_link(*, user, assignment, name, email):
    """A new link for `email` to sign `assignment`'s agreement for the host, sent through the outbox."""
    token = secrets.token_urlsafe(32)
    link = HostSigningLink.objects.create(
        assignment=assignment,
        name=name[:150],
        email=email,
        token_hash=token_hash(token),
        created_by=user,
        expires_at=timezone.now() + LINK_VALID_FOR,
    )
    with translation.override(HOST_LANGUAGE):
        subject = _("Learning agreement of %(learner)s to sign") % {"learner": assignment.participant.full_name}
        body = _(
            "Hello %(name)s,\n\n%(school)s asks you to sign, for %(host)s, the learning agreement of %(learner)s "
            "(%(flow)s). Open this link, read the agreement, and ask for a code: it is sent to this address.\n\n"
            "%(url)s\n\nThe link is valid until %(until)s and signs once."
        ) % {
            "name": name,
            "school": assignment.placement.project.sending_organisation.name,
            "host": assignment.host_company.name if assignment.host_company_id else "",
            "learner": assignment.participant.full_name,
            "flow": assignment.placement.title,
            "url": link_url(token),
            "until": f"{timezone.localtime(link.expires_at):%Y-%m-%d %H:%M}",
        }
    outbox.send(
        to=email,
        subject=subject,
        body=body,
        purpose=OutgoingMessage.Purpose.SIGNING_LINK,
        language=HOST_LANGUAGE,
        reference=outbox.reference_to(link),
        sensitive=True,
        expires_at=link.expires_at,
        school_id=assignment.placement.project.sending_organisation_id,
    )
    return link, token


def usable_link(token, now=None):
    """The link of `token`, or LinkError saying plainly why it no longer signs; None for no such link."""
    now = now or timezone.now()
    link = (
        HostSigningLink.objects.filter(token_hash=token_hash(token or ""))
        .select_related("assignment__host_company", "assignment__participant", "assignment__placement__project")
        .first()
    )
    if link is None:
        return None
    if link.used_at is not None:
        raise LinkError(_("This link has already been used to sign. Ask the school for a new one if needed."))
    if link.expires_at <= now:
        raise LinkError(_("This link has expired. Ask the school for a new one."))
    return link


def send_code(link, now=None):
    """A new one-time code to the link's address (the previous one stops working)."""
    now = now or timezone.now()
    if link.code_expires_at is not None and link.code_expires_at - CODE_VALID_FOR > now - CODE_INTERVAL:
        raise LinkError(
            _("A code was sent less than a minute ago: look for it in your mailbox (and its spam folder) first.")
        )
    code = f"{secrets.randbelow(10**6):06d}"
    link.code_hash = code_hash(link, code)
    link.code_expires_at = now + CODE_VALID_FOR
    link.code_attempts = 0
    link.save(update_fields=["code_hash", "code_expires_at", "code_attempts"])
    with translation.override(HOST_LANGUAGE):
        subject = _("Your code to sign the learning agreement")
        body = _("Your code to sign the learning agreement of %(learner)s: %(code)s\n\nIt is valid for 15 minutes.") % {
            "learner": link.assignment.participant.full_name,
            "code": code,
        }
    outbox.send(
        to=link.email,
        subject=subject,
        body=body,
        purpose=OutgoingMessage.Purpose.SIGNING_CODE,
        language=HOST_LANGUAGE,
        reference=outbox.reference_to(link),
        sensitive=True,
        expires_at=link.code_expires_at,
        school_id=link.assignment.placement.project.sending_organisation_id,
    )
    return code


def _check_code(link, typed, now):
    """Within the caller's transaction, on the locked link. Raises LinkError for a missing, expired or wrong
    code; a wrong one is counted (and saved by the caller's `counted` path)."""
    if not link.code_hash or link.code_expires_at is None or link.code_expires_at <= now:
        raise LinkError(_("Ask for a code first: it is sent to your address and is valid for 15 minutes."))
    if hmac.compare_digest(code_hash(link, typed or ""), link.code_hash):
        return True
    link.code_attempts += 1
    if link.code_attempts >= CODE_ATTEMPTS:
        link.code_hash, link.code_expires_at = "", None
    link.save(update_fields=["code_attempts", "code_hash", "code_expires_at"])
    return False


def sign(
    *, token, code, typed_name, shown_hash, consent_text, strokes=None, device_time="", ip_address=None, user_agent=""
):
    """The representative's signature: the link usable, the code right, the agreement as they read it; drawn
    (`strokes`, checked by services.clean_strokes) or their typed name. The link is then used up. A wrong code
    is counted even though nothing is signed."""
    if not strokes and not typed_name.strip():
        raise LinkError(_("Draw your signature, or type your full name."))
    now = timezone.now()
    with transaction.atomic():
        link = usable_link(token, now)
        if link is None:
            raise LinkError(_("This link is not valid."))
        link = (
            HostSigningLink.objects.select_for_update(of=("self",))
            .select_related("assignment__host_company")
            .get(pk=link.pk)
        )
        if link.used_at is not None:
            raise LinkError(_("This link has already been used to sign. Ask the school for a new one if needed."))
        right = _check_code(link, code, now)
    if not right:
        if link.code_hash:
            left = CODE_ATTEMPTS - link.code_attempts
            raise LinkError(_("That is not the code we sent. Tries left: %(left)d.") % {"left": left})
        raise LinkError(_("Three wrong codes: ask for a new code."))
    with transaction.atomic():
        link = (
            HostSigningLink.objects.select_for_update(of=("self",))
            .select_related("assignment__host_company")
            .get(pk=link.pk)
        )
        if link.used_at is not None:
            raise LinkError(_("This link has already been used to sign. Ask the school for a new one if needed."))
        name = typed_name.strip() or link.name
        host = link.assignment.host_company.name if link.assignment.host_company_id else ""
        event = services.sign_agreement(
            assignment=link.assignment,
            shown_hash=shown_hash,
            role=SignatureEvent.Role.HOST,
            consent_text=consent_text,
            method=SignatureEvent.Method.EMAIL_CODE_DRAWN if strokes else SignatureEvent.Method.EMAIL_CODE,
            collected_by=None,
            signer_name=f"{name} <{link.email}> ({host})",
            strokes=strokes,
            typed_name=typed_name.strip(),
            device_time=device_time,
            ip_address=ip_address,
            user_agent=user_agent,
        )
        link.used_at, link.code_hash, link.code_expires_at = now, "", None
        link.save(update_fields=["used_at", "code_hash", "code_expires_at"])
    return event
