"""The audit page's reads: changes to tracked records (``core.AuditEntry``) and reads of personal data (of
assessments, ``evaluations.AssessmentReadLog``; of levels, gaps and learning plans, ``core.PersonalDataRead``, one
entry per read naming one or many people), filtered, with before → after made readable (field labels, choices'
labels, related records' names). Records blocked past their retention period are left out.

A page costs a fixed number of queries: the entries, then one query per kind of related record named in them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clo.core.audit import TRACKED_MODELS
from clo.core.models import AuditEntry, PersonalDataRead
from clo.people.models import Employee
from evaluations.models import AssessmentReadLog


def tracked_kinds() -> list[tuple[str, str]]:
    """(content type id, the model's name) of every tracked model, for the "kind of record" filter."""
    from django.apps import apps

    models = [apps.get_model(spec["model"]) for spec in TRACKED_MODELS]
    types = ContentType.objects.get_for_models(*models)
    return sorted(((str(types[m].pk), str(m._meta.verbose_name).capitalize()) for m in models), key=lambda t: t[1])


@dataclass
class Filters:
    kind: int | None = None
    person: Employee | None = None
    actor: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def _day_bounds(filters: Filters):
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(filters.since, dt.time.min, zone) if filters.since else None
    end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min, zone) if filters.until else None
    return start, end


def changes(filters: Filters) -> QuerySet:
    entries = AuditEntry.objects.readable().select_related("content_type", "actor")
    if filters.kind:
        entries = entries.filter(content_type_id=filters.kind)
    if filters.person:
        entries = entries.filter(person_id=filters.person.pk)
    if filters.actor:
        entries = entries.filter(actor__username=filters.actor)
    start, end = _day_bounds(filters)
    if start:
        entries = entries.filter(timestamp__gte=start)
    if end:
        entries = entries.filter(timestamp__lt=end)
    return entries.order_by("-timestamp", "-pk")


# The two logs of reads, as one list: the same columns from each (``src`` says which), newest first.
ASSESSMENTS, LEVELS = "a", "b"  # ``src``: the order of two reads at the same instant
READ_COLUMNS = ("src", "id_", "at", "who", "person", "people", "kind")


def _read_columns(rows: QuerySet, src: str, *, person: str, people) -> QuerySet:
    # every column an annotation, in the same order on both sides of the UNION; no ORDER BY inside it (SQLite)
    return rows.order_by().annotate(
        src=Value(src), id_=F("pk"), at=F("read_at"), who=F("username"), person=F(person), people=people,
        kind=F("page" if src == ASSESSMENTS else "what"),
    ).values_list(*READ_COLUMNS)


def reads(filters: Filters, *, after: tuple | None = None) -> QuerySet:
    """Reads of assessments and of levels, gaps and plans, newest first: rows of ``READ_COLUMNS``. ``after`` (the
    ``at``, ``src`` and ``id_`` of a row) gives the rows after it, for downloads read in chunks."""
    assessed = AssessmentReadLog.objects.filter(blocked_at__isnull=True)
    levels = PersonalDataRead.objects.filter(blocked_at__isnull=True)
    if filters.person:
        assessed = assessed.filter(employee=filters.person)
        levels = levels.filter(subjects__person_id=filters.person.pk)
    if filters.actor:
        assessed = assessed.filter(username=filters.actor)
        levels = levels.filter(username=filters.actor)
    start, end = _day_bounds(filters)
    if start:
        assessed, levels = assessed.filter(read_at__gte=start), levels.filter(read_at__gte=start)
    if end:
        assessed, levels = assessed.filter(read_at__lt=end), levels.filter(read_at__lt=end)
    if after is not None:
        at, src, pk = after
        sides = {ASSESSMENTS: assessed, LEVELS: levels}
        for side, rows in sides.items():
            if side < src:
                sides[side] = rows.filter(read_at__lte=at)
            elif side == src:
                sides[side] = rows.filter(Q(read_at__lt=at) | Q(read_at=at, pk__lt=pk))
            else:
                sides[side] = rows.filter(read_at__lt=at)
        assessed, levels = sides[ASSESSMENTS], sides[LEVELS]
    one = Cast(Value(1), IntegerField())
    return (
        _read_columns(assessed, ASSESSMENTS, person="employee_id", people=one)
        .union(_read_columns(levels, LEVELS, person="person_id", people=F("subject_count")), all=True)
        .order_by("-at", "-src", "-id_")
    )


@dataclass
class Read:
    at: dt.datetime
    who: str
    person: str
    what: str


