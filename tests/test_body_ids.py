"""Proof by construction: every POST form of the access matrix, filled as its owner would fill it, then replayed by
people who must not write through it, writes nothing.

For each POST route of tests/test_access.py's ROUTES that the school's coordinator uses, the form is filled as
that coordinator would fill it: the page is opened (GET) and its form read (hidden inputs, text, checked boxes,
the selected options of selects and multi-selects, formset rows). Then, with every table counted and
checksummed before and after:

- the other school's coordinator and staff send the same body to the same URL;
- the school's own coordinator sends it once with each id-valued field (a select's or hidden input's value
  naming a project, flow, assignment, learner, company or mentor; the week grid's assignment ids in its field
  names) swapped for the other school's object of the same kind;
- a coordinator of the other school who is staff at the school (reads its rows, changes none: roles per
  school) sends the same body to the same URL;
- the coordinator of a consortium member school (the school's project is a consortium's, and the member school
  has a learner of its own in it, on a flow, with a host and mentor from its own address book) sends the same
  body, and once with each id-valued field swapped for the member school's own object of that kind: a member
  school changes its own learners' rows only, never the consortium's own (the learners, flows and project the
  owner's forms name);

- the same people on their OWN pages: the other school's coordinator (who is also staff at the school, so that
  the school's objects are theirs to read, never to change: roles per school) and the consortium member school's
  coordinator open each form of their own object (the route's object of their own school, or of their own
  learner in the consortium's project), fill it as they would, and send it once with each id-valued field
  swapped for the school's (the owner's) object of that kind, e.g. their own week grid naming the owner's
  learner's assignment;

and nothing is written. The mentors' forms (the Today save, the week grid, the competency ratings) are
replayed the same way by another mentor. Grouped per app, so that the two schools are built once a group.
"""

import hashlib
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import Membership, Role

from .conftest import pass_second_factor
from .factories import AssignmentFactory, OrganisationFactory, ParticipantFactory, SchoolFactory, UserFactory
from .test_access import ROUTES
from .test_schools_apart import SHARED, is_public, other_school  # noqa: F401 (a fixture)

# Tables a refused request may touch without writing anything of a school's: sign-in bookkeeping.
NOT_DATA = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}

# Which of the world's objects a field names, by the words in its name. A field named otherwise is not swapped: a
# number that only happens to equal an object's id (a count of places, a formset's own parent, a contact person)
# is no proof, and the owner's own save of the rest of the form would write.
KINDS = {
    "assignment": ("assignment",),
    "placement": ("placement",),
    "flow": ("placement",),
    "project": ("project",),
    "participant": ("learner",),
    "learner": ("learner",),
    "mentor": ("mentor",),
    "host": ("host",),
    "company": ("host",),
    "partner": ("host",),
    "organisation": ("host",),
}
# Fields whose ids name a catalogue shared by every school (choosing another school's is not crossing the wall).
CATALOGUE_WORDS = ("qualification", "status", "unit", "outcome", "level", "code", "country", "kind", "language")
WEEK_GRID_FIELD = re.compile(r"^([a-z])-(\d+)-(\d{8})$")


