"""A load test of the mentors' busiest moment: many mentors saving attendance at once.

On a scratch copy of the demo database, never the real one, either `prepare` gives each of the demo's
learners a mentor of their own at their host company (`load.mentor001`…) and moves any placement that is not
running so that today is inside it, or `prepare_schools` adds schools of their own (ten for `make loadtest`:
310 mentors), each with its coordinator (accounts.Membership), project (Project.sending_organisation), host
company, two running placements and 31 learners, each learner with a mentor of their own, as the demo's second
school is built. Every user gets the same password hash, made once: the server still checks each password with
the production hasher when a mentor signs in, before the clock starts.

`run` signs every mentor in over HTTP, then each mentor, in a thread of its own, saves their learner's
attendance over and over for the given time, as the Today screen does (an htmx POST to the learner-day), each
save changing the hours so that it is a real write. Afterwards every acknowledged save is looked for in the
database: the record's version counts the saves, the history holds one row per save, and the hours are the
last ones sent. With `certificates`, the demo's 16-learner placement is completed and its certificates' ZIP
requested a few seconds into the saves, from this process through the broker to the documents worker, as the
coordinator's button does; its time from request to done is printed.

Behind `https` (gunicorn of `make prod`, with production settings) each request says what nginx would add,
X-Forwarded-Proto: https, so that the secure cookies, CSRF's referer check and the HTTPS redirect apply.

Only the standard library talks HTTP (one kept-alive connection per mentor, as a browser keeps), so that the
client adds nothing to install.
"""

import concurrent.futures
import http.client
import http.cookies
import re
import statistics
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role, User
from attendance.models import AttendanceRecord, WeekSignoff, week_start
from participants.models import Participant, fold
from placements.models import Assignment, Organisation, Placement, Project, Qualification

USERNAME = "load.mentor{:03d}"
DAYS_BACK = 5  # each mentor cycles over today and the four days before
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@transaction.atomic
def prepare(password):
    """Give every learner of the demo a load-test mentor of their own; make every placement run today.
    Returns the assignments, one per mentor."""
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
    hashed = make_password(password)  # one hash for all: a slow hash per mentor would only slow the set-up down
    for number, assignment in enumerate(assignments, start=1):
        mentor, _created = User.objects.update_or_create(
            username=USERNAME.format(number),
            defaults={
                "role": Role.MENTOR,
                "organisation": assignment.host_company,
                "first_name": "Load",
                "last_name": f"Mentor {number:03d}",
                "password": hashed,
                "is_active": True,
            },
        )
        Assignment.objects.filter(pk=assignment.pk).update(mentor=mentor)
        WeekSignoff.objects.filter(mentor=mentor).delete()
    return [(USERNAME.format(n), a.pk, a.placement_id) for n, a in enumerate(assignments, start=1)]


