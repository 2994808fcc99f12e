"""Importers of the organisation from the HR system: units, positions, employees (see ``clo.core.imports``).

Natural keys: the unit's code, the position's code, the employee number. An employees file updates the people in
it; only when the person importing it says it is the whole staff register is an employee who is in the database but
not in the file deactivated (``active=False``; never deleted, their history stays). Every file is read a chunk at a
time and staged in a temporary table, from which it is checked across rows (the employees: repeated numbers,
managers, cycles of managers), compared and written in SQL, its audit entries included (``streams``: see
``clo.core.imports.engine``): nothing is kept in memory per row; only the unit tree is walked in Python for cycles
(``UnitImporter.plan``). Writes are set-based; the gap engine is told once per import, on commit (the units whose
people changed are recounted; a change of the unit tree asks for a full run, which recomputes the subtree figures).
An employees import can be undone (``undo``).
"""

from __future__ import annotations

from contextlib import contextmanager, suppress

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

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
from clo.people import services
from clo.people.models import Employee, OrgUnit, Position

BATCH = 2000
PROGRESS_EVERY = 5000
SAMPLE = 50

UNIT_CYCLE = gettext_noop("This parent would make a cycle of units: %(cycle)s.")
MANAGER_CYCLE = gettext_noop("This manager would make a cycle of managers: %(cycle)s.")
UNKNOWN_UNIT = gettext_noop("Unknown unit code “%(value)s”.")
UNKNOWN_POSITION = gettext_noop("Unknown position code “%(value)s”.")
UNKNOWN_EMPLOYEE = gettext_noop("Unknown employee number “%(value)s”.")
MANAGER_ROW_IN_ERROR = gettext_noop("The manager “%(value)s” is in row %(row)s, which has errors.")
MANAGER_NOT_IN_FILE = gettext_noop(
    "The manager “%(value)s” is not in the file: they would be deactivated. Add them to the file."
)
CRITICALITY_NOT_CRITICAL = gettext_noop("Only a critical position has a criticality: set “critical” to yes or leave "
                                        "the criticality empty.")
REASON_NOT_CRITICAL = gettext_noop("Only a critical position has a reason for being critical.")
RETIREMENT_BEFORE_HIRE = gettext_noop("The expected retirement date must come after the hire date.")


MANAGER_INACTIVE = gettext_noop(
    "The manager “%(value)s” is not an active employee: add them to the file to reactivate them."
)


def _progress(progress, done: int) -> None:
    if progress and done % PROGRESS_EVERY == 0:
        progress(done)


CYCLE_SHOWN = 12  # a longer cycle is told by its first and last five members: its text stays short whatever its size


def find_cycles(parent_of: dict[str, str | None], starts) -> dict[str, list[str]]:
    """For each key on a cycle of ``parent_of`` reached from ``starts``: the cycle from that key, as a list of keys
    (the key repeated at the end; a cycle of more than CYCLE_SHOWN keys as its first five, "…" and its last five, so
    that a cycle of thousands does not make thousands of messages of thousands of names). Linear in the size of the
    graph."""
    state: dict[str, int] = {}  # 1 on the current walk, 2 finished
    cycles: dict[str, list[str]] = {}
    for start in starts:
        walk, node = [], start
        while node is not None and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parent_of.get(node)
        if node is not None and state.get(node) == 1:
            cycle = walk[walk.index(node):]
            size = len(cycle)
            for i, member in enumerate(cycle):  # told from the row's own point of view
                if size <= CYCLE_SHOWN:
                    cycles[member] = cycle[i:] + cycle[:i] + [member]
                else:
                    cycles[member] = ([cycle[(i + k) % size] for k in range(5)] + ["…"]
                                      + [cycle[(i + size - 5 + k) % size] for k in range(5)] + [member])
        for member in walk:
            state[member] = 2
    return cycles


# --- Units ---------------------------------------------------------------------------------------------------------

# The rows of a units file with a code, staged (``valid`` false for a row in error: kept for the repeated codes).
# Then, in SQL: the row it repeats (``duplicate_of``), an unknown parent (``refused``), the unit it updates or the
# id it takes (``unit_id``), its parent's id (``parent_id``, once the ids are taken), what the import does to it
# (``action``: "create", "update" or NULL, unchanged) and whether it moves to another parent (``moved``).
UNIT_STAGE = writes.Staging("import_unit_rows", [
    ("row_number", "integer NOT NULL"), ("code", "text NOT NULL"), ("code_raw", "text"),
    ("valid", "boolean NOT NULL"), ("name", "varchar(200)"), ("kind", "varchar(12)"), ("parent_code", "varchar(20)"),
    ("duplicate_of", "integer"), ("refused", "boolean NOT NULL DEFAULT FALSE"), ("unit_id", "bigint"),
    ("parent_id", "bigint"), ("action", "varchar(10)"), ("moved", "boolean NOT NULL DEFAULT FALSE"),
])
UNIT_STAGED = ["row_number", "code", "code_raw", "valid", "name", "kind", "parent_code"]
UNIT_CHANGES = "import_unit_changes"  # what apply wrote, for the audit trail
_UNITS = OrgUnit._meta.db_table
# SQL over the staged units: the first row of its code that passed its own checks (a unit of the file), and one
# also without an unknown parent (written, or counted in the preview).
_UNIT_IN_FILE = "valid AND duplicate_of IS NULL"
_UNIT_KEPT = f"{_UNIT_IN_FILE} AND NOT refused"


