"""The shared world of the tests: one project, two placements at two host companies, one mentor each,
a coordinator, a staff member, and learners on both placements."""

import importlib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Organisation, Role
from accounts.twofactor import must_use_two_factor
from attendance.models import WorkPattern, week_start

from .browser import launch_browser
from .factories import (
    AssignmentFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlacementFactory,
    ProjectFactory,
    QualificationFactory,
    UserFactory,
)

PASSWORD = "a-long-test-password"


@dataclass
class World:
    project: object
    placement: object
    other_placement: object
    host: object
    other_host: object
    coordinator: object
    staff: object
    mentor: object
    other_mentor: object
    learner: object
    other_learner: object
    assignment: object
    other_assignment: object

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def world(db):
    project = ProjectFactory()
    mechanic = QualificationFactory(name="Maintenance mechanic")
    textile = QualificationFactory(name="Textile and leather products manufacturing")
    partner = OrganisationFactory(name="Intercâmbio Minho", kind=Organisation.Kind.RECEIVING)
    placement = PlacementFactory(
        project=project, title="Flow 1 – Mechanics", qualification=mechanic, receiving_partner=partner
    )
    other_placement = PlacementFactory(
        project=project, title="Flow 2 – Textile", qualification=textile, receiving_partner=partner, city="Guimarães"
    )
    host = OrganisationFactory(name="Metalúrgica do Cávado")
    other_host = OrganisationFactory(name="Têxteis Guimarães", city="Guimarães")
    mentor = UserFactory(
        username="mentor", role=Role.MENTOR, organisation=host, first_name="Rui", last_name="Gonçalves"
    )
    other_mentor = UserFactory(username="other_mentor", role=Role.MENTOR, organisation=other_host)
    learner = ParticipantFactory(project=project, qualification=mechanic, first_name="Ștefan", last_name="Țurcanu")
    other_learner = ParticipantFactory(
        project=project, qualification=textile, first_name="Mădălina", last_name="Stănescu", gender="female"
    )
    return World(
        project=project,
        placement=placement,
        other_placement=other_placement,
        host=host,
        other_host=other_host,
        coordinator=UserFactory(username="coordinator", role=Role.COORDINATOR),
        staff=UserFactory(username="staff", role=Role.STAFF),
        mentor=mentor,
        other_mentor=other_mentor,
        learner=learner,
        other_learner=other_learner,
        assignment=AssignmentFactory(participant=learner, placement=placement, host_company=host, mentor=mentor),
        other_assignment=AssignmentFactory(
            participant=other_learner, placement=other_placement, host_company=other_host, mentor=other_mentor
        ),
    )


@pytest.fixture
def running(world, monkeypatch):
    """Move the world's placements so that today is inside them (four weeks from last Monday), working
    every day of the week so that today is a working day whatever the weekday, with no public holiday: these
    tests count days from the first Monday, and Romania's 30 November and 1 December (or Christmas, Easter) would
    take two of them out in the weeks they fall in. A test about holidays uses a placement of its own dates."""
    from attendance import services

    monkeypatch.setattr(services, "holidays_between", lambda country, start, end: {})
    monday = week_start(timezone.localdate()) - timedelta(days=7)
    for placement in (world.placement, world.other_placement):
        placement.start_date, placement.end_date = monday, monday + timedelta(days=25)
        placement.country = "RO"
        placement.save()
        WorkPattern.objects.create(placement=placement, saturday=Decimal(8), sunday=Decimal(8))
    return world


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user (or anonymous for None). A coordinator's session has passed
    the two-factor step, as if a code had been typed (tests of that step are in test_accounts_two_factor.py)."""

    def make(user):
        client.logout()
        if user is not None:
            client.force_login(user)
            if must_use_two_factor(user):
                pass_second_factor(client, user)
        return client

    return make


def pass_second_factor(client, user):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="Test authenticator", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def each_test_starts_in_the_default_language():
    """A request through the test client leaves its language active in the thread (LocaleMiddleware activates it
    and nothing deactivates it), so a test rendering outside a request would read the previous test's language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The real hasher costs half a second per user; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def forget_cache(settings):
    """Each test starts with an empty cache (rate limits, the public figures); call it to empty it again.

    A new key prefix rather than cache.clear(): on Redis, clear() empties the whole database, the Celery
    broker's queue with it, and another test run sharing the server would lose its keys too."""

    def forget():
        settings.CACHES = {
            name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for name, config in settings.CACHES.items()
        }

    forget()
    return forget


@pytest.fixture
def cache_queries(db):
    """The database queries that `reads` cache reads and `writes` cache writes cost: none on Redis, a few each on
    the database cache. Query-count tests add them to a page's own budget rather than hide the cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(*, reads=0, writes=0):
        with CaptureQueriesContext(connection) as read:
            cache.get("query-count-probe")
        with CaptureQueriesContext(connection) as write:
            cache.set("query-count-probe", 0)
        cache.delete("query-count-probe")
        return reads * len(read) + writes * len(write)

    return count


@pytest.fixture(scope="session")
def browser():
    yield from launch_browser()


# Data migrations that load reference data; a transactional test's flush empties their tables.
REFERENCE_DATA = [
    "participants.migrations.0003_barriers",
    "attendance.migrations.0002_statuses",
    "assessments.migrations.0002_scale",
]


def load_reference_data():
    from django.apps import apps

    for module in REFERENCE_DATA:
        importlib.import_module(module).load(apps, None)


@pytest.fixture
def reference_data(transactional_db):
    load_reference_data()


_db_blocker = []


@pytest.fixture(scope="session", autouse=True)
def remember_db_blocker(django_db_blocker):
    _db_blocker.append(django_db_blocker)


def flushes_the_database(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush that empties the reference data's tables too; put them back, so a
    test run after it on the same worker (xdist's worksteal mixes the kinds) finds the statuses and the scale."""
    flushed = flushes_the_database(item)
    yield
    if flushed and nextitem is not None and _db_blocker:
        with _db_blocker[0].unblock():
            load_reference_data()


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Documents written by tests go to a temporary folder, never into the checkout."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3 endpoint (moto's server, in a thread of the test process) on a free port of 127.0.0.1."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


S3_TEST_KEYS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


@pytest.fixture(params=["filesystem", "s3"])
def storage_backend(request, settings, private_files):
    """Runs a test twice: private files in a folder, then in a fresh bucket of the local S3 endpoint, through
    django-storages with the options production uses. Yields the backend's name."""
    if request.param == "s3":
        import boto3

        from mobility.settings import s3_storage_options

        endpoint = request.getfixturevalue("s3_endpoint")
        bucket = f"test-{uuid.uuid4().hex[:16]}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        ).create_bucket(Bucket=bucket)
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": s3_storage_options(bucket, endpoint_url=endpoint, **S3_TEST_KEYS),
            },
        }
    return request.param


@pytest.fixture(autouse=True)
def mail_worker_in_the_test(monkeypatch):
    """The outbox hands each message to the worker after the commit; here the test process is that worker and
    makes one attempt at once (retries and backoff are the task's, tested in test_outbox.py). Without this,
    messages would wait in the file-system broker and never reach `mail.outbox`."""
    from outbox import services, tasks

    monkeypatch.setattr(tasks.send_message, "apply_async", lambda args, **options: services.deliver(*args))


@pytest.fixture
def mail_server_down(settings):
    """Every attempt to send mail meets a refused connection, until the test sets `settings.MAILERS` back."""
    locmem = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.RefusingBackend"}}
    yield locmem
