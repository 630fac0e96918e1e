from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from . import throttling, twofactor
from .models import SecurityEvent, User


@receiver(user_logged_in, dispatch_uid="accounts.note_sign_in")
def note_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        twofactor.note_sign_in(request, user)


@receiver(user_locked_out, dispatch_uid="accounts.record_lockout")
def record_lockout(sender, request, username, ip_address, **kwargs):
    """One event per block, not one per attempt made while it lasts."""
    username = (username or "")[:150]
    since = timezone.now() - throttling.cool_off()
    if SecurityEvent.objects.filter(action=SecurityEvent.Action.LOCKED_OUT, username=username, at__gte=since).exists():
        return
    SecurityEvent.record(
        SecurityEvent.Action.LOCKED_OUT, account=User.objects.filter(username=username).first(), username=username
    )
