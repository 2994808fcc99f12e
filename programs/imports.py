"""Importers of the catalogue and of historic training records, see ``clo.core.imports``.

Programs: natural key the program's code. Historic training records (training done before clo, or elsewhere): one
row per employee × program × start date; each becomes an enrolment of a finished *historic session* of the program
that starts that day (code ``H<yyyymmdd>-<program code>``, created on the first import that needs it), completed
(with its completion date, the end date) or only attended, with the hours attended. Completed trainings are
evidence for the gap engine: after the import the employees concerned are re-consolidated on commit (each one when
they are few, or one full run with full consolidation for a large file).

Both files stream (see ``clo.core.imports.writes``): read a chunk at a time into a staging table, checked across
rows, compared and written in SQL, the training records' audit entries included (programs are not in the audit
trail). A program's title and objectives are written in the language of the import, as the ORM writes them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import get_language, resolution_order

from clo.core.imports import writes
from clo.core.imports.registry import (
    DUPLICATE,
    Column,
    Importer,
    Plan,
    RowError,
    RowReader,
    choice_map,
    register,
)
from clo.core.tasks import queue_on_commit
from clo.people.models import Employee
from programs.models import Enrolment, Modality, Program, ProgramCompetency, Session
from programs.translation import ProgramTranslation

BATCH = 2000
AUDITED = ["status", "completed_on", "hours_attended"]
REFRESH_EACH_UP_TO = 200  # employees re-consolidated one by one; above, one full run

UNKNOWN_PROGRAM = gettext_noop("Unknown program code “%(value)s”.")
UNKNOWN_EMPLOYEE = gettext_noop("Unknown employee number “%(value)s”.")
END_BEFORE_START = gettext_noop("The end date cannot come before the start date.")
DUPLICATE_RECORD = gettext_noop(
    "This employee, program and start date appear more than once in the file (first in row %(first)s)."
)
HISTORIC_PLACE = "—"


PROGRAM_FIELDS = ["title", "modality", "hours", "provider", "cost", "cost_basis", "is_open", "objectives"]
TRANSLATED = ["title", "objectives"]  # of PROGRAM_FIELDS, translated (django-modeltranslation: title_ca, ...)
# The rows of a programs file with a code, staged (``valid`` false for a row in error: kept for the repeated
# codes). Then, in SQL: the row it repeats (``duplicate_of``), the program it updates (``program_id``) and what the
# import does to it (``action``: "create", "update" or NULL, unchanged).
PROGRAM_STAGE = writes.Staging("import_program_rows", [
    ("row_number", "integer NOT NULL"), ("code", "text NOT NULL"), ("code_raw", "text"), ("valid", "boolean NOT NULL"),
    ("title", "varchar(200)"), ("modality", "varchar(14)"), ("hours", "numeric(6, 1)"), ("provider", "varchar(200)"),
    ("cost", "numeric(10, 2)"), ("cost_basis", "varchar(8)"), ("is_open", "boolean"), ("objectives", "text"),
    ("duplicate_of", "integer"), ("program_id", "bigint"), ("action", "varchar(10)"),
])
PROGRAM_STAGED = ["row_number", "code", "code_raw", "valid", *PROGRAM_FIELDS]
_PROGRAMS = Program._meta.db_table
_PROGRAM_KEPT = "valid AND duplicate_of IS NULL"  # SQL: the first row of its code, passed its own checks


@register
class ProgramImporter(Importer):
    kind = "programs"
    order = 50
    label = _("Training programs")
    description = _("The training catalogue: each program with its modality, hours and cost.")
    columns = [
        Column("code", _("Program code (unique)."), required=True, example="FOR-2026-01"),
        Column("title", _("Title of the program."), required=True, example="Redacció administrativa clara"),
        Column("modality", _("face_to_face, online, blended, mentoring, coaching or community."), required=True,
               example="online"),
        Column("hours", _("Hours (a decimal comma is accepted)."), required=True, example="7,5"),
        Column("provider", _("Provider (optional)."), example="Escola d'Administració Pública de Catalunya"),
        Column("cost", _("Cost in euros (0 if empty)."), example="350,00"),
        Column("cost_basis", _("seat or session: what the cost is for (seat if empty)."), example="seat"),
        Column("open_enrolment", _("Open enrolment without the director's decision: yes or no."), example="no"),
        Column("objectives", _("Objectives (optional)."), example="Escriure documents clars i accessibles."),
    ]
    streams = True

    @staticmethod
    def _read(row, errors: list[RowError], modalities, bases) -> tuple | None:
        """One row checked on its own, as the tuple to stage (``PROGRAM_STAGED``), or None without a code."""
        r = RowReader(row, errors)
        code = r.text("code", max_length=30, required=True)
        title = r.text("title", max_length=200, required=True)
        modality = r.choice("modality", modalities)
        hours = r.decimal("hours", required=True, minimum=Decimal("0.1"), maximum=Decimal("99999.9"), places=1)
        provider = r.text("provider", max_length=200)
        cost = r.decimal("cost", minimum=Decimal(0), maximum=Decimal("99999999.99"), default=Decimal("0.00"))
        cost_basis = r.choice("cost_basis", bases, default=Program.CostBasis.PER_SEAT)
        is_open = r.boolean("open_enrolment")
        objectives = r.text("objectives", max_length=10000)
        if not code:
            return None
        if not r.ok:
            return (row.number, code, row.values.get("code", ""), False, *([None] * 8))
        return (row.number, code, row.values.get("code", ""), True, title, modality, hours, provider, cost,
                cost_basis, is_open, objectives)

    def plan(self, rows, *, progress=None) -> Plan:
        """One pass over the file, a chunk at a time: each row checked on its own and staged
        (``PROGRAM_STAGE``); nothing else kept in memory. Then in SQL over the staged rows: the repeated codes and
        the comparison with the catalogue, whose titles and objectives are read in the active language as the
        ORM reads them (``_translated``)."""
        plan = Plan()
        errors: list[RowError] = []
        modalities, bases = choice_map(Modality.choices), choice_map(Program.CostBasis.choices)
        PROGRAM_STAGE.create()
        writes.stream(rows, PROGRAM_STAGE, lambda row: self._read(row, errors, modalities, bases),
                      columns=PROGRAM_STAGED, size=CHUNK, progress=progress)
        PROGRAM_STAGE.index("row_number")
        PROGRAM_STAGE.index("code", unique=False)
        errors += [RowError(row, "code", DUPLICATE, {"value": raw, "first": first})
                   for row, first, raw in writes.mark_repeated(PROGRAM_STAGE, ("code",), also="code_raw")]
        language = get_language()  # the one the ORM writes a translated field in (active, or the default)
        read = {**{field: f"p.{field}" for field in PROGRAM_FIELDS},
                **{field: _translated(field, language) for field in TRANSLATED}}
        changed = " OR ".join([*(f"{read[field]} IS DISTINCT FROM s.{field}" for field in PROGRAM_FIELDS),
                               "NOT p.active"])
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {PROGRAM_STAGE.name} AS s SET program_id = p.id, "
                           f"action = CASE WHEN {changed} THEN 'update' END FROM {_PROGRAMS} p "
                           f"WHERE p.code = s.code AND s.valid AND s.duplicate_of IS NULL")
            cursor.execute(f"UPDATE {PROGRAM_STAGE.name} SET action = 'create' "
                           f"WHERE {_PROGRAM_KEPT} AND program_id IS NULL")
        plan.create, plan.update, plan.unchanged = writes.counted(PROGRAM_STAGE, _PROGRAM_KEPT)
        plan.errors, plan.payload = errors, {"language": language}
        return plan

    def apply(self, plan: Plan) -> None:
        """Set-based, from the staged rows: the new programs (``INSERT … SELECT``) and the updates (``UPDATE …
        FROM``). The translated fields are written as the ORM writes them in the language of the import
        (``Program.objects.create(title=…)``, ``save()``): the field's own column and the language's (``title`` and
        ``title_es`` for an import in Spanish), the other languages' left as they are (empty for a new program),
        read through modeltranslation's fallbacks. Programs are not in the audit trail."""
        if not plan.create and not plan.update:
            return
        language = plan.payload["language"]
        translated = {f"{field}_{code}": f"s.{field}" if code == language and field in TRANSLATED else "NULL"
                      for field in ProgramTranslation.fields for code in AVAILABLE_LANGUAGES}
        with connection.cursor() as cursor:
            writes.insert_from(Program, {
                "code": "s.code", **{field: f"s.{field}" for field in PROGRAM_FIELDS}, **translated,
                "active": "TRUE",
            }, f"{PROGRAM_STAGE.name} s WHERE s.action = 'create' ORDER BY s.row_number")
            assignments = [f"{field} = s.{field}" for field in PROGRAM_FIELDS]
            assignments += [f"{field}_{language} = s.{field}" for field in TRANSLATED]
            cursor.execute(f"UPDATE {_PROGRAMS} SET {', '.join(assignments)}, active = TRUE "
                           f"FROM {PROGRAM_STAGE.name} s WHERE s.action = 'update' AND {_PROGRAMS}.id = s.program_id")

    def release(self) -> None:
        PROGRAM_STAGE.drop()


