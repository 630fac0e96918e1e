"""Random and hostile input into every form: never a server error, never a partial write.

The forms are found, not listed: for every page of the access matrix (tests/test_access.py ROUTES) that a
coordinator may open, the page is fetched and each <form> in it is read (its action, method and fields);
a form that another team adds later is covered without editing this file. Hypothesis then fills the fields
with values that are valid, empty, huge, hostile or of the wrong type, and posts them.

After every answer: no 500 (the test client re-raises the view's exception), and when the page comes back
with a form error, the row count of every model is what it was before (read logs aside).
"""

import os
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm
from django.forms import ModelMultipleChoiceField as DjangoModelMultipleChoiceField
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse
from django.views.generic.list import MultipleObjectMixin
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .test_access import ROUTES, url_for

# Pages a coordinator opens (GET 200): each is one test, which fuzzes every form on it.
PAGES = sorted(name for name, (_kwargs, get, _post) in ROUTES.items() if get["coordinator"] == 200)

# Forms that end the session or only switch the language: not data entry, and present on every page.
SKIPPED_ACTIONS = {"logout", "set_language", "login"}

# Models that record reads (who looked at what) or sessions: an error page may legitimately add to them.
READ_LOGS = {"sessions.session", "privacy.personaldatalog", "admin.logentry"}
READ_LOG_APPS = {"axes", "otp_static", "otp_totp", "otp_email"}

# An answer that shows the form again with a message about the input.
FORM_ERROR = re.compile(r'is-invalid|errorlist|invalid-feedback|alert-danger|role="alert"')

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the failing input is printed as it was posted
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Input a hostile or careless person types: empty, blank, NUL bytes, markup, SQL, numbers and dates out of
# range or in the wrong shape, right-to-left overrides, emoji, and a value far larger than any field.
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "' OR '1'='1' --",
    "Robert'); DROP TABLE participants_participant;--",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-inf",
    "99999999999999999999999999",
    "3.14159265358979323846264338327950288",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "31/12/2026",
    "2026-13-01T25:61",
    "25:61",
    "Ștefan Țurcanu 🚀 \u202egnp.exe",
    "../../etc/passwd",
    "x" * 100_000,
    "9" * 5000,
    "true",
    "[]",
    "{}",
]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
numbers = st.one_of(st.integers(min_value=-(10**20), max_value=10**20), st.floats(allow_nan=True)).map(str)
dates = st.dates().map(lambda day: day.isoformat())
anything = st.one_of(st.sampled_from(HOSTILE), text, numbers, dates)


class FormReader(HTMLParser):
    """The forms of a page: action, method and fields (name -> kind, values offered, whether multiple)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {
                "action": attrs.get("action") or attrs.get("hx-post") or "",
                "method": (attrs.get("method") or ("post" if attrs.get("hx-post") else "get")).lower(),
                "fields": {},
                "enctype": attrs.get("enctype", ""),
            }
            self.forms.append(self.form)
        elif self.form is None or not attrs.get("name"):
            return
        elif tag in ("input", "textarea", "select", "button"):
            kind = attrs.get("type", "text").lower() if tag in ("input", "button") else tag
            if tag == "button" and kind != "submit":
                return
            field = self.form["fields"].setdefault(attrs["name"], {"kind": kind, "values": [], "multiple": False})
            if kind in ("checkbox",) or "multiple" in attrs:
                field["multiple"] = True
            if attrs.get("value") is not None:
                field["values"].append(attrs["value"])
            if tag == "select":
                self.select = field
        elif tag == "option" and self.select is not None:
            self.select["values"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def forms_on(html, page_url):
    reader = FormReader()
    reader.feed(html)
    found = []
    for form in reader.forms:
        action = urlsplit(urljoin(page_url, form["action"]))
        if action.netloc not in ("", "testserver"):
            continue
        try:
            name = resolve(action.path).view_name
        except Resolver404:
            continue
        if name in SKIPPED_ACTIONS:
            continue
        fields = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
        found.append(
            {**form, "url": action.path + (f"?{action.query}" if action.query else ""), "name": name, "fields": fields}
        )
    return found


# A formset's management fields: hostile, but never a count in the thousands, which makes Django build and
# render up to 2,000 empty forms (tens of seconds here; see the formsets' `absolute_max`).
MANAGEMENT = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")
MANAGEMENT_VALUES = ["", "-1", "0", "1", "2", "7", "x", "\x00", "1.5", "1e2", "<script>"]


def value_for(name, field):
    if MANAGEMENT.search(name):
        return st.one_of(st.none(), st.sampled_from(field["values"] + MANAGEMENT_VALUES))
    offered = [v for v in field["values"] if v is not None]
    if field["kind"] == "file":
        upload = st.builds(
            SimpleUploadedFile,
            st.sampled_from(["scan.pdf", "photo.jpg", "evil.php", "../../x.pdf", "a" * 300 + ".pdf", "ș.png"]),
            st.one_of(st.binary(max_size=3000), st.sampled_from([b"%PDF-1.4\n%%EOF", b"\xff\xd8\xff\xe0JFIF"])),
        )
        return st.one_of(st.none(), upload)
    single = st.one_of(st.sampled_from(offered), anything) if offered else anything
    if field["multiple"]:
        return st.one_of(st.none(), st.lists(single, max_size=3))
    return st.one_of(st.none(), single)  # None: the field is left out of the request


def form_data(form):
    names = sorted(form["fields"])
    return st.fixed_dictionaries({name: value_for(name, form["fields"][name]) for name in names}).map(
        lambda values: {name: value for name, value in values.items() if value is not None}
    )


def counted_models():
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed or label in READ_LOGS or model._meta.app_label in READ_LOG_APPS:
            continue
        yield model


def row_counts():
    """Rows of every model, in one query (the ORM's count() per model costs more than the request itself)."""
    models = list(counted_models())
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip((m._meta.label_lower for m in models), cursor.fetchone(), strict=True))


