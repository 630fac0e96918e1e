"""Printed documents: a Django template rendered to HTML, then to PDF by WeasyPrint.

Everything a document needs (CSS, fonts, images) is read from the project's static/ folder on disk; nothing is
fetched from the network, so that a PDF never depends on a server being up, and a document issued once can be
rendered again byte for byte (certificates store the SHA-256 of their first rendering).

Speed: a worker renders many documents in a row, so what does not depend on the document is prepared once per
process and reused (``toolkit()``): the file fetcher, the font configuration with the shipped fonts, and print.css
parsed. Reusing them changes no byte of the output (tests/test_rendering.py checks it). Install HarfBuzz-Subset
(Debian: libharfbuzz-subset0): without it WeasyPrint subsets every embedded font with fontTools, which takes longer
than laying out a whole certificate.
"""

import io
import os
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.request import url2pathname

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

STATIC_DIR = Path(settings.BASE_DIR) / "static"
PRINT_CSS = STATIC_DIR / "css" / "print.css"


class LocalFileFetcher(URLFetcher):
    """Lets WeasyPrint read data: URLs and files under static/, and nothing else.

    A refused or missing resource stops the rendering instead of falling back silently to another font or no
    image: a certificate printed without its fonts or its emblem must not be handed out.
    """

    def __init__(self, root=STATIC_DIR):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.root = Path(root).resolve()

    def fetch(self, url, headers=None):
        if url.lower().startswith("file:"):
            path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file:"))).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"Refusing to read a file outside {self.root}: {url}")
        return super().fetch(url, headers)


@dataclass(frozen=True)
class Toolkit:
    """What every rendering in this process shares: built once, reused by each document."""

    pid: int
    css_mtime: int
    fetcher: LocalFileFetcher
    font_config: FontConfiguration
    print_css: CSS


_toolkit = None
_toolkit_lock = threading.Lock()


def toolkit():
    """This process's fetcher, font configuration and parsed print.css.

    Made anew in a forked child (a Celery prefork worker must not share fontconfig state with its parent) and
    when print.css changes on disk, so an edit to the stylesheet shows without restarting the worker.
    """
    global _toolkit
    mtime = PRINT_CSS.stat().st_mtime_ns
    current = _toolkit
    if current is not None and current.pid == os.getpid() and current.css_mtime == mtime:
        return current
    with _toolkit_lock:
        if _toolkit is None or _toolkit.pid != os.getpid() or _toolkit.css_mtime != mtime:
            fetcher = LocalFileFetcher()
            font_config = FontConfiguration()
            # The @font-face rules register the shipped fonts in this font configuration, once.
            print_css = CSS(filename=str(PRINT_CSS), url_fetcher=fetcher, font_config=font_config)
            _toolkit = Toolkit(os.getpid(), mtime, fetcher, font_config, print_css)
        return _toolkit


def write_pdf(html, print_css=True):
    """The PDF of an HTML string, as bytes, with print.css applied unless ``print_css`` is false.

    Relative URLs (``img/eu-emblem.svg``) resolve against static/. The benchmark's floor goes through here too,
    so that it pays exactly what every document pays.
    """
    tools = toolkit()
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=tools.fetcher)
    # No /ID and no date but the one the template states (dcterms.created): for one template, stylesheet, font
    # set and WeasyPrint version, the bytes depend on the context and the language only.
    return document.write_pdf(
        pdf_identifier=False,
        font_config=tools.font_config,
        stylesheets=[tools.print_css] if print_css else None,
    )


def render_pdf(template_name, context, language=None):
    """The PDF of a template under templates/, as bytes, printed with static/css/print.css.

    Give ``language`` when the same document must print identically whichever language the caller has active (a
    Celery worker and a request in Romanian would otherwise print different labels, hence different bytes).
    """
    with translation.override(language) if language else nullcontext():
        html = render_to_string(template_name, context)
    return write_pdf(html)


def qr_svg(text):
    """A QR code of ``text`` as inline SVG markup (no XML declaration), sized by the surrounding CSS.

    Error correction level M survives a crease or a stamp on paper; the four-module quiet zone is part of the
    drawing, so no layout can crowd the code.
    """
    qr = segno.make(text, error="m", micro=False, boost_error=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False, scale=1, border=4, omitsize=True, svgclass="qr")
    # Safe: segno draws the modules as one path; the text is encoded in the drawing, never copied into the markup.
    return mark_safe(buffer.getvalue().decode())