class FormReader(HTMLParser):
    """The fields of each POST form of a page, as a browser would send them unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.options = {}  # a select's name: the values it offers
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self.form)
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.form["fields"].append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": [], "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select["options"].append(value)
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"]:
                # A browser sends the first option; a form's own default is better left blank than guessed, but
                # a choice of the school's own rows is what the owner would pick: the first one that is one.
                chosen = [next((o for o in self.select["options"] if o), "")]
            for value in chosen:
                self.form["fields"].append((self.select["name"], value))
            self.options.setdefault(self.select["name"], set()).update(self.select["options"])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form["fields"].append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form":
            self.form = None


def filled_form(html, url):
    """The fields of the page's form that posts to `url` (or the first POST form), as (name, value) pairs, and
    the values each select offers."""
    reader = FormReader()
    reader.feed(html)
    posting = [f for f in reader.forms if f["method"] == "post"]
    for form in posting:
        if form["action"] in ("", url):
            return form["fields"], reader.options
    return (posting[0]["fields"] if posting else []), reader.options


def as_data(fields):
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def snapshot():
    """Every table's row count and a checksum of its rows."""
    state = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if table in NOT_DATA or not model._meta.managed or model._meta.proxy:
                continue
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (names from the models)
            rows = cursor.fetchall()
            state[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def changed(before, after):
    return sorted(table for table in after if before.get(table) != after[table])


def signed_in(user):
    client = Client()
    client.force_login(user)
    if user.role == "coordinator" or user.is_superuser:
        pass_second_factor(client, user)
    return client


OBJECTS = ("assignment", "placement", "project", "learner", "mentor", "host")


def swaps(fields, options, world, other):
    """Each body with one id-valued field swapped for the other school's object of the same kind (a kind where
    both name the same object, a consortium's project and flow, is not swapped). (`options`, what each select
    offered, is not consulted: a page offering the other school's object is itself the leak.)"""
    ours = {kind: getattr(world, kind).pk for kind in OBJECTS}
    theirs = {kind: getattr(other, kind).pk for kind in OBJECTS}
    for index, (name, value) in enumerate(fields):
        lowered = name.lower()
        grid = WEEK_GRID_FIELD.match(name)
        if grid and int(grid.group(2)) in ours.values():
            renamed = f"{grid.group(1)}-{theirs['assignment']}-{grid.group(3)}"
            body = [(n, v) for n, v in fields if not WEEK_GRID_FIELD.match(n) or n.split("-")[1] != grid.group(2)]
            body += [(renamed, v) for n, v in fields if n == name]
            yield f"{name} renamed to the other school's assignment", body
            continue
        if not value.isdigit() or any(word in lowered for word in CATALOGUE_WORDS):
            continue
        # The field's own name (a formset row's after its prefix and number), word by word: "host_company".
        words = lowered.rsplit("-", 1)[-1].split("_")
        kinds = [kind for word in words for kind in KINDS.get(word, ()) if theirs[kind] != ours[kind]]
        for kind in dict.fromkeys(kinds):
            body = list(fields)
            body[index] = (name, str(theirs[kind]))
            yield f"{name}={value} swapped for the other school's {kind}", body


def same_days(world, other):
    """The other school's flows on the world's running days, so that a body naming them fails only at the wall,
    not because the day is outside their flow."""
    from attendance.models import WorkPattern

    for placement in (other.placement, other.other_placement):
        placement.start_date, placement.end_date = world.placement.start_date, world.placement.end_date
        placement.country = world.placement.country
        placement.save()
        WorkPattern.objects.get_or_create(placement=placement, defaults={"saturday": 8, "sunday": 8})


@pytest.fixture
def member(running):
    """The world's project made a consortium's: a second school is a member of it, with its coordinator, a host
    and mentor of its own address book and a learner of its own in the project, on the world's second flow. The
    member school changes that learner's rows; the owner's (the consortium's) are not theirs."""
    world = running
    school = SchoolFactory(name="Școala Profesională Hârlău", city="Hârlău")
    world.project.member_schools.add(school)
    world.project.sending_organisation.address_book.add(school)
    host = OrganisationFactory(name="Hârlău host", schools=[school])
    mentor = UserFactory(username="harlau_mentor", role=Role.MENTOR, organisation=host, school=school)
    learner = ParticipantFactory(
        project=world.project, school=school, qualification=world.learner.qualification, last_name="Hârlăuanu"
    )
    return SimpleNamespace(
        coordinator=UserFactory(username="harlau_coordinator", role=Role.COORDINATOR, school=school),
        project=world.project,
        placement=world.placement,
        learner=learner,
        assignment=AssignmentFactory(
            participant=learner, placement=world.other_placement, host_company=host, mentor=mentor
        ),
        host=host,
        mentor=mentor,
    )


@pytest.fixture
def reader_here(running, other_school):  # noqa: F811
    """A coordinator of the other school who is staff at the world's school too: the world's rows are theirs to
    read, never to change. Their own forms sent with the world's ids must go through the write helpers (a read
    helper would find the world's object)."""
    person = UserFactory(
        username="vaslui_deputy", role=Role.COORDINATOR, school=other_school.project.sending_organisation
    )
    Membership.objects.create(user=person, organisation=running.project.sending_organisation, role=Role.STAFF)
    return person


def own_objects(member):
    """The member school's own objects, as a route's kwargs name them: its learner, their assignment and flow
    (the consortium's second flow), its host and mentor; the consortium's project (not the member's to change)."""
    return SimpleNamespace(**{**vars(member), "placement": member.assignment.placement})


READER_HERE = "the other school's coordinator who is staff at the school"


def post_routes():
    """The POST forms the school's coordinator uses (a public page or a shared catalogue is not a school's)."""
    names = []
    for name, (_kwargs, _get, post) in ROUTES.items():
        if post["coordinator"] in (200, 302, 400) and not is_public(name) and name not in SHARED:
            names.append(name)
    return names


def by_app(names):
    groups = {}
    for name in names:
        groups.setdefault(name.split(":")[0], []).append(name)
    return groups


POST_GROUPS = by_app(post_routes())
# Routes whose POST changes the signed-in person's own things (their password, their sign-in), not a school's.
OWN_ACCOUNT = {
    "logout",
    "set_language",
    "accounts:password_change",
    "accounts:two_factor_enrol",
    "notifications:settings",
}


def has_ids(fields):
    return any(value.isdigit() or WEEK_GRID_FIELD.match(name) for name, value in fields)


@pytest.mark.parametrize("app", sorted(POST_GROUPS))
def test_a_form_replayed_by_another_school_or_with_its_ids_writes_nothing(
    running,
    other_school,  # noqa: F811
    member,
    reader_here,
    app,
):
    world = running
    same_days(world, other_school)
    owner = signed_in(world.coordinator)
    consortium_member = signed_in(member.coordinator)
    intruders = {
        "the other school's coordinator": signed_in(other_school.coordinator),
        "the other school's staff": signed_in(other_school.staff),
        "a consortium member school's coordinator": consortium_member,
        # Reads the school's rows (staff here), changes only its own school's (roles per school).
        READER_HERE: signed_in(reader_here),
    }
    forms = []
    for name in POST_GROUPS[app]:
        if name in OWN_ACCOUNT:
            continue
        kwargs_of = ROUTES[name][0]
        url = reverse(name, kwargs=kwargs_of(world) if kwargs_of else None)
        response = owner.get(url)
        html = response.content.decode(errors="replace") if response.status_code == 200 else ""
        forms.append((name, url, kwargs_of is not None, *filled_form(html, url)))
    wrong, tables = [], {}
    for name, url, of_an_object, fields, options in forms:
        # A page of no object (Today's "all present", a new record's form) acts on the sender's own school: sent
        # by the other school, it is the wall only when its body names the school's objects.
        replays = []
        if of_an_object or has_ids(fields):
            # Staff at the school may do what its staff do (ask for a document): not a writer's form.
            staff_may = ROUTES[name][2]["staff"] in (200, 302, 400)
            replays = [
                (who, client, fields) for who, client in intruders.items() if not (who == READER_HERE and staff_may)
            ]
        replays += [
            (f"the coordinator, {how}", owner, body) for how, body in swaps(fields, options, world, other_school)
        ]
        if of_an_object or has_ids(fields):
            replays += [
                (f"a consortium member school's coordinator, {how.replace('other', 'member')}", consortium_member, body)
                for how, body in swaps(fields, options, world, member)
            ]
        wrong += replayed(name, url, replays, tables)
    # Their own pages (their own object's, or a new record's), the owner's ids in the body.
    own = [
        ("the other school's coordinator (staff at the school)", intruders[READER_HERE], other_school),
        ("a consortium member school's coordinator", consortium_member, own_objects(member)),
    ]
    for name in POST_GROUPS[app]:
        kwargs_of = ROUTES[name][0]
        if name in OWN_ACCOUNT:
            continue
        for who, client, objects in own:
            try:
                with transaction.atomic():
                    url = reverse(name, kwargs=kwargs_of(objects) if kwargs_of else None)
            except (AttributeError, NoReverseMatch, ObjectDoesNotExist, IntegrityError):
                # A route of an object the school has none of (the member school's flow of its own, one made for the
                # owner's school only: a certificate's number, an invitation's token).
                continue
            response = client.get(url)
            if response.status_code != 200:
                continue
            fields, options = filled_form(response.content.decode(errors="replace"), url)
            replays = [
                (f"{who} on their own page, {how.replace('other', 'owner')}", client, body)
                for how, body in swaps(fields, options, objects, world)
            ]
            wrong += replayed(name, url, replays, {})  # its GET and objects were made since the last snapshot
    assert not wrong, "\n".join(wrong)


def replayed(name, url, replays, tables):
    """What each replay wrote (or a server error), as lines of the failure's message. `tables` holds the last
    snapshot ("now"): one replay's after is the next one's before (nothing else writes between them), so each
    replay takes one snapshot, not two. Opening a page (GET) may write (a session, a log line): forgotten."""
    wrong = []
    for who, client, body in replays:
        before = tables.get("now") or snapshot()
        response = client.post(url, as_data(body))
        tables["now"] = after = snapshot()
        written = changed(before, after)
        if response.status_code == 500 or written:
            wrong.append(f"{name} ({url}) as {who}: {response.status_code}, wrote {written}")
    return wrong


def test_a_mentors_forms_replayed_by_another_mentor_write_nothing(running):
    """Today's save of one learner-day (htmx) and the competency ratings, sent by another mentor to the mentor's
    learner's URL; the week grid, filled by the mentor, sent by another mentor to their own flow's week grid,
    naming the mentor's learner in its body."""
    world = running
    day = f"{world.placement.start_date:%Y-%m-%d}"
    forms = [
        ("attendance:record_day", {"pk": world.assignment.pk, "day": day}, None),
        ("assessments:round", {"pk": world.assignment.pk, "kind": "baseline"}, None),
        ("attendance:week", {"pk": world.placement.pk, "day": day}, {"pk": world.other_placement.pk, "day": day}),
    ]
    mentor = signed_in(world.mentor)
    other = signed_in(world.other_mentor)
    filled = []
    for name, kwargs, replayed_at in forms:
        url = reverse(name, kwargs=kwargs)
        response = mentor.get(url)
        fields = filled_form(response.content.decode(errors="replace"), url)[0] if response.status_code == 200 else []
        if name == "attendance:record_day":  # a POST-only row of the Today page
            fields = [("status", "present"), ("version", "0")]
        if name == "attendance:week":  # every day of the mentor's learner marked present
            fields = [(n, "present" if n.startswith("s-") else v) for n, v in fields]
        headers = {"HTTP_HX_REQUEST": "true"} if name == "attendance:record_day" else {}
        filled.append((name, reverse(name, kwargs=replayed_at or kwargs), fields, headers))
    wrong = []
    for name, url, fields, headers in filled:
        before = snapshot()
        response = other.post(url, as_data(fields), **headers)
        written = changed(before, snapshot())
        if response.status_code == 500 or written:
            wrong.append(f"{name} ({url}) as another mentor: {response.status_code}, wrote {written}")
    assert not wrong, "\n".join(wrong)
