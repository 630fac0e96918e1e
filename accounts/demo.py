"""The demo coordinator's authenticator: a fixed, published key, so that `make run` stays usable. Add it to an
authenticator app, or run `python manage.py demo_totp` for the current code. Never use it for a real account."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .twofactor import key_for_humans, key_from_base32

# Every demo account's password (placements.demo and the other apps' demos set it; the foundation keeps it).
DEMO_PASSWORD = "demo-mobility-2026"
DEMO_COORDINATOR = "coordinator"
DEMO_TOTP_KEY = "MOBI LITY DEMO KEYF ORTH ECOO RDIN ATOR"  # base32, as typed into an authenticator app
DEMO_DEVICE_NAME = "Demo authenticator"


def demo_coordinator():
    """The demo's coordinator account, while it still has the demo password; never anybody else's."""
    user = User.objects.filter(username=DEMO_COORDINATOR).first()
    return user if user is not None and user.check_password(DEMO_PASSWORD) else None


def load_demo_authenticator():
    """Give the demo coordinator the demo authenticator unless they set up one of their own. Idempotent."""
    user = demo_coordinator()
    if user is None or TOTPDevice.objects.filter(user=user, confirmed=True).exclude(name=DEMO_DEVICE_NAME).exists():
        return None
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=DEMO_DEVICE_NAME, defaults={"key": key_from_base32(DEMO_TOTP_KEY), "confirmed": True}
    )
    return device


def demo_key_text():
    return key_for_humans(key_from_base32(DEMO_TOTP_KEY))
