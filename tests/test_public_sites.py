"""Each project's public site (/p/<site>/) shows that project's content only: two projects with public content
on one installation, and nothing of one ever on the other's pages, lists, feeds or by the other's ids."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conference.models import Event, Registration
from public.models import Article, NewsItem, ProjectPage, Submission, Topic
from selection.models import Call

from .factories import ProjectFactory, SchoolFactory
from .sites import on_site

pytestmark = pytest.mark.django_db


def content(project, word):
    """A published page, article, news item, approved submission, call and conference of `project`, each
    carrying `word` in its title."""
    ProjectPage.objects.get_or_create(
        project=project,
        language="en",
        defaults={"title": f"{word} project", "introduction": "Hello.", "objectives": "O.", "published": True},
    )
    article = Article.objects.create(
        project=project,
        title=f"{word} article",
        slug=f"{word.lower()}-article",
        summary="s",
        body="b",
        topic=Topic.INCLUSION,
        status=Article.Status.PUBLISHED,
    )
    news = NewsItem.objects.create(
        project=project,
        title=f"{word} news",
        slug=f"{word.lower()}-news",
        summary="s",
        body="b",
        status=NewsItem.Status.PUBLISHED,
    )
    submission = Submission.objects.create(
        project=project,
        organisation=f"{word} school",
        country="PT",
        contact_name="C",
        email="c@example.org",
        title=f"{word} practice",
        topic=Topic.INCLUSION,
        text="t",
        client_key="k",
        status=Submission.Status.APPROVED,
        moderated_at=timezone.now(),
    )
    event = Event.objects.create(
        project=project,
        title=f"{word} conference",
        starts_at=timezone.make_aware(datetime(2027, 5, 20, 9, 30)),
        ends_at=timezone.make_aware(datetime(2027, 5, 20, 13, 30)),
        venue="Hall",
        address="Street 1",
        city="Town",
        capacity=50,
        published=True,
    )
    registration = Registration.objects.create(
        event=event,
        name="Ana Pop",
        email=f"ana.{word.lower()}@example.org",
        type=Registration.Type.EMPLOYER,
        status=Registration.Status.CONFIRMED,
    )
    today = timezone.localdate()
    later = today.replace(year=today.year + 1)
    call = Call.objects.create(
        project=project,
        title=f"{word} call",
        text_ro="t",
        text_en="t",
        plain_ro="p",
        plain_en="p",
        opens_on=today,
        closes_on=later,
        decision_on=later,
        appeals_until=later,
        published=True,
    )
    return {
        "article": article,
        "news": news,
        "submission": submission,
        "event": event,
        "registration": registration,
        "call": call,
    }


@pytest.fixture
def two_sites(world):
    other = ProjectFactory(sending_organisation=SchoolFactory(name="Școala Vaslui"), title="Vaslui project")
    return world.project, content(world.project, "Bacau"), other, content(other, "Vaslui")


PAGES = [
    ("public:home", ()),
    ("public:articles", ()),
    ("public:exchange", ()),
    ("public:news", ()),
    ("public:news_rss", ()),
    ("public:news_atom", ()),
    ("conference:event", ()),
]


@pytest.mark.parametrize("name,args", PAGES)
def test_each_site_shows_its_own_content_and_none_of_the_other(two_sites, client, name, args):
    project, _own, other, _theirs = two_sites
    for site, mine, not_mine in ((project, "Bacau", "Vaslui"), (other, "Vaslui", "Bacau")):
        html = client.get(on_site(name, *args, project=site)).content.decode()
        assert mine in html, f"{name} of {site.public_slug} misses its own content"
        assert not_mine not in html, f"{name} of {site.public_slug} shows the other project's content"


def test_the_other_projects_objects_answer_404_on_a_site(two_sites, client):
    project, _own, _other, theirs = two_sites
    code = theirs["registration"].code
    for name, args in [
        ("public:article", [theirs["article"].slug]),
        ("public:news_item", [theirs["news"].slug]),
        ("public:exchange_item", [theirs["submission"].pk]),
        ("public:exchange_file", [theirs["submission"].pk]),
        ("conference:register", [theirs["event"].pk]),
        ("conference:register_done", [theirs["event"].pk]),
        ("conference:registered", [code]),
        ("conference:cancel", [code]),
        ("selection:public_call", [theirs["call"].pk]),
        ("selection:apply", [theirs["call"].pk]),
    ]:
        assert client.get(on_site(name, *args, project=project)).status_code == 404, name


def test_an_unknown_site_is_404(world, client):
    assert client.get(reverse("public:home", args=["no-such-site"])).status_code == 404


def test_the_root_lists_the_sites_when_there_are_several(two_sites, client):
    project, _own, other, _theirs = two_sites
    html = client.get(reverse("public:root")).content.decode()
    assert reverse("public:home", args=[project.public_slug]) in html
    assert reverse("public:home", args=[other.public_slug]) in html


def test_the_root_sends_to_the_only_site(world, client):
    response = client.get(reverse("public:root"))
    assert response.status_code == 302 and response.url == on_site("public:home")


def test_old_addresses_go_to_the_owning_projects_page(two_sites, client):
    project, own, other, theirs = two_sites
    response = client.get(f"/good-practice/{theirs['article'].slug}/")
    assert response.url == reverse("public:article", args=[other.public_slug, theirs["article"].slug])
    response = client.get(f"/exchange/{own['submission'].pk}/")
    assert response.url == reverse("public:exchange_item", args=[project.public_slug, own["submission"].pk])
    response = client.get(f"/conference/registration/{theirs['registration'].code}/")
    assert response.url == reverse("conference:registered", args=[other.public_slug, theirs["registration"].code])
    response = client.get(f"/call/{theirs['call'].pk}/")
    assert response.url == reverse("selection:public_call", args=[other.public_slug, theirs["call"].pk])
    # A list of the time of one site is ambiguous with two: the list of sites.
    assert client.get("/news/").url == reverse("public:root")
    assert client.get("/good-practice/no-such-article/").status_code == 404


def test_old_addresses_go_to_the_one_site_with_their_query(world, client):
    response = client.get("/good-practice/?q=buddy")
    assert response.url == on_site("public:articles") + "?q=buddy"


def test_a_submission_belongs_to_the_site_it_was_sent_through(two_sites, client):
    _project, _own, other, _theirs = two_sites
    data = {
        "organisation": "Escola",
        "country": "PT",
        "contact_name": "Ana",
        "email": "ana@example.org",
        "title": "Sent to Vaslui",
        "topic": Topic.INCLUSION,
        "text": "t",
        "agree": "on",
        "website": "",
    }
    response = client.post(on_site("public:submit", project=other), data)
    assert response.status_code == 302
    assert Submission.objects.get(title="Sent to Vaslui").project == other


def test_the_moderation_list_shows_a_coordinator_their_schools_submissions_only(two_sites, client_for, world):
    Submission.objects.update(status=Submission.Status.PENDING)
    html = client_for(world.coordinator).get(reverse("public:manage_submissions")).content.decode()
    assert "Bacau practice" in html and "Vaslui practice" not in html


def test_the_coordinator_changes_the_sites_address(world, client_for):
    client = client_for(world.coordinator)
    response = client.post(reverse("public:manage_address"), {"public_slug": "second-chance"})
    assert response.status_code == 302
    assert client.get("/p/second-chance/").status_code == 200


def test_an_address_taken_or_malformed_is_refused_on_the_page(two_sites, client_for, world):
    _project, _own, other, _theirs = two_sites
    client = client_for(world.coordinator)
    before = world.project.public_slug
    for bad in (other.public_slug, "Not an address!", ""):
        response = client.post(reverse("public:manage_address"), {"public_slug": bad})
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
    world.project.refresh_from_db()
    assert world.project.public_slug == before


def test_a_new_project_gets_a_free_address(world):
    first = ProjectFactory(title="Same", reference="REF-1")
    first.public_slug = "taken"
    first.save()
    second = ProjectFactory(title="Other", reference="Taken")
    assert second.public_slug == "taken-2"


def test_the_home_page_of_a_site_costs_the_same_whatever_the_other_site_holds(two_sites, client, forget_cache):
    project, _own, other, _theirs = two_sites
    url = on_site("public:home", project=project)

    def count():
        forget_cache()
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for number in range(10):
        content(other, f"More{number}")
    assert count() == few


def test_a_sites_home_page_names_its_project_once_in_the_title(two_sites, client, forget_cache):
    import re

    for project in (two_sites[0], two_sites[2]):
        body = client.get(reverse("public:home", args=[project.public_slug])).content.decode()
        title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
        assert title.count(project.title) == 1, title
