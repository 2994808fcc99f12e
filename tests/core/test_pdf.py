"""The shared PDF path: tagged (PDF/UA), language and title in the document, static files from disk, nothing fetched
from the network."""

from __future__ import annotations

import io

import pypdf
from django.template import engines

from clo.core import pdf


def _reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def test_a_pdf_is_tagged_in_the_language_asked_with_its_title_and_page_numbers(settings):
    data = pdf.render_pdf("pdf/base.html", {"organisation_name": "Ajuntament de Vilamar"}, language="es")
    reader = _reader(data)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    text = reader.pages[0].extract_text()
    assert "Ajuntament de Vilamar" in text
    assert "Oficina de formación y desarrollo" in text  # the header in Spanish
    assert "1 / 1" in text  # page numbers from pdf.css: the stylesheet was loaded


def test_the_title_comes_from_the_template():
    html = engines["django"].from_string(
        "{% extends 'pdf/base.html' %}{% block title %}Pla d'aprenentatge{% endblock %}"
        "{% block content %}<h1>Hola</h1>{% endblock %}"
    ).render({"organisation_name": "Ajuntament", "pdf_language": "ca"})
    reader = _reader(pdf.html_to_pdf(html))
    assert reader.metadata.title == "Pla d'aprenentatge"


def test_external_resources_are_never_fetched():
    html = ('<html lang="ca"><head><title>t</title><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
            '<body><img src="http://127.0.0.1:9/x.png" alt="x"><p>Text</p></body></html>')
    fetcher = pdf._fetcher()
    try:
        fetcher.fetch("http://127.0.0.1:9/x.css")
    except ValueError as exc:
        refused = str(exc)
    assert "not loaded" in refused
    # the document still renders, without the refused resources
    assert "Text" in _reader(pdf.html_to_pdf(html)).pages[0].extract_text()
