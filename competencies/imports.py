"""Importer of position requirements (position × competency × level), see ``clo.core.imports``.

Natural key: the position's code and the competency's code (with its framework's code when the same code exists
in more than one framework in force). The level must be one of the framework's scale. The rows of the file are
created or updated (a requirement absent from the file is left as it is). The file streams (see
``clo.core.imports.writes``): read a chunk at a time into a staging table, checked across rows, compared and written
in SQL, its audit entries included. The gap engine recounts, once, on commit, the units where the positions
concerned have holders.
"""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from clo.core.imports import writes
from clo.core.imports.registry import Column, Importer, Plan, RowError, RowReader, register
from clo.core.tasks import queue_on_commit
from clo.people import selectors as people_selectors
from clo.people.models import Position
from competencies.models import Competency, Framework, Level, Requirement

AUDITED = ["required_level", "weight", "is_critical"]
CHUNK = writes.CHUNK  # rows read, checked and staged at a time

UNKNOWN_POSITION = gettext_noop("Unknown position code “%(value)s”.")
UNKNOWN_COMPETENCY = gettext_noop("Unknown competency code “%(value)s”.")
UNKNOWN_FRAMEWORK = gettext_noop("Unknown framework code “%(value)s”.")
AMBIGUOUS_COMPETENCY = gettext_noop(
    "The code “%(value)s” exists in several frameworks (%(frameworks)s): give the framework_code."
)
LEVEL_OUT_OF_SCALE = gettext_noop("Level %(level)s is outside the scale of this competency (%(low)s to %(high)s).")
NO_LEVELS = gettext_noop("The competency's framework has no scale levels yet.")
DUPLICATE_REQUIREMENT = gettext_noop("This position and competency appear more than once in the file (first in row "
                                     "%(first)s).")


# The rows of a requirements file that passed their own checks, staged; then, in SQL: the row whose position and
# competency it repeats (``duplicate_of``), the requirement it updates or the id it takes (``requirement_id``), and
# what the import does to it (``action``: "create", "update" or NULL, unchanged).
STAGE = writes.Staging("import_requirement_rows", [
    ("row_number", "integer NOT NULL"), ("position_id", "bigint NOT NULL"), ("competency_id", "bigint NOT NULL"),
    ("required_level", "smallint NOT NULL"), ("weight", "smallint NOT NULL"), ("is_critical", "boolean NOT NULL"),
    ("duplicate_of", "integer"), ("requirement_id", "bigint"), ("action", "varchar(10)"),
])
STAGED = ["row_number", "position_id", "competency_id", "required_level", "weight", "is_critical"]
CHANGES = "import_requirement_changes"  # what apply wrote, for the audit trail
_REQUIREMENTS = Requirement._meta.db_table