@register
class UnitImporter(Importer):
    kind = "units"
    order = 10
    label = _("Organisational units")
    description = _("The unit tree: each unit with its parent unit's code (empty for the top of the tree).")
    columns = [
        Column("code", _("Unit code (unique)."), required=True, example="EDU"),
        Column("name", _("Name of the unit."), required=True, example="Servei d'Educació"),
        Column("kind", _("area, department, service, section or office (service if empty)."), example="service"),
        Column("parent_code", _("Code of the parent unit; empty for the top unit."), example="SP"),
    ]
    streams = True

    @staticmethod
    def _read(row, errors: list[RowError], kinds) -> tuple | None:
        """One row checked on its own, as the tuple to stage (``UNIT_STAGED``), or None without a code."""
        r = RowReader(row, errors)
        code = r.text("code", max_length=20, required=True)
        name = r.text("name", max_length=200, required=True)
        kind = r.choice("kind", kinds, default=OrgUnit.Kind.SERVICE)
        parent = r.text("parent_code", max_length=20) or None
        if not code:
            return None
        if not r.ok:
            return (row.number, code, row.values.get("code", ""), False, None, None, None)
        return (row.number, code, row.values.get("code", ""), True, name, kind, parent)

    def plan(self, rows, *, progress=None) -> Plan:
        """One pass over the file, a chunk at a time: each row checked on its own and staged (``UNIT_STAGE``).
        Then in SQL over the staged rows: the repeated codes, the unknown parents and the comparison with the
        database. The cycles are looked for in Python, over the tree as the file would leave it: the (code,
        parent's code) pairs of the units in the database and in the file, read back from the staged rows. That is
        the one thing held in memory that grows, with the number of units (an administration has a few thousand),
        not with the file's other rows."""
        plan = Plan()
        errors: list[RowError] = []
        kinds = choice_map(OrgUnit.Kind.choices)
        stage = UNIT_STAGE
        stage.create()
        writes.stream(rows, stage, lambda row: self._read(row, errors, kinds), columns=UNIT_STAGED, size=CHUNK,
                      progress=progress)
        stage.index("row_number")
        stage.index("code", unique=False)
        errors += [RowError(row, "code", DUPLICATE, {"value": raw, "first": first})
                   for row, first, raw in writes.mark_repeated(stage, ("code",), also="code_raw")]
        with connection.cursor() as cursor:
            # A parent neither in the database nor a unit of the file (in the file with errors: unknown too).
            unknown = (f"parent_code IS NOT NULL AND {_UNIT_IN_FILE} "
                       f"AND NOT EXISTS (SELECT 1 FROM {_UNITS} u WHERE u.code = {stage.name}.parent_code) "
                       f"AND NOT EXISTS (SELECT 1 FROM {stage.name} p WHERE p.code = {stage.name}.parent_code "
                       f"AND p.valid AND p.duplicate_of IS NULL)")
            cursor.execute(f"SELECT row_number, parent_code FROM {stage.name} WHERE {unknown} ORDER BY row_number")
            errors += [RowError(row, "parent_code", UNKNOWN_UNIT, {"value": parent})
                       for row, parent in cursor.fetchall()]
            cursor.execute(f"UPDATE {stage.name} SET refused = TRUE WHERE {unknown}")
            errors += self._cycles(cursor)
            cursor.execute(f"UPDATE {stage.name} SET unit_id = u.id, action = CASE WHEN u.name <> {stage.name}.name "
                           f"OR u.kind <> {stage.name}.kind OR p.code IS DISTINCT FROM {stage.name}.parent_code "
                           f"THEN 'update' END, moved = (p.code IS DISTINCT FROM {stage.name}.parent_code) "
                           f"FROM {_UNITS} u LEFT JOIN {_UNITS} p ON p.id = u.parent_id "
                           f"WHERE u.code = {stage.name}.code AND {stage.name}.valid "
                           f"AND {stage.name}.duplicate_of IS NULL AND NOT {stage.name}.refused")
            cursor.execute(f"UPDATE {stage.name} SET action = 'create' WHERE {_UNIT_KEPT} AND unit_id IS NULL")
        plan.create, plan.update, plan.unchanged = writes.counted(stage, _UNIT_KEPT)
        plan.errors = errors
        return plan

    @staticmethod
    def _cycles(cursor) -> list[RowError]:
        """The units of the file whose parent closes a cycle in the tree the file would leave (the database's
        units with the file's parents instead of theirs), each told from its own row."""
        cursor.execute(f"SELECT u.code, p.code FROM {_UNITS} u LEFT JOIN {_UNITS} p ON p.id = u.parent_id")
        parent_of: dict[str, str | None] = dict(cursor.fetchall())
        cursor.execute(f"SELECT code, parent_code, row_number, refused FROM {UNIT_STAGE.name} WHERE {_UNIT_IN_FILE}")
        rows: dict[str, int] = {}
        for code, parent, row, refused in cursor.fetchall():
            parent_of[code] = parent
            if not refused:
                rows[code] = row
        return [RowError(rows[code], "parent_code", UNIT_CYCLE, {"cycle": " → ".join(cycle)})
                for code, cycle in find_cycles(parent_of, sorted(rows, key=rows.__getitem__)).items()
                if code in rows]

    def apply(self, plan: Plan) -> None:
        """Set-based, from the staged rows: the new units' ids taken, their parents' ids, the before-images of the
        updates, the new units (``INSERT … SELECT``, with their parents), the updates (``UPDATE … FROM``; the paths of
        the units that move cleared first: the tree trigger judges a move by the old paths), the audit trail
        (``INSERT … SELECT``), then the paths rebuilt and, when the tree moved, the subtree figures."""
        if not plan.create and not plan.update:
            return
        stage, changes = UNIT_STAGE, writes.changes_table(UNIT_CHANGES)
        changes.create()
        with connection.cursor() as cursor:
            stage.take_ids(OrgUnit, column="unit_id", where="action = 'create'")
            cursor.execute(f"UPDATE {stage.name} SET parent_id = COALESCE("
                           f"(SELECT p.unit_id FROM {stage.name} p WHERE p.code = {stage.name}.parent_code "
                           f"AND p.valid AND p.duplicate_of IS NULL), "
                           f"(SELECT u.id FROM {_UNITS} u WHERE u.code = {stage.name}.parent_code)) "
                           f"WHERE action IS NOT NULL AND parent_code IS NOT NULL")
            diff = writes.json_diff([("name", "u.name", "s.name"), ("kind", "u.kind", "s.kind"),
                                     ("parent_id", "u.parent_id", "s.parent_id")])
            cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes) SELECT s.unit_id, 'update', "
                           f"{diff} FROM {stage.name} s JOIN {_UNITS} u ON u.id = s.unit_id "
                           f"WHERE s.action = 'update'")
            writes.insert_from(OrgUnit, {
                "id": "s.unit_id", "code": "s.code", "name": "s.name", "kind": "s.kind", "parent_id": "s.parent_id",
            }, f"{stage.name} s WHERE s.action = 'create' ORDER BY s.row_number")
            created = writes.json_diff([("code", "NULL", "s.code"), ("name", "NULL", "s.name"),
                                        ("kind", "NULL", "s.kind"), ("parent_id", "NULL", "s.parent_id")])
            cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes) SELECT s.unit_id, 'create', "
                           f"{created} FROM {stage.name} s WHERE s.action = 'create'")
            cursor.execute(f"UPDATE {_UNITS} SET path = '' WHERE id IN "
                           f"(SELECT unit_id FROM {stage.name} WHERE action = 'update' AND moved)")
            cursor.execute(f"UPDATE {_UNITS} SET name = s.name, kind = s.kind, parent_id = s.parent_id "
                           f"FROM {stage.name} s WHERE s.action = 'update' AND {_UNITS}.id = s.unit_id")
            cursor.execute(f"SELECT COUNT(*) FROM {stage.name} WHERE action = 'update' AND moved")
            moved = cursor.fetchone()[0]
        writes.changes_recorded(OrgUnit, table=changes.name, job_id=None)  # units have no undo
        changes.drop()
        if plan.create or moved:
            services.orgunit_rebuild_paths()
        if moved:
            # The subtree figures follow the tree: a full run recomputes them (one run for the whole import).
            queue_on_commit("evaluations.gaps_full_run", trigger="manual")
            queue_on_commit("programs.training_rollup_rebuild")  # the training figures' subtrees too

    def release(self) -> None:
        UNIT_STAGE.drop()
        writes.changes_table(UNIT_CHANGES).drop()


