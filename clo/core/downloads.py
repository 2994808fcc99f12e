"""Downloads of private files and data: always an attachment, never kept by the browser's or a proxy's cache.

Generated and uploaded files (workbooks, reports, zips of learning plans, import uploads, attachments) are stored
through Django's storage under MEDIA_ROOT, which no URL publishes (not even in DEBUG): a view that checks who asks
reads the file and answers with ``private_file``. Downloads built in memory answer with ``attachment``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify


def file_name(title: str, extension: str) -> str:
    """A download's name from its title, in the language the title was translated into: "Pla de formació 2027" →
    "pla-de-formació-2027.pdf" (an apostrophe separates words: "certificat-d-aprofitament")."""
    words = re.sub(r"['’]", " ", str(title))
    return f"{slugify(words, allow_unicode=True) or 'download'}.{extension}"


def disposition(filename: str) -> str:
    """``Content-Disposition`` of an attachment named ``filename``: an ASCII name every browser reads ("formacio"),
    then the UTF-8 name (RFC 6266 ``filename*``, "formació") that browsers prefer when they know it."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r'[^A-Za-z0-9._ ()+,=@-]+', "-", plain).strip(" .-") or "download"
    value = f'attachment; filename="{plain}"'
    if plain != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def private_file(file, *, filename: str | None = None, content_type: str | None = None) -> FileResponse:
    """A stored file (a ``FieldFile``) as an attachment named ``filename`` (default: the last part of its name)."""
    filename = filename or file.name.rsplit("/", 1)[-1]
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Disposition"] = disposition(filename)
    add_never_cache_headers(response)  # Cache-Control: ..., no-store, private
    return response


def attachment(body: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """Bytes built for one person (a PDF, a spreadsheet) as an attachment named ``filename``."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = disposition(filename)
    add_never_cache_headers(response)
    return response
