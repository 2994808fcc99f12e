"""Control characters in text: what a person types or pastes is kept without them, and every file the project writes
(CSV, XLSX, PDF) leaves them out of what it already holds.

They are invisible and mean nothing in the council's text; they come from pasting (a word processor's manual line
break is a vertical tab, its table cell ends with a bell character) or from a hostile client. XML 1.0 forbids most of
them, so one of them in a cell makes an XLSX file impossible to write, and a spreadsheet or a PDF reader may choke on
the rest. Tab, line feed and carriage return are ordinary whitespace and stay in multi-line text.
"""

from __future__ import annotations

import re

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; the two noncharacters XML forbids;
# lone surrogates (they cannot be encoded as UTF-8).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAK = re.compile("[\x0b\x0c]")  # vertical tab and form feed: a line (or page) break where they come from
_WHITESPACE = re.compile("[\t\n\r\x0b\x0c]")


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL.search(value) or _BREAK.search(value))


def without_control_characters(value: str, *, multiline: bool = True) -> str:
    """``value`` without control characters. In multi-line text a vertical tab or a form feed becomes a line break;
    in one-line text every line break or tab becomes a space."""
    value = _CONTROL.sub("", value)
    if multiline:
        return _BREAK.sub("\n", value)
    return _WHITESPACE.sub(" ", value)
