from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grants import inforeuro


class Command(BaseCommand):
    help = "Load the Commission's monthly accounting rates (InforEuro's monthly JSON file) for one month."

    def add_arguments(self, parser):
        parser.add_argument("file", help="InforEuro's monthly rates, as JSON")
        parser.add_argument("--month", required=True, help="The month the rates apply to, e.g. 2026-03")

    def handle(self, *args, file, month, **options):
        try:
            year, number = (int(part) for part in month.split("-"))
            first = date(year, number, 1)
        except ValueError as error:
            raise CommandError(f"--month must look like 2026-03, not {month!r}.") from error
        try:
            count = inforeuro.load(content=Path(file).read_bytes(), month=first)
        except (OSError, inforeuro.NotInforEuro) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Loaded {count} rates for {first:%Y-%m}.")