@register
class RequirementImporter(Importer):
    kind = "requirements"
    order = 40
    label = _("Position requirements")
    description = _("The level of each competency that each position requires, on the framework's scale.")
    columns = [
        Column("position_code", _("Code of the position."), required=True, example="LT0101"),
        Column("competency_code", _("Code of the competency."), required=True, example="1.1"),
        Column("framework_code", _("Code of the framework (only needed when the competency code exists in several)."),
               example="digcomp"),
        Column("required_level", _("Required level, a value of the framework's scale."), required=True, example="3"),
        Column("weight", _("Weight among the position's requirements, 1 to 10 (1 if empty)."), example="1"),
        Column("critical", _("Critical requirement: yes or no (no if empty)."), example="no"),
    ]
    streams = True

    def _competencies(self):
        by_key, by_code = {}, {}
        rows = Competency.objects.exclude(framework__status=Framework.Status.ARCHIVED).values_list(
            "id", "code", "framework__code", "framework__scale_id")
        for pk, code, framework, scale_id in rows:
            by_key[(framework.lower(), code.lower())] = (pk, scale_id)
            by_code.setdefault(code.lower(), []).append((framework, pk, scale_id))
        return by_key, by_code

    @staticmethod
    def _read(row, errors: list[RowError], lookups: tuple) -> tuple | None:
        """One row checked on its own, as the tuple to stage (``STAGED``), or None when it has errors."""
        positions, frameworks, by_key, by_code, levels = lookups
        r = RowReader(row, errors)
        position_code = r.text("position_code", max_length=20, required=True)
        code = r.text("competency_code", max_length=40, required=True)
        framework = r.text("framework_code", max_length=40)
        level = r.integer("required_level", required=True, minimum=1, maximum=32767)
        weight = r.integer("weight", minimum=1, maximum=10, default=1)
        critical = r.boolean("critical")
        position_id = positions.get(position_code)
        if position_code and position_id is None:
            r.error("position_code", UNKNOWN_POSITION, value=position_code)
        competency = None
        if framework and framework.lower() not in frameworks:
            r.error("framework_code", UNKNOWN_FRAMEWORK, value=framework)
        elif framework and code:
            competency = by_key.get((framework.lower(), code.lower()))
            if competency is None:
                r.error("competency_code", UNKNOWN_COMPETENCY, value=code)
        elif code:
            found = by_code.get(code.lower(), [])
            if not found:
                r.error("competency_code", UNKNOWN_COMPETENCY, value=code)
            elif len(found) > 1:
                r.error("competency_code", AMBIGUOUS_COMPETENCY, value=code,
                        frameworks=", ".join(sorted(f for f, _pk, _scale in found)))
            else:
                competency = found[0][1:]
        if competency and level is not None:
            scale = levels.get(competency[1], [])
            if not scale:
                r.error("required_level", NO_LEVELS)
            elif level not in scale:
                r.error("required_level", LEVEL_OUT_OF_SCALE, level=level, low=scale[0], high=scale[-1])
        if not r.ok:
            return None
        return (row.number, position_id, competency[0], level, weight, critical)  # type: ignore[index]  # ok: found

    def plan(self, rows, *, progress=None) -> Plan:
        """One pass over the file, a chunk at a time: each row checked on its own and staged (``STAGE``); in
        memory only the positions, competencies and scales looked up (the catalogues, not the file). Then in SQL
        over the staged rows: the pairs repeated in the file and the comparison with the requirements."""
        plan = Plan()
        errors: list[RowError] = []
        levels: dict[int, list[int]] = {}
        for scale_id, value in Level.objects.order_by("scale_id", "value").values_list("scale_id", "value"):
            levels.setdefault(scale_id, []).append(value)
        lookups = (dict(Position.objects.values_list("code", "id")),
                   {code.lower() for code in Framework.objects.values_list("code", flat=True)},
                   *self._competencies(), levels)
        STAGE.create()
        writes.stream(rows, STAGE, lambda row: self._read(row, errors, lookups), columns=STAGED, size=CHUNK,
                      progress=progress)
        STAGE.index("row_number")
        STAGE.index("position_id", "competency_id", unique=False)
        errors += [RowError(row, "competency_code", DUPLICATE_REQUIREMENT, {"first": first})
                   for row, first in writes.mark_repeated(STAGE, ("position_id", "competency_id"))]
        changed = " OR ".join(f"r.{field} <> s.{field}" for field in AUDITED)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {STAGE.name} AS s SET requirement_id = r.id, "
                           f"action = CASE WHEN {changed} THEN 'update' END FROM {_REQUIREMENTS} r "
                           f"WHERE r.position_id = s.position_id AND r.competency_id = s.competency_id "
                           f"AND s.duplicate_of IS NULL")
            cursor.execute(f"UPDATE {STAGE.name} SET action = 'create' "
                           f"WHERE duplicate_of IS NULL AND requirement_id IS NULL")
        plan.create, plan.update, plan.unchanged = writes.counted(STAGE, "duplicate_of IS NULL")
        plan.errors = errors
        return plan

    def apply(self, plan: Plan) -> None:
        """Set-based, from the staged rows: the before-images of the updates, the new requirements (``INSERT …
        SELECT``, their ids taken first), the updates (``UPDATE … FROM``), the audit trail (``INSERT … SELECT``);
        the gap engine recounts, on commit, the units where the positions concerned have holders."""
        if not plan.create and not plan.update:
            return
        changes = writes.changes_table(CHANGES)
        changes.create()
        with connection.cursor() as cursor:
            diff = writes.json_diff([(field, f"r.{field}", f"s.{field}") for field in AUDITED],
                                    booleans=("is_critical",))
            cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes) SELECT s.requirement_id, "
                           f"'update', {diff} FROM {STAGE.name} s JOIN {_REQUIREMENTS} r ON r.id = s.requirement_id "
                           f"WHERE s.action = 'update'")
            STAGE.take_ids(Requirement, column="requirement_id", where="action = 'create'")
            writes.insert_from(Requirement, {
                "id": "s.requirement_id", "position_id": "s.position_id", "competency_id": "s.competency_id",
                **{field: f"s.{field}" for field in AUDITED},
            }, f"{STAGE.name} s WHERE s.action = 'create' ORDER BY s.row_number")
            created = writes.json_diff([(field, "NULL", f"s.{field}") for field in ["position_id", "competency_id",
                                                                                    *AUDITED]],
                                       booleans=("is_critical",))
            cursor.execute(f"INSERT INTO {changes.name} (object_id, action, changes) SELECT s.requirement_id, "
                           f"'create', {created} FROM {STAGE.name} s WHERE s.action = 'create'")
            cursor.execute(f"UPDATE {_REQUIREMENTS} SET {', '.join(f'{field} = s.{field}' for field in AUDITED)} "
                           f"FROM {STAGE.name} s WHERE s.action = 'update' AND {_REQUIREMENTS}.id = s.requirement_id")
            cursor.execute(f"SELECT DISTINCT position_id FROM {STAGE.name} WHERE action IS NOT NULL")
            positions = {position_id for (position_id,) in cursor.fetchall()}
        writes.changes_recorded(Requirement, table=changes.name, job_id=None)  # requirements have no undo
        changes.drop()
        units = people_selectors.units_of_positions(positions)
        if units:
            queue_on_commit("evaluations.gaps_refresh_units", sorted(units))

    def release(self) -> None:
        STAGE.drop()
        writes.changes_table(CHANGES).drop()
