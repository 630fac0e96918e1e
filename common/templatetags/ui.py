"""The page furniture written the same way on many pages, so that each page names what differs in one line.

- ``{% post_button "app:url_name" arg… label=_("…") %}``: a form holding one submit button (act on one thing:
  approve, send again, revoke), posting to that URL. Options: ``css`` (the button's classes), ``form_class``,
  ``hidden`` (words only a screen reader reads after the label, naming the row the button acts on),
  ``name``/``value`` (one hidden field), ``disabled`` (or ``enabled=False``), ``action`` (a URL instead of a
  URL name). Neither a name nor an action posts to the page itself.
- ``{% document_button kind pk label=_("…") %}``: the same, asking for a document (``documents:request``).
- ``{% memo value… %}…{% endmemo %}``: a fragment that depends only on the listed values (and the language),
  rendered once per process for each combination.
- ``{% table_region label %}…{% endtable_region %}``: a wide table's scrolling region, reachable by keyboard
  and named for screen readers (``labelledby="id"`` names it by a heading instead). Without a name it is
  only the scrolling box.

Labels are passed translated (``_("Approve")``, or a ``{% translate … as x %}`` / ``{% blocktranslate … asvar
x %}`` variable), so their messages stay those of the catalogue.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import UNKNOWN_SOURCE
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import format_html

register = template.Library()

BUTTON_CSS = "btn btn-outline-primary"


def _button(
    action, label, *, css=BUTTON_CSS, form_class="", hidden="", name="", value="", disabled=False, enabled=True
):
    return {
        "action": action,
        "label": label,
        "css": css,
        "form_class": form_class,
        "hidden": hidden,
        "name": name,
        "value": value,
        "disabled": disabled or not enabled,
    }


@register.inclusion_tag("includes/post_button.html")
def post_button(url_name="", *args, label, action="", **options):
    """A form with one submit button posting to the URL ``url_name`` of ``args`` (or to ``action``)."""
    if url_name:
        action = reverse(url_name, args=args)
    return _button(action, label, **options)


@register.inclusion_tag("includes/post_button.html")
def document_button(kind, pk, *, label, **options):
    """A form with one submit button asking for the document ``kind`` of object ``pk``."""
    return _button(reverse("documents:request", args=[kind, pk]), label, **options)


class TableRegionNode(template.Node):
    def __init__(self, nodelist, label, labelledby):
        self.nodelist, self.label, self.labelledby = nodelist, label, labelledby

    def render(self, context):
        inner = self.nodelist.render(context)
        if self.labelledby is not None:
            opening = format_html(
                '<div class="table-responsive" tabindex="0" role="region" aria-labelledby="{}">',
                self.labelledby.resolve(context),
            )
        elif self.label is not None:
            opening = format_html(
                '<div class="table-responsive" tabindex="0" role="region" aria-label="{}">',
                self.label.resolve(context),
            )
        else:
            opening = '<div class="table-responsive">'
        return f"{opening}{inner}</div>"


@register.tag
def table_region(parser, token):
    """``{% table_region label %}`` or ``{% table_region labelledby="id" %}`` or ``{% table_region %}``, closed by
    ``{% endtable_region %}``."""
    bits = token.split_contents()[1:]
    label = labelledby = None
    for bit in bits:
        if bit.startswith("labelledby="):
            labelledby = parser.compile_filter(bit.removeprefix("labelledby="))
        elif label is None:
            label = parser.compile_filter(bit)
        else:
            raise template.TemplateSyntaxError("table_region takes one label or labelledby=")
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(nodelist, label, labelledby)


# The rendered bodies of {% memo %}, by template and place in it, language, URL configuration and the listed values.
# Bounded: cleared whole when full (the keys are a few roles × pages × projects × languages in practice).
_MEMO: dict[tuple[object, ...], str] = {}
MEMO_SIZE = 4096


@receiver(setting_changed)
def _forget_memo(**kwargs):
    """A test that changes the languages, the URLs or the templates must not get a body rendered before."""
    _MEMO.clear()


class MemoNode(template.Node):
    # Not walked for {% block %}s (a memo holds none): {% extends %} walks the parent's whole tree on every page.
    child_nodelists = ()

    def __init__(self, nodelist, values, place):
        self.nodelist, self.values, self.place = nodelist, values, place

    def render(self, context):
        if self.place is None:
            return self.nodelist.render(context)
        try:
            key = (
                *self.place,
                translation.get_language(),
                get_script_prefix(),
                get_urlconf(),
                *(value.resolve(context) for value in self.values),
            )
            found = _MEMO.get(key)
        except TypeError:  # a value that cannot be a key: render every time
            return self.nodelist.render(context)
        if found is None:
            found = self.nodelist.render(context)
            if len(_MEMO) >= MEMO_SIZE:
                _MEMO.clear()
            _MEMO[key] = found
        return found


@register.tag
def memo(parser, token):
    """``{% memo value… %}…{% endmemo %}``: the body rendered once per process for each combination of the
    listed values and the active language, then given as it was (the main menu: thirty URLs and forty
    translations, a trivial view's worth of CPU on every page). The body must read nothing but the listed
    values, translations and URLs: no user's data, no CSRF token, no request."""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    # Its place: the template's name and which memo of it this is (the same after the template is read again).
    # Tokens carry no position outside debug mode; a template made from a string has no name: not remembered.
    parser.memos_seen = getattr(parser, "memos_seen", 0) + 1
    name = getattr(parser.origin, "name", None)
    place = None if name in (None, UNKNOWN_SOURCE) else (name, parser.memos_seen)
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, values, place)
