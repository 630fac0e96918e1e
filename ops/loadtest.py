"""A load test of the mentors' busiest moment: 31 mentors saving attendance at once.

`prepare` (on a scratch copy of the demo database, never the real one) gives each of the demo's learners a
mentor of their own at their host company (`load.mentor01`…) and moves any placement that is not running
so that today is inside it. `run` signs every mentor in over HTTP, then each mentor, in a thread of its
own, saves their learner's attendance over and over for the given time, as the Today screen does (an htmx
POST to the learner-day), each save changing the hours so that it is a real write. Afterwards every
acknowledged save is looked for in the database: the record's version counts the saves, the history holds
one row per save, and the hours are the last ones sent.

Only the standard library talks HTTP (one kept-alive connection per mentor, as a browser keeps), so that
the client adds nothing to install.
"""

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
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from attendance.models import AttendanceRecord, WeekSignoff, week_start
from placements.models import Assignment, Placement

USERNAME = "load.mentor{:02d}"
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
    hashed = make_password(password)  # one hash for all: 31 slow hashes would only slow the set-up down
    for number, assignment in enumerate(assignments, start=1):
        mentor, _created = User.objects.update_or_create(
            username=USERNAME.format(number),
            defaults={
                "role": Role.MENTOR,
                "organisation": assignment.host_company,
                "first_name": "Load",
                "last_name": f"Mentor {number:02d}",
                "password": hashed,
                "is_active": True,
            },
        )
        Assignment.objects.filter(pk=assignment.pk).update(mentor=mentor)
        WeekSignoff.objects.filter(mentor=mentor).delete()
    return [(USERNAME.format(n), a.pk, a.placement_id) for n, a in enumerate(assignments, start=1)]


def wait_for_server(base, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + reverse("login"), timeout=5) as response:
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

    def __init__(self, base):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.connection, self.reused = None, False
        self.cookies = {}

    def csrf(self):
        return self.cookies.get("csrftoken", "")

    def request(self, path, data=None, headers=None):
        headers = {**(headers or {}), "Referer": f"http://{self.host}:{self.port}{path}"}
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


def run(base, password, seconds, out, think=0.0):
    today = timezone.localdate()
    chosen = prepare(password)
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
    sessions = [Session(base) for _mentor in mentors]
    for session, mentor in zip(sessions, mentors, strict=True):
        session.sign_in(mentor.username, password)

    out(f"{len(mentors)} mentors save attendance at once for {seconds} s …")
    began = timezone.now()
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=save_loop, args=(session, mentor, stop_at, think), daemon=True)
        for session, mentor in zip(sessions, mentors, strict=True)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

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

    report["missing"] = verify(mentors, initial, began, out)
    return report


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
