"""Downloads of private files and data: always an attachment, never kept by the browser's or a proxy's cache.

Generated and uploaded files (workbooks, reports, zips of learning plans, import uploads, attachments) are stored
through Django's storage under MEDIA_ROOT, which no URL publishes (not even in DEBUG): a view that checks who asks
reads the file and answers with ``private_file``. Downloads built in memory answer with ``attachment``.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header


def private_file(file, *, filename: str | None = None, content_type: str | None = None) -> FileResponse:
    """A stored file (a ``FieldFile``) as an attachment named ``filename`` (default: the last part of its name)."""
    filename = filename or file.name.rsplit("/", 1)[-1]
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    add_never_cache_headers(response)  # Cache-Control: ..., no-store, private
    return response


def attachment(body: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """Bytes built for one person (a PDF, a spreadsheet) as an attachment named ``filename``."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    add_never_cache_headers(response)
    return response