# --- Positions -----------------------------------------------------------------------------------------------------

POSITION_FIELDS = ["title", "group", "job_family", "unit_id", "is_critical", "criticality", "critical_reason"]
# The rows of a positions file with a code, staged (``valid`` false for a row in error: kept for the repeated
# codes). Then, in SQL: the row it repeats (``duplicate_of``), the position it updates or the id it takes
# (``position_id``), what the import does to it (``action``: "create", "update" or NULL, unchanged), and whether
# that changes its group (``regrouped``) or criticality (``recritical``).
POSITION_STAGE = writes.Staging("import_position_rows", [
    ("row_number", "integer NOT NULL"), ("code", "text NOT NULL"), ("code_raw", "text"),
    ("valid", "boolean NOT NULL"), ("title", "varchar(200)"), ("grp", "varchar(2)"), ("job_family", "varchar(100)"),
    ("unit_id", "bigint"), ("is_critical", "boolean"), ("criticality", "smallint"), ("critical_reason", "text"),
    ("duplicate_of", "integer"), ("position_id", "bigint"), ("action", "varchar(10)"),
    ("regrouped", "boolean NOT NULL DEFAULT FALSE"), ("recritical", "boolean NOT NULL DEFAULT FALSE"),
])
POSITION_STAGED = ["row_number", "code", "code_raw", "valid", "title", "grp", "job_family", "unit_id", "is_critical",
                   "criticality", "critical_reason"]
POSITION_CHANGES = "import_position_changes"  # what apply wrote, for the audit trail
_POSITIONS = Position._meta.db_table
_GROUP = connection.ops.quote_name("group")
_STAGED_POSITION = {field: "s.grp" if field == "group" else f"s.{field}" for field in POSITION_FIELDS}
_POSITION_COLUMN = {field: f"p.{_GROUP}" if field == "group" else f"p.{field}" for field in POSITION_FIELDS}
_POSITION_KEPT = "valid AND duplicate_of IS NULL"  # SQL: the first row of its code, passed its own checks


