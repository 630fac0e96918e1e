"""Benchmark document rendering on this machine, on a scratch database (never the real one).

Prints: a minimal WeasyPrint document (the floor), one certificate warm, and the wall time from request to
"done" for the ZIP of all certificates of the demo's 16-learner placement, rendered by a real Celery worker
started with its default concurrency.
"""

import os
import statistics
import subprocess
import sys
import time
from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from weasyprint import HTML

from accounts.models import User
from placements.models import Assignment, Placement
from reports import certificates, jobs
from reports.models import Certificate, DocumentJob
from reports.rendering import qr_svg, render_pdf


def median_seconds(function, runs):
    function()  # warm: imports, fonts, templates
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


class Command(BaseCommand):
    help = "Time the floor, one certificate and a 16-learner placement's certificates through a real worker."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--timeout", type=int, default=300)

    def handle(self, *args, runs, timeout, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError("Run this on a scratch database whose name contains 'bench' (make bench-documents).")
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        placement = Placement.objects.get(title__startswith="Flow 1")
        Placement.objects.filter(pk=placement.pk).update(start_date=date(2026, 3, 2), end_date=date(2026, 3, 27))
        Assignment.objects.filter(placement=placement).update(status=Assignment.Status.COMPLETED)
        Certificate.objects.all().delete()
        coordinator = User.objects.get(username="coordinator")

        floor = median_seconds(lambda: HTML(string="<p>x</p>").write_pdf(), runs)
        first = certificates.issue_certificate(Assignment.objects.filter(placement=placement).first(), coordinator)
        context = {"data": first.data, "qr": qr_svg(first.data["verification_url"])}
        one = median_seconds(lambda: render_pdf("reports/documents/certificate.html", context, language="en"), runs)
        Certificate.objects.all().delete()
        learners = Assignment.objects.filter(placement=placement).count()

        log = open(settings.VAR_DIR / "bench-worker.log", "w")  # noqa: SIM115  (closed with the worker)
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mobility", "worker", "--loglevel=INFO"],
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            time.sleep(3)  # let the worker connect before the clock starts
            started = time.perf_counter()
            job = jobs.request_document(
                coordinator, DocumentJob.Kind.PLACEMENT_CERTIFICATES, {"placement": placement.pk}, "bench"
            )
            jobs.dispatch(job.pk)
            while True:
                job.refresh_from_db()
                if job.finished or time.perf_counter() - started > timeout:
                    break
                time.sleep(0.1)
            wall = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            log.close()
        if job.status != DocumentJob.Status.DONE:
            raise CommandError(f"The job ended {job.status}: {job.error}")

        self.stdout.write(f"{'what':<52}{'seconds':>9}")
        self.stdout.write(f"{'minimal WeasyPrint document (floor), warm median':<52}{floor:>9.3f}")
        self.stdout.write(f"{'one certificate, warm median':<52}{one:>9.3f}   ({one / floor:.1f}x the floor)")
        label = f"request to done: ZIP of {learners} certificates"
        self.stdout.write(f"{label:<52}{wall:>9.2f}   (worker default concurrency, {os.cpu_count()} cores)")