@transaction.atomic
def prepare_schools(password, schools, learners=31):
    """`schools` schools of their own, kept apart as the demo's second school is, each with `learners` learners
    on two placements running today and a mentor for each learner. Returns the assignments, one per mentor."""
    start = week_start(timezone.localdate()) - timedelta(days=7)
    hashed = make_password(password)
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
            username=f"load.coordinator{s:02d}", role=Role.COORDINATOR, password=hashed, first_name="Load"
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
        mentors = User.objects.bulk_create(
            User(
                username=USERNAME.format(number),
                role=Role.MENTOR,
                organisation=host,
                first_name="Load",
                last_name=f"Mentor {number:03d}",
                password=hashed,
            )
            for number in range(first, first + learners)
        )
        Membership.objects.bulk_create(
            Membership(user=mentor, organisation=school, role=Role.MENTOR) for mentor in mentors
        )
        people = Participant.objects.bulk_create(
            Participant(
                project=project,
                first_name=f"Learner{i:02d}",
                last_name=f"School{s:02d}",
                name_key=fold(f"School{s:02d} Learner{i:02d}"),
                date_of_birth=date(2007, 1, 1),
                gender="female" if i % 2 else "male",
                qualification=qualification,
            )
            for i in range(learners)
        )
        assignments = Assignment.objects.bulk_create(
            Assignment(
                participant=person,
                placement=placements[i % 2],
                host_company=host,
                mentor=mentors[i],
                status=Assignment.Status.IN_PLACEMENT,
            )
            for i, person in enumerate(people)
        )
        chosen += [(m.username, a.pk, a.placement_id) for m, a in zip(mentors, assignments, strict=True)]
    return chosen


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
    assignment: int
    days: list
    versions: dict  # day -> version the server holds
    saves: Counter = field(default_factory=Counter)  # day -> acknowledged saves
    last_hours: dict = field(default_factory=dict)
    latencies: list = field(default_factory=list)
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

    def sign_in(self, username, password):
        status, page = self.request(reverse("login"))
        token = CSRF.search(page)
        if status != 200 or not token:
            raise RuntimeError(f"the login page answered {status}")
        status, _page = self.request(
            reverse("login"), {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
        )
        if status != 302:
            raise RuntimeError(f"{username} could not sign in (HTTP {status})")


def save_loop(session, mentor, stop_at, think):
    """Save attendance until the time is up: round the days, each time other hours than that day had, with
    `think` seconds between one answer and the next save (0: as fast as the server answers)."""
    turn = 0
    while time.monotonic() < stop_at:
        if turn and think:
            time.sleep(think)
        day = mentor.days[turn % len(mentor.days)]
        turn += 1
        hours = Decimal(1 + turn % 8)
        if hours == mentor.last_hours.get(day):  # the same hours again would not be a write
            hours = hours % 8 + 1
        started = time.perf_counter()
        try:
            status, body = session.request(
                reverse("attendance:record_day", args=[mentor.assignment, f"{day:%Y-%m-%d}"]),
                {"status": "present", "hours": str(hours), "reason": "", "version": mentor.versions[day]},
                {"HX-Request": "true", "X-CSRFToken": session.csrf()},
            )
        except OSError as error:
            mentor.errors[type(error).__name__] += 1
            continue
        mentor.latencies.append(time.perf_counter() - started)
        if status != 200:
            mentor.errors[f"HTTP {status}"] += 1
        elif 'role="alert"' in body:
            mentor.errors["refused: " + re.sub(r"<[^>]+>", "", body.split('role="alert">', 1)[1])[:80]] += 1
        else:
            mentor.saves[day] += 1
            mentor.versions[day] += 1
            mentor.last_hours[day] = hours


def run(base, password, seconds, out, think=0.0, *, schools=0, certificates=False, https=False):
    today = timezone.localdate()
    chosen = prepare_schools(password, schools) if schools else prepare(password)
    zip_job = prepare_certificates() if certificates else None
    placements = {p.pk: p for p in Placement.objects.all()}
    mentors = []
    for username, assignment_pk, placement_pk in chosen:
        days = writable_days(placements[placement_pk], today)
        if not days:
            raise RuntimeError(f"{username} has no day to record in placement {placement_pk}")
        existing = AttendanceRecord.objects.filter(assignment_id=assignment_pk, date__in=days)
        versions = dict.fromkeys(days, 0) | {r.date: r.version for r in existing}
        mentor = Mentor(username, assignment_pk, days, versions)
        mentor.last_hours = {r.date: r.hours for r in existing}
        mentors.append(mentor)
    initial = {(m.assignment, d): v for m in mentors for d, v in m.versions.items()}

    out(f"Signing in {len(mentors)} mentors at {base} …")
    sessions = [Session(base, https) for _mentor in mentors]
    signing_in = time.monotonic()
    # A few at a time, as many as the server's processes: each sign-in is one production password check.
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda pair: pair[0].sign_in(pair[1].username, password), zip(sessions, mentors, strict=True)))
    out(f"signed in {len(mentors)} mentors in {time.monotonic() - signing_in:.1f} s (not counted below)")

    out(f"{len(mentors)} mentors save attendance at once for {seconds} s …")
    began = timezone.now()
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=save_loop, args=(session, mentor, stop_at, think), daemon=True)
        for session, mentor in zip(sessions, mentors, strict=True)
    ]
    documents = {}
    document_thread = threading.Thread(target=certificates_zip, args=(*(zip_job or ()), documents), daemon=True)
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if zip_job:
        document_thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if zip_job:
        document_thread.join()

    latencies = sorted(x for m in mentors for x in m.latencies)
    errors = sum((m.errors for m in mentors), Counter())
    saves = sum(sum(m.saves.values()) for m in mentors)
    report = {
        "mentors": len(mentors),
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "saves": saves,
        "errors": sum(errors.values()),
        "rps": len(latencies) / elapsed if elapsed else 0,
        "p50": statistics.median(latencies) if latencies else 0,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0,
        "max": latencies[-1] if latencies else 0,
    }
    out(
        f"requests: {len(latencies)} answered in {elapsed:.1f} s = {report['rps']:.1f} per second; "
        f"saves acknowledged: {saves}; errors: {report['errors']}"
    )
    p50, p95, worst = (round(report[key] * 1000) for key in ("p50", "p95", "max"))
    out(f"latency: p50 {p50} ms, p95 {p95} ms, max {worst} ms")
    for message, count in errors.most_common(5):
        out(f"  {count} × {message}")

    if zip_job:
        report["zip"] = documents.get("status")
        out(
            f"certificates ZIP, {documents.get('learners')} learners, requested {documents.get('after', 0):.0f} s into "
            f"the saves: {documents.get('status')} in {documents.get('seconds', 0):.1f} s from request to done"
            + (f" ({documents['error']})" if documents.get("error") else "")
        )
    report["missing"] = verify(mentors, initial, began, out)
    return report


def certificates_zip(placement, coordinator, found, after=5, timeout=300):
    """A coordinator's request for the placement's certificates (ZIP) `after` seconds into the saves, through
    the broker to the documents worker, as the page's button makes it; `found` gets its status and time."""
    from documents import jobs
    from documents.models import DocumentJob

    time.sleep(after)
    found.update(after=after, learners=Assignment.objects.filter(placement=placement).count())
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
        connection.close()  # this thread's own


def verify(mentors, initial, began, out):
    """Every acknowledged save must be in the database: the version counts them, the history holds one row
    per save since the start, and the hours are the last ones sent. Returns the number of days that differ."""
    history = AttendanceRecord.history.model
    written = defaultdict(int)
    for assignment_id, day in history.objects.filter(
        assignment_id__in=[m.assignment for m in mentors], history_date__gte=began
    ).values_list("assignment_id", "date"):
        written[(assignment_id, day)] += 1
    records = {
        (r.assignment_id, r.date): r
        for r in AttendanceRecord.objects.filter(assignment_id__in=[m.assignment for m in mentors])
    }
    wrong = []
    for mentor in mentors:
        for day, count in mentor.saves.items():
            key = (mentor.assignment, day)
            record = records.get(key)
            expected_version = initial[key] + count
            if (
                record is None
                or record.version != expected_version
                or written[key] != count
                or record.hours != mentor.last_hours[day]
            ):
                wrong.append((mentor.username, day, count, record and record.version, written[key]))
    total = sum(sum(m.saves.values()) for m in mentors)
    if wrong:
        out(f"MISSING: {len(wrong)} learner-days differ from the acknowledged saves, e.g. {wrong[:3]}")
    else:
        out(f"verified: all {total} acknowledged saves are in the database (versions, history rows, hours)")
    return len(wrong)
