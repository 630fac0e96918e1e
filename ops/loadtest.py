"""A load test of the mentors' busiest moment, in the two regimes that matter (issue 20).

On a scratch copy of the demo database, never the real one, either `prepare` gives each of the demo's learners a
mentor of their own at their host company (`load.mentor001`…) and moves any placement that is not running so that
today is inside it, or `prepare_schools` adds schools of their own (ten for `make loadtest`), each with its
coordinator (accounts.Membership), project (Project.sending_organisation), host company, two running placements
and 31 mentors of 16 learners each (310 mentors, 4,960 learners), kept apart as the demo's second school is.

The mentors' sessions are made directly through Django's session engine on the scratch database (the server's
SECRET_KEY and session store): a sign-in is one check by the production hasher (PBKDF2, half a second of CPU or
more), minutes for 310 mentors on two cores and nothing this test measures. Each mentor then opens Today once (its
CSRF cookie), not counted either. The server keeps its production settings and hasher.

`run` then measures, in this order:

1. the certificates' ZIP of the demo's 16-learner placement on the quiet server, twice (the first warms the
   documents worker up), from this process through the broker to the documents worker, as the button does;
2. the morning peak: every mentor saves each of their learners' today once, at moments spread at random over
   `window` seconds (600: 310 mentors × 16 learners in ten minutes, about 8 saves a second), of which the first
   `peak` seconds are run (a quicker run at the same rate); the ZIP is asked for again during it. It prints
   p50/p95/max of the saves (the goal: p95 under 300 ms) and the ZIP's time next to its quiet time (the goal:
   within 1.5 ×);
3. saturation: every mentor asks for the trivial view (the health check) without pause for `seconds`, then saves
   without pause for `seconds` (rounding their learners and the last days); for each, requests per second and,
   with `server_group` (the process group of `make prod`), the web server's CPU milliseconds per request, read
   from /proc (the database's processes serve everybody's databases: their CPU is not in it).

Afterwards every acknowledged save is looked for in the database: the record's version counts the saves, the
history holds one row per save, and the hours are the last ones sent.

Behind `https` (gunicorn of `make prod`, with production settings) each request says what nginx would add,
X-Forwarded-Proto: https, so that the secure cookies, CSRF's referer check and the HTTPS redirect apply.

Only the standard library talks HTTP (one kept-alive connection per mentor, as a browser keeps), so that the
client adds nothing to install.
"""

import concurrent.futures
import http.client
import http.cookies
import os
import random
import re
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from attendance.models import AttendanceRecord, WeekSignoff, week_start
from participants.models import Participant, fold
from placements.models import Assignment, Placement, Project, Qualification

USERNAME = "load.mentor{:03d}"
DAYS_BACK = 5  # at saturation each mentor rounds their learners' today and the four days before
MENTORS_PER_SCHOOL = 31
LEARNERS_PER_MENTOR = 16
WINDOW = 600  # the morning peak: each mentor saves each of their learners once in these seconds
P95_GOAL_MS = 300
ZIP_GOAL = 1.5  # the ZIP during the peak, at most this many times its quiet time
BACKEND = "django.contrib.auth.backends.ModelBackend"


@transaction.atomic
def prepare():
    """Give every learner of the demo a load-test mentor of their own; make every placement run today.
    Returns the mentors, each as (username, [(assignment id, placement id)])."""
    today = timezone.localdate()
    for placement in Placement.objects.all():
        if not placement.start_date <= today <= placement.end_date:
            length = placement.end_date - placement.start_date
            start = week_start(today) - timedelta(days=7)
            Placement.objects.filter(pk=placement.pk).update(start_date=start, end_date=start + length)
    assignments = list(
        Assignment.objects.exclude(status=Assignment.Status.WITHDRAWN)
        .select_related("host_company", "participant")
        .order_by("placement_id", "participant__name_key")
    )
    for number, assignment in enumerate(assignments, start=1):
        mentor, _created = User.objects.update_or_create(
            username=USERNAME.format(number),
            defaults={
                "role": Role.MENTOR,
                "organisation": assignment.host_company,
                "first_name": "Load",
                "last_name": f"Mentor {number:03d}",
                "password": "!",  # no password: the load test makes the session itself
                "is_active": True,
            },
        )
        Assignment.objects.filter(pk=assignment.pk).update(mentor=mentor)
        WeekSignoff.objects.filter(mentor=mentor).delete()
    return [(USERNAME.format(n), [(a.pk, a.placement_id)]) for n, a in enumerate(assignments, start=1)]


