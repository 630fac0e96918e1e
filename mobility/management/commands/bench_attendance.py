"""Benchmark the busiest pages on generated data, inside a transaction that is rolled back.

Every page is timed through the test client (the server's time, no network) in rounds: each round requests
every page once, so that all figures of a run share the machine's load. Each figure is printed next to two
floors measured in the same rounds: a trivial view (the health check) and Django admin's changelist of
participants on the same data. The coordinator's session has passed the second factor; every timed response
must be a 200 showing what the page is for, or the command fails: a benchmark of a redirect measures nothing.

Sizes (--sizes): `small` is 50 organisations (10 schools, 40 host companies), 50 projects, 1,500 learners and
30,000 attendance days; `large` is ten times that: 500 organisations, 500 projects, 15,000 learners and
300,000 days, on PostgreSQL only. At both, the benchmark school's coordinator has the same five projects and
150 learners, the mentor the same 200 learners and the week grid the same 30: what grows is everybody else's
data, which their pages must not feel, and the lists of every school, which the superuser sees a page at a time.
With `--sizes small,large` each size is built, timed and rolled back in turn, then both are printed side by
side, and the command fails if a page's query count differs between the sizes or its multiple of the trivial
view at the large size exceeds the small one's by more than the tolerance (a page that grows with the data).
"""

import logging
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from attendance.models import AttendanceRecord, AttendanceStatus
from attendance.services import placement_days
from participants.models import Participant, fold
from placements.models import Assignment, Placement, Project, Qualification
from public.models import ProjectPage
from public.selectors import results_key


class Rollback(Exception):
    pass


@dataclass(frozen=True)
class Size:
    schools: int
    hosts: int
    projects: int  # spread evenly over the schools, one placement each
    learners: int  # per project
    days: int  # recorded attendance days per learner
    mentor_learners: int  # learners of the mentor whose Today is timed
    postgresql_only: bool = False


SIZES = {
    # For tests/test_bench.py: every page once, in a second.
    "tiny": Size(schools=1, hosts=1, projects=2, learners=3, days=5, mentor_learners=4),
    "small": Size(schools=10, hosts=40, projects=50, learners=30, days=20, mentor_learners=200),
    "large": Size(
        schools=100, hosts=400, projects=500, learners=30, days=20, mentor_learners=200, postgresql_only=True
    ),
}
# A page may cost this many times its small-size multiple of the trivial view at the large size, plus one
# trivial view: beyond it the page grows with the data. Medians of CPU time; on a shared 2-core machine the
# same page varies by a quarter from one run to the next.
TOLERANCE = 1.5
# No page may cost more than this many trivial views (CPU medians) at any size (issue 20); the floors excepted.
CEILING = 10.0
FLOORS = 2  # the trivial view and Django admin's changelist: what the pages are measured against


@dataclass
class Case:
    name: str
    call: object  # () -> response
    shows: str  # text the page must contain, proving it is the page and not an error or a sign-in step
    refuses: str = ""  # text it must not contain: a save's refusal, answered as a 200 with the reason
    timings: list = field(default_factory=list)
    cpu: list = field(default_factory=list)
    queries: int = 0

    @property
    def median_cpu(self):
        return statistics.median(self.cpu)


@dataclass
class BenchData:
    placement: Placement
    coordinator: User  # a coordinator of the benchmark school
    superuser: User  # the installation's IT person: every school
    mentor: User
    mentor_learners: int
    school_learners: int
    week_learners: int
    sixteen: list


@dataclass
class Result:
    size: str
    cases: list
    save_ms: float
    save_queries: int

    @property
    def trivial(self):
        return self.cases[0].median_cpu

    def multiple(self, case):
        return case.median_cpu / self.trivial


