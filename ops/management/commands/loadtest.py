"""`manage.py loadtest --url http://127.0.0.1:8765 [--seconds 60] [--schools 10 --certificates --https]`.

Mentors save attendance at once against a running server, with the same DATABASE_URL as that server, so that
the command can check afterwards that every save is in the database. Without --schools: each of the demo's learners
get a mentor each (`make loadtest-dev`, against the development server). With --schools N: N schools of 31
learners and mentors each are added (`make loadtest`: ten, 310 mentors, against `make prod`). Either way only
on a COPY of the data: the command adds mentors, reassigns learners and moves placements to today. In production
settings it runs only on a database whose name says it is a load test's.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops import loadtest


class Command(BaseCommand):
    help = "Mentors save attendance at once against a running server; prints rps, p95, errors; verifies."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running server (make run)")
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--password", default="load-test-mentor-2026")
        parser.add_argument("--think", type=float, default=0, help="seconds a mentor pauses between saves")
        parser.add_argument("--wait", type=int, default=0, help="seconds to wait for the server to answer first")
        parser.add_argument("--schools", type=int, default=0, help="add this many schools of 31 mentors each")
        parser.add_argument(
            "--certificates", action="store_true", help="also ask for the demo placement's 16 certificates (ZIP)"
        )
        parser.add_argument(
            "--https", action="store_true", help="the server is behind HTTPS (production settings): say so"
        )
        parser.add_argument(
            "--i-know-this-changes-the-database",
            action="store_true",
            dest="confirmed",
            help="required: the command adds mentors, reassigns learners and moves placements",
        )

    def handle(self, *args, url, seconds, password, think, wait, schools, certificates, https, confirmed, **options):
        if not confirmed:
            raise CommandError(
                "This command adds mentors, gives them learners and moves placements to today. "
                "Run it on a copy of the database (make loadtest does), or pass --i-know-this-changes-the-database."
            )
        database = str(settings.DATABASES["default"]["NAME"])
        if getattr(settings, "PRODUCTION", False) and "load" not in database:
            raise CommandError(f"Not in production: the database {database!r} is not a load test's scratch one.")
        if not loadtest.wait_for_server(url.rstrip("/"), wait, https):
            raise CommandError(f"Nothing answers at {url}.")
        report = loadtest.run(
            url.rstrip("/"),
            password,
            seconds,
            self.stdout.write,
            think,
            schools=schools,
            certificates=certificates,
            https=https,
        )
        if report["errors"] or report["missing"]:
            raise CommandError(f"{report['errors']} errors, {report['missing']} learner-days not as saved.")
        if certificates and report.get("zip") != "done":
            raise CommandError(f"The certificates' ZIP did not finish: {report.get('zip')}.")
