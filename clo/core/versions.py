"""The versions of the data a page reads: one counter per source ("gaps", "people", "competencies", "programs";
"succession", the talent tables of the knowledge-at-risk map and bench strength),
raised at commit by every transaction that changed one of the source's tables (the triggers of
``clo.core.db.VersionedTables``, whoever writes). A rendering stored under the counters it read is current while
they are unchanged: no time-to-live decides.

The counters are read like the data, through the database router: from the replica when the page reads there, from
the primary when the person is pinned to it after a write (``clo.core.replica``), so a rendering is never stored
under counters newer than the data it was made from. PostgreSQL only: on SQLite (the embedded default) nothing is
versioned and ``enabled()`` is False."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections, router

SOURCES = ("competencies", "gaps", "people", "programs")


def enabled() -> bool:
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"


def reading_from() -> str:
    """The database the page's reads go to now (the replica's state may change during a request)."""
    from clo.core.models import DataVersion

    return router.db_for_read(DataVersion)


def current(sources: Iterable[str] = SOURCES) -> tuple[int, ...]:
    """The counters of ``sources``, in that order (one query)."""
    from clo.core.models import DataVersion

    sources = tuple(sources)
    found = dict(DataVersion.objects.filter(source__in=sources).values_list("source", "counter"))
    return tuple(found.get(source, 0) for source in sources)
