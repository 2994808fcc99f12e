"""Checks every uploaded file goes through: size, type by content (not only by extension), and a safe stored name.

A field names the kinds it accepts (``validate_upload(file, kinds={"pdf", "docx"}, max_bytes=...)``); the kind is
found from the extension and must be confirmed by the first bytes of the file (and, for the office formats that are
ZIP packages, by the entries the package must hold). ``safe_name`` keeps only the last component of a name, with
letters, digits, ``-``, ``_`` and one extension; ``stored_name`` prefixes it with a random token so that uploads never
overwrite or guess each other, and ``display_name`` gives the person's file name back for downloads.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
import zipfile

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# kind: (extensions, signatures the content starts with, entry a ZIP package must hold or ODF mimetype)
_KINDS: dict[str, tuple[tuple[str, ...], tuple[bytes, ...], str | None]] = {
    "pdf": (("pdf",), (b"%PDF-",), None),
    "png": (("png",), (b"\x89PNG\r\n\x1a\n",), None),
    "jpeg": (("jpg", "jpeg"), (b"\xff\xd8\xff",), None),
    "doc": (("doc",), (_OLE,), None),
    "xls": (("xls",), (_OLE,), None),
    "ppt": (("ppt",), (_OLE,), None),
    "docx": (("docx",), (_ZIP,), "word/document.xml"),
    "xlsx": (("xlsx",), (_ZIP,), "xl/workbook.xml"),
    "pptx": (("pptx",), (_ZIP,), "ppt/presentation.xml"),
    "odt": (("odt",), (_ZIP,), "application/vnd.oasis.opendocument.text"),
    "ods": (("ods",), (_ZIP,), "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": (("odp",), (_ZIP,), "application/vnd.oasis.opendocument.presentation"),
    "txt": (("txt",), (), None),
    "csv": (("csv",), (), None),
}
KINDS = frozenset(_KINDS)
_KIND_OF_EXTENSION = {extension: kind for kind, (extensions, _s, _e) in _KINDS.items() for extension in extensions}
# Binary formats a text file must not turn out to be.
_BINARY_SIGNATURES = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", _ZIP, _OLE, b"MZ", b"\x7fELF", b"GIF8")

_CHUNK = 64 * 1024

_TOKEN = re.compile(r"^[0-9a-f]{16}-")
_NAME_MAX = 100


def extensions_of(kinds: set[str] | frozenset[str]) -> list[str]:
    """The file extensions the given kinds accept (for ``FileExtensionValidator`` and the ``accept`` attribute)."""
    return [extension for kind in sorted(kinds) for extension in _KINDS[kind][0]]


def safe_name(name: str, *, max_stem: int = _NAME_MAX) -> str:
    """The last component of ``name`` with only letters, digits, ``-``, ``_`` and dots inside; never empty, never a
    hidden or relative name. ``"../../etc/passwd"`` → ``"passwd"``, ``"C:\\docs\\Pla 2026.pdf"`` → ``"Pla_2026.pdf"``."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", str(name or "")))[-1]
    base = "".join(char for char in base if char.isprintable())
    base = re.sub(r"\s+", "_", re.sub(r"[^\w.\- ]", "", base).strip())
    base = re.sub(r"\.{2,}", ".", base).strip("._-")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    stem, extension = stem[:max_stem].rstrip("._-"), extension[:10]
    if not stem:
        stem = "file"
    return f"{stem}.{extension.lower()}" if extension else stem


def stored_name(name: str) -> str:
    """A fresh name to store an upload under: a random token, then the safe name (short enough for a FileField's
    100 characters with its folder)."""
    return f"{secrets.token_hex(8)}-{safe_name(name, max_stem=60)}"


def display_name(stored: str) -> str:
    """The file name to offer on download: the stored name without its folder and token."""
    return _TOKEN.sub("", str(stored).rsplit("/", 1)[-1])


def _kind_labels(kinds) -> str:
    return ", ".join(f".{extension}" for extension in extensions_of(kinds))


def _contains_nul(upload) -> bool:
    """Whether a NUL byte is anywhere in the file, read a chunk at a time (not only in its first bytes)."""
    upload.seek(0)
    try:
        while chunk := upload.read(_CHUNK):
            if b"\x00" in chunk:
                return True
        return False
    finally:
        upload.seek(0)


def _content_matches(upload, kind: str) -> bool:
    _extensions, signatures, package_entry = _KINDS[kind]
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if not signatures:  # text: no NUL byte, and not a known binary format renamed
        return b"\x00" not in head and not head.startswith(_BINARY_SIGNATURES)
    if not head.startswith(signatures):
        return False
    if package_entry is None:
        return True
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if package_entry.startswith("application/"):  # OpenDocument: a "mimetype" entry names the format
                with package.open("mimetype") as mimetype:
                    return "mimetype" in names and mimetype.read(100).decode("ascii", "replace") == package_entry
            return package_entry in names
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def validate_upload(file, *, kinds: set[str], max_bytes: int) -> str:
    """Check an uploaded file; return its kind (``"pdf"``, ``"xlsx"``...) or raise ``ValidationError`` with a
    message for the person who chose the file."""
    unknown = set(kinds) - KINDS
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    name = safe_name(getattr(file, "name", ""))
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    kind = _KIND_OF_EXTENSION.get(extension)
    if kind not in kinds:
        raise ValidationError(
            format_lazy("{} {}", _("This type of file is not accepted."),
                        _("Accepted types: %(types)s.") % {"types": _kind_labels(kinds)}),
            code="file_type",
        )
    size = file.size or 0
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="file_size",
            params={"size": f"{size / 1024 / 1024:.1f}", "limit": f"{max_bytes / 1024 / 1024:g}"},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if not _KINDS[kind][1] and _contains_nul(file):  # a text kind: no NUL byte anywhere
        raise ValidationError(
            _("The file contains a NUL byte, which a text file cannot hold: save it again as .%(extension)s from "
              "your program."),
            code="file_nul", params={"extension": extension},
        )
    if not _content_matches(file, kind):
        raise ValidationError(
            _("The file's content does not match its type (.%(extension)s)."),
            code="file_content", params={"extension": extension},
        )
    return kind
