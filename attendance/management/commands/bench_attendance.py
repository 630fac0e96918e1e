"""Benchmark the attendance screens on a large data set, inside a transaction that is rolled back.

Prints the median server time of the week grid, the placement summary and a full-week save (16 learners),
next to a trivial view measured in the same run, so that the figures can be compared across machines.
"""

import statistics
import time
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from attendance.models import AttendanceRecord, AttendanceStatus
from attendance.services import placement_days
from participants.models import Participant, fold
from placements.models import Assignment, Organisation, Placement, Project, Qualification


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the week grid, placement summary and a full-week save on 50 projects, 1,500 learners, 30,000 days."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=50)
        parser.add_argument("--learners", type=int, default=30, help="learners per project")
        parser.add_argument("--repeat", type=int, default=15)

    def handle(self, *args, projects, learners, repeat, **options):
        try:
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
                self.run(projects, learners, repeat)
                raise Rollback
        except Rollback:
            self.stdout.write("(all benchmark data rolled back)")

    def build(self, projects, learners):
        started = time.perf_counter()
        school = Organisation.objects.create(name="Bench school", kind="sending", country="RO", city="Bacău")
        partner = Organisation.objects.create(name="Bench partner", kind="receiving", country="PT", city="Braga")
        host = Organisation.objects.create(name="Bench host", kind="host", country="PT", city="Braga")
        qualification, _ = Qualification.objects.get_or_create(name="Bench qualification")
        mentor = User.objects.create(username="bench-mentor", role=Role.MENTOR, organisation=host)
        coordinator = User.objects.create(username="bench-coordinator", role=Role.COORDINATOR)
        present = AttendanceStatus.objects.get(code="present")
        start = date(2025, 3, 3)
        placements = []
        for n in range(projects):
            project = Project.objects.create(
                title=f"Bench {n}",
                reference=f"BENCH-{n}",
                start_date=date(2025, 1, 1),
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
                mentor=mentor,
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
        return placements[0], coordinator, mentor, assignments[: min(16, learners)]

    def run(self, projects, learners, repeat):
        placement, coordinator, mentor, sixteen = self.build(projects, learners)
        client = Client()
        client.force_login(coordinator)
        monday = placement.start_date + timedelta(days=14)
        week_url = reverse("attendance:week", args=[placement.pk, f"{monday:%Y-%m-%d}"])
        post = {}
        for assignment in sixteen:
            for i in range(5):
                key = f"{assignment.pk}-{monday + timedelta(days=i):%Y%m%d}"
                post[f"s-{key}"] = "present"
        cases = [
            ("trivial view (health check)", lambda: client.get(reverse("health"))),
            ("week grid", lambda: client.get(week_url)),
            ("placement summary", lambda: client.get(reverse("attendance:placement", args=[placement.pk]))),
            *self.money_cases(client, placement.project),
        ]
        self.stdout.write(f"{'view':<32}{'median ms':>10}{'queries':>9}")
        for name, call in cases:
            self.report(name, call, repeat)

        flip = {"late": False}

        def week_post():
            """What the grid posts: every day changed (present and late in turn), with the versions shown."""
            flip["late"] = not flip["late"]
            code = "late" if flip["late"] else "present"
            records = AttendanceRecord.objects.filter(
                assignment__in=sixteen, date__range=(monday, monday + timedelta(days=4))
            )
            versions = {f"{r.assignment_id}-{r.date:%Y%m%d}": r.version for r in records}
            data = {}
            for key in post:
                suffix = key[2:]
                data.update({key: code, f"v-{suffix}": str(versions.get(suffix, 0)), f"r-{suffix}": "bench"})
            return data

        self.report("full-week save, 16 learners", lambda data: client.post(week_url, data), repeat, week_post)

    def money_cases(self, client, project):
        """The grants app's budget page and Beneficiary Module export of one project, with the example rates."""
        from types import SimpleNamespace

        from grants.beneficiary_module import export_xlsx
        from grants.demo import load_rate_table
        from grants.models import ProjectGrant

        table = load_rate_table()
        ProjectGrant.objects.get_or_create(project=project, defaults={"call_year": table.call_year})
        # Staff read the budget without the coordinators' second factor, so the page itself is timed.
        reader = Client()
        reader.force_login(User.objects.create(username="bench-staff", role=Role.STAFF))
        return [
            ("budget page (grants, staff)", lambda: reader.get(reverse("grants:budget", args=[project.pk]))),
            ("Beneficiary Module export", lambda: SimpleNamespace(status_code=200, content=export_xlsx(project))),
        ]

    def report(self, name, call, repeat, prepare=None):
        """Median wall time of `call` in this process (the server's time, no network), and its query count."""
        timings, queries = [], 0
        for _ in range(repeat):
            args = (prepare(),) if prepare else ()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = call(*args)
                timings.append(time.perf_counter() - started)
            assert response.status_code in (200, 302), (name, response.status_code)
            queries = len(captured)
        self.stdout.write(f"{name:<32}{statistics.median(timings) * 1000:>10.1f}{queries:>9}")
