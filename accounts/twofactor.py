"""Two-factor sign-in with django-otp: a TOTP authenticator app, and single-use backup codes for when the phone
is lost (stored hashed: accounts.models.BackupCodes). Coordinators must use it; everyone else may.

A session is *verified* once a code was accepted in it (django_otp.login). Until then, a signed-in user who must
give a code (any account with an authenticator) or set one up first (a coordinator without one) reaches only the
pages that do that; see accounts.middleware.
"""

import time
from base64 import b32decode, b32encode
from dataclasses import dataclass
from datetime import datetime

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .models import BackupCodes, Role, SecurityEvent
from .roles import role_of

BACKUP_CODE_COUNT = 10
# Set at sign-in for an account that has an authenticator, so that other sessions need no query to know it.
REQUIRED_SESSION_KEY = "two_factor_required"
ENROL_SESSION_KEY = "two_factor_enrol_key"
VERIFY = "verify"
ENROL = "enrol"


def must_use_two_factor(user):
    return role_of(user) == Role.COORDINATOR


def authenticator_of(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_step(request):
    """VERIFY or ENROL when the signed-in user must give a code or set up an authenticator before going on;
    None otherwise. No query for an account without an authenticator that need not have one."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    required = must_use_two_factor(user)
    if not (required or request.session.get(REQUIRED_SESSION_KEY)):
        return None
    if is_enrolled(user):
        return VERIFY
    return ENROL if required else None


def note_sign_in(request, user):
    """At sign-in: remember in the session whether this account has an authenticator."""
    if is_enrolled(user):
        request.session[REQUIRED_SESSION_KEY] = True


# Enrolment


def new_key():
    return random_hex(20)


def key_for_humans(hex_key):
    """The secret as an authenticator app asks for it when typed in: base32, in groups of four."""
    text = b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def key_from_base32(text):
    return b32decode(text.replace(" ", "").upper()).hex()


def setup_uri(user, hex_key):
    return TOTPDevice(user=user, key=hex_key).config_url


def qr_code_svg(uri):
    """The setup address as an SVG QR code; presentation attributes only, so the CSP has nothing to refuse."""
    return segno.make(uri, error="m").svg_inline(dark="#000", light="#fff", border=2, omitsize=True)


def normalise(code):
    return "".join((code or "").split()).lower()


def _totp(hex_key, device=None):
    if device is None:
        return TOTP(bytes.fromhex(hex_key))
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)


def matching_step(hex_key, code):
    """The time step of `code` for a new secret (one step of clock difference allowed), or None."""
    code = normalise(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = _totp(hex_key)
    return totp.t() if totp.verify(int(code), tolerance=1) else None


@transaction.atomic
def enrol(request, hex_key, step):
    """Replace the user's authenticator with the one just proven, verify this session with it, and make new
    backup codes. Returns the codes: they are shown once and never again."""
    user = request.user
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", key=hex_key, confirmed=True, last_t=step)
    codes = renew_backup_codes(user, record=False)
    SecurityEvent.record(SecurityEvent.Action.TWO_FACTOR_ENROLLED, account=user, actor=user)
    otp_login(request, device)
    request.session[REQUIRED_SESSION_KEY] = True
    request.session.pop(ENROL_SESSION_KEY, None)
    return codes


@transaction.atomic
def renew_backup_codes(user, record=True):
    device, _created = BackupCodes.objects.get_or_create(user=user, defaults={"name": "Backup codes"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    device.add_codes(codes)
    if record:
        SecurityEvent.record(SecurityEvent.Action.BACKUP_CODES_RENEWED, account=user, actor=user)
    return codes


@transaction.atomic
def remove_two_factor(account, actor):
    """Delete the account's authenticator and backup codes. A coordinator resetting another account, or a
    mentor or staff member turning it off for themselves; a coordinator sets it up again at the next page."""
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    action = SecurityEvent.Action.TWO_FACTOR_TURNED_OFF if actor == account else SecurityEvent.Action.TWO_FACTOR_RESET
    SecurityEvent.record(action, account=account, actor=actor)


# Verification


@dataclass
class Verification:
    device: object = None
    wait_until: datetime | None = None
    backup_code: bool = False


def verify(request, code):
    """Check a code from the authenticator (six digits) or a backup code (eight letters and digits, each good
    once). django-otp slows down guessing: after each wrong code the device waits 1, 2, 4 ... seconds."""
    user, code = request.user, normalise(code)
    is_totp = code.isdigit() and len(code) == 6
    model = TOTPDevice if is_totp else BackupCodes
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None or not code:
            return Verification()
        allowed, why = device.verify_is_allowed()
        if not allowed:
            return Verification(wait_until=why.get("locked_until"))
        if not device.verify_token(code):
            return Verification()
    otp_login(request, device)
    request.session.cycle_key()
    if not is_totp:
        SecurityEvent.record(SecurityEvent.Action.BACKUP_CODE_USED, account=user, actor=user)
    return Verification(device=device, backup_code=not is_totp)


def proves_current_device(user, code):
    """Whether `code` is right for the authenticator (or a backup code) the user has now, without signing
    anything in: replacing an authenticator asks for it, so that a session left open cannot swap in its own.
    Wrong codes slow down guessing as at sign-in."""
    code = normalise(code)
    model = TOTPDevice if (code.isdigit() and len(code) == 6) else BackupCodes
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None or not code:
            return False
        allowed, _why = device.verify_is_allowed()
        return bool(allowed and device.verify_token(code))


def current_code(device, at=None):
    """The code the device's authenticator shows now, or the next one if the current one was used already
    (each code is accepted once). For the demo command and the tests, which have no phone."""
    totp = _totp(None, device)
    totp.time = at if at is not None else time.time()
    if totp.t() <= device.last_t:
        totp.time = device.t0 + (device.last_t + 1 - device.drift) * device.step
    return f"{totp.token():0{device.digits}d}"
