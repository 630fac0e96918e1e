"""Printed documents: a Django template rendered to HTML, then to PDF by WeasyPrint.

Everything a document needs (CSS, fonts, images) is read from the project's static/ folder on disk; nothing is
fetched from the network, so that a PDF never depends on a server being up, and a document issued once can be
rendered again byte for byte (certificates store the SHA-256 of their first rendering).
"""

import io
from contextlib import nullcontext
from pathlib import Path
from urllib.request import url2pathname

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher

STATIC_DIR = Path(settings.BASE_DIR) / "static"


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


def render_pdf(template_name, context, language=None):
    """The PDF of a template under templates/, as bytes.

    Relative URLs in the template (``css/print.css``, ``img/eu-emblem.svg``) resolve against static/. Give
    ``language`` when the same document must print identically whichever language the caller has active (a
    Celery worker and a request in Romanian would otherwise print different labels, hence different bytes).
    """
    with translation.override(language) if language else nullcontext():
        html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=LocalFileFetcher())
    # No /ID and no date but the one the template states (dcterms.created): for one template, stylesheet, font
    # set and WeasyPrint version, the bytes depend on the context and the language only.
    return document.write_pdf(pdf_identifier=False)


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
