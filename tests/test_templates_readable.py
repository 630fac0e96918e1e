"""Templates a person can read: one element per line, no line of a screen and a half, and the page furniture
written in many places (the one-button form, the document request, the scrolling table) as one tag each
(common/templatetags/ui.py), rendering the markup the pages had."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.template import TemplateSyntaxError, engines
from django.test import RequestFactory
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
LONG = 200
MOST_LONG = 0.01  # share of lines allowed above LONG characters


def template_files():
    """Every project template: the project's templates folder and each app's, never the virtualenv's."""
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    folders += [path for path in ROOT.glob("*/templates") if path.is_dir()]
    return sorted(
        path
        for folder in folders
        for path in folder.rglob("*.html")
        if ".venv" not in path.relative_to(ROOT).parts and "node_modules" not in path.parts
    )


def long_lines(paths):
    lines = long = 0
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            lines += 1
            if len(line) > LONG:
                long += 1
                found.append(f"{path}:{number} ({len(line)})")
    return lines, long, found


def test_the_templates_are_found():
    paths = template_files()
    assert len(paths) > 200
    assert ROOT / "templates" / "base.html" in paths
    assert not any(".venv" in path.parts for path in paths)


def test_at_most_one_template_line_in_a_hundred_is_longer_than_200_characters():
    lines, long, found = long_lines(template_files())
    assert lines > 5000
    assert long / lines <= MOST_LONG, f"{long} of {lines} lines ({long / lines:.1%}) are longer than {LONG}:\n" + (
        "\n".join(found)
    )


def test_the_share_counts_a_long_line(tmp_path):
    (tmp_path / "a.html").write_text("<p>short</p>\n" + "<p>" + "x" * 300 + "</p>\n", encoding="utf-8")
    lines, long, _found = long_lines([tmp_path / "a.html"])
    assert (lines, long) == (2, 1)


def render(source, context=None):
    request = RequestFactory().get("/")
    token = get_token(request)
    html = engines["django"].from_string("{% load i18n ui %}" + source).render(context or {}, request)
    return html, token


def squeeze(html):
    """The markup without the layout whitespace, the (masked, so each time different) CSRF token as TOKEN."""
    html = re.sub(r'csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', 'csrfmiddlewaretoken" value="TOKEN"', html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.django_db
def test_post_button_is_a_post_form_with_the_csrf_token_and_one_button():
    html, _token = render(
        '{% post_button "documents:retry" 7 label=_("Try again") css="btn btn-sm btn-success" form_class="d-inline" %}'
    )
    assert squeeze(html) == (
        f'<form method="post" action="{reverse("documents:retry", args=[7])}" class="d-inline">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">'
        '<button type="submit" class="btn btn-sm btn-success">Try again</button></form>'
    )


@pytest.mark.django_db
def test_post_button_keeps_the_screen_reader_words_the_hidden_field_and_escapes_them():
    html, _token = render(
        '{% post_button label=_("Revoke") hidden=who name="invitation" value=pk %}',
        {"who": "Ana <Pop>", "pk": 3},
    )
    squeezed = squeeze(html)
    assert squeezed.startswith('<form method="post"><input type="hidden" name="csrfmiddlewaretoken"')
    assert '<input type="hidden" name="invitation" value="3">' in squeezed
    assert squeezed.endswith(
        '<button type="submit" class="btn btn-outline-primary">Revoke'
        '<span class="visually-hidden"> Ana &lt;Pop&gt;</span></button></form>'
    )


@pytest.mark.django_db
def test_post_button_can_be_disabled_and_takes_a_url_or_a_translated_label():
    html, _token = render(
        "{% blocktranslate with name=who asvar lift %}Lift the pause for {{ name }}{% endblocktranslate %}"
        "{% post_button action=url label=lift enabled=ready %}",
        {"who": "a&b", "url": "/somewhere/", "ready": False},
    )
    assert 'action="/somewhere/"' in html
    assert '<button type="submit" class="btn btn-outline-primary" disabled>Lift the pause for a&amp;b</button>' in html


@pytest.mark.django_db
def test_document_button_asks_for_the_document_by_post():
    html, _token = render(
        '{% document_button \'final-report\' 5 label=_("Final report (PDF)") name="week" value="2026-01-05" %}'
    )
    assert squeeze(html) == (
        f'<form method="post" action="{reverse("documents:request", args=["final-report", 5])}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">'
        '<input type="hidden" name="week" value="2026-01-05">'
        '<button type="submit" class="btn btn-outline-primary">Final report (PDF)</button></form>'
    )


@pytest.mark.django_db
def test_the_buttons_speak_the_readers_language():
    from django.utils import translation

    with translation.override("ro"):
        html, _token = render('{% post_button label=_("Sign out") %}')
    assert "Deconectare</button>" in html


def test_table_region_is_a_named_scrolling_region_reachable_by_keyboard():
    html, _token = render("{% table_region _('Payments') %}<table></table>{% endtable_region %}")
    assert html.endswith(
        '<div class="table-responsive" tabindex="0" role="region" aria-label="Payments"><table></table></div>'
    )
    html, _token = render('{% table_region labelledby="h-flows" %}<table></table>{% endtable_region %}')
    assert 'tabindex="0" role="region" aria-labelledby="h-flows"><table></table></div>' in html
    html, _token = render("{% table_region name %}x{% endtable_region %}", {"name": 'A "b"'})
    assert 'aria-label="A &quot;b&quot;"' in html
    html, _token = render("{% table_region %}<table></table>{% endtable_region %}")
    assert html.endswith('<div class="table-responsive"><table></table></div>')


def test_table_region_takes_one_name():
    with pytest.raises(TemplateSyntaxError):
        render("{% table_region 'a' 'b' %}x{% endtable_region %}")
