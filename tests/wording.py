"""What a Catalan official document must not contain: checked over the text of every PDF and the main pages."""

from __future__ import annotations

import re

MONTHS = "gener|febrer|març|abril|maig|juny|juliol|agost|setembre|octubre|novembre|desembre"
RULES = [
    # "de Andreu", "de Hug", "de Àrea": d' (not before a semiconsonant i/u + a, e, o: "de Iolanda", "de Huelva").
    ("no apostrophe", re.compile(r"\bde H?(?:[AEÈÉOÒÓÀ]|[IUÍÚ](?![aeoàèéòó]))[a-zà-ú]")),
    ("de + article not contracted", re.compile(r"\bde (?:el|els)\b")),
    ("unit noun without its article",
     re.compile(r"(?<!l')(?<!\bla )(?<!\bdel )\bde (?:Servei|Departament|Institut|Àrea|Secció|Unitat)\b")),
    ("raw key", re.compile(r"\b[a-z]+_[a-z_]+\b")),
    ("month without its preposition", re.compile(rf"\b\d{{1,2}} (?:{MONTHS})\b")),
    ("de before a month with a vowel", re.compile(r"\bde (?:abril|agost|octubre)\b")),
    ("a large figure without thousands separator", re.compile(r"(?<![\w.,/-])\d{5,}(?![\w,/-])(?!\.\d)")),
]


def problems(text: str) -> list[str]:
    text = " ".join(text.split())  # a PDF breaks lines anywhere
    found = []
    for name, pattern in RULES:
        for match in pattern.finditer(text):
            start = max(match.start() - 30, 0)
            found.append(f"{name}: …{text[start:match.end() + 30]}…")
    return found
