"""`manage.py loadtest --url http://127.0.0.1:8765 [--window 600 --peak 600 --seconds 30] [--schools 10 --certificates
--https --server-group PGID]`.

Mentors save attendance against a running server, with the same DATABASE_URL and SECRET_KEY as that server (the
command makes the mentors' sessions in its session store and checks afterwards that every save is in the
database): the morning peak (each mentor saves each of their learners once within --window seconds, the first
--peak of them run), then saturation (--seconds of the trivial view, then of saves, without pause); see
ops/loadtest.py. Without --schools: each of the demo's learners gets a mentor (`make loadtest-dev`). With --schools
N: N schools of 31 mentors of 16 learners each are added (`make loadtest`: ten, 310 mentors). Either way only on a
COPY of the data: the command adds mentors, reassigns learners and moves placements to today. In production
settings it runs only on a database whose name says it is a load test's.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops import loadtest


class Command(BaseCommand):
    help = "Mentors save attendance at once against a running server; prints rps, p95, errors; verifies."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running server (make run)")
        parser.add_argument(
            "--window", type=int, default=loadtest.WINDOW, help="the morning peak: each learner saved once in it"
        )
        parser.add_argument("--peak", type=int, help="seconds of the morning peak to run (default: all of it)")
        parser.add_argument("--seconds", type=int, default=30, help="saturation: seconds of each measurement")
        parser.add_argument("--wait", type=int, default=0, help="seconds to wait for the server to answer first")
        parser.add_argument("--schools", type=int, default=0, help="add this many schools of 31 mentors each")
        parser.add_argument(
            "--certificates", action="store_true", help="also ask for the demo placement's 16 certificates (ZIP)"
        )
        parser.add_argument(
            "--https", action="store_true", help="the server is behind HTTPS (production settings): say so"
        )
        parser.add_argument(
            "--server-group", type=int, help="process group of the server (make prod's): its CPU per request"
        )
        parser.add_argument(
            "--i-know-this-changes-the-database",
            action="store_true",
            dest="confirmed",
            help="required: the command adds mentors, reassigns learners and moves placements",
        )

    def handle(
        self, *args, url, window, peak, seconds, wait, schools, certificates, https, server_group, confirmed, **o
    ):
        if not confirmed:
            raise CommandError(
                "This command adds mentors, gives them learners and moves placements to today. "
                "Run it on a copy of the database (make loadtest does), or pass --i-know-this-changes-the-database."
            )
        database = str(settings.DATABASES["default"]["NAME"])
        if getattr(settings, "PRODUCTION", False) and "load" not in database:
            raise CommandError(f"Not in production: the database {database!r} is not a load test's scratch one.")
        if window < 1 or seconds < 1 or (peak is not None and peak < 1):
            raise CommandError("--window, --peak and --seconds must be at least 1.")
        if not loadtest.wait_for_server(url.rstrip("/"), wait, https):
            raise CommandError(f"Nothing answers at {url}.")
        report = loadtest.run(
            url.rstrip("/"),
            seconds,
            self.stdout.write,
            window=window,
            peak=peak,
            schools=schools,
            certificates=certificates,
            https=https,
            server_group=server_group,
        )
        if report["errors"] or report["missing"]:
            raise CommandError(f"{report['errors']} errors, {report['missing']} learner-days not as saved.")
        if certificates and report.get("zip") != "done":
            raise CommandError(f"The certificates' ZIP did not finish: {report.get('zip')}.")
        if report["goals"]:
            raise CommandError("Missed: " + "; ".join(report["goals"]) + ".")
        self.stdout.write("Every goal met.")
