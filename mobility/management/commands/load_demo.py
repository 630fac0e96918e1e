from django.core.management.base import BaseCommand

from accounts.demo import DEMO_COORDINATOR, demo_key_text, load_demo_authenticator
from alumni.demo import load_earlier_project, load_recognition
from assessments.demo import load_frameworks, load_rounds
from attendance.demo import load_attendance
from conference.demo import load_conference
from credentials.demo import load_europass
from employers.demo import load_employers
from feedback.demo import load_feedback
from grants.demo import load_money
from openfigures.demo import OBSERVER, load_observer
from placements.demo import (
    ACCOUNTS,
    CONSORTIUM_ACCOUNTS,
    DEMO_PASSWORD,
    SECOND_SCHOOL_ACCOUNTS,
    TWO_SCHOOLS_ACCOUNT,
    load_consortium,
    load_demo,
    load_second_school,
)
from placements.models import Project
from preparation.demo import load_preparation
from public.demo import load_public_site, load_second_site
from selection.demo import load_selection


class Command(BaseCommand):
    help = "Load the demo project (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Only load when the database has no project.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Project.objects.exists():
            self.stdout.write("The database already holds a project; the demo was not loaded again.")
        else:
            load_demo()
            load_frameworks()  # the placements' qualifications' units and outcomes
            load_attendance()
            load_rounds()
            load_conference()
            load_public_site()
            load_money()
            load_selection()
            load_preparation()
            load_earlier_project()  # a finished project: what the after-stage pages are about
            load_feedback()
            load_recognition()
            load_employers()
            load_second_school()
            load_consortium()
            load_second_site()
            load_europass()
            load_observer(DEMO_PASSWORD)
            self.stdout.write(self.style.SUCCESS("Demo project loaded."))
        self.stdout.write("The public sites are listed at http://127.0.0.1:8000/ (each project's at /p/<address>/);")
        self.stdout.write("sign in at http://127.0.0.1:8000/login/ with")
        self.stdout.write("(unless you changed them):")
        for username, _first, _last, role, _org in ACCOUNTS:
            self.stdout.write(f"  {username:<18} {DEMO_PASSWORD}   ({role.label})")
        self.stdout.write("and, for a second school kept apart from the first on the same installation:")
        for username, _first, _last, role in SECOND_SCHOOL_ACCOUNTS:
            self.stdout.write(f"  {username:<18} {DEMO_PASSWORD}   ({role.label})")
        username = TWO_SCHOOLS_ACCOUNT[0]
        self.stdout.write(f"  {username:<18} {DEMO_PASSWORD}   (coordinator of the second school, staff of the first)")
        self.stdout.write("and, for a consortium's project with learners of the second school and of a third:")
        for username, _first, _last, role, school in CONSORTIUM_ACCOUNTS:
            self.stdout.write(f"  {username:<21} {DEMO_PASSWORD}   ({role.label}, {school})")
        self.stdout.write("and, for the National Agency, which reads the open figures of the first school only:")
        self.stdout.write(f"  {OBSERVER[0]:<18} {DEMO_PASSWORD}   ({OBSERVER[3].label})")
        if load_demo_authenticator():
            self.stdout.write(
                f"{DEMO_COORDINATOR} also needs a two-factor code: add the key {demo_key_text()} to an "
                "authenticator app (time-based, 6 digits, 30 s), or run `python manage.py demo_totp`."
            )
