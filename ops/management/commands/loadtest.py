"""`manage.py loadtest --url http://127.0.0.1:8765 [--seconds 60]`: 31 mentors save attendance at once.

Run it against a server started with `make run` on a COPY of the demo database (the command gives the
demo's learners load-test mentors and moves placements so that today is inside them), with the same
DATABASE_URL as that server, so that it can check afterwards that every save is in the database.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops import loadtest


class Command(BaseCommand):
    help = "31 mentors save attendance at once against a running server; prints rps, p95, errors; verifies."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running server (make run)")
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--password", default="load-test-mentor-2026")
        parser.add_argument("--think", type=float, default=0, help="seconds a mentor pauses between saves")
        parser.add_argument("--wait", type=int, default=0, help="seconds to wait for the server to answer first")
        parser.add_argument(
            "--i-know-this-changes-the-database",
            action="store_true",
            dest="confirmed",
            help="required: the command adds mentors, reassigns learners and moves placements",
        )

    def handle(self, *args, url, seconds, password, think, wait, confirmed, **options):
        if not confirmed:
            raise CommandError(
                "This command adds 31 mentors, gives them the learners and moves placements to today. "
                "Run it on a copy of the database (make loadtest does), or pass --i-know-this-changes-the-database."
            )
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Not in production.")
        if not loadtest.wait_for_server(url.rstrip("/"), wait):
            raise CommandError(f"Nothing answers at {url}.")
        report = loadtest.run(url.rstrip("/"), password, seconds, self.stdout.write, think)
        if report["errors"] or report["missing"]:
            raise CommandError(f"{report['errors']} errors, {report['missing']} learner-days not as saved.")