def submit(client, form, data):
    if form["method"] == "get":
        plain = {k: v for k, v in data.items() if not isinstance(v, SimpleUploadedFile)}
        return client.get(form["url"], plain)
    return client.post(form["url"], data)


def fuzz_form(client, form):
    @FUZZ
    @given(data=form_data(form))
    def post_random_input(data):
        before = row_counts()
        try:
            # A savepoint per example, so that one example's writes do not change what the next one sees.
            with transaction.atomic():
                response = submit(client, form, data)
                assert response.status_code < 500, response.status_code
                if response.status_code == 200 and not response.streaming and FORM_ERROR.search(response.text):
                    changed = {k: (v, after) for k, v in before.items() if (after := row_counts()[k]) != v}
                    assert not changed, f"a form error, yet rows were written: {changed}"
                raise Rollback
        except Rollback:
            pass
        except Exception as error:
            error.add_note(f"{form['method'].upper()} {form['url']} ({form['name']}) with {short(data)}")
            raise

    post_random_input()


class Rollback(Exception):
    pass


def short(data):
    return {k: (v[:80] + f"…({len(v)})" if isinstance(v, str) and len(v) > 80 else v) for k, v in data.items()}


@pytest.mark.parametrize("page", PAGES)
def test_every_form_survives_hostile_input(running, client_for, page):
    client = client_for(running.coordinator)
    url = url_for(running, page)
    response = client.get(url)
    assert response.status_code == 200
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return  # a download, not a page
    forms = forms_on(response.text, url)
    seen = set()
    for form in forms:
        key = (form["name"], form["method"], tuple(sorted(form["fields"])))
        if key in seen or not form["fields"] and form["method"] == "get":
            continue
        seen.add(key)
        if os.environ.get("FUZZ_VERBOSE"):
            print(f"fuzz {page}: {form['method']} {form['name']} {len(form['fields'])} fields")
        fuzz_form(client_for(running.coordinator), form)


def test_the_fuzzer_finds_the_forms_it_should(running, client_for):
    """A check on the fuzzer itself: the learner form's fields are read from the page."""
    client = client_for(running.coordinator)
    url = reverse("participants:create")
    forms = forms_on(client.get(url).text, url)
    learner_form = next(form for form in forms if form["name"] == "participants:create")
    assert learner_form["method"] == "post"
    assert {"first_name", "last_name", "date_of_birth"} <= set(learner_form["fields"])


# Query strings: every list page (found by walking the URL patterns) and the pages that read a parameter of
# their own, as every role that may open them, with every filter the project knows set to a hostile value.

PAGES_READING_THE_QUERY = {"dashboard", "attendance:today", "conference:check_in"}
QUERY_PARAMETERS = [
    "q",
    "sort",
    "page",
    "state",
    "status",
    "qualification",
    "gender",
    "assigned",
    "project",
    "kind",
    "type",
    "local",
    "attended",
    "day",
    "topic",
    "mentor",
]
HOSTILE_QUERY_VALUES = [
    "99999999999999999999999",  # beyond 64 bits: OverflowError on SQLite
    "-99999999999999999999999",
    "²",  # str.isdigit() says yes, int() says no
    "NaN",
    "1e999",
    "0",
    "a\x00b",
    "x" * 5000,
]


