"""Benchmark the busiest pages on a large data set, inside a transaction that is rolled back.

Every page is timed through the test client (the server's time, no network) in rounds: each round requests
every page once, so that all figures of a run share the machine's load. Each figure is printed next to two
floors measured in the same rounds: a trivial view (the health check) and Django admin's changelist of
participants on the same data. The coordinator's session has passed the second factor; every timed response
must be a 200 showing what the page is for, or the command fails: a benchmark of a redirect measures nothing.
"""

import statistics
import time
from dataclasses import dataclass
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

from accounts.models import Role, User
from attendance.models import AttendanceRecord, AttendanceStatus
from attendance.services import placement_days
from participants.models import Participant, fold
from placements.models import Assignment, Organisation, Placement, Project, Qualification
from public.models import ProjectPage
from public.selectors import results_key


class Rollback(Exception):
    pass


@dataclass
class Case:
    name: str
    call: object  # () -> response
    shows: str  # text the page must contain, proving it is the page and not an error or a sign-in step
    timings: list
    cpu: list
    queries: int = 0


@dataclass
class BenchData:
    placement: Placement
    coordinator: User
    mentor: User
    mentor_learners: int
    learners: int
    week_learners: int
    sixteen: list


def verify_second_factor(client, user):
    """What a typed code leaves in the session (django_otp.login): the session's device is the authenticator."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="Bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class Command(BaseCommand):
    help = (
        "Time the dashboard, participants, a placement, the week grid, Today and the public home page on 50 "
        "projects, 1,500 learners and 30,000 days, next to a trivial view and Django admin's participant list."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=50)
        parser.add_argument("--learners", type=int, default=30, help="learners per project")
        parser.add_argument(
            "--mentor-learners", type=int, default=200, help="learners of the mentor whose Today is timed"
        )
        parser.add_argument("--repeat", type=int, default=15)

    def handle(self, *args, projects, learners, mentor_learners, repeat, **options):
        if projects < 1 or learners < 1 or repeat < 1:
            raise CommandError("--projects, --learners and --repeat must be at least 1.")
        try:
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
                self.run(self.build(projects, learners, mentor_learners), repeat)
                raise Rollback
        except Rollback:
            self.stdout.write("(all benchmark data rolled back)")

    def build(self, projects, learners, mentor_learners):
        started = time.perf_counter()
        school = Organisation.objects.create(name="Bench school", kind="sending", country="RO", city="Bacău")
        partner = Organisation.objects.create(name="Bench partner", kind="receiving", country="PT", city="Braga")
        host = Organisation.objects.create(name="Bench host", kind="host", country="PT", city="Braga")
        qualification, _ = Qualification.objects.get_or_create(name="Bench qualification")
        mentor = User.objects.create(username="bench-mentor", role=Role.MENTOR, organisation=host)
        other_mentor = User.objects.create(username="bench-other-mentor", role=Role.MENTOR, organisation=host)
        # A superuser so that Django admin opens for the same person: role_of() sees a coordinator either way.
        coordinator = User.objects.create(
            username="bench-coordinator", role=Role.COORDINATOR, is_staff=True, is_superuser=True
        )
        present = AttendanceStatus.objects.get(code="present")
        start = date(2025, 3, 3)
        # The public site presents the newest project with a published page: make it the benchmark's.
        newest = Project.objects.aggregate(newest=Max("start_date"))["newest"]
        placements = []
        for n in range(projects):
            project_start = date(2025, 1, 1)
            if n == 0 and newest and newest >= project_start:
                project_start = newest + timedelta(days=1)
            project = Project.objects.create(
                title=f"Bench {n}",
                reference=f"BENCH-{n}",
                start_date=project_start,
                end_date=date(2025, 12, 31),
                sending_organisation=school,
            )
            placements.append(
                Placement.objects.create(
                    project=project,
                    title=f"Bench flow {n}",
                    qualification=qualification,
                    receiving_partner=partner,
                    city="Braga",
                    country="PT",
                    start_date=start,
                    end_date=start + timedelta(days=25),
                )
            )
        ProjectPage.objects.create(
            project=placements[0].project,
            language="en",
            title="Bench public page",
            introduction="Bench",
            objectives="Bench",
            published=True,
        )
        people = Participant.objects.bulk_create(
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
            for i in range(learners)
        )
        assignments = Assignment.objects.bulk_create(
            Assignment(
                participant=person,
                placement=placements[i // learners],
                host_company=host,
                mentor=mentor if i < mentor_learners else other_mentor,
                status="in_placement",
            )
            for i, person in enumerate(people)
        )
        days = [d for d in placement_days(placements[0]) if d.expected][:20]
        recorded_at = timezone.make_aware(datetime.combine(start, clock(16)))
        AttendanceRecord.objects.bulk_create(
            (
                AttendanceRecord(
                    assignment=a,
                    date=d.date,
                    status=present,
                    hours=d.hours,
                    recorded_by=mentor,
                    recorded_at=recorded_at,
                )
                for a in assignments
                for d in days
            ),
            batch_size=2000,
        )
        self.stdout.write(
            f"data: {projects} projects, {len(people)} learners, {AttendanceRecord.objects.count()} attendance days "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        return BenchData(
            placement=placements[0],
            coordinator=coordinator,
            mentor=mentor,
            mentor_learners=min(mentor_learners, len(people)),
            learners=len(people),
            week_learners=learners,
            sixteen=assignments[: min(16, learners)],
        )

    def run(self, data, repeat):
        placement = data.placement
        office = Client()
        office.force_login(data.coordinator)
        verify_second_factor(office, data.coordinator)
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
            Case("trivial view (health check)", lambda: office.get(reverse("health")), "ok", [], []),
            Case(
                "admin: participant changelist",
                lambda: office.get(reverse("admin:participants_participant_changelist")),
                'id="changelist"',
                [],
                [],
            ),
            Case(
                "dashboard",
                lambda: office.get(f"{reverse('dashboard')}?project={placement.project_id}"),
                'data-figure="participants"',
                [],
                [],
            ),
            Case("participants list", lambda: office.get(reverse("participants:list")), "Bench", [], []),
            Case(
                "placement",
                lambda: office.get(reverse("placements:placement_detail", args=[placement.pk])),
                placement.title,
                [],
                [],
            ),
            Case(
                f"week grid, {data.week_learners} learners",
                lambda: office.get(week_url),
                f'name="s-{first.pk}-{monday:%Y%m%d}"',
                [],
                [],
            ),
            Case(
                f"mentor's Today, {data.mentor_learners} learners",
                lambda: mentor.get(today_url),
                f'id="row-{first.pk}"',
                [],
                [],
            ),
            Case(
                f"Today, all {data.learners} learners",
                lambda: office.get(today_url),
                f'id="row-{first.pk}"',
                [],
                [],
            ),
            Case(
                "public home page",
                lambda: visitor.get(reverse("public:home", args=[placement.project.public_slug])),
                "Bench public page",
                [],
                [],
            ),
            Case("public home page, figures not cached", home_uncached, "Bench public page", [], []),
            *self.money_cases(office, placement.project),
        ]
        for _round in range(repeat):
            for case in cases:
                self.time(case)
        trivial = statistics.median(cases[0].cpu)
        admin = statistics.median(cases[1].cpu)
        self.stdout.write(f"  (sample learner: {learner_name})")
        self.stdout.write(f"{'view':<40}{'median ms':>10}{'CPU ms':>9}{'× trivial':>11}{'× admin':>9}{'queries':>9}")
        for case in cases:
            cpu = statistics.median(case.cpu)
            self.stdout.write(
                f"{case.name:<40}{statistics.median(case.timings) * 1000:>10.1f}{cpu * 1000:>9.1f}"
                f"{cpu / trivial:>10.1f}×{cpu / admin:>8.2f}×{case.queries:>9}"
            )
        self.time_save(week_url, monday, data.sixteen, office, repeat)

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
                [],
                [],
            ),
            Case(
                "Beneficiary Module export (XLSX)",
                lambda: SimpleNamespace(status_code=200, content=export_xlsx(project)[0]),
                "[Content_Types].xml",
                [],
                [],
            ),
        ]

    def time(self, case):
        with CaptureQueriesContext(connection) as captured:
            cpu = time.process_time()
            started = time.perf_counter()
            response = case.call()
            case.timings.append(time.perf_counter() - started)
            case.cpu.append(time.process_time() - cpu)
        self.check_page(case.name, response, case.shows)
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
        self.stdout.write(f"{name:<40}{statistics.median(timings) * 1000:>10.1f}{'':>29}{queries:>9}")