def verify_second_factor(client, user):
    """What a typed code leaves in the session (django_otp.login): the session's device is the authenticator."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="Bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def compare(small, large, tolerance, out):
    """Print both sizes side by side; return the lines that say which page grew with the data."""
    out(f"\n{small.size} → {large.size}: median CPU ms, multiple of the trivial view (tolerance {tolerance}× + 1)")
    out(f"{'page':<44}{'queries':>12}{'ms':>16}{'× trivial':>16}")
    failures = []
    for a, b in zip(small.cases, large.cases, strict=True):
        ma, mb = small.multiple(a), large.multiple(b)
        out(
            f"{a.name:<44}{a.queries:>6}/{b.queries:<5}{a.median_cpu * 1000:>8.1f}/{b.median_cpu * 1000:<7.1f}"
            f"{ma:>8.1f}/{mb:<6.1f}"
        )
        if a.queries != b.queries:
            failures.append(f"{a.name}: {a.queries} queries at {small.size}, {b.queries} at {large.size}")
        if mb > ma * tolerance + 1:
            failures.append(f"{a.name}: {ma:.1f}× the trivial view at {small.size}, {mb:.1f}× at {large.size}")
    name = "full-week save, 16 learners"
    out(f"{name:<44}{small.save_queries:>6}/{large.save_queries:<5}{small.save_ms:>8.1f}/{large.save_ms:<7.1f} (wall)")
    if small.save_queries != large.save_queries:
        failures.append(f"{name}: {small.save_queries} queries at {small.size}, {large.save_queries} at {large.size}")
    return failures


def over_ceiling(result, ceiling):
    """The pages of `result` (the floors excepted) that cost more than `ceiling` trivial views."""
    return [
        f"{case.name}: {result.multiple(case):.1f}× the trivial view at {result.size} (at most {ceiling:g}×)"
        for case in result.cases[FLOORS:]
        if result.multiple(case) > ceiling
    ]


class Command(BaseCommand):
    help = (
        "Time the dashboard, lists, a placement, the week grid, Today and the public home page on generated data "
        "(--sizes small; small,large on PostgreSQL compares both), next to a trivial view and Django admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="small", help=f"comma-separated, of {', '.join(SIZES)}")
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--tolerance", type=float, default=TOLERANCE)
        parser.add_argument("--ceiling", type=float, default=CEILING, help="most trivial views a page may cost")

    def handle(self, *args, sizes, repeat, tolerance, ceiling, **options):
        names = [name.strip() for name in sizes.split(",") if name.strip()]
        unknown = [name for name in names if name not in SIZES]
        if unknown or not names or len(names) > 2:
            raise CommandError(f"--sizes takes one or two of {', '.join(SIZES)}; not {sizes!r}.")
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        if any(SIZES[name].postgresql_only for name in names) and connection.vendor != "postgresql":
            raise CommandError(
                f"The large size needs PostgreSQL: DATABASE_URL points to {connection.vendor}. "
                "Run e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench-large."
            )
        # django-axes notes every sign-in of the benchmark's clients at INFO: four lines a size, nothing to read.
        logging.getLogger("axes").setLevel(logging.WARNING)
        results = [self.bench(name, repeat) for name in names]
        if len(results) == 2:
            failures = compare(*results, tolerance, self.stdout.write)
            if failures:
                raise CommandError("Pages that grow with the data:\n- " + "\n- ".join(failures))
            self.stdout.write(f"Every page keeps its query count and its multiple of the trivial view (±{tolerance}×).")
        expensive = [line for result in results for line in over_ceiling(result, ceiling)]
        if expensive:
            raise CommandError("Pages that cost too much:\n- " + "\n- ".join(expensive))
        self.stdout.write(f"Every page costs at most {ceiling:g} trivial views.")

    def bench(self, name, repeat):
        size = SIZES[name]
        result = None
        try:
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
                self.stdout.write(f"\n== {name} ==")
                result = self.run(name, self.build(size), repeat)
                raise Rollback
        except Rollback:
            self.stdout.write("(all benchmark data rolled back)")
        return result

    def build(self, size):
        started = time.perf_counter()
        schools = Organisation.objects.bulk_create(
            Organisation(name=f"Bench school {n}", kind="sending", country="RO", city="Bacău")
            for n in range(size.schools)
        )
        partner = Organisation.objects.create(name="Bench partner", kind="receiving", country="PT", city="Braga")
        hosts = Organisation.objects.bulk_create(
            Organisation(name=f"Bench host {n}", kind="host", country="PT", city="Braga") for n in range(size.hosts)
        )
        qualification, _ = Qualification.objects.get_or_create(name="Bench qualification")
        mentor = User.objects.create(username="bench-mentor", role=Role.MENTOR, organisation=hosts[0])
        # Everybody else's learners have their host company's mentor.
        host_mentors = User.objects.bulk_create(
            User(username=f"bench-mentor-{n}", role=Role.MENTOR, organisation=host) for n, host in enumerate(hosts)
        )
        coordinator = User.objects.create(username="bench-coordinator", role=Role.COORDINATOR)
        Membership.objects.create(user=coordinator, organisation=schools[0], role=Role.COORDINATOR)
        # A superuser so that Django admin opens, and the lists of every school: the scoping rule sees a coordinator.
        superuser = User.objects.create(
            username="bench-superuser", role=Role.COORDINATOR, is_staff=True, is_superuser=True
        )
        present = AttendanceStatus.objects.get(code="present")
        start = date(2025, 3, 3)
        # The newest project with a published page: make it the benchmark's.
        newest = Project.objects.aggregate(newest=Max("start_date"))["newest"]
        first_start = max(date(2025, 1, 1), newest + timedelta(days=1) if newest else date(2025, 1, 1))
        per_school = -(-size.projects // size.schools)
        projects = Project.objects.bulk_create(
            Project(
                title=f"Bench {n}",
                reference=f"BENCH-{n}",
                public_slug=f"bench-{n}",  # bulk_create skips save(), which would choose one
                start_date=first_start if n == 0 else date(2025, 1, 1),
                # On a database with later projects (the demo's), the first starts after them: a year long.
                end_date=max(date(2025, 12, 31), first_start + timedelta(days=365)) if n == 0 else date(2025, 12, 31),
                sending_organisation=schools[n // per_school],
            )
            for n in range(size.projects)
        )
        placements = Placement.objects.bulk_create(
            Placement(
                project=project,
                title=f"Bench flow {n}",
                qualification=qualification,
                receiving_partner=partner,
                city="Braga",
                country="PT",
                start_date=start,
                end_date=start + timedelta(days=25),
            )
            for n, project in enumerate(projects)
        )
        ProjectPage.objects.create(
            project=projects[0],
            language="en",
            title="Bench public page",
            introduction="Bench",
            objectives="Bench",
            published=True,
        )
        people = Participant.objects.bulk_create(
            (
                Participant(
                    project=p.project,
                    first_name=f"Ionuț{i}",
                    last_name="Bench",
                    name_key=fold(f"Bench Ionuț{i}"),
                    date_of_birth=date(2006, 1, 1),
                    gender="male",
                    qualification=qualification,
                )
                for p in placements
                for i in range(size.learners)
            ),
            batch_size=5000,
        )
        assignments = Assignment.objects.bulk_create(
            (
                Assignment(
                    participant=person,
                    placement=placements[i // size.learners],
                    host_company=hosts[(i // size.learners) % size.hosts],
                    mentor=mentor if i < size.mentor_learners else host_mentors[(i // size.learners) % size.hosts],
                    status="in_placement",
                )
                for i, person in enumerate(people)
            ),
            batch_size=5000,
        )
        days = [d for d in placement_days(placements[0]) if d.expected][: size.days]
        self.add_records(assignments, days, present, mentor, timezone.make_aware(datetime.combine(start, clock(16))))
        if connection.vendor == "postgresql":
            # The planner's statistics, as autovacuum would have them for data this size (inside the transaction).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"data: {size.schools + size.hosts + 1} organisations, {size.projects} projects, {len(people)} learners, "
            f"{len(assignments) * len(days)} attendance days (built in {time.perf_counter() - started:.1f} s)"
        )
        school_learners = sum(1 for p in projects if p.sending_organisation_id == schools[0].pk) * size.learners
        return BenchData(
            placement=placements[0],
            coordinator=coordinator,
            superuser=superuser,
            mentor=mentor,
            mentor_learners=min(size.mentor_learners, len(people)),
            school_learners=school_learners,
            week_learners=size.learners,
            sixteen=assignments[: min(16, size.learners)],
        )

    def add_records(self, assignments, days, status, recorder, recorded_at):
        """Every learner's `days`: COPY on PostgreSQL (300,000 rows in seconds), bulk_create elsewhere."""
        if connection.vendor != "postgresql":
            AttendanceRecord.objects.bulk_create(
                (
                    AttendanceRecord(
                        assignment=a,
                        date=d.date,
                        status=status,
                        hours=d.hours,
                        recorded_by=recorder,
                        recorded_at=recorded_at,
                    )
                    for a in assignments
                    for d in days
                ),
                batch_size=2000,
            )
            return
        # The model's defaults for the columns the benchmark does not set, as bulk_create would write them.
        sample = AttendanceRecord(
            assignment=assignments[0],
            date=days[0].date,
            status=status,
            hours=days[0].hours,
            recorded_by=recorder,
            recorded_at=recorded_at,
        )
        fields = [f for f in AttendanceRecord._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        fixed = {f.attname: f.get_db_prep_save(getattr(sample, f.attname), connection) for f in fields}
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {AttendanceRecord._meta.db_table} ({columns}) FROM STDIN") as copy:
                for a in assignments:
                    for d in days:
                        row = {**fixed, "assignment_id": a.pk, "date": d.date, "hours": d.hours}
                        copy.write_row([row[f.attname] for f in fields])

    def run(self, size_name, data, repeat):
        placement = data.placement
        office = Client()
        office.force_login(data.coordinator)
        verify_second_factor(office, data.coordinator)
        every_school = Client()
        every_school.force_login(data.superuser)
        verify_second_factor(every_school, data.superuser)
        mentor = Client()
        mentor.force_login(data.mentor)
        visitor = Client()
        monday = placement.start_date + timedelta(days=14)
        week_url = reverse("attendance:week", args=[placement.pk, f"{monday:%Y-%m-%d}"])
        today_url = f"{reverse('attendance:today')}?day={monday:%Y-%m-%d}"
        first = data.sixteen[0]
        learner_name = f"{first.participant.last_name} {first.participant.first_name}"
        figures_key = results_key(placement.project_id)

        def home_uncached():
            cache.delete(figures_key)
            return visitor.get(reverse("public:home", args=[placement.project.public_slug]))

        cases = [
            Case("trivial view (health check)", lambda: office.get(reverse("health")), "ok"),
            Case(
                "admin: participant changelist",
                lambda: every_school.get(reverse("admin:participants_participant_changelist")),
                'id="changelist"',
            ),
            Case(
                "dashboard",
                lambda: office.get(f"{reverse('dashboard')}?project={placement.project_id}"),
                'data-figure="participants"',
            ),
            Case("participants list", lambda: office.get(reverse("participants:list")), "Bench"),
            Case(
                "placement",
                lambda: office.get(reverse("placements:placement_detail", args=[placement.pk])),
                placement.title,
            ),
            Case(
                f"week grid, {data.week_learners} learners",
                lambda: office.get(week_url),
                f'name="s-{first.pk}-{monday:%Y%m%d}"',
            ),
            Case(
                f"mentor's week grid, {data.week_learners} learners",
                lambda: mentor.get(week_url),
                f'name="s-{first.pk}-{monday:%Y%m%d}"',
            ),
            Case(
                f"mentor's Today, {data.mentor_learners} learners",
                lambda: mentor.get(today_url),
                f'id="row-{first.pk}"',
            ),
            Case(
                f"Today, the school's {data.school_learners} learners",
                lambda: office.get(today_url),
                f'id="row-{first.pk}"',
            ),
            Case(
                "mentor saves one learner-day (Today)",
                self.day_saver(mentor, first, monday),
                f'id="row-{first.pk}"',
                refuses='role="alert"',
            ),
            Case(
                "every school: organisations list",
                lambda: every_school.get(reverse("placements:organisation_list")),
                "Bench host",
            ),
            Case("every school: projects list", lambda: every_school.get(reverse("placements:project_list")), "BENCH-"),
            Case("every school: participants list", lambda: every_school.get(reverse("participants:list")), "Bench"),
            Case("every school: placements list", lambda: every_school.get(reverse("placements:list")), "Bench flow"),
            Case(
                "public home page",
                lambda: visitor.get(reverse("public:home", args=[placement.project.public_slug])),
                "Bench public page",
            ),
            Case("public home page, figures not cached", home_uncached, "Bench public page"),
            *self.money_cases(office, placement.project),
        ]
        for _round in range(repeat):
            for case in cases:
                self.time(case)
        trivial = cases[0].median_cpu
        admin = cases[1].median_cpu
        self.stdout.write(f"  (sample learner: {learner_name})")
        self.stdout.write(f"{'view':<44}{'median ms':>10}{'CPU ms':>9}{'× trivial':>11}{'× admin':>9}{'queries':>9}")
        for case in cases:
            cpu = case.median_cpu
            self.stdout.write(
                f"{case.name:<44}{statistics.median(case.timings) * 1000:>10.1f}{cpu * 1000:>9.1f}"
                f"{cpu / trivial:>10.1f}×{cpu / admin:>8.2f}×{case.queries:>9}"
            )
        save_ms, save_queries = self.time_save(week_url, monday, data.sixteen, office, repeat)
        return Result(size_name, cases, save_ms, save_queries)

    def money_cases(self, client, project):
        """The grants app's budget page and Beneficiary Module export of one project, with the example rates."""
        from types import SimpleNamespace

        from grants.beneficiary_module import export_xlsx
        from grants.demo import load_rate_table
        from grants.models import ProjectGrant

        table = load_rate_table()
        ProjectGrant.objects.get_or_create(project=project, defaults={"call_year": table.call_year})
        return [
            Case(
                "budget page (grants)",
                lambda: client.get(reverse("grants:budget", args=[project.pk])),
                "<svg",
            ),
            Case(
                "Beneficiary Module export page",
                lambda: client.get(reverse("grants:module_export", args=[project.pk])),
                "beneficiary-module",
            ),
            Case(
                "Beneficiary Module export (XLSX)",
                lambda: SimpleNamespace(status_code=200, content=export_xlsx(project)[0]),
                "[Content_Types].xml",
            ),
        ]

    def day_saver(self, client, assignment, day):
        """What the Today screen posts for one learner-day (htmx), the hours changed each time: a real write."""
        url = reverse("attendance:record_day", args=[assignment.pk, f"{day:%Y-%m-%d}"])
        record = AttendanceRecord.objects.filter(assignment=assignment, date=day).first()
        state = {"version": record.version if record else 0, "turn": 0}

        def save():
            state["turn"] += 1
            hours = "4" if state["turn"] % 2 else "5"
            data = {"status": "present", "hours": hours, "reason": "", "version": state["version"]}
            response = client.post(url, data, HTTP_HX_REQUEST="true")
            state["version"] += 1
            return response

        return save

    def time(self, case):
        with CaptureQueriesContext(connection) as captured:
            cpu = time.process_time()
            started = time.perf_counter()
            response = case.call()
            case.timings.append(time.perf_counter() - started)
            case.cpu.append(time.process_time() - cpu)
        self.check_page(case.name, response, case.shows)
        if case.refuses and case.refuses.encode() in response.content:
            raise CommandError(f"{case.name}: the answer shows {case.refuses!r}: the save was refused.")
        case.queries = len(captured)

    def check_page(self, name, response, shows):
        if response.status_code != 200:
            where = response.get("Location", "")
            raise CommandError(f"{name}: answered {response.status_code} {where}, not the page: nothing to measure.")
        if shows.encode() not in response.content:
            raise CommandError(f"{name}: the page does not show {shows!r}: not the page that should be measured.")

    def time_save(self, week_url, monday, sixteen, client, repeat):
        """What the grid posts: every day of 16 learners changed (present and late in turn), with the versions."""
        flip = {"late": False}

        def week_post():
            flip["late"] = not flip["late"]
            code = "late" if flip["late"] else "present"
            records = AttendanceRecord.objects.filter(
                assignment__in=sixteen, date__range=(monday, monday + timedelta(days=4))
            )
            versions = {f"{r.assignment_id}-{r.date:%Y%m%d}": r.version for r in records}
            data = {}
            for assignment in sixteen:
                for i in range(5):
                    suffix = f"{assignment.pk}-{monday + timedelta(days=i):%Y%m%d}"
                    data.update(
                        {f"s-{suffix}": code, f"v-{suffix}": str(versions.get(suffix, 0)), f"r-{suffix}": "bench"}
                    )
            return data

        timings, queries = [], 0
        for _ in range(repeat):
            data = week_post()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(week_url, data)
                timings.append(time.perf_counter() - started)
            queries = len(captured)
            # A saved week redirects back to the grid; anything else (a sign-in step, errors) is a failure.
            if response.status_code != 302 or response["Location"] != week_url:
                raise CommandError(f"full-week save: answered {response.status_code}, not the redirect of a save.")
        name = f"full-week save, {len(sixteen)} learners"
        median = statistics.median(timings) * 1000
        self.stdout.write(f"{name:<44}{median:>10.1f}{'':>29}{queries:>9}")
        return median, queries
