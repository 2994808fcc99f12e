"""Searching names whatever their case and accents, the same on PostgreSQL and SQLite: "gene" finds "Gené",
"JOSEP MARIA" finds "Josep Maria", "cabre" finds "Cabré".

``folded(*fields)`` is a database expression (the fields joined by a space, accents of the Catalan and Spanish
alphabets taken off, in lower case) and ``folded_text(text)`` does the same to what a person typed; compare them with
``__contains``. Both fold the same letters, so a search finds what it shows. No extension is needed (PostgreSQL's
``unaccent`` is not installed everywhere, SQLite has none); the search is a scan of the rows already filtered by scope,
as ``icontains`` would be.
"""

from __future__ import annotations

from django.db.models import CharField, Func, Value
from django.db.models.functions import Concat

ACCENTED = "àáâäèéêëìíîïòóôöùúûüçñÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜÇÑ"
PLAIN = "aaaaeeeeiiiioooouuuucnaaaaeeeeiiiioooouuuucn"
_TABLE = str.maketrans(ACCENTED, PLAIN)


class Folded(Func):
    """LOWER of the text without accents: TRANSLATE on PostgreSQL; on SQLite ``folded_text`` itself, registered as
    a function of the connection (nested REPLACEs, repeated once per word searched, overflow SQLite's parser);
    nested REPLACE elsewhere."""

    arity = 1
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        connection.ensure_connection()
        connection.connection.create_function("clo_folded", 1, _folded_or_null, deterministic=True)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"clo_folded({sql})", params

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        params = list(params)
        for accented, plain in zip(ACCENTED, PLAIN):
            sql = f"REPLACE({sql}, %s, %s)"
            params += [accented, plain]
        return f"LOWER({sql})", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"LOWER(TRANSLATE({sql}, %s, %s))", [*params, ACCENTED, PLAIN]


def folded(*fields: str) -> Folded:
    """The fields joined by a space, folded (for ``.annotate(...)`` then ``__contains`` with ``folded_text``)."""
    parts: list = []
    for field in fields:
        parts += [field, Value(" ")]
    return Folded(Concat(*parts[:-1], output_field=CharField()) if len(fields) > 1 else parts[0])


def _folded_or_null(text):
    return None if text is None else folded_text(text)


def folded_text(text: str) -> str:
    """What a person typed, folded as ``folded`` folds the database's text."""
    return (text or "").translate(_TABLE).lower()
