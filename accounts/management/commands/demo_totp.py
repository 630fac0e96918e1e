import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_COORDINATOR, DEMO_DEVICE_NAME, demo_coordinator, demo_key_text
from accounts.twofactor import current_code


class Command(BaseCommand):
    help = "Print the demo coordinator's current two-factor code (the demo authenticator's key is published)."

    def handle(self, *args, **options):
        user = demo_coordinator()
        device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME, confirmed=True).first() if user else None
        if device is None:
            raise CommandError(
                f"The demo account {DEMO_COORDINATOR!r} has no demo authenticator: run `python manage.py load_demo`."
            )
        seconds = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(current_code(device))
        self.stdout.write(
            f"Good for about {seconds} more seconds. The key, for an authenticator app: {demo_key_text()}",
            style_func=self.style.NOTICE,
        )
