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
from django.urls import Resolver404, resolve, reverse
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
