"""Read what a person sees on a page: figure cards (``<dt>`` → ``<dd>``) per section, and table rows by table id."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@dataclass
class Page:
    figures: dict[str, dict[str, str]] = field(default_factory=dict)  # section id → {label: value}
    tables: dict[str, list[list[str]]] = field(default_factory=dict)  # table id → body rows (cell texts)
    sections: list[str] = field(default_factory=list)  # ids of the <section>s, in order
    text: str = ""  # all visible text of <main>, whitespace collapsed


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = Page()
        self.section: str | None = None
        self.table: str | None = None
        self.in_tbody = False
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.dt: list[str] | None = None
        self.dd: list[str] | None = None
        self.last_dt = ""
        self.in_main = False
        self.main_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "section":
            self.section = attrs.get("id", "")
            self.page.sections.append(self.section)
            self.page.figures.setdefault(self.section, {})
        elif tag == "table":
            self.table = attrs.get("id", "")
            self.page.tables[self.table] = []
        elif tag == "tbody":
            self.in_tbody = True
        elif tag == "tr" and self.in_tbody:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "dt":
            self.dt = []
        elif tag == "dd":
            self.dd = []

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "section":
            self.section = None
        elif tag == "table":
            self.table = None
        elif tag == "tbody":
            self.in_tbody = False
        elif tag == "tr" and self.row is not None:
            self.page.tables[self.table].append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(_clean(" ".join(self.cell)))
            self.cell = None
        elif tag == "dt" and self.dt is not None:
            self.last_dt = _clean(" ".join(self.dt))
            self.dt = None
        elif tag == "dd" and self.dd is not None:
            self.page.figures.setdefault(self.section or "", {})[self.last_dt] = _clean(" ".join(self.dd))
            self.dd = None

    def handle_data(self, data):
        for bucket in (self.cell, self.dt, self.dd):
            if bucket is not None:
                bucket.append(data)
        if self.in_main:
            self.main_text.append(data)


def read(response) -> Page:
    reader = _Reader()
    reader.feed(response.content.decode())
    reader.page.text = _clean(" ".join(reader.main_text))
    return reader.page
