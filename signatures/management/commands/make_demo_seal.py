from django.conf import settings
from django.core.management.base import BaseCommand

from signatures.seal import DEMO_NAME, make_demo_certificate


class Command(BaseCommand):
    help = "Make a self-signed certificate to seal the demo's signed PDFs with. It is NOT a qualified seal."

    def handle(self, *args, **options):
        key, cert = make_demo_certificate(settings.VAR_DIR / "seal")
        self.stdout.write(f"{DEMO_NAME}.\nSIGNATURE_SEAL_KEY={key}\nSIGNATURE_SEAL_CERT={cert}")
