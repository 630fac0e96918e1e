"""Menus offer only what the role may open: every link of the main navigation answers 200 to each role."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .sites import on_site


class NavigationLinks(HTMLParser):
    """The href of every link inside the page's main navigation (the <nav> with the navbar class)."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # nesting of <nav> elements, counted from the main navigation
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and (self.depth or "navbar" in (attrs.get("class") or "").split()):
            self.depth += 1
        elif tag == "a" and self.depth and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1


def menu_links(html):
    parser = NavigationLinks()
    parser.feed(html)
    return parser.links


@pytest.mark.parametrize(
    ("page", "role"),
    [
        ("dashboard", "coordinator"),
        ("dashboard", "staff"),
        ("dashboard", "mentor"),
        ("public:home", "anonymous"),
        ("public:home", "coordinator"),
        ("public:home", "staff"),
        ("public:home", "mentor"),
    ],
)
def test_every_menu_link_opens_for_the_role_that_sees_it(world, client_for, page, role):
    client = client_for(world.user(role))
    response = client.get(on_site(page) if page.startswith("public:") else reverse(page))
    assert response.status_code == 200
    links = menu_links(response.content.decode())
    assert len(links) > 3
    answers = {url: client.get(url).status_code for url in links}
    assert {url: status for url, status in answers.items() if status != 200} == {}


def test_staff_are_not_offered_the_rating_scale(world, client_for):
    links = menu_links(client_for(world.staff).get(reverse("dashboard")).content.decode())
    assert reverse("assessments:scale") not in links
    assert reverse("assessments:scale") in menu_links(
        client_for(world.coordinator).get(reverse("dashboard")).content.decode()
    )


def test_the_remembered_menu_follows_the_role_the_project_the_page_and_the_language(world, client_for):
    """The main menu is rendered once per combination ({% memo %} in base.html): each combination gets its own."""
    from common.templatetags.ui import _MEMO

    _MEMO.clear()
    coordinator, mentor = world.user("coordinator"), world.user("mentor")
    for _turn in range(2):
        coordinator_links = menu_links(client_for(coordinator).get(reverse("dashboard")).content.decode())
        mentor_links = menu_links(client_for(mentor).get(reverse("dashboard")).content.decode())
        assert reverse("accounts:user_list") in coordinator_links
        assert reverse("accounts:user_list") not in mentor_links
        assert reverse("placements:organisation_list") not in mentor_links
        # Each remembered part of the page is its own: one set of styles, the account menu's links in it.
        page = client_for(coordinator).get(reverse("dashboard")).content.decode()
        assert page.count('rel="icon"') == 1
        assert page.count("htmx.min.js") == 1
        account_menu = page[page.index('dropdown-menu dropdown-menu-end"') :]
        assert reverse("accounts:password_change") in account_menu[: account_menu.index("</ul>")]
        assert 'rel="stylesheet"' not in account_menu[: account_menu.index("</ul>")]
    client = client_for(coordinator)
    active = f'class="nav-link active" href="{reverse("participants:list")}"'
    assert active in client.get(reverse("participants:list")).content.decode()
    assert active not in client.get(reverse("dashboard")).content.decode()
    coordinator.language = "ro"
    coordinator.save(update_fields=["language"])
    assert ">Participanți<" in client.get(reverse("dashboard")).content.decode()
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    assert ">Participants<" in client.get(reverse("dashboard")).content.decode()