def readable_reads(rows, filters: Filters) -> list[Read]:
    """The rows of ``reads`` with the person's name (one query for the page) or how many people a read named,
    and what was read in words."""
    rows = list(rows)
    wanted = {row[4] for row in rows if row[4]} | ({filters.person.pk} if filters.person else set())
    names = {e.pk: e.full_name
             for e in Employee.objects.filter(pk__in=wanted).only("pk", "first_name", "last_name")} if wanted else {}
    pages = {**{(ASSESSMENTS, k): v for k, v in AssessmentReadLog.Page.choices},
             **{(LEVELS, k): v for k, v in PersonalDataRead.What.choices}}
    found = []
    for src, _id, at, who, person, people, kind in rows:
        if people == 1:
            whose = names.get(person, f"#{person}")
        elif filters.person:
            whose = _("%(person)s, among %(count)s people") % {"person": filters.person.full_name, "count": people}
        else:  # a list or a download: two people or more
            whose = _("%(count)s people") % {"count": people}
        found.append(Read(at, who, whose, str(pages.get((src, kind), kind))))
    return found


# --- before → after, readable ----------------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: str
    after: str


# auditlog ships no Catalan or Spanish: the actions are named here.
ACTION_LABELS = {AuditEntry.Action.CREATE: gettext_lazy("Created"), AuditEntry.Action.UPDATE: gettext_lazy("Changed"),
                 AuditEntry.Action.DELETE: gettext_lazy("Deleted"), AuditEntry.Action.ACCESS: gettext_lazy("Read")}


@dataclass
class Row:
    entry: AuditEntry
    kind: str
    person: str
    changes: list[Change] = field(default_factory=list)

    @property
    def action(self) -> str:
        return str(ACTION_LABELS.get(self.entry.action, self.entry.action))

    @property
    def record(self) -> str:
        """The record's name. An entry written in bulk (``record_bulk_change``) stored only its kind and id, in the
        language of the day: it is named here in the reader's language, with the person it is about
        ("Inscripció #12 · Anna Puig Soler")."""
        entry = self.entry
        if not (entry.additional_data or {}).get("bulk"):
            return entry.object_repr
        label = f"{self.kind} #{entry.object_id if entry.object_id is not None else entry.object_pk}"
        return f"{label} · {self.person}" if self.person else label


def _field(model, name):
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if hasattr(found, "verbose_name") else None  # not a reverse relation


def _plain(field_, value, names: dict) -> str:
    if value is None or value == "None":
        return "—"
    if field_ is None:
        return str(value)
    if field_.many_to_one or field_.one_to_one:
        return names.get((field_.related_model, str(value)), f"#{value}")
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    kind = field_.get_internal_type()
    if kind == "BooleanField":
        return _("Yes") if value in (True, "True", "true") else _("No")
    if kind == "DateTimeField" and isinstance(value, str) and (moment := parse_datetime(value)):
        aware = moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.timezone.utc)  # auditlog: UTC
        return localize(timezone.localtime(aware))
    if kind == "DateField" and isinstance(value, str) and (day := parse_date(value[:10])):
        return localize(day)
    return str(value)


def readable(entries) -> list[Row]:
    """The entries with each change as (field label, before, after); related records' names fetched together."""
    entries = list(entries)
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            field_ = _field(model, name) if model else None
            if field_ is not None and (field_.many_to_one or field_.one_to_one) and isinstance(values, list):
                wanted[field_.related_model].update(str(v) for v in values if v not in (None, "None"))
    names: dict[tuple, str] = {}
    for model, ids in wanted.items():
        valid = [i for i in ids if i.isdigit()]
        # Their names often read a parent (a session's program, a plan's employee): load those in the same query.
        parents = [f.name for f in model._meta.concrete_fields if f.many_to_one]
        for obj in model._base_manager.filter(pk__in=valid).select_related(*parents):
            names[(model, str(obj.pk))] = str(obj)
    people = {e.pk: e.full_name for e in Employee.objects.filter(pk__in={e.person_id for e in entries if e.person_id})
              .only("pk", "first_name", "last_name")}
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        row = Row(entry, str(model._meta.verbose_name).capitalize() if model else entry.content_type.model,
                  people.get(entry.person_id, ""))
        for name, values in (entry.changes or {}).items():
            field_ = _field(model, name) if model else None
            if model is not None and (field_ is None or field_.primary_key) and not isinstance(values, dict):
                continue  # the id, and reverse relations auditlog lists when an object is created
            label = str(field_.verbose_name).capitalize() if field_ is not None else name
            if isinstance(values, dict) and values.get("type") == "m2m":
                objects = ", ".join(values.get("objects", []))
                before, after = ("", objects) if values.get("operation") == "add" else (objects, "")
                row.changes.append(Change(label, before or "—", after or "—"))
            elif isinstance(values, list) and len(values) == 2:
                row.changes.append(Change(label, _plain(field_, values[0], names), _plain(field_, values[1], names)))
        rows.append(row)
    return rows


def changes_text(row: Row) -> str:
    return "; ".join(f"{c.label}: {c.before} → {c.after}" for c in row.changes)
