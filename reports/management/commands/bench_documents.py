"""Benchmark document rendering on this machine, on a scratch database (never the real one).

Prints: a minimal WeasyPrint document (the floor), one certificate warm, and the wall time from request to
"done" for the ZIP of all certificates of the demo's 16-learner placement, rendered by a real Celery worker
started with its default concurrency.

The floor is rendered exactly as a document is (documents.rendering.write_pdf: same fetcher, same font
configuration, same options, same process), only without print.css and with one word of text. Floor and
certificate are timed back to back, in pairs, so that a busy machine slows both alike; the CPU time of this
process is shown beside the wall time, since other people's work on a shared machine inflates wall time only.
"""

import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from weasyprint import HTML
from weasyprint.text.ffi import harfbuzz_subset

from accounts.models import User
from documents import jobs
from documents.models import DocumentJob
from documents.rendering import qr_svg, render_pdf, write_pdf
from placements.models import Assignment, Placement
from reports import certificates
from reports.models import Certificate


def timed(function):
    """(wall seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def back_to_back(floor, document, runs):
    """Warm both, then time them in alternating pairs: lists of (wall, cpu) for each, in run order."""
    floor(), document()  # warm: imports, fonts, stylesheet, templates
    pairs = [(timed(floor), timed(document)) for _ in range(runs)]
    return [f for f, _ in pairs], [d for _, d in pairs]


def spread(values):
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


class Command(BaseCommand):
    help = "Time the floor, one certificate and a 16-learner placement's certificates through a real worker."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=9)
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

        first = certificates.issue_certificate(Assignment.objects.filter(placement=placement).first(), coordinator)
        context = {"data": first.data, "qr": qr_svg(first.data["verification_url"])}
        floors, ones = back_to_back(
            lambda: write_pdf("<p>x</p>", print_css=False),
            lambda: render_pdf("reports/documents/certificate.html", context, language="en"),
            runs,
        )
        # For comparison with figures measured before the shared fetcher and fonts: WeasyPrint's defaults.
        cold = statistics.median(timed(lambda: HTML(string="<p>x</p>").write_pdf())[0] for _ in range(runs))
        Certificate.objects.all().delete()
        learners = Assignment.objects.filter(placement=placement).count()

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        log = open(settings.VAR_DIR / "bench-worker.log", "w")  # noqa: SIM115  (closed with the worker)
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mobility", "worker", "--loglevel=INFO"],
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            # The clock starts once the worker says it is ready (on a busy machine its start takes more than
            # the three seconds this used to wait), and a second later, so its pool processes are up too.
            log_path = settings.VAR_DIR / "bench-worker.log"
            waited = time.perf_counter()
            while " ready." not in log_path.read_text() and time.perf_counter() - waited < 120:
                time.sleep(0.2)
            time.sleep(1)
            started = time.perf_counter()
            # Outside a transaction, request_document dispatches at once (on_commit runs immediately): a second
            # dispatch here would make both worker processes issue and render the same certificates.
            job = jobs.request_document(
                coordinator, DocumentJob.Kind.PLACEMENT_CERTIFICATES, {"placement": placement.pk}, "bench"
            )
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
        # CPU of the worker and its pool, start to stop (imports included): what a quiet machine must spend.
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        worker_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if job.status != DocumentJob.Status.DONE:
            raise CommandError(f"The job ended {job.status}: {job.error}")

        floor_wall, floor_cpu = [w for w, _ in floors], [c for _, c in floors]
        one_wall, one_cpu = [w for w, _ in ones], [c for _, c in ones]
        ratios = [d[0] / f[0] for f, d in zip(floors, ones, strict=True)]
        cpu_ratio = statistics.median(one_cpu) / statistics.median(floor_cpu)
        self.stdout.write(f"{runs} runs; wall seconds as median (min-max), then CPU seconds of this process")
        self.stdout.write(
            f"{'minimal document (floor), same pipeline, warm':<52}{spread(floor_wall):>22}   cpu {spread(floor_cpu)}"
        )
        self.stdout.write(f"{'one certificate, warm':<52}{spread(one_wall):>22}   cpu {spread(one_cpu)}")
        self.stdout.write(
            f"{'certificate / floor, back to back in pairs':<52}{statistics.median(ratios):>13.1f}x"
            f" ({min(ratios):.1f}-{max(ratios):.1f})   cpu {cpu_ratio:.1f}x"
        )
        self.stdout.write(f"{'minimal document, WeasyPrint defaults (fresh fonts)':<52}{cold:>9.3f}")
        subsetter = "HarfBuzz-Subset" if harfbuzz_subset else "fontTools (slow: install libharfbuzz-subset0)"
        self.stdout.write(f"{'font subsetting':<52}{subsetter:>9}")
        label = f"request to done: ZIP of {learners} certificates"
        self.stdout.write(f"{label:<52}{wall:>9.2f}   (worker default concurrency, {os.cpu_count()} cores)")
        self.stdout.write(f"{'  CPU of the worker, all processes, start to stop':<52}{worker_cpu:>9.2f}")
