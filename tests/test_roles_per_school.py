"""Roles per school on the pages: a person who is coordinator at one school and staff at another reads both
schools' pages, and is offered the first school's changes only (a membership's role decides what someone may do
in that school's rows; the changes themselves go through the write helpers, tests/test_one_door.py).

The walk: every page of the access matrix the school's staff reads, opened by that person on the second school's
object (or the list), must link to none of the second school's change pages and post to none of its change URLs
(each would answer 404 or 403 to them: offered, then refused). The same pages of the first school do offer them.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Membership, Role

from .factories import UserFactory
from .test_access import ROUTES
from .test_feedback import ended  # noqa: F401 (a fixture)
from .test_schools_apart import SHARED, is_public, other_school  # noqa: F401 (a fixture)

OK = (200, 302, 400)


@pytest.fixture
def both(world, other_school):  # noqa: F811
    """Coordinator at the first school (the world's), staff at the second (other_school)."""
    person = UserFactory(username="both", role=Role.COORDINATOR, school=world.project.sending_organisation)
    Membership.objects.create(user=person, organisation=other_school.project.sending_organisation, role=Role.STAFF)
    return person


class Offers(HTMLParser):
    """The links (<a href>) and the POST forms' actions of a page."""

    def __init__(self, here):
        super().__init__(convert_charrefs=True)
        self.here, self.links, self.posts = here, set(), set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.add(urlsplit(attrs["href"]).path)
        elif tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.posts.add(urlsplit(attrs.get("action") or self.here).path or self.here)
        elif tag in ("button", "input") and attrs.get("formaction"):
            self.posts.add(urlsplit(attrs["formaction"]).path)
        elif attrs.get("hx-post"):
            self.posts.add(urlsplit(attrs["hx-post"]).path)


def offers(html, here):
    reader = Offers(here)
    reader.feed(html)
    return reader.links, reader.posts


def url_of(name, objects):
    kwargs_of = ROUTES[name][0]
    try:
        with transaction.atomic():
            return reverse(name, kwargs=kwargs_of(objects) if kwargs_of else None)
    except (AttributeError, NoReverseMatch, ObjectDoesNotExist, IntegrityError):
        return None  # an object made for one school only (a certificate's number is the installation's)


def school_routes():
    return [name for name in ROUTES if name not in SHARED and not is_public(name)]


def changes_of(objects, names=None):
    """The school's change URLs (of `objects`, a school's world) that its staff may not use: links to pages staff
    get 403 on, and URLs staff may not post to (of the routes `names` only, when given: building some routes'
    objects moves the world's dates, a certificate's learner's flow into last month)."""
    links, posts = {}, {}
    for name in names or school_routes():
        kwargs_of, get, post = ROUTES[name]
        if kwargs_of is None:
            continue
        url = url_of(name, objects)
        if url is None:
            continue
        if get["staff"] == 403 and get["coordinator"] in OK:
            links[url] = name
        if post["staff"] == 403 and post["coordinator"] in OK:
            posts[url] = name
    return links, posts


def offered_on(client, url, links, posts):
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    page_links, page_posts = offers(response.content.decode(errors="replace"), url)
    return {links[u] for u in page_links if u in links} | {posts[u] for u in page_posts if u in posts}


def walk(client, objects, names=None, changes=None, *, staff=None):
    """What each page the staff read (of `objects`' school, and the lists) offers of that school's changes, less
    what the school's own staff are offered there too (`staff`: a client; not a question of roles per school)."""
    links, posts = changes_of(objects, changes)
    found = {}
    for name in names or school_routes():
        if ROUTES[name][1]["staff"] != 200:
            continue
        url = url_of(name, objects)
        if url is None:
            continue
        offered = offered_on(client, url, links, posts)
        if offered and staff is not None:
            offered -= offered_on(staff, url, links, posts)
        if offered:
            found[name] = sorted(offered)
    return found


def test_pages_offer_a_schools_changes_only_where_the_role_there_is_a_coordinators(
    world,
    other_school,  # noqa: F811
    both,
    client_for,
):
    from django.test import Client

    client = client_for(both)
    staff = Client()
    staff.force_login(other_school.staff)
    refused = walk(client, other_school, staff=staff)
    assert not refused, "pages offer changes of the school where the person is staff:\n" + "\n".join(
        f"{page}: {', '.join(names)}" for page, names in sorted(refused.items())
    )
    # The same walk on the first school's objects finds its changes offered: the walk can see an offer.
    expected = {
        "selection:call": "selection:call_edit",
        "selection:applications": "selection:application_new",
        "placements:placement_detail": "placements:assignment_edit",
        "placements:organisation_detail": "placements:organisation_edit",
        "participants:detail": "signatures:sign_agreement",
        "attendance:week": "attendance:week",
        "attendance:placement": "attendance:work_pattern",
        "employers:agreements": "employers:agreement_edit",
        "employers:detail": "employers:profile",
        "grants:budget": "grants:grant_edit",
        "grants:payouts": "grants:allowance_create",
        "conference:manage_event": "conference:event_edit",
        "preparation:flow": "preparation:session_create",
        "preparation:travel": "preparation:legs",
        "preparation:session": "preparation:session_edit",
    }
    offered = walk(client, world, sorted(expected), sorted(set(expected.values())))
    missing = [f"{page}: {change}" for page, change in expected.items() if change not in offered.get(page, [])]
    assert not missing, "the first school's pages do not offer its changes:\n" + "\n".join(missing)


# Each place by itself: allowed in the first school, refused (or not offered) in the second.


def test_a_calls_changes_are_offered_on_the_calls_of_the_coordinators_school_only(
    world,
    other_school,  # noqa: F811
    both,
    client_for,
):
    from selection.access import can_change_call

    from .access_routes_selection import a_call

    ours, theirs = a_call(world).pk, a_call(other_school).pk
    client = client_for(both)
    for pk, offered in ((ours, True), (theirs, False)):
        from selection.models import Call

        assert can_change_call(both, Call.objects.get(pk=pk)) is offered
        page = client.get(reverse("selection:call", args=[pk]))
        assert page.status_code == 200
        body = page.content.decode()
        assert (reverse("selection:call_edit", args=[pk]) in body) is offered
        assert (reverse("selection:criteria", args=[pk]) in body) is offered
        listing = client.get(reverse("selection:applications", args=[pk]))
        assert listing.status_code == 200
        assert (reverse("selection:application_new", args=[pk]) in listing.content.decode()) is offered
    assert client.get(reverse("selection:call_edit", args=[ours])).status_code == 200
    assert client.get(reverse("selection:call_edit", args=[theirs])).status_code == 404


def test_a_failed_jobs_detail_is_read_by_a_coordinator_of_the_jobs_school_only(
    world,
    other_school,  # noqa: F811
    both,
    client_for,
):
    """A job asked for by each school's staff fails with internals in its detail: the person reads the first's
    detail (coordinator there), and the second's job only as its staff would, the fixed sentence."""
    from documents.access import shows_error_detail
    from documents.models import DocumentJob

    detail = "RuntimeError: KeyError in /srv/mobility/reports/certificates.py line 42"
    jobs = {}
    for name, staff in (("ours", world.staff), ("theirs", other_school.staff)):
        jobs[name] = DocumentJob.objects.create(
            kind=DocumentJob.Kind.CERTIFICATE,
            params={},
            requested_by=staff,
            status=DocumentJob.Status.FAILED,
            error_detail=detail,
        )
    client = client_for(both)
    ours = client.get(jobs["ours"].get_absolute_url())
    assert ours.status_code == 200 and detail in ours.content.decode()
    assert shows_error_detail(both, jobs["ours"])
    assert not shows_error_detail(both, jobs["theirs"])
    theirs = client.get(jobs["theirs"].get_absolute_url())
    # Staff at the second school read no job of its other people at all; either way no detail.
    assert theirs.status_code in (200, 404)
    assert detail not in theirs.content.decode() and "/srv/mobility" not in theirs.content.decode()
    # The second school's own coordinator reads it.
    assert detail in client_for(other_school.coordinator).get(jobs["theirs"].get_absolute_url()).content.decode()


def test_an_import_names_only_the_projects_of_the_coordinators_school(
    world,
    other_school,  # noqa: F811
    both,
    client_for,
):
    """A learners' file naming the second school's project (where the person is staff) is refused row by row;
    the same file naming the first's is imported."""
    from participants.models import Participant

    from .test_transfers import HEADER, commit, csv_bytes, learner_rows, upload

    client = client_for(both)
    theirs = [[other_school.project.reference, *row[1:]] for row in learner_rows(world, count=2)]
    batch, response = upload(client, "participants", csv_bytes(HEADER, theirs))
    plan = response.context["plan"]
    assert len(plan.bad) == 2 and not plan.created
    commit(client, batch)
    assert not Participant.objects.filter(project=other_school.project, last_name="Căldăraru").exists()
    batch, response = upload(client, "participants", csv_bytes(HEADER, learner_rows(world, count=2)))
    assert len(response.context["plan"].created) == 2
    assert commit(client, batch).status_code == 302
    assert Participant.objects.filter(project=world.project, last_name="Căldăraru").count() == 2


def test_a_new_organisation_joins_the_address_books_of_the_coordinators_schools_only(
    world,
    other_school,  # noqa: F811
    both,
):
    from placements.services import own_schools

    assert own_schools(both) == [world.project.sending_organisation_id]


def test_the_reminders_and_the_dashboards_to_do_are_of_the_coordinators_school_only(
    world,
    other_school,  # noqa: F811
    both,
    client_for,
):
    """What waits for a coordinator (weeks to approve, learners' documents expiring) is of the schools where the
    person is coordinator; the second school's dashboard reads as its staff's."""
    from attendance.models import WeekSignoff
    from notifications.models import Kind
    from notifications.services import coordinator_items

    WeekSignoff.objects.create(
        placement=other_school.placement,
        mentor=other_school.mentor,
        week_start=other_school.placement.start_date,
        state=WeekSignoff.State.SUBMITTED,
    )
    mine = {item.kind for item in coordinator_items(timezone.localdate(), both)}
    assert Kind.SUBMISSIONS_WAITING not in mine
    assert Kind.SUBMISSIONS_WAITING in {
        item.kind for item in coordinator_items(timezone.localdate(), other_school.coordinator)
    }
    client = client_for(both)
    ours = client.get(reverse("dashboard"), {"project": world.project.pk})
    assert ours.status_code == 200 and ours.context["attention"] is not None
    theirs = client.get(reverse("dashboard"), {"project": other_school.project.pk})
    assert theirs.status_code == 200
    assert theirs.context["project"] == other_school.project
    assert theirs.context.get("attention") is None


def test_the_week_grid_records_and_signs_off_in_the_coordinators_school_only(
    running,
    other_school,  # noqa: F811
    both,
    client_for,
):
    from tests.test_body_ids import same_days

    world = running
    same_days(world, other_school)
    client = client_for(both)
    day = f"{world.placement.start_date:%Y-%m-%d}"
    ours = client.get(reverse("attendance:week", args=[world.placement.pk, day]))
    theirs = client.get(reverse("attendance:week", args=[other_school.placement.pk, day]))
    assert ours.status_code == theirs.status_code == 200
    assert ours.context["can_record"] and ours.context["is_coordinator"]
    assert not theirs.context["can_record"] and not theirs.context["is_coordinator"]
    assert reverse("attendance:submit_week", args=[other_school.placement.pk, day]) not in theirs.content.decode()
    # Handing in the second school's week is refused, as recording it is (test_one_door.py).
    from attendance.models import WeekSignoff

    response = client.post(
        reverse("attendance:submit_week", args=[other_school.placement.pk, day]), {"mentor": other_school.mentor.pk}
    )
    assert response.status_code == 404
    assert not WeekSignoff.objects.filter(placement=other_school.placement).exists()


def test_the_menus_flag_stays_the_highest_role_and_decides_no_row(world, other_school, both, client_for):  # noqa: F811
    """The context processor's flag opens a coordinator's menu entries (their pages keep to the schools where
    the person is coordinator); restricted data is no longer decided by it."""
    page = client_for(both).get(reverse("dashboard"))
    assert page.status_code == 200
    assert page.context["is_coordinator"] is True
    assert reverse("accounts:user_list") in page.content.decode()
    assert "can_see_restricted" not in page.context


def test_the_words_not_yet_approved_are_read_by_a_coordinator_of_the_flows_school_only(
    ended,  # noqa: F811
    other_school,  # noqa: F811
    client,
    client_for,
):
    """A learner's free text waits for approval: coordinator of the second school and staff at the flow's reads
    the flow's results as its staff (no unapproved words, no moderation); made coordinator there, reads them."""
    from feedback import services

    from .test_feedback import answer_all, link_of

    services.make_invitations(placement_id=ended.placement.pk, by_id=None)
    answer_all(client, link_of(ended.assignment), "middle", text="Cazarea era rece")
    person = UserFactory(
        username="vaslui_deputy", role=Role.COORDINATOR, school=other_school.project.sending_organisation
    )
    here = Membership.objects.create(user=person, organisation=ended.project.sending_organisation, role=Role.STAFF)
    url = reverse("feedback:results", args=[ended.placement.pk])
    page = client_for(person).get(url)
    assert page.status_code == 200 and ended.placement.title in page.content.decode()
    assert "Cazarea era rece" not in page.content.decode()
    assert "/moderate/" not in page.content.decode()
    here.role = Role.COORDINATOR
    here.save()
    page = client_for(person).get(url).content.decode()
    assert "Cazarea era rece" in page and "Waiting for approval" in page