@register
class PositionImporter(Importer):
    kind = "positions"
    order = 20
    label = _("Positions")
    description = _("The job catalogue (RPT): each position with its civil-service group and unit.")
    columns = [
        Column("code", _("Position code (unique)."), required=True, example="LT0101"),
        Column("title", _("Title of the position."), required=True, example="Tècnic/a d'educació"),
        Column("group", _("Civil-service group: A1, A2, B, C1, C2 or AP."), required=True, example="A2"),
        Column("job_family", _("Job family (optional)."), example="Educació"),
        Column("unit_code", _("Code of the unit of the position (optional)."), example="EDU"),
        Column("critical", _("Critical position: yes or no (no if empty)."), example="yes"),
        Column("criticality", _("Criticality of a critical position: 1, 2 or 3 (2 if empty)."), example="3"),
        Column("critical_reason", _("Why the position is critical (optional)."),
               example="Única persona que coneix el padró escolar"),
    ]
    streams = True

    @staticmethod
    def _read(row, errors: list[RowError], units: dict[str, int], groups) -> tuple | None:
        """One row checked on its own, as the tuple to stage (``POSITION_STAGED``), or None without a code."""
        r = RowReader(row, errors)
        unit_code = r.text("unit_code", max_length=20)
        code = r.text("code", max_length=20, required=True)
        title = r.text("title", max_length=200, required=True)
        group = r.choice("group", groups)
        job_family = r.text("job_family", max_length=100)
        unit_id = units.get(unit_code) if unit_code else None
        critical = r.boolean("critical")
        criticality = r.integer("criticality", minimum=1, maximum=3)
        reason = r.text("critical_reason", max_length=500)
        if unit_code and unit_id is None:
            r.error("unit_code", UNKNOWN_UNIT, value=unit_code)
        if not critical and criticality is not None:
            r.error("criticality", CRITICALITY_NOT_CRITICAL)
        if not critical and reason:
            r.error("critical_reason", REASON_NOT_CRITICAL)
        if critical and criticality is None:
            criticality = 2
        if not code:
            return None
        if not r.ok:
            return (row.number, code, row.values.get("code", ""), False, None, None, None, None, None, None, None)
        return (row.number, code, row.values.get("code", ""), True, title, group, job_family, unit_id, critical,
                criticality, reason)

    def plan(self, rows, *, progress=None) -> Plan:
        """One pass over the file, a chunk at a time: each row checked on its own and staged
        (``POSITION_STAGE``); in memory only the units' codes (a few thousand). Then in SQL over the staged rows:
        the repeated codes and the comparison with the database."""
        plan = Plan()
        errors: list[RowError] = []
        units = dict(OrgUnit.objects.values_list("code", "id"))
        groups = choice_map(Position.Group.choices)
        stage = POSITION_STAGE
        stage.create()
        writes.stream(rows, stage, lambda row: self._read(row, errors, units, groups), columns=POSITION_STAGED,
                      size=CHUNK, progress=progress)
        stage.index("row_number")
        stage.index("code", unique=False)
        errors += [RowError(row, "code", DUPLICATE, {"value": raw, "first": first})
                   for row, first, raw in writes.mark_repeated(stage, ("code",), also="code_raw")]
        changed = " OR ".join([*(f"{_POSITION_COLUMN[f]} IS DISTINCT FROM {_STAGED_POSITION[f]}"
                                 for f in POSITION_FIELDS), "NOT p.active"])
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {stage.name} AS s SET position_id = p.id, action = CASE WHEN {changed} "
                           f"THEN 'update' END, regrouped = (p.{_GROUP} <> s.grp), "
                           f"recritical = (p.criticality IS DISTINCT FROM s.criticality) "
                           f"FROM {_POSITIONS} p WHERE p.code = s.code AND s.valid AND s.duplicate_of IS NULL")
            cursor.execute(f"UPDATE {stage.name} SET action = 'create', recritical = is_critical "
                           f"WHERE {_POSITION_KEPT} AND position_id IS NULL")
        plan.create, plan.update, plan.unchanged = writes.counted(stage, _POSITION_KEPT)
        plan.errors = errors
        return plan

    def apply(self, plan: Plan) -> None:
        """Set-based, from the staged rows: the before-images of the updates, the new positions (``INSERT …
        SELECT``, their ids taken first), the updates (``UPDATE … FROM``), the audit trail (``INSERT … SELECT``);
        then the holders' group figures and the knowledge-at-risk map when they change."""
        if not plan.create and not plan.update:
            return
        stage, changes = POSITION_STAGE, writes.changes_table(POSITION_CHANGES)
        changes.create()
        booleans = ("is_critical", "active")
        with connection.cursor() as cursor:
            diff = writes.json_diff([*((f, _POSITION_COLUMN[f], _STAGED_POSITION[f]) for f in POSITION_FIELDS),
                                     ("active", "p.active", "TRUE")], booleans=booleans)
            cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes) SELECT s.position_id, 'update', "
                           f"{diff} FROM {stage.name} s JOIN {_POSITIONS} p ON p.id = s.position_id "
                           f"WHERE s.action = 'update'")
            stage.take_ids(Position, column="position_id", where="action = 'create'")
            writes.insert_from(Position, {
                "id": "s.position_id", "code": "s.code",
                **_STAGED_POSITION,
                "active": "TRUE",
            }, f"{stage.name} s WHERE s.action = 'create' ORDER BY s.row_number")
            created = writes.json_diff([("code", "NULL", "s.code"),
                                        *((f, "NULL", _STAGED_POSITION[f]) for f in POSITION_FIELDS),
                                        ("active", "NULL", "TRUE")], booleans=booleans)
            cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes) SELECT s.position_id, 'create', "
                           f"{created} FROM {stage.name} s WHERE s.action = 'create'")
            assignments = ", ".join(f"{_GROUP if f == 'group' else f} = {_STAGED_POSITION[f]}"
                                    for f in POSITION_FIELDS)
            cursor.execute(f"UPDATE {_POSITIONS} SET {assignments}, active = TRUE FROM {stage.name} s "
                           f"WHERE s.action = 'update' AND {_POSITIONS}.id = s.position_id")
            cursor.execute(f"SELECT position_id FROM {stage.name} WHERE action = 'update' AND regrouped "
                           f"ORDER BY position_id")
            regrouped = [position_id for (position_id,) in cursor.fetchall()]
            cursor.execute(f"SELECT COUNT(*) FROM {stage.name} WHERE action IS NOT NULL AND recritical")
            criticality_changed = cursor.fetchone()[0] > 0
        writes.changes_recorded(Position, table=changes.name, job_id=None)  # positions have no undo
        changes.drop()
        if regrouped:
            services.positions_regrouped(position_ids=regrouped)
        if criticality_changed:
            # the knowledge-at-risk map depends on which positions are critical and how much (a layer above: by name)
            queue_on_commit("talent.knowledge_risk_rebuild")

    def release(self) -> None:
        POSITION_STAGE.drop()
        writes.changes_table(POSITION_CHANGES).drop()


# --- Employees -----------------------------------------------------------------------------------------------------

# How HR systems and people write the employment types (Catalan, Spanish, English; either gender; common
# abbreviations), besides the codes and the labels in every language. Matched whatever the case, accents and
# punctuation ("FUNCIONÀRIA DE CARRERA", "F.C."). The preview shows the code each one was read as.
_CAREER = ["funcionari de carrera", "funcionaria de carrera", "funcionari funcionaria de carrera",
           "funcionari a de carrera", "funcionari aria de carrera", "personal funcionari de carrera",
           "funcionario de carrera", "funcionario a de carrera", "personal funcionario de carrera", "funcionari",
           "funcionaria", "funcionario", "career civil servant", "civil servant", "carrera", "fc", "f c",
           "func carrera", "f carrera"]
_INTERIM = ["funcionari interi", "funcionaria interina", "funcionari funcionaria interi interina",
            "funcionari a interi na", "personal funcionari interi", "funcionario interino",
            "funcionario a interino a", "personal funcionario interino", "interi", "interina", "interino",
            "interim civil servant", "fi", "f i", "func interi", "func interino"]
_LABOUR = ["personal laboral", "laboral", "laboral fix", "laboral fixe", "laboral fixa", "personal laboral fix",
           "laboral indefinit", "laboral indefinida", "personal laboral indefinit", "indefinit no fix",
           "laboral indefinit no fix", "laboral temporal", "personal laboral temporal", "laboral fijo",
           "laboral fija", "personal laboral fijo", "laboral indefinido", "personal laboral indefinido",
           "indefinido no fijo", "laboral indefinido no fijo", "contractat laboral", "contratado laboral",
           "labour staff", "labor staff", "labour", "labor", "pl", "p l"]
_EVENTUAL = ["personal eventual", "eventual", "carrec de confianca", "cargo de confianza", "personal de confianza",
             "personal de confianca", "temporary political appointee", "political appointee", "pe", "p e"]