def view_classes(resolver=None, prefix=""):
    """URL name -> the class of its view, for every URL of the project."""
    found = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found |= view_classes(pattern, inner)
        elif pattern.name:
            found[prefix + pattern.name] = getattr(pattern.callback, "view_class", None)
    return found


VIEWS = view_classes()


def reads_the_query(name):
    view = VIEWS.get(name)
    return name in PAGES_READING_THE_QUERY or (view is not None and issubclass(view, MultipleObjectMixin))


QUERY_PAGES = sorted(
    (name, role)
    for name, (_kwargs, get, _post) in ROUTES.items()
    if reads_the_query(name)
    for role, code in get.items()
    if code == 200
)


def test_the_query_pages_include_the_lists_with_id_filters():
    assert {("placements:list", "coordinator"), ("participants:list", "mentor"), ("dashboard", "staff")} <= set(
        QUERY_PAGES
    )


@pytest.mark.parametrize(("page", "role"), QUERY_PAGES)
def test_every_list_page_survives_a_hostile_query_string(running, client_for, page, role):
    client = client_for(running.user(role))
    url = url_for(running, page)
    for value in HOSTILE_QUERY_VALUES:
        response = client.get(url, dict.fromkeys(QUERY_PARAMETERS, value))
        assert response.status_code in (200, 400, 404), (value[:30], response.status_code)


@pytest.mark.parametrize(
    ("page", "parameter"), [("placements:list", "project"), ("participants:list", "qualification")]
)
def test_an_id_filter_beyond_64_bits_is_ignored_like_any_unknown_value(running, client_for, page, parameter):
    client = client_for(running.coordinator)
    unfiltered = list(client.get(reverse(page)).context["object_list"])
    response = client.get(reverse(page), {parameter: "99999999999999999999999"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == unfiltered


# Multiple-choice fields: ids that no browser sends, on create and edit.

HOSTILE_IDS = [["99999999999999999999999"], ["-1"], ["²"], ["1", "99999999999999999999999"], ["abc"], ["0"]]


def valid_data(form):
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


def participant_post(world):
    from participants.forms import ParticipantForm

    return valid_data(ParticipantForm(instance=world.learner)), "barriers"


def placement_post(world):
    from placements.forms import PlacementForm

    return valid_data(PlacementForm(instance=world.placement)), "accompanying_persons"


MULTIPLE_CHOICE_FORMS = [
    ("participants:create", None, participant_post),
    ("participants:edit", "learner", participant_post),
    ("placements:create", None, placement_post),
    ("placements:edit", "placement", placement_post),
]


@pytest.mark.parametrize(("page", "instance", "post"), MULTIPLE_CHOICE_FORMS)
@pytest.mark.parametrize("ids", HOSTILE_IDS, ids=lambda ids: ",".join(ids))
def test_a_multiple_choice_field_refuses_impossible_ids_with_the_forms_message(
    running, client_for, page, instance, post, ids
):
    data, field = post(running)
    url = reverse(page, kwargs={"pk": getattr(running, instance).pk} if instance else None)
    before = row_counts()
    response = client_for(running.coordinator).post(url, {**data, field: ids})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert row_counts() == before


def test_the_assign_form_refuses_a_learner_id_beyond_64_bits(running, client_for):
    url = reverse("placements:assign", args=[running.placement.pk])
    response = client_for(running.coordinator).post(url, {"participants": ["99999999999999999999999"]})
    assert response.status_code == 400
    assert "participants" in response.context["assign_form"].errors


def project_form_classes():
    """Every form class defined in the project's own apps (not Django's or a library's)."""
    import importlib
    from pathlib import Path

    from django.conf import settings as django_settings

    base = Path(django_settings.BASE_DIR)
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base) and "site-packages" not in Path(config.path).parts
    }
    for name in ours:
        try:
            importlib.import_module(f"{name}.forms")
        except ModuleNotFoundError:
            continue
    pending, found = [BaseForm], set()
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in ours:
                found.add(subclass)
    return found


def test_every_multiple_choice_field_of_the_project_checks_its_ids_before_the_query():
    from common.forms import ModelMultipleChoiceField

    forms = project_form_classes()
    assert {"ParticipantForm", "PlacementForm", "AssignParticipantsForm"} <= {form.__name__ for form in forms}
    plain = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in forms
        for name, field in getattr(form, "base_fields", {}).items()
        if isinstance(field, DjangoModelMultipleChoiceField) and not isinstance(field, ModelMultipleChoiceField)
    ]
    assert not plain, f"use common.forms.ModelMultipleChoiceField (Meta.field_classes) for {plain}"