def _translated(field: str, language: str) -> str:
    """SQL for a program's translated ``field`` as the ORM reads it in ``language``: the first of the language and
    its fallbacks that is neither null nor empty, else empty (``p``: the program)."""
    columns = ", ".join(f"NULLIF(p.{field}_{code}, '')" for code in resolution_order(language))
    return f"COALESCE({columns}, '')"


def historic_session_code(program_code: str, start: dt.date) -> str:
    return f"H{start:%Y%m%d}-{program_code}"[:40]


def _date(value) -> dt.date:
    """A date read by raw SQL (SQLite gives its text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


def _day_end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


CHUNK = writes.CHUNK  # rows read, checked and staged at a time

# The rows of a training records file, staged: those with an employee number (``valid`` false for a row in error,
# kept to look the number up with the row's other errors). Then, in SQL: the employee, the row it repeats
# (``duplicate_of``), the historic session and enrolment when they exist, and what the import does to the row
# (``action``: "create", "update" or NULL, unchanged).
STAGE = writes.Staging("import_training_rows", [
    ("row_number", "integer NOT NULL"), ("employee_number", "text NOT NULL"), ("valid", "boolean NOT NULL"),
    ("program_id", "bigint"), ("code", "varchar(40)"), ("start_date", "date"), ("end_date", "date"),
    ("status", "varchar(10)"), ("completed_on", "date"), ("hours_attended", "numeric(6, 1)"),
    ("employee_id", "bigint"), ("duplicate_of", "integer"), ("session_id", "bigint"), ("enrolment_id", "bigint"),
    ("action", "varchar(10)"),
])
STAGED = ["row_number", "employee_number", "valid", "program_id", "code", "start_date", "end_date", "status",
          "completed_on", "hours_attended"]
CHANGES = "import_training_changes"  # what apply wrote, for the audit trail
_EMPLOYEES = Employee._meta.db_table
_SESSIONS = Session._meta.db_table
_ENROLMENTS = Enrolment._meta.db_table
_CERTIFYING = ProgramCompetency._meta.db_table
# SQL: a staged row to write (checked, its employee found, not a repetition), and one that differs from its enrolment.
_VALID = f"{STAGE.name}.valid AND {STAGE.name}.employee_id IS NOT NULL AND {STAGE.name}.duplicate_of IS NULL"
_CHANGED = " OR ".join(f"en.{field} IS DISTINCT FROM {STAGE.name}.{field}" for field in AUDITED)


@register
class TrainingRecordImporter(Importer):
    kind = "training"
    order = 60
    label = _("Historic training records")
    description = _(
        "Training people did before (or outside) this application: employee, program, dates, hours and whether "
        "they completed it. Completed trainings count as evidence for the competencies their program certifies."
    )
    columns = [
        Column("employee_number", _("Employee number."), required=True, example="E000123"),
        Column("program_code", _("Code of the program (import the programs first)."), required=True,
               example="FOR-2026-01"),
        Column("start_date", _("Start date, dd/mm/yyyy or yyyy-mm-dd."), required=True, example="03/02/2025"),
        Column("end_date", _("End date (the start date if empty); the completion date."), example="05/02/2025"),
        Column("hours", _("Hours attended (a decimal comma is accepted)."), required=True, example="7,5"),
        Column("completed", _("Completed: yes or no (yes if empty)."), example="yes"),
    ]
    streams = True

    def _read(self, row, errors: list[RowError], programs: dict[str, int]) -> tuple | None:
        """One row checked on its own, as the tuple to stage (``STAGED``), or None without an employee number to
        look up. A row in error is staged too (``valid`` false): an unknown employee number is found in SQL, with
        the row's other errors."""
        r = RowReader(row, errors)
        number = r.text("employee_number", max_length=20, required=True)
        program = r.text("program_code", max_length=30, required=True)
        start = r.date("start_date", required=True)
        end = r.date("end_date") or start
        hours = r.decimal("hours", required=True, minimum=Decimal(0), maximum=Decimal("99999.9"), places=1)
        completed = r.boolean("completed", default=True)
        if program and program not in programs:
            r.error("program_code", UNKNOWN_PROGRAM, value=program)
        if start and end and end < start:
            r.error("end_date", END_BEFORE_START)
        if not number:
            return None
        if not r.ok:
            return (row.number, number, False, None, None, None, None, None, None, None)
        status = Enrolment.Status.COMPLETED if completed else Enrolment.Status.ATTENDED
        return (row.number, number, True, programs[program], historic_session_code(program, start), start, end,
                status, end if completed else None, hours)

    def plan(self, rows, *, progress=None) -> Plan:
        """One pass over the file, a chunk at a time: each row checked on its own and staged (``STAGE``); nothing
        else kept in memory. Then in SQL over the staged rows: the employees looked up, the records repeated in the
        file, the comparison with the enrolments, and who gets new evidence."""
        plan, errors = Plan(), []
        programs = dict(Program.objects.values_list("code", "id"))
        STAGE.create()
        writes.stream(rows, STAGE, lambda row: self._read(row, errors, programs), columns=STAGED, size=CHUNK,
                      progress=progress)
        STAGE.index("row_number")
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {STAGE.name} SET employee_id = e.id FROM {_EMPLOYEES} e "
                           f"WHERE e.employee_number = {STAGE.name}.employee_number")
            cursor.execute(f"SELECT row_number, employee_number FROM {STAGE.name} WHERE employee_id IS NULL")
            errors += [RowError(row, "employee_number", UNKNOWN_EMPLOYEE, {"value": number})
                       for row, number in cursor.fetchall()]
            # A record repeated in the file (the same employee, program and start date: the same historic session)
            # is an error on every row after the first that passed its own checks.
            errors += [RowError(row, "start_date", DUPLICATE_RECORD, {"first": first})
                       for row, first in writes.mark_repeated(STAGE, ("employee_id", "code"), among="valid")]
            self._compare(cursor, plan)
        plan.errors = errors
        return plan

    @staticmethod
    def _compare(cursor, plan: Plan) -> None:
        """What the valid staged rows do (create, update, unchanged), and the employees with new evidence: a
        completion that changes, on a program that certifies competencies."""
        cursor.execute(f"UPDATE {STAGE.name} SET session_id = se.id FROM {_SESSIONS} se "
                       f"WHERE se.code = {STAGE.name}.code AND {_VALID}")
        cursor.execute(f"UPDATE {STAGE.name} SET enrolment_id = en.id, action = CASE WHEN {_CHANGED} THEN 'update' "
                       f"END FROM {_ENROLMENTS} en WHERE en.session_id = {STAGE.name}.session_id "
                       f"AND en.employee_id = {STAGE.name}.employee_id AND {_VALID}")
        cursor.execute(f"UPDATE {STAGE.name} SET action = 'create' WHERE {_VALID} AND enrolment_id IS NULL")
        cursor.execute(f"SELECT COUNT(*) FILTER (WHERE action = 'create'), COUNT(*) FILTER (WHERE action = 'update'), "
                       f"COUNT(*) FILTER (WHERE action IS NULL) FROM {STAGE.name} WHERE {_VALID}")
        plan.create, plan.update, plan.unchanged = cursor.fetchone()
        cursor.execute(
            f"SELECT DISTINCT s.employee_id FROM {STAGE.name} s LEFT JOIN {_ENROLMENTS} en ON en.id = s.enrolment_id "
            f"WHERE s.action IS NOT NULL AND s.program_id IN (SELECT program_id FROM {_CERTIFYING}) AND "
            f"(en.id IS NULL AND s.completed_on IS NOT NULL OR en.id IS NOT NULL AND "
            f"(en.status IS DISTINCT FROM s.status OR en.completed_on IS DISTINCT FROM s.completed_on)) "
            f"ORDER BY s.employee_id LIMIT %s", [REFRESH_EACH_UP_TO + 1])
        plan.payload = {"evidence": {employee_id for (employee_id,) in cursor.fetchall()}}

    def _sessions(self) -> None:
        """The historic sessions the records need: created, or stretched to their latest end and seat count (one
        row per session, that is per program and start date, whatever the number of people)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT code, MIN(program_id), MIN(start_date), MAX(end_date), COUNT(*), MIN(session_id) "
                           f"FROM {STAGE.name} WHERE action IS NOT NULL GROUP BY code ORDER BY code")
            wanted = [(code, program_id, _date(start), _date(end), seats, pk)
                      for code, program_id, start, end, seats, pk in cursor.fetchall()]
        new = [Session(program_id=program_id, code=code, starts_at=_day_start(start), ends_at=_day_end(end),
                       place=HISTORIC_PLACE, capacity=max(seats, 1), status=Session.Status.FINISHED)
               for code, program_id, start, end, seats, pk in wanted if pk is None]
        Session.objects.bulk_create(new, batch_size=BATCH)
        existing = [(pk, end, seats) for _code, _program, _start, end, seats, pk in wanted if pk is not None]
        current: dict[int, tuple[dt.datetime, int]] = {}
        for start in range(0, len(existing), BATCH):
            current.update((pk, (ends_at, capacity)) for pk, ends_at, capacity in Session.objects.filter(
                pk__in=[pk for pk, _end, _seats in existing[start:start + BATCH]]).values_list(
                "id", "ends_at", "capacity"))
        stretched = [Session(id=pk, ends_at=max(current[pk][0], _day_end(end)), capacity=current[pk][1] + seats)
                     for pk, end, seats in existing if _day_end(end) > current[pk][0] or seats > current[pk][1]]
        writes.bulk_update(Session, stretched, ["ends_at", "capacity"], batch_size=BATCH)
        if new:
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {STAGE.name} SET session_id = se.id FROM {_SESSIONS} se "
                               f"WHERE se.code = {STAGE.name}.code AND {STAGE.name}.action = 'create' "
                               f"AND {STAGE.name}.session_id IS NULL")

    def apply(self, plan: Plan) -> None:
        """Set-based, from the staged rows: the historic sessions, the before-images of the updates, the new
        enrolments (``INSERT … SELECT``, their ids taken first), the updates (``UPDATE … FROM``), then the audit
        trail (``INSERT … SELECT``)."""
        if not plan.create and not plan.update:
            return
        self._sessions()
        changes = writes.changes_table(CHANGES)
        changes.create()
        audited = [("status", "s.status"), ("completed_on", "s.completed_on"),
                   ("hours_attended", writes.decimal_text("s.hours_attended", 1))]
        before = {"status": "en.status", "completed_on": "en.completed_on",
                  "hours_attended": writes.decimal_text("en.hours_attended", 1)}
        with connection.cursor() as cursor:
            diff = writes.json_diff([(field, before[field], after) for field, after in audited])
            cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes, person_id) SELECT s.enrolment_id, "
                           f"'update', {diff}, s.employee_id FROM {STAGE.name} s "
                           f"JOIN {_ENROLMENTS} en ON en.id = s.enrolment_id WHERE s.action = 'update'")
            STAGE.take_ids(Enrolment, column="enrolment_id", where="action = 'create'")
            writes.insert_from(Enrolment, {
                "id": "s.enrolment_id", "session_id": "s.session_id", "employee_id": "s.employee_id",
                "status": "s.status", "completed_on": "s.completed_on", "hours_attended": "s.hours_attended",
            }, f"{STAGE.name} s WHERE s.action = 'create' ORDER BY s.row_number")
            created = writes.json_diff([("session_id", "NULL", "s.session_id"),
                                        *((field, "NULL", after) for field, after in audited)])
            cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes, person_id) SELECT s.enrolment_id, "
                           f"'create', {created}, s.employee_id FROM {STAGE.name} s WHERE s.action = 'create'")
            cursor.execute(f"UPDATE {_ENROLMENTS} SET status = s.status, completed_on = s.completed_on, "
                           f"hours_attended = s.hours_attended FROM {STAGE.name} s "
                           f"WHERE s.action = 'update' AND {_ENROLMENTS}.id = s.enrolment_id")
        writes.changes_recorded(Enrolment, table=changes.name, job_id=None)  # training records have no undo
        changes.drop()
        # The dashboards' training figures: one rebuild for the batch, on commit.
        queue_on_commit("programs.training_rollup_rebuild")
        self._refresh(plan.payload["evidence"])

    def release(self) -> None:
        STAGE.drop()
        writes.changes_table(CHANGES).drop()

    def _refresh(self, employee_ids: set[int]) -> None:
        from evaluations.gaps import services as gaps

        if not employee_ids:
            return
        if len(employee_ids) <= REFRESH_EACH_UP_TO:
            for employee_id in sorted(employee_ids):
                gaps.gaps_schedule_employee_refresh(employee_id, evidence_only=True)
        else:
            gaps.gaps_request_run(full_consolidation=True)