EMPLOYMENT_TYPE_ALIASES = {
    **{alias: Employee.EmploymentType.CAREER for alias in _CAREER},
    **{alias: Employee.EmploymentType.INTERIM for alias in _INTERIM},
    **{alias: Employee.EmploymentType.LABOUR for alias in _LABOUR},
    **{alias: Employee.EmploymentType.EVENTUAL for alias in _EVENTUAL},
}


EMPLOYEE_FIELDS = ["first_name", "last_name", "email", "unit_id", "position_id", "employment_type", "hire_date",
                   "expected_retirement_date", "language"]
AUDITED = [*EMPLOYEE_FIELDS, "manager", "active"]  # the plan's rows hold the manager's number
CHUNK = writes.CHUNK  # rows read, checked and staged at a time

# Every row of the file with an employee number, staged as it is read: ``valid`` when the row passed the checks of
# its own row (then with its values; otherwise only its number, since the first row of a number is the one its
# repetitions name, in error or not); ``written``: the number as written when that has spaces around it. Once the
# repeated numbers are reported, only each number's first row stays, and once the managers are checked, only the rows
# that passed their own checks; ``valid`` is then false for a row refused by a check across rows. ``action`` is what
# the import does to the row ("create", "update" or NULL: unchanged).
STAGE = writes.Staging("import_employee_rows", [
    ("row_number", "integer NOT NULL"), ("employee_number", "text NOT NULL"), ("written", "text"),
    ("valid", "boolean NOT NULL"), ("first_name", "varchar(100)"), ("last_name", "varchar(150)"),
    ("email", "varchar(254)"), ("unit_id", "bigint"), ("position_id", "bigint"), ("employment_type", "varchar(10)"),
    ("hire_date", "date"), ("expected_retirement_date", "date"), ("language", "varchar(5)"),
    ("manager_number", "varchar(20)"), ("employee_id", "bigint"), ("action", "varchar(10)"),
])
STAGED = ["row_number", "employee_number", "written", "valid", *EMPLOYEE_FIELDS, "manager_number"]
_IN_ERROR = (None,) * (len(EMPLOYEE_FIELDS) + 1)  # the values of a row in error: none staged

# Who manages whom once the import is done, for the cycles of managers: the valid staged rows (``row_number``) and,
# in an update, the active employees left as they are up the chain from them. ``jump`` and ``next_jump``: a manager
# further up the chain, twice as far at each step (see ``_refuse_cycles``).
MANAGERS = writes.Staging("import_employee_managers", [
    ("employee_number", "text NOT NULL"), ("manager_number", "text"), ("row_number", "integer"), ("jump", "text"),
    ("next_jump", "text"),
])


def _changes_table() -> writes.Staging:
    """What ``apply`` wrote, one row per employee, for the audit trail and the undo."""
    return writes.changes_table("import_employee_changes")


# SQL: the staged row differs from the employee it updates (fields, manager by number, or inactive).
_CHANGED = " OR ".join([*(f"e.{f} IS DISTINCT FROM s.{f}" for f in EMPLOYEE_FIELDS),
                        "m.employee_number IS DISTINCT FROM s.manager_number", "NOT e.active"])
_EMPLOYEES = Employee._meta.db_table
_STAGED_WITH_EMPLOYEE = (f"{STAGE.name} s JOIN {_EMPLOYEES} e ON e.id = s.employee_id "
                         f"LEFT JOIN {_EMPLOYEES} m ON m.id = e.manager_id")
_GONE = (f"{_EMPLOYEES} e WHERE e.active AND NOT EXISTS "
         f"(SELECT 1 FROM {STAGE.name} s WHERE s.employee_number = e.employee_number)")