@transaction.atomic
def prepare_schools(schools, mentors=MENTORS_PER_SCHOOL, learners=LEARNERS_PER_MENTOR):
    """`schools` schools of their own, kept apart as the demo's second school is, each with `mentors` mentors of
    `learners` learners on two placements running today. Returns the mentors as `prepare` does."""
    start = week_start(timezone.localdate()) - timedelta(days=7)
    qualification, _ = Qualification.objects.get_or_create(name="Load-test qualification")
    partner = Organisation.objects.create(name="Load-test partner", kind=Organisation.Kind.RECEIVING, country="PT")
    chosen = []
    for s in range(1, schools + 1):
        school = Organisation.objects.create(
            name=f"Load-test school {s:02d}", kind=Organisation.Kind.SENDING, country="RO", city="Bacău"
        )
        host = Organisation.objects.create(
            name=f"Load-test host {s:02d}", kind=Organisation.Kind.HOST, country="PT", city="Braga"
        )
        project = Project.objects.create(
            title=f"Load-test project {s:02d}",
            reference=f"LOAD-{s:02d}",
            start_date=start - timedelta(days=60),
            end_date=start + timedelta(days=300),
            sending_organisation=school,
        )
        coordinator = User.objects.create(
            username=f"load.coordinator{s:02d}", role=Role.COORDINATOR, password="!", first_name="Load"
        )
        Membership.objects.create(user=coordinator, organisation=school, role=Role.COORDINATOR)
        placements = [
            Placement.objects.create(
                project=project,
                title=f"Load-test school {s:02d} – flow {flow}",
                qualification=qualification,
                receiving_partner=partner,
                city="Braga",
                country="PT",
                start_date=start,
                end_date=start + timedelta(days=25),
            )
            for flow in (1, 2)
        ]
        first = len(chosen) + 1
        made = User.objects.bulk_create(
            User(
                username=USERNAME.format(number),
                role=Role.MENTOR,
                organisation=host,
                first_name="Load",
                last_name=f"Mentor {number:03d}",
                password="!",
            )
            for number in range(first, first + mentors)
        )
        Membership.objects.bulk_create(
            Membership(user=mentor, organisation=school, role=Role.MENTOR) for mentor in made
        )
        people = Participant.objects.bulk_create(
            Participant(
                project=project,
                first_name=f"Learner{i:03d}",
                last_name=f"School{s:02d}",
                name_key=fold(f"School{s:02d} Learner{i:03d}"),
                date_of_birth=date(2007, 1, 1),
                gender="female" if i % 2 else "male",
                qualification=qualification,
            )
            for i in range(mentors * learners)
        )
        # A mentor's learners are on one placement, as at one workplace.
        assignments = Assignment.objects.bulk_create(
            Assignment(
                participant=person,
                placement=placements[(i // learners) % 2],
                host_company=host,
                mentor=made[i // learners],
                status=Assignment.Status.IN_PLACEMENT,
            )
            for i, person in enumerate(people)
        )
        for m, mentor in enumerate(made):
            own = assignments[m * learners : (m + 1) * learners]
            chosen.append((mentor.username, [(a.pk, a.placement_id) for a in own]))
    return chosen


def make_sessions(usernames):
    """A signed-in session for each user, made as django.contrib.auth.login makes it, in the server's session
    store (same database and SECRET_KEY). Returns username -> session key."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = {}
    for user in User.objects.filter(username__in=usernames):
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[user.username] = session.session_key
    return keys


@transaction.atomic
def prepare_certificates():
    """The demo's 16-learner placement, completed in the spring, as `make bench-documents` has it: its
    certificates can be issued. Returns the placement and the demo's coordinator, who asks for the ZIP."""
    placement = Placement.objects.get(title__startswith="Flow 1")
    Placement.objects.filter(pk=placement.pk).update(start_date=date(2026, 3, 2), end_date=date(2026, 3, 27))
    Assignment.objects.filter(placement=placement).update(status=Assignment.Status.COMPLETED)
    return placement, User.objects.get(username="coordinator")


def wait_for_server(base, seconds, https=False):
    deadline = time.monotonic() + seconds
    headers = {"X-Forwarded-Proto": "https"} if https else {}
    while True:
        try:
            request = urllib.request.Request(base + reverse("login"), headers=headers)
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status == 200
        except OSError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)


def writable_days(placement, today):
    return [
        today - timedelta(days=back)
        for back in range(DAYS_BACK)
        if placement.start_date <= today - timedelta(days=back) <= placement.end_date
    ]


@dataclass
class Mentor:
    username: str
    days: dict  # assignment id -> the days it may be saved, today first
    versions: dict  # (assignment id, day) -> version the server holds
    saves: Counter = field(default_factory=Counter)  # (assignment id, day) -> acknowledged saves
    last_hours: dict = field(default_factory=dict)
    latencies: dict = field(default_factory=lambda: defaultdict(list))  # phase -> seconds
    errors: Counter = field(default_factory=Counter)


class Session:
    """One person's browser: one kept-alive connection, cookies, the CSRF token, no redirects followed."""

    def __init__(self, base, https=False):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.connection, self.reused = None, False
        self.cookies = {}
        self.https = https

    def csrf(self):
        return self.cookies.get("csrftoken", "")

    def request(self, path, data=None, headers=None):
        scheme = "https" if self.https else "http"
        headers = {**(headers or {}), "Referer": f"{scheme}://{self.host}:{self.port}{path}"}
        if self.https:  # what nginx adds in front of gunicorn
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        while True:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.reused = False
            try:
                self.connection.request("GET" if body is None else "POST", path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode(errors="replace")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                self.connection = None
                if self.reused:  # the server closed an idle kept-alive connection: the request never arrived
                    continue
                raise
            self.reused = True
            break
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie()
            cookie.load(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        if response.will_close:
            self.connection.close()
            self.connection = None
        return response.status, text

    def open_today(self, username, session_key):
        """The session made for `username`; Today once, for the CSRF cookie and to prove the session works."""
        self.cookies[settings.SESSION_COOKIE_NAME] = session_key
        status, page = self.request(reverse("attendance:today"))
        if status != 200 or 'id="row-' not in page:
            raise RuntimeError(f"{username}: Today answered {status} without a learner's row")


def save(session, mentor, assignment, day, phase):
    """One learner-day, as the Today screen's htmx POST, with other hours than the day had: a real write."""
    key = (assignment, day)
    hours = Decimal(1 + (mentor.versions[key] + 1) % 8)
    if hours == mentor.last_hours.get(key):
        hours = hours % 8 + 1
    started = time.perf_counter()
    try:
        status, body = session.request(
            reverse("attendance:record_day", args=[assignment, f"{day:%Y-%m-%d}"]),
            {"status": "present", "hours": str(hours), "reason": "", "version": mentor.versions[key]},
            {"HX-Request": "true", "X-CSRFToken": session.csrf()},
        )
    except OSError as error:
        mentor.errors[type(error).__name__] += 1
        return
    mentor.latencies[phase].append(time.perf_counter() - started)
    if status != 200:
        mentor.errors[f"HTTP {status}"] += 1
    elif 'role="alert"' in body:
        mentor.errors["refused: " + re.sub(r"<[^>]+>", "", body.split('role="alert">', 1)[1])[:80]] += 1
    else:
        mentor.saves[key] += 1
        mentor.versions[key] += 1
        mentor.last_hours[key] = hours


def peak_loop(session, mentor, moments, began):
    """The morning peak: each of the mentor's learners' today saved once, at its moment after `began`."""
    for moment, assignment in moments:
        pause = began + moment - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        save(session, mentor, assignment, mentor.days[assignment][0], "peak")


def saturation_loop(session, mentor, stop_at, trivial):
    """Without pause until `stop_at`: the health check (`trivial`), or saves rounding learners and days."""
    keys = [(a, d) for a, days in mentor.days.items() for d in days]
    turn = 0
    while time.monotonic() < stop_at:
        if trivial:
            started = time.perf_counter()
            try:
                status, _body = session.request(reverse("health"))
            except OSError as error:
                mentor.errors[type(error).__name__] += 1
                continue
            mentor.latencies["trivial"].append(time.perf_counter() - started)
            if status != 200:
                mentor.errors[f"health: HTTP {status}"] += 1
            continue
        assignment, day = keys[turn % len(keys)]
        turn += 1
        save(session, mentor, assignment, day, "saturation")


def process_cpu(select):
    """CPU seconds (user + system, and of their children that ended) of the processes `select(stat fields, command
    line)` takes, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if select(fields, command):
            total += sum(int(fields[i]) for i in (11, 12, 13, 14))
    return total / ticks


class CpuMeter:
    """The web server's CPU: gunicorn's processes in the process group of `make prod`, with the workers it
    replaced (max_requests) counted in its master's children's time, read before and after a phase. The
    database's own CPU is not in it: its processes serve everybody's databases and come and go with connections."""

    def __init__(self, group):
        self.group = group

    def read(self):
        if not self.group:
            return None
        return process_cpu(lambda f, cmd: f[2] == str(self.group) and "gunicorn" in cmd)


def percentile(values, share):
    return values[int(share * (len(values) - 1))] if values else 0


def run_phase(threads):
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def run(
    base,
    seconds,
    out,
    *,
    window=WINDOW,
    peak=None,
    schools=0,
    certificates=False,
    https=False,
    server_group=None,
    seed=20,
):
    today = timezone.localdate()
    chosen = prepare_schools(schools) if schools else prepare()
    zip_job = prepare_certificates() if certificates else None
    placements = {p.pk: p for p in Placement.objects.all()}
    mentors = []
    for username, learners in chosen:
        days = {a: writable_days(placements[p], today) for a, p in learners}
        if not all(d and d[0] == today for d in days.values()):
            raise RuntimeError(f"{username} has a learner whose placement does not run today")
        existing = AttendanceRecord.objects.filter(assignment_id__in=days, date__gte=today - timedelta(days=DAYS_BACK))
        versions = {(a, d): 0 for a, ds in days.items() for d in ds} | {
            (r.assignment_id, r.date): r.version for r in existing
        }
        mentor = Mentor(username, days, versions)
        mentor.last_hours = {(r.assignment_id, r.date): r.hours for r in existing}
        mentors.append(mentor)
    initial = {key: v for m in mentors for key, v in m.versions.items()}
    learners = sum(len(m.days) for m in mentors)
    meter = CpuMeter(server_group)

    out(f"Sessions for {len(mentors)} mentors ({learners} learners) made in the session store; each opens Today …")
    opened = time.monotonic()
    keys = make_sessions([m.username for m in mentors])
    sessions = [Session(base, https) for _mentor in mentors]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        list(
            pool.map(
                lambda pair: pair[0].open_today(pair[1].username, keys[pair[1].username]),
                zip(sessions, mentors, strict=True),
            )
        )
    out(f"  ready in {time.monotonic() - opened:.1f} s (not counted below); load average {load_average()}")
    report = {"mentors": len(mentors), "learners": learners, "goals": []}

    if zip_job:
        out("Certificates ZIP on the quiet server (twice: the first warms the documents worker up) …")
        for turn in ("first", "quiet"):
            found = {}
            certificates_zip(*zip_job, found, after=0)
            report[f"zip_{turn}"] = found
            out(f"  {turn}: {found.get('status')} in {found.get('seconds', 0):.1f} s from request to done")

    # The morning peak: the whole window's moments drawn, the first `peak` seconds of them run.
    peak = window if peak is None else min(peak, window)
    rng = random.Random(seed)
    plans = []
    for mentor in mentors:
        moments = sorted((rng.uniform(0, window), a) for a in mentor.days)
        plans.append([(t, a) for t, a in moments if t < peak])
    planned = sum(len(p) for p in plans)
    out(
        f"Morning peak: {len(mentors)} mentors save each learner's day once in {window} s "
        f"({learners / window:.1f} saves a second); running {peak} s of it: {planned} saves …"
    )
    documents = {}
    began_at = timezone.now()
    began = time.monotonic() + 1
    threads = [
        threading.Thread(target=peak_loop, args=(session, mentor, plan, began), daemon=True)
        for session, mentor, plan in zip(sessions, mentors, plans, strict=True)
    ]
    if zip_job:
        after = min(30, peak / 4)
        threads.append(threading.Thread(target=certificates_zip, args=(*zip_job, documents, after), daemon=True))
    before = meter.read()
    elapsed = run_phase(threads)
    after_cpu = meter.read()
    times = sorted(x for m in mentors for x in m.latencies["peak"])
    p50, p95, worst = (round(1000 * v) for v in (percentile(times, 0.5), percentile(times, 0.95), times[-1]))
    out(
        f"  {len(times)} saves answered in {elapsed:.0f} s = {len(times) / elapsed:.1f} a second; "
        f"p50 {p50} ms, p95 {p95} ms, max {worst} ms (goal: p95 under {P95_GOAL_MS} ms); "
        f"load average {load_average()}"
    )
    if before is not None and after_cpu is not None:
        out(f"  web server's CPU a save: {per_request(before, after_cpu, len(times))} ms")
    report.update(peak_saves=len(times), peak_p95=p95)
    if p95 >= P95_GOAL_MS:
        report["goals"].append(f"the morning peak's p95 is {p95} ms, not under {P95_GOAL_MS} ms")
    if zip_job:
        quiet = report["zip_quiet"].get("seconds", 0)
        busy = documents.get("seconds", 0)
        ratio = busy / quiet if quiet else 0
        report["zip"] = documents.get("status")
        out(
            f"  certificates ZIP asked for {documents.get('after', 0):.0f} s into the peak: "
            f"{documents.get('status')} in {busy:.1f} s from request to done = {ratio:.2f} × its quiet "
            f"{quiet:.1f} s (goal: at most {ZIP_GOAL} ×)"
            + (f" ({documents['error']})" if documents.get("error") else "")
        )
        if report["zip_quiet"].get("status") != "done":
            report["zip"] = report["zip_quiet"].get("status")
        elif busy > ZIP_GOAL * quiet:
            report["goals"].append(f"the ZIP took {busy / quiet:.2f} × its quiet time during the peak")

    out(f"Saturation: {len(mentors)} mentors without pause, {seconds} s each of the trivial view and of saves …")
    figures = {}
    for phase, trivial in (("trivial", True), ("saturation", False)):
        stop_at = time.monotonic() + seconds
        threads = [
            threading.Thread(target=saturation_loop, args=(session, mentor, stop_at, trivial), daemon=True)
            for session, mentor in zip(sessions, mentors, strict=True)
        ]
        before = meter.read()
        elapsed = run_phase(threads)
        after_cpu = meter.read()
        times = sorted(x for m in mentors for x in m.latencies[phase])
        # Without --server-group: not measured.
        cpu = per_request(before, after_cpu, len(times)) if before is not None and after_cpu is not None else "–"
        figures[phase] = (len(times), len(times) / elapsed, percentile(times, 0.5), percentile(times, 0.95), cpu)
    out(f"  {'':<22}{'answered':>10}{'a second':>10}{'p50 ms':>8}{'p95 ms':>8}{'web CPU ms':>12}")
    for phase, name in (("trivial", "trivial view (health)"), ("saturation", "save of a learner-day")):
        count, rate, p50, p95, web = figures[phase]
        out(f"  {name:<22}{count:>10}{rate:>10.1f}{1000 * p50:>8.0f}{1000 * p95:>8.0f}{web:>12}")
    trivial_rate, save_rate = figures["trivial"][1], figures["saturation"][1]
    out(
        f"  a save costs {trivial_rate / save_rate if save_rate else 0:.1f} trivial views in throughput; "
        f"load average {load_average()}"
    )
    report.update(saturation=figures)

    errors = sum((m.errors for m in mentors), Counter())
    report["errors"] = sum(errors.values())
    out(f"errors: {report['errors']}")
    for message, count in errors.most_common(5):
        out(f"  {count} × {message}")
    report["missing"] = verify(mentors, initial, began_at, out)
    return report


def per_request(before, after, count):
    return f"{1000 * (after - before) / count:.1f}" if count else "–"


def load_average():
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def certificates_zip(placement, coordinator, found, after=5, timeout=300):
    """A coordinator's request for the placement's certificates (ZIP) `after` seconds from now, through the
    broker to the documents worker, as the page's button makes it, every certificate rendered again; `found` gets
    its status and time."""
    from documents import jobs
    from documents.models import DocumentJob
    from reports.models import Certificate

    time.sleep(after)
    found.update(after=after, learners=Assignment.objects.filter(placement=placement).count())
    # Each time all 16 rendered anew: a certificate issued and rendered before is only packed again (a second).
    Certificate.objects.filter(assignment__placement=placement).update(file="")
    requested = time.monotonic()
    # Outside a transaction: the job is sent to the broker at once (on_commit runs immediately).
    job = jobs.request_document(
        coordinator, DocumentJob.Kind.PLACEMENT_CERTIFICATES, {"placement": placement.pk}, "Load-test certificates"
    )
    try:
        while not job.finished and time.monotonic() < requested + timeout:
            time.sleep(0.2)
            job.refresh_from_db()
        found.update(seconds=time.monotonic() - requested, status=job.status, error=job.error)
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()  # this thread's own


def verify(mentors, initial, began, out):
    """Every acknowledged save must be in the database: the version counts them, the history holds one row
    per save since the start, and the hours are the last ones sent. Returns the number of days that differ."""
    history = AttendanceRecord.history.model
    assignments = [a for m in mentors for a in m.days]
    written = Counter(
        history.objects.filter(assignment_id__in=assignments, history_date__gte=began).values_list(
            "assignment_id", "date"
        )
    )
    records = {(r.assignment_id, r.date): r for r in AttendanceRecord.objects.filter(assignment_id__in=assignments)}
    wrong = []
    for mentor in mentors:
        for key, count in mentor.saves.items():
            record = records.get(key)
            if (
                record is None
                or record.version != initial[key] + count
                or written[key] != count
                or record.hours != mentor.last_hours[key]
            ):
                wrong.append((mentor.username, key, count, record and record.version, written[key]))
    total = sum(sum(m.saves.values()) for m in mentors)
    if wrong:
        out(f"MISSING: {len(wrong)} learner-days differ from the acknowledged saves, e.g. {wrong[:3]}")
    else:
        out(f"verified: all {total} acknowledged saves are in the database (versions, history rows, hours)")
    return len(wrong)
