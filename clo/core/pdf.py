"""PDFs through WeasyPrint: a Django template rendered in a given language into a tagged, accessible PDF.

Every PDF of the project goes through ``render_pdf`` so they share the council's header, fonts, page numbers and the
accessibility settings: the ``pdf/ua-1`` variant (tagged structure), the document language from ``<html lang>`` and
the title from ``<title>``. Static files (CSS, fonts) are read from disk through ``url_fetcher``: nothing is fetched
over the network, so rendering works offline and cannot be made to request arbitrary URLs. Control characters in
the data a PDF shows are left out (``clo.core.text``): a font has no glyph for them.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from clo.core.text import without_control_characters

PDF_VARIANT = "pdf/ua-1"


def _static_name(url: str) -> str | None:
    static_url = settings.STATIC_URL
    if url.startswith("static:"):
        return url.removeprefix("static:").lstrip("/")
    for prefix in (f"file://{static_url}", static_url):
        if url.startswith(prefix):
            return url.removeprefix(prefix)
    return None


def _fetcher():
    """A WeasyPrint URL fetcher that serves the project's static files and ``data:`` URLs, and refuses the rest."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            name = _static_name(url)
            if name is not None:
                path = finders.find(name)
                if not path:
                    raise ValueError(f"static file not found: {name}")
                mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, Path(path).read_bytes(), headers={"Content-Type": mime})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"external resources are not loaded in PDFs: {url}")

    return StaticOnlyFetcher(allowed_protocols={"file", "data", "static"})


def render_html(template_name: str, context: dict, *, language: str | None = None) -> str:
    """The final HTML of a PDF, rendered in ``language`` (default: the project's default, Catalan)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string(template_name, {"pdf_language": translation.get_language(), **context})


def font_configuration():
    """A WeasyPrint font configuration to share between the PDFs of one batch: each document otherwise creates its
    own, and the native font maps it allocates are never all given back (the process grows with every PDF)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str, *, font_config=None) -> bytes:
    """Bytes of the tagged PDF of ``html`` (WeasyPrint, ``pdf/ua-1``). A batch passes one ``font_config`` (see
    ``font_configuration``) to all its documents."""
    from weasyprint import HTML

    html = without_control_characters(html)
    return HTML(string=html, base_url="file:///", url_fetcher=_fetcher()).write_pdf(
        pdf_variant=PDF_VARIANT, pdf_tags=True, custom_metadata=True, font_config=font_config
    )


def render_pdf(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    """Render ``template_name`` (which should extend ``pdf/base.html``) in ``language`` into PDF bytes."""
    return html_to_pdf(render_html(template_name, context, language=language))