# The attendance posts built by hand (the week grid, a Today row): numbers a browser never sends.

NOT_FINITE = ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "1e999", "-1e999", "1E+999999999"]


def week_url(world):
    return reverse("attendance:week", args=[world.placement.pk, f"{world.placement.start_date:%Y-%m-%d}"])


def grid_key(world, day):
    return f"{world.assignment.pk}-{day:%Y%m%d}"


@pytest.mark.parametrize("role", ["mentor", "coordinator"])
@pytest.mark.parametrize("hours", NOT_FINITE)
def test_the_week_grid_refuses_hours_that_are_not_a_finite_number(running, client_for, role, hours):
    from attendance.models import AttendanceRecord

    key = grid_key(running, running.placement.start_date)
    response = client_for(running.user(role)).post(
        week_url(running), {f"s-{key}": "late", f"h-{key}": hours, f"r-{key}": "bus"}
    )
    assert response.status_code == 400
    assert response.context["errors"][key] in (
        "Hours must be a number, e.g. 6.5.",
        "Hours must be more than 0 and at most 24.",
    )
    assert not AttendanceRecord.objects.exists()


@pytest.mark.parametrize("role", ["mentor", "coordinator"])
@pytest.mark.parametrize("hours", NOT_FINITE)
def test_a_today_row_refuses_hours_that_are_not_a_finite_number(running, client_for, role, hours):
    from django.utils import timezone

    from attendance.models import AttendanceRecord

    url = reverse("attendance:record_day", args=[running.assignment.pk, f"{timezone.localdate():%Y-%m-%d}"])
    response = client_for(running.user(role)).post(
        url, {"status": "late", "hours": hours, "reason": "bus"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Hours must be" in response.text
    assert not AttendanceRecord.objects.exists()


@pytest.mark.parametrize("assignment", ["99999999999999999999999", "²", "0", "-1"])
def test_the_week_grid_ignores_learner_ids_that_are_not_ids(running, client_for, assignment):
    from attendance.models import AttendanceRecord

    key = f"{assignment}-{running.placement.start_date:%Y%m%d}"
    response = client_for(running.mentor).post(week_url(running), {f"s-{key}": "present", f"v-{key}": "²"})
    assert response.status_code == 302  # nothing to save
    assert not AttendanceRecord.objects.exists()


# Control characters: stripped from every value of every request, in one place (the middleware).


def test_a_nul_in_a_today_row_reason_is_not_stored(running, client_for):
    from django.utils import timezone

    from attendance.models import AttendanceRecord

    url = reverse("attendance:record_day", args=[running.assignment.pk, f"{timezone.localdate():%Y-%m-%d}"])
    client_for(running.mentor).post(url, {"status": "late", "reason": "the\x00 bus\x07\tlate", "version": "0"})
    assert AttendanceRecord.objects.get().reason == "the bus\tlate"


def test_a_nul_in_a_week_grid_reason_is_not_stored(running, client_for):
    from attendance.models import AttendanceRecord

    key = grid_key(running, running.placement.start_date)
    client_for(running.mentor).post(week_url(running), {f"s-{key}": "late", f"r-{key}": "\x00bus\x1b\r\nlate\x7f"})
    assert AttendanceRecord.objects.get().reason == "bus\r\nlate"


def test_control_characters_are_taken_out_of_an_ordinary_form(running, client_for):
    from placements.models import Qualification

    client_for(running.coordinator).post(
        reverse("placements:qualification_create"),
        {"name": "Weld\x00ing\x0c", "code": "7212\x01", "eqf_level": "3", "description": "line one\r\nline\x00 two"},
    )
    qualification = Qualification.objects.get(code="7212")
    assert (qualification.name, qualification.description) == ("Welding", "line one\r\nline two")


def test_control_characters_are_taken_out_of_the_query_string_and_file_names(rf):
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    from common.middleware import ControlCharacterMiddleware

    seen = {}

    def view(request):
        seen.update(q=request.GET.getlist("q"), note=request.POST["note"], file=request.FILES["file"].name)

    request = rf.post("/?q=a%00b&q=c", {"note": "x\x00y", "file": Upload("sc\x00an.csv", b"a")})
    ControlCharacterMiddleware(view)(request)
    assert seen == {"q": ["ab", "c"], "note": "xy", "file": "scan.csv"}