@contextmanager
def _index_steps(cursor):
    """A recursive walk down the managers, one level per step, looks each level's people up by the index: PostgreSQL
    would otherwise hash the whole table again at every level (a chain of 250 000 levels: hours instead of
    seconds). For the statement inside only; the settings are put back even when it fails (in a transaction that
    failed, its rollback puts them back)."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SET enable_hashjoin = off")
    cursor.execute("SET enable_mergejoin = off")
    try:
        yield
    finally:
        with suppress(DatabaseError):
            cursor.execute("RESET enable_hashjoin")
            cursor.execute("RESET enable_mergejoin")


@register
class EmployeeImporter(Importer):
    kind = "employees"
    order = 30
    label = _("Employees")
    description = _(
        "Employees of the HR system: the new ones are created and the others updated. Only a file imported as "
        "the whole staff register deactivates the employees who are not in it (never deleted)."
    )
    whole_register = True
    undoable = True
    streams = True
    columns = [
        Column("employee_number", _("Employee number (unique)."), required=True, example="E000123"),
        Column("first_name", _("First name."), required=True, example="Núria"),
        Column("last_name", _("Surnames."), required=True, example="Peña i Adrià"),
        Column("email", _("Work email (optional)."), example="npena@ajuntament.example"),
        Column("unit_code", _("Code of the employee's unit."), required=True, example="EDU"),
        Column("position_code", _("Code of the employee's position."), required=True, example="LT0101"),
        Column("manager_number", _("Employee number of their manager (optional; in the file or an active employee)."),
               example="E000007"),
        Column("employment_type", _("career, interim, labour or eventual (career if empty)."), example="career"),
        Column("hire_date", _("Hire date, dd/mm/yyyy or yyyy-mm-dd."), required=True, example="01/03/2015"),
        Column("expected_retirement_date", _("Expected retirement date (optional)."), example="01/03/2045"),
        Column("language", _("Preferred language: ca, es or en (ca if empty)."), example="ca"),
    ]

    @staticmethod
    def _lookups() -> dict:
        return {
            "units": dict(OrgUnit.objects.values_list("code", "id")),
            "positions": dict(Position.objects.values_list("code", "id")),
            "languages": choice_map([(code, code) for code, _name in settings.LANGUAGES]),
            "types": choice_map(Employee.EmploymentType.choices, aliases=EMPLOYMENT_TYPE_ALIASES),
        }

    @staticmethod
    def _read(row, errors: list[RowError], lookups: dict) -> dict | None:
        """One row's values, checked on their own; None when the row has errors (added to ``errors``)."""
        r = RowReader(row, errors)
        unit_code = r.text("unit_code", max_length=20, required=True)
        position_code = r.text("position_code", max_length=20, required=True)
        values = {
            "employee_number": r.text("employee_number", max_length=20, required=True),
            "first_name": r.text("first_name", max_length=100, required=True),
            "last_name": r.text("last_name", max_length=150, required=True),
            "email": r.email("email"),
            "unit_id": lookups["units"].get(unit_code),
            "position_id": lookups["positions"].get(position_code),
            "employment_type": r.choice("employment_type", lookups["types"],
                                        default=Employee.EmploymentType.CAREER),
            "hire_date": r.date("hire_date", required=True),
            "expected_retirement_date": r.date("expected_retirement_date"),
            "language": r.choice("language", lookups["languages"], default="ca"),
            "manager": r.text("manager_number", max_length=20) or None,
        }
        if unit_code and values["unit_id"] is None:
            r.error("unit_code", UNKNOWN_UNIT, value=unit_code)
        if position_code and values["position_id"] is None:
            r.error("position_code", UNKNOWN_POSITION, value=position_code)
        hire, retirement = values["hire_date"], values["expected_retirement_date"]
        if hire and retirement and retirement <= hire:
            r.error("expected_retirement_date", RETIREMENT_BEFORE_HIRE)
        return values if r.ok else None

    def plan(self, rows, *, progress=None, whole_register: bool = False) -> Plan:
        """One pass over the file, a chunk at a time: each row checked on its own and staged; nothing kept in memory
        but the errors. Then the checks across rows (repeated numbers, managers, cycles of managers) and the
        comparison with the database, in SQL against the staged rows."""
        plan = Plan()
        errors: list[RowError] = []
        lookups = self._lookups()

        def read(row) -> tuple | None:
            values = self._read(row, errors, lookups)
            written = row.values.get("employee_number") or ""
            number = written.strip()
            if not number:
                return None
            written = None if written == number else written
            if values is None:
                return (row.number, number, written, False, *_IN_ERROR)
            return (row.number, number, written, True, *(values[f] for f in EMPLOYEE_FIELDS), values["manager"])

        STAGE.create()
        writes.stream(rows, STAGE, read, columns=STAGED, size=CHUNK, progress=progress)
        with connection.cursor() as cursor:
            self._refuse_repeated(cursor, errors)
            STAGE.index("employee_number")
            self._refuse_managers(cursor, errors, whole_register)
            self._refuse_cycles(cursor, errors, whole_register)
            self._compare(cursor, plan, whole_register)
        plan.errors = errors
        plan.payload["whole_register"] = whole_register
        return plan

    @staticmethod
    def _refuse_repeated(cursor, errors: list[RowError]) -> None:
        """A number repeated in the file is an error on every row after its first (in error or not), and only the
        first row stays staged."""
        repeated = (f"{STAGE.name} s JOIN (SELECT employee_number, MIN(row_number) AS first FROM {STAGE.name} "
                    f"GROUP BY employee_number HAVING COUNT(*) > 1) AS d ON d.employee_number = s.employee_number "
                    f"WHERE s.row_number > d.first")
        cursor.execute(f"SELECT s.row_number, COALESCE(s.written, s.employee_number), d.first FROM {repeated}")
        errors += [RowError(row, "employee_number", DUPLICATE, {"value": written, "first": first})
                   for row, written, first in cursor.fetchall()]
        cursor.execute(f"DELETE FROM {STAGE.name} WHERE row_number IN (SELECT s.row_number FROM {repeated})")

    @staticmethod
    def _refuse_managers(cursor, errors: list[RowError], whole_register: bool) -> None:
        """A valid row's manager must be a valid row of the file or, in an update, an active employee (left as they
        are). Otherwise the row is refused, saying why: the manager's row is in error, they are not active (an
        update) or not in the file (the whole register: they would be deactivated), or they are unknown. The rows
        in error are unstaged after."""
        kept = "FALSE" if whole_register else "COALESCE(e.active, FALSE)"
        refused = (f"{STAGE.name} s LEFT JOIN {STAGE.name} m ON m.employee_number = s.manager_number "
                   f"LEFT JOIN {_EMPLOYEES} e ON e.employee_number = s.manager_number "
                   f"WHERE s.valid AND s.manager_number IS NOT NULL AND NOT COALESCE(m.valid, FALSE) AND NOT {kept}")
        cursor.execute(f"SELECT s.row_number, s.manager_number, m.row_number, e.id FROM {refused}")
        for row, manager, manager_row, employee in cursor.fetchall():
            if manager_row is not None:  # correcting the manager's row corrects this one too
                errors.append(RowError(row, "manager_number", MANAGER_ROW_IN_ERROR,
                                       {"value": manager, "row": manager_row}))
                continue
            message = UNKNOWN_EMPLOYEE if employee is None else (
                MANAGER_NOT_IN_FILE if whole_register else MANAGER_INACTIVE)
            errors.append(RowError(row, "manager_number", message, {"value": manager}))
        cursor.execute(f"DELETE FROM {STAGE.name} WHERE NOT valid")
        # The same rows (a manager whose row was in error is no longer staged at all): refused.
        cursor.execute(f"UPDATE {STAGE.name} SET valid = FALSE WHERE row_number IN (SELECT s.row_number FROM {refused})")

    @staticmethod
    def _refuse_cycles(cursor, errors: list[RowError], whole_register: bool) -> None:
        """A valid row on a cycle of managers (through other rows and, in an update, the active employees left as
        they are, whose managers count as the database has them) is refused, with the cycle from its own point of
        view. In SQL: who manages whom (``MANAGERS``); those whose chain reaches someone without a manager there
        are taken away, walking down from them (a recursive query, one step per level); the others lead to a cycle.
        Of those, the cycles themselves are where one gets by going up as many managers as there are people (the
        chains up from a cycle never leave it): found by jumping up twice as far at each step, a few steps. Only
        the people on a cycle are read, to tell each cycle."""
        MANAGERS.create()
        cursor.execute(f"INSERT INTO {MANAGERS.name} (employee_number, manager_number, row_number) "
                       f"SELECT employee_number, manager_number, row_number FROM {STAGE.name} WHERE valid")
        people = cursor.rowcount
        if not whole_register:
            kept = (f"e.active AND NOT EXISTS (SELECT 1 FROM {STAGE.name} f "
                    f"WHERE f.employee_number = e.employee_number)")
            manager = f"LEFT JOIN {_EMPLOYEES} m ON m.id = e.manager_id WHERE {kept}"
            # from the file's rows to their managers outside it, then up the chain of those left as they are
            first = (f"SELECT DISTINCT e.employee_number, m.employee_number FROM {STAGE.name} s "
                     f"JOIN {_EMPLOYEES} e ON e.employee_number = s.manager_number {manager} AND s.valid")
            then = (f"SELECT e.employee_number, m.employee_number FROM up "
                    f"JOIN {_EMPLOYEES} e ON e.employee_number = up.manager_number {manager}")
            # (the statements begin with their verb: SQLite counts the rows of those only)
            cursor.execute(f"INSERT INTO {MANAGERS.name} (employee_number, manager_number) "
                           f"WITH RECURSIVE up (employee_number, manager_number) AS ({first} UNION {then}) "
                           f"SELECT employee_number, manager_number FROM up")
            people += cursor.rowcount
        cursor.execute(f"CREATE UNIQUE INDEX {MANAGERS.name}_number ON {MANAGERS.name} (employee_number)")
        cursor.execute(f"CREATE INDEX {MANAGERS.name}_manager ON {MANAGERS.name} (manager_number)")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {MANAGERS.name}")
        with _index_steps(cursor):
            cursor.execute(
                f"DELETE FROM {MANAGERS.name} WHERE employee_number IN (WITH RECURSIVE rooted (employee_number) AS ("
                f"SELECT g.employee_number FROM {MANAGERS.name} g WHERE g.manager_number IS NULL OR NOT EXISTS "
                f"(SELECT 1 FROM {MANAGERS.name} p WHERE p.employee_number = g.manager_number) "
                f"UNION ALL SELECT g.employee_number FROM {MANAGERS.name} g "
                f"JOIN rooted r ON g.manager_number = r.employee_number) SELECT employee_number FROM rooted)")
            left = people - cursor.rowcount
        if left:
            # Every one left has their manager left too: after n jumps, 2ⁿ ≥ the people left, everyone is on a cycle.
            cursor.execute(f"UPDATE {MANAGERS.name} SET jump = manager_number")
            for _step in range(left.bit_length()):
                cursor.execute(f"UPDATE {MANAGERS.name} SET next_jump = p.jump FROM {MANAGERS.name} p "
                               f"WHERE p.employee_number = {MANAGERS.name}.jump")
                cursor.execute(f"UPDATE {MANAGERS.name} SET jump = next_jump")
            on_cycle = f"employee_number IN (SELECT jump FROM {MANAGERS.name})"
            cursor.execute(f"SELECT employee_number, manager_number, row_number FROM {MANAGERS.name} "
                           f"WHERE {on_cycle}")
            people = cursor.fetchall()
            rows = {number: row for number, _manager, row in people if row is not None}
            cycles = find_cycles({number: manager for number, manager, _row in people}, list(rows))
            errors += [RowError(row, "manager_number", MANAGER_CYCLE, {"cycle": " → ".join(cycles[number])})
                       for number, row in rows.items()]  # a cycle of the people left as they are is not this file's
            del people, rows, cycles
            cursor.execute(f"UPDATE {STAGE.name} SET valid = FALSE WHERE employee_number IN "
                           f"(SELECT employee_number FROM {MANAGERS.name} WHERE {on_cycle} AND row_number IS NOT NULL)")

    @staticmethod
    def _compare(cursor, plan: Plan, whole_register: bool) -> None:
        """What the valid staged rows do to the employees (create, update, unchanged), who is deactivated, and
        the units whose people change: SQL, nothing read row by row."""
        cursor.execute(f"UPDATE {STAGE.name} AS s SET employee_id = e.id, "
                       f"action = CASE WHEN s.valid AND ({_CHANGED}) THEN 'update' END "
                       f"FROM {_EMPLOYEES} e LEFT JOIN {_EMPLOYEES} m ON m.id = e.manager_id "
                       f"WHERE e.employee_number = s.employee_number")
        cursor.execute(f"UPDATE {STAGE.name} SET action = 'create' WHERE valid AND employee_id IS NULL")
        cursor.execute(f"SELECT COUNT(*) FILTER (WHERE action = 'create'), COUNT(*) FILTER (WHERE action = 'update'), "
                       f"COUNT(*) FILTER (WHERE action IS NULL) FROM {STAGE.name} WHERE valid")
        plan.create, plan.update, plan.unchanged = cursor.fetchone()
        moved = "e.unit_id IS DISTINCT FROM s.unit_id OR e.position_id IS DISTINCT FROM s.position_id OR NOT e.active"
        units = (f"SELECT s.unit_id FROM {STAGE.name} s WHERE s.action = 'create' "
                 f"UNION SELECT s.unit_id FROM {_STAGED_WITH_EMPLOYEE} WHERE s.action = 'update' AND ({moved}) "
                 f"UNION SELECT e.unit_id FROM {_STAGED_WITH_EMPLOYEE} WHERE s.action = 'update' AND ({moved})")
        if whole_register:
            units += f" UNION SELECT e.unit_id FROM {_GONE}"
            cursor.execute(f"SELECT COUNT(*) FROM {_GONE}")
            plan.deactivate = cursor.fetchone()[0]
            collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
            cursor.execute(f"SELECT e.employee_number FROM {_GONE} ORDER BY e.employee_number{collate} LIMIT %s",
                           [SAMPLE])
            plan.deactivated = [number for (number,) in cursor.fetchall()]
        cursor.execute(f"SELECT COUNT(*) FROM {_EMPLOYEES} WHERE active")
        plan.active = cursor.fetchone()[0]
        cursor.execute(units)
        plan.payload = {"touched_units": {unit for (unit,) in cursor.fetchall() if unit}}

    def apply(self, plan: Plan) -> None:
        """Set-based, from the staged rows: the before-images of the updates, the new employees (INSERT …
        SELECT), their fields and managers (one UPDATE … FROM), the deactivations, then the audit trail and the
        job's record of the changes (INSERT … SELECT)."""
        touched_units, whole_register = plan.payload["touched_units"], plan.payload["whole_register"]
        changes = _changes_table()
        changes.create()
        with connection.cursor() as cursor:
            before = [(f, f"e.{f}", f"s.{f}") for f in EMPLOYEE_FIELDS]
            before += [("manager", "m.employee_number", "s.manager_number"), ("active", "e.active", "TRUE")]
            diff = writes.json_diff(before, booleans=("active",))
            cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes) SELECT s.employee_id, 'update', "
                           f"{diff} FROM {_STAGED_WITH_EMPLOYEE} WHERE s.action = 'update'")
            if whole_register:
                cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes) SELECT e.id, 'deactivate', "
                               f"'{{\"active\": [true, false]}}' FROM {_GONE}")
            STAGE.take_ids(Employee, column="employee_id", where="action = 'create'")
            # The new employees with their managers (in the file or not): the new ids are known already.
            writes.insert_from(Employee, {
                "id": "s.employee_id", "employee_number": "s.employee_number",
                **{f: f"s.{f}" for f in EMPLOYEE_FIELDS}, "active": "TRUE",
                "manager_id": "COALESCE(n.employee_id, m.id)",
            }, f"{STAGE.name} s "
               f"LEFT JOIN {STAGE.name} n ON n.employee_number = s.manager_number AND n.action = 'create' "
               f"LEFT JOIN {_EMPLOYEES} m ON m.employee_number = s.manager_number "
               f"WHERE s.action = 'create' ORDER BY s.row_number")
            created = writes.json_diff([(f, "NULL", f"s.{f}") for f in EMPLOYEE_FIELDS])
            cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes) SELECT s.employee_id, 'create', "
                           f"{created} FROM {STAGE.name} s WHERE s.action = 'create'")
            assignments = ", ".join(f"{f} = v.{f}" for f in EMPLOYEE_FIELDS)
            cursor.execute(
                f"UPDATE {_EMPLOYEES} SET {assignments}, active = TRUE, manager_id = v.manager_id FROM ("
                f"SELECT s.employee_id, {', '.join(f's.{f}' for f in EMPLOYEE_FIELDS)}, m.id AS manager_id "
                f"FROM {STAGE.name} s LEFT JOIN {_EMPLOYEES} m ON m.employee_number = s.manager_number "
                f"WHERE s.action = 'update') AS v WHERE {_EMPLOYEES}.id = v.employee_id")
            if whole_register:
                cursor.execute(f"UPDATE {_EMPLOYEES} SET active = FALSE WHERE id IN "
                               f"(SELECT object_id FROM {changes.name} WHERE action = 'deactivate')")
        writes.changes_recorded(Employee, table=changes.name, job_id=plan.job_id, person="object_id")
        changes.drop()
        if touched_units:
            # One recount of the units whose people changed (and of everything above them), on commit.
            queue_on_commit("evaluations.gaps_refresh_units", sorted(touched_units))
            queue_on_commit("programs.training_refresh_units", sorted(touched_units))

    def release(self) -> None:
        STAGE.drop()
        MANAGERS.drop()
        _changes_table().drop()

    def undo(self, changes) -> dict[str, int]:
        """Undo an employees import: the people it deactivated are reactivated, the fields it updated get their
        previous values back, the people it created are deactivated (never deleted). What changed since the import
        is kept: a field is restored only while it still holds what the import wrote, a person only while their
        ``active`` is still the import's. Set-based; the units concerned are recounted on commit, as after an
        import."""
        changes = list(changes)
        rows: dict[int, dict] = {}
        ids = [object_id for object_id, _action, _diff in changes]
        for start in range(0, len(ids), BATCH):
            rows.update((row["id"], row) for row in Employee.objects.filter(pk__in=ids[start:start + BATCH]).values(
                "id", *EMPLOYEE_FIELDS, "manager_id", "manager__employee_number", "active", "inactive_since"))
        managers = {before for _id, action, diff in changes if action == "update"
                    for before in [diff.get("manager", [None])[0]] if before}
        manager_ids = dict(Employee.objects.filter(employee_number__in=managers).values_list("employee_number", "id"))
        counts = {"reactivated": 0, "reverted": 0, "deactivated": 0, "kept": 0}
        restored: list[Employee] = []
        audit: dict[int, dict] = {}
        touched_units: set[int] = set()
        for object_id, action, diff in changes:
            row = rows.get(object_id)
            wanted = self._undo_one(row, action, diff, manager_ids) if row else {}
            if not wanted:
                counts["kept"] += 1
                continue
            counts[{"deactivate": "reactivated", "update": "reverted", "create": "deactivated"}[action]] += 1
            assert row is not None  # wanted is empty without a row
            now = {field: row["manager__employee_number"] if field == "manager" else row[field] for field in wanted}
            audit[object_id] = writes.changes_between(now, {f: v for f, v in wanted.items() if f != "manager_id"})
            final = {**{f: row[f] for f in [*EMPLOYEE_FIELDS, "manager_id", "active", "inactive_since"]}, **wanted}
            final.pop("manager", None)
            restored.append(Employee(id=object_id, **final))
            touched_units.update((row["unit_id"], final["unit_id"]))
        writes.bulk_update(Employee, restored, [*EMPLOYEE_FIELDS, "manager", "active", "inactive_since"],
                           batch_size=BATCH)
        writes.audit(Employee, audit, action="update", person_ids={pk: pk for pk in audit})
        if touched_units:
            queue_on_commit("evaluations.gaps_refresh_units", sorted(u for u in touched_units if u))
            queue_on_commit("programs.training_refresh_units", sorted(u for u in touched_units if u))
        return counts

    @staticmethod
    def _undo_one(row: dict, action: str, diff: dict, manager_ids: dict[str, int]) -> dict:
        """The fields to write back into one employee (``row``: their current values), empty when nothing is."""
        if action == "deactivate":
            return {"active": True, "inactive_since": None} if not row["active"] else {}
        if action == "create":
            return {"active": False} if row["active"] else {}
        wanted: dict = {}
        for field, (before, after) in diff.items():
            if field == "manager":
                if row["manager__employee_number"] == after and (before is None or before in manager_ids):
                    wanted.update(manager=before, manager_id=manager_ids.get(before))
                continue
            model_field = Employee._meta.get_field(field)
            if row[field] == model_field.to_python(after):  # type: ignore[union-attr]  # a concrete field
                wanted[field] = model_field.to_python(before)  # type: ignore[union-attr]
        return wanted
