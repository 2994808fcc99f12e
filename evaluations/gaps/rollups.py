"""Roll-ups: per unit × competency, per unit × position group × competency, per unit × area and per unit, for the
unit's own people (``subtree`` false) and for the unit and everything under it (``subtree`` true). The rules: the
package docstring.

Every write is a difference added along a path: an employee's pairs after minus before (``refresh_employee``, the
sweep), a unit's own rows recounted minus stored (``refresh_units``, the full run's repairs). ``rebuild_all`` is the
full run's part; ``refresh_*`` the incremental ones. All leave exactly the rows a recomputation from scratch would
(the property test compares both with a plain-Python oracle).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction

from evaluations.gaps.sql import FIGURES, PAIR_FIGURES, PAIR_VALUES, Dialect, execute, pair_figures

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    table: str
    key: tuple[str, ...]  # the columns after (unit_id, subtree): the competency (and position group), the area, none
    area: bool  # rows also carry area_id: one row per competency, so per pair (people = requirements)

    @property
    def keys(self) -> tuple[str, ...]:
        return ("unit_id", "subtree") + self.key

    @property
    def extra(self) -> tuple[str, ...]:
        return ("area_id",) if self.area else ()

    @property
    def group(self) -> str:
        """The grouping columns of own-people rows (unit and key)."""
        return ", ".join(("unit_id",) + self.key)

    def key_of(self, alias: str) -> str:
        """The key columns of table ``alias``, each after a comma (nothing for the per-unit rows)."""
        return "".join(f", {alias}.{column}" for column in self.key)


UC = Kind("evaluations_unitcompetencygap", ("competency_id",), True)
UGC = Kind("evaluations_unitgroupcompetencygap", ("position_group", "competency_id"), True)
UA = Kind("evaluations_unitareagap", ("area_id",), False)
UNIT = Kind("evaluations_unitgap", (), False)
KINDS = (UC, UGC, UA, UNIT)
PAIR_KINDS = (UC, UGC)

_figures = ", ".join(FIGURES)
_sum_pairs = ", ".join(f"SUM({name}) AS {name}" for name in PAIR_FIGURES)
_has_gap = "MAX(CASE WHEN g.gap > 0 THEN 1 ELSE 0 END)"
_has_unassessed = "MAX(CASE WHEN g.not_assessed THEN 1 ELSE 0 END)"


def own_rows(kind: Kind, where: str = "", *, signed: bool = False) -> str:
    """SELECT the own-people rows of ``kind`` from the view (alias g) for the pairs matching ``where``.
    Competency rows (per unit, or per unit and position group) are per pair (a position requires a competency once);
    area and unit rows count people once.
    ``signed``: from ``gap_tmp_pairs`` instead, whose rows carry a ``sign`` (−1 before, +1 after a change)."""
    source, sign = ("gap_tmp_pairs g", "g.sign") if signed else ("evaluations_gap g", "1")
    pairs = ", ".join(f"SUM({sign} * ({value})) AS {name}" for name, value in PAIR_VALUES.items())
    if kind.area:
        return (
            f"SELECT g.unit_id AS unit_id{''.join(f', g.{k} AS {k}' for k in kind.key)}, MAX(g.area_id) AS area_id, "
            f"SUM({sign}) AS people, SUM({sign} * CASE WHEN g.gap > 0 THEN 1 ELSE 0 END) AS people_with_gap, "
            f"SUM({sign} * CASE WHEN g.not_assessed THEN 1 ELSE 0 END) AS people_not_assessed, {pairs} "
            f"FROM {source} {where} GROUP BY g.unit_id{kind.key_of('g')}"
        )
    inner_key = "g.area_id AS area_id, " if kind.key else ""
    inner_group = "g.area_id, " if kind.key else ""
    return (
        f"SELECT {kind.group}, SUM(sign) AS people, SUM(sign * has_gap) AS people_with_gap, "
        f"SUM(sign * has_unassessed) AS people_not_assessed, {_sum_pairs} "
        f"FROM (SELECT {sign} AS sign, g.unit_id AS unit_id, {inner_key}{_has_gap} AS has_gap, "
        f"{_has_unassessed} AS has_unassessed, {pairs} FROM {source} "
        f"{where} GROUP BY {sign + ', ' if signed else ''}g.unit_id, {inner_group}g.employee_id) p "
        f"GROUP BY {kind.group}"
    )


def _drop(cursor, *tables: str) -> None:
    for table in tables:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


# --- Full run -----------------------------------------------------------------------------------------------------

_TEMPORARY = (
    "gap_tmp_anc", "gap_tmp_targets", "gap_tmp_swept", "gap_tmp_pairs", "gap_tmp_uc", "gap_tmp_people_ua",
    "gap_tmp_people_unit", "gap_tmp_dirty", "gap_tmp_gp", "gap_tmp_delta", "gap_tmp_spread",
    "gap_tmp_subtrees", "gap_tmp_new", "gap_tmp_floor", "gap_tmp_delta_group",
)
# The pair figures of a roll-up's own row as the floor's aggregate gives them (a row per pair: people = pairs).
_FLOOR_FIGURES = {"people": "n.requirements", "people_with_gap": "n.requirements - n.requirements_met",
                  "people_not_assessed": "n.not_assessed", **{name: f"n.{name}" for name in PAIR_FIGURES}}


def _floor_rows(kind: Kind) -> str:
    """The own rows of a pair kind (UC, UGC) from gap_tmp_floor — the floor's aggregate per unit × position group ×
    competency, UGC's own grain — with the competency's area: SELECT unit_id, [position_group], competency_id,
    area_id, figures."""
    floor = "gap_tmp_floor" if kind is UGC else (
        f"(SELECT {kind.group}, {', '.join(f'SUM({n}) AS {n}' for n in PAIR_FIGURES)} FROM gap_tmp_floor "
        f"GROUP BY {kind.group})"
    )
    return (
        f"SELECT n.unit_id AS unit_id{kind.key_of('n')}, c.area_id AS area_id, "
        f"{', '.join(f'{value} AS {name}' for name, value in _FLOOR_FIGURES.items())} "
        f"FROM {floor} n LEFT JOIN competencies_competency c ON c.id = n.competency_id"
    )


def _floor_delta(kind: Kind) -> str:
    """The floor's own rows of a pair kind compared with the stored ones: only the differences come out, with
    ``area_moved`` set when a competency changed area."""
    on = " AND ".join(f"o.{k} = n.{k}" for k in ("unit_id",) + kind.key)
    differs = " OR ".join(["n.unit_id IS NULL", "o.unit_id IS NULL", "n.area_id <> o.area_id"]
                          + [f"n.{f} <> o.{f}" for f in FIGURES])
    return (
        f"SELECT {', '.join(f'COALESCE(n.{k}, o.{k}) AS {k}' for k in ('unit_id',) + kind.key + ('area_id',))}, "
        f"{', '.join(f'COALESCE(n.{f}, 0) - COALESCE(o.{f}, 0) AS {f}' for f in FIGURES)}, "
        "CASE WHEN n.area_id <> o.area_id THEN 1 ELSE 0 END AS area_moved "
        f"FROM ({_floor_rows(kind)}) n "
        f"FULL JOIN (SELECT {kind.group}, area_id, {_figures} FROM {kind.table} WHERE subtree = FALSE) o ON {on} "
        f"WHERE {differs}"
    )


def tree_signature() -> str:
    """A fingerprint of the unit tree: when it differs from the previous run's, a unit moved or appeared without the
    incremental refresh (an import, a path rebuild) and the subtree rows are recomputed from the own rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(id * LENGTH(path)), 0), COALESCE(SUM(COALESCE(parent_id, 0) * id), 0), "
            "COALESCE(SUM(depth * id), 0) FROM people_orgunit"
        )
        return ":".join(str(v) for v in cursor.fetchone())


def prepare_tree(cursor, d: Dialect, *, own_rows_only: bool = False) -> None:
    """Temporary tables of the unit tree: gap_tmp_anc (unit, ancestor — itself included) and gap_tmp_targets (unit,
    the rows its own figures count in: its own row, subtree false, and every subtree row on its path).
    ``own_rows_only``: the subtree rows will be recomputed afterwards (the tree changed), so a difference goes to the
    own row only — the stored subtree rows still follow the old paths and cannot take it."""
    _drop(cursor, "gap_tmp_anc", "gap_tmp_targets")
    cursor.execute(f"CREATE TEMPORARY TABLE gap_tmp_anc AS {d.unit_ancestors()}")
    subtrees = "" if own_rows_only else " UNION ALL SELECT unit_id, ancestor_id, TRUE FROM gap_tmp_anc"
    cursor.execute(
        "CREATE TEMPORARY TABLE gap_tmp_targets AS SELECT unit_id, unit_id AS target_id, FALSE AS subtree "
        f"FROM gap_tmp_anc WHERE ancestor_id = unit_id{subtrees}"
    )


def rebuild_all(*, complete: bool, sweep_today=None, tree_changed: bool = True) -> dict:
    """The roll-up part of a full run, inside the caller's transaction.

    1. ``sweep_today``: the levels expired by that day and not yet swept are re-consolidated and their effect added to
       the stored rows (normally the daily sweep job has done it already: see ``sweep``).
    2. Every pair is aggregated per unit × position group × competency — the floor's statement with one more
       grouping column — and, summed per unit × competency and as it is, compared with the stored own rows of both
       competency kinds; the differences (changes no incremental refresh reported, a position that changed group)
       are repaired along the paths.
    3. The units touched by step 2 (every unit with ``complete``) get their own rows per area and per unit
       recomputed — people concerned from the positions, people with a gap recounted from the view — and repaired.
       Other units' rows are left as the refreshes keep them (a change that reached no refresh shows in step 2,
       unless it exactly compensates another in the same unit: the weekly complete run recounts everything).
    4. The subtree rows are recomputed from the own rows when the unit tree changed without a refresh (or
       ``complete``).
    Returns the organisation's figures, the current levels and roll-up rows written or removed, and the number of
    units recounted."""
    d = Dialect(connection)
    changed = levels = 0
    with connection.cursor() as cursor:
        _drop(cursor, *_TEMPORARY)
        prepare_tree(cursor, d, own_rows_only=complete or tree_changed)
        if sweep_today is not None:
            # What the daily sweep left (normally nothing): re-consolidated here, and the units of the employees
            # concerned recounted in step 3 (the sweep's before/after shortcut assumes stored rows no refresh
            # missed, which the full run cannot assume).
            levels = _sweep_leftovers(cursor, d, sweep_today)
        # 2. The floor's aggregate (the same seven sums), per unit × position group × competency (one scan of the
        #    pairs for both pair kinds), joined to the stored own rows: only differences come out.
        pairs = ", ".join(f"{expr} AS {name}" for name, expr in PAIR_FIGURES.items())
        cursor.execute(
            "CREATE TEMPORARY TABLE gap_tmp_floor AS SELECT g.unit_id AS unit_id, g.position_group AS position_group, "
            f"g.competency_id AS competency_id, {pairs} FROM evaluations_gap g "
            "GROUP BY g.unit_id, g.position_group, g.competency_id"
        )
        deltas = {UC: "gap_tmp_delta", UGC: "gap_tmp_delta_group"}
        for kind, table in deltas.items():
            cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {_floor_delta(kind)}")
        cursor.execute("SELECT COALESCE(MAX(area_moved), 0) FROM (SELECT area_moved FROM gap_tmp_delta "
                       "UNION ALL SELECT area_moved FROM gap_tmp_delta_group) x")
        if cursor.fetchone()[0]:
            # A competency changed area (a framework was reorganised): the own competency rows are rewritten outright
            # and everything else recomputed as in a complete run.
            for kind in PAIR_KINDS:
                _drop(cursor, "gap_tmp_uc")
                cursor.execute(f"CREATE TEMPORARY TABLE gap_tmp_uc AS SELECT unit_id, FALSE AS subtree"
                               f"{kind.key_of('n')}, area_id, {_figures} FROM ({_floor_rows(kind)}) n")
                changed += _merge(cursor, kind, "gap_tmp_uc", only=("subtree = FALSE", []))
            complete = True
            prepare_tree(cursor, d, own_rows_only=True)  # the subtree rows are recomputed in step 4
        else:
            for kind, table in deltas.items():
                changed += _apply_own_deltas(cursor, d, kind, table)
        # 3. The units whose own rows per area and per unit must be recomputed: every unit with ``complete``, else
        #    those with a competency row repaired in step 2 (between runs the refreshes keep these rows exact).
        if complete:
            cursor.execute("CREATE TEMPORARY TABLE gap_tmp_dirty AS SELECT id AS unit_id FROM people_orgunit")
        else:
            swept = (
                " UNION SELECT unit_id FROM people_employee WHERE id IN (SELECT employee_id FROM gap_tmp_swept)"
                if levels else ""
            )
            cursor.execute(f"CREATE TEMPORARY TABLE gap_tmp_dirty AS SELECT unit_id FROM gap_tmp_delta{swept}")
        cursor.execute("SELECT COUNT(*) FROM gap_tmp_dirty")
        recounted = cursor.fetchone()[0]
        if recounted:
            changed += _recount(cursor, d)
        # 4. The subtree rows from the own rows, when the tree changed behind the refreshes' back (or ``complete``).
        if complete or tree_changed:
            for kind in KINDS:
                key = kind.key_of("x")
                _drop(cursor, "gap_tmp_subtrees")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE gap_tmp_subtrees AS SELECT a.ancestor_id AS unit_id, TRUE AS subtree{key}"
                    f"{', MAX(x.area_id) AS area_id' if kind.area else ''}, "
                    f"{', '.join(f'SUM(x.{n}) AS {n}' for n in FIGURES)} FROM {kind.table} x "
                    f"JOIN gap_tmp_anc a ON a.unit_id = x.unit_id WHERE x.subtree = FALSE GROUP BY a.ancestor_id{key}"
                )
                changed += _merge(cursor, kind, "gap_tmp_subtrees", only=("subtree = TRUE", []))
        cursor.execute(
            f"SELECT {', '.join(f'COALESCE(SUM({n}), 0)' for n in FIGURES)} FROM {UNIT.table} WHERE subtree = FALSE"
        )
        totals = dict(zip(FIGURES, (int(v) for v in cursor.fetchone())))
        _drop(cursor, *_TEMPORARY)
    return {"figures": totals, "levels": levels, "changed": changed, "recounted_units": recounted}


def _recount(cursor, d: Dialect) -> int:
    """Own rows per area and per unit of the units in gap_tmp_dirty: pair figures from their (exact) competency
    rows, people concerned from the positions (active staff per position × the areas it requires), people with a gap
    counted once each from the view. The differences with the stored own rows are repaired along the paths.
    Returns rows written or removed."""
    in_force = (
        "SELECT DISTINCT r.position_id AS position_id, c.area_id AS area_id FROM competencies_requirement r "
        "JOIN competencies_competency c ON c.id = r.competency_id "
        "JOIN competencies_framework f ON f.id = c.framework_id WHERE f.status <> 'archived'"
    )
    staff = (
        "SELECT unit_id, position_id, COUNT(*) AS n FROM people_employee WHERE active "
        "AND unit_id IN (SELECT unit_id FROM gap_tmp_dirty) GROUP BY unit_id, position_id"
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE gap_tmp_people_ua AS WITH pa AS ({in_force}), staff AS ({staff}) "
        "SELECT s.unit_id AS unit_id, pa.area_id AS area_id, SUM(s.n) AS people FROM staff s "
        "JOIN pa ON pa.position_id = s.position_id GROUP BY s.unit_id, pa.area_id"
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE gap_tmp_people_unit AS WITH pa AS ({in_force}), staff AS ({staff}) "
        "SELECT unit_id, SUM(n) AS people FROM staff WHERE position_id IN (SELECT position_id FROM pa) GROUP BY unit_id"
    )
    cursor.execute(
        # A requirement never assessed always has a gap (current 0, required 1 or more): the same pairs tell both.
        "CREATE TEMPORARY TABLE gap_tmp_gp AS SELECT g.unit_id AS unit_id, g.area_id AS area_id, "
        f"g.employee_id AS employee_id, {_has_unassessed} AS unassessed FROM evaluations_gap g "
        "WHERE g.gap > 0 AND g.unit_id IN (SELECT unit_id FROM gap_tmp_dirty) "
        "GROUP BY g.unit_id, g.area_id, g.employee_id"
    )
    changed = 0
    for kind, people, with_gap in (
        (UA, "gap_tmp_people_ua",
         "SELECT unit_id, area_id, COUNT(*) AS n, SUM(unassessed) AS na FROM gap_tmp_gp GROUP BY unit_id, area_id"),
        (UNIT, "gap_tmp_people_unit",
         "SELECT unit_id, COUNT(DISTINCT employee_id) AS n, "
         "COUNT(DISTINCT CASE WHEN unassessed = 1 THEN employee_id END) AS na FROM gap_tmp_gp GROUP BY unit_id"),
    ):
        keys = ("unit_id",) + kind.key
        on = " AND ".join(f"p.{c} = s.{c}" for c in keys)
        on_gap = " AND ".join(f"w.{c} = s.{c}" for c in keys)
        _drop(cursor, "gap_tmp_delta")
        cursor.execute(
            f"CREATE TEMPORARY TABLE gap_tmp_delta AS SELECT {kind.group}, "
            f"{', '.join(f'SUM({n}) AS {n}' for n in FIGURES)} FROM ("
            f"SELECT s.unit_id{kind.key_of('s')}, p.people, COALESCE(w.n, 0) AS people_with_gap, "
            "COALESCE(w.na, 0) AS people_not_assessed, "
            f"{', '.join(f's.{n}' for n in PAIR_FIGURES)} "
            f"FROM (SELECT {kind.group}, {_sum_pairs} FROM {UC.table} WHERE subtree = FALSE "
            f"AND unit_id IN (SELECT unit_id FROM gap_tmp_dirty) GROUP BY {kind.group}) s "
            f"JOIN {people} p ON {on} LEFT JOIN ({with_gap}) w ON {on_gap} "
            f"UNION ALL SELECT {kind.group}, {', '.join(f'-{n}' for n in FIGURES)} FROM {kind.table} "
            "WHERE subtree = FALSE AND unit_id IN (SELECT unit_id FROM gap_tmp_dirty)) x "
            f"GROUP BY {kind.group} HAVING {' OR '.join(f'SUM({n}) <> 0' for n in FIGURES)}"
        )
        changed += _apply_own_deltas(cursor, d, kind)
    return changed


def sweep(today) -> tuple[int, int]:
    """The daily expiry sweep on its own (inside the caller's transaction, which holds the exclusive data lock):
    see ``_sweep``. Returns (levels written or removed, roll-up rows written)."""
    d = Dialect(connection)
    with connection.cursor() as cursor:
        prepare_tree(cursor, d)
        try:
            return _sweep(cursor, d, today)
        finally:
            _drop(cursor, "gap_tmp_anc", "gap_tmp_targets")


def _sweep_leftovers(cursor, d: Dialect, today) -> int:
    """Re-consolidate the employees with a level expired by ``today`` (listed in gap_tmp_swept, kept for the
    recount). Returns the levels written or removed."""
    from evaluations.gaps import consolidation

    cursor.execute(
        "CREATE TEMPORARY TABLE gap_tmp_swept AS SELECT DISTINCT employee_id FROM evaluations_currentlevel "
        "WHERE expires_on <= %s OR expires_on IS NULL", [today],
    )
    if d.postgresql:
        cursor.execute("ANALYZE gap_tmp_swept")
    return consolidation.consolidate_listed("gap_tmp_swept", today=today)


def _sweep(cursor, d: Dialect, today) -> tuple[int, int]:
    """Re-consolidate the levels expired by ``today`` and add their effect to the stored rows: the pairs of the
    employees concerned are read before and after, and the difference goes along their units' paths (people with a
    gap stay exact without recounting whole units). Returns (levels written or removed, roll-up rows written)."""
    from evaluations.gaps import consolidation

    cursor.execute(
        "CREATE TEMPORARY TABLE gap_tmp_swept AS SELECT DISTINCT employee_id FROM evaluations_currentlevel "
        "WHERE expires_on <= %s OR expires_on IS NULL", [today],  # NULL: an imported level not consolidated yet
    )
    cursor.execute("SELECT COUNT(*) FROM gap_tmp_swept")
    if not cursor.fetchone()[0]:
        _drop(cursor, "gap_tmp_swept")
        return 0, 0
    if d.postgresql:  # a small table: the planner should look the evidence and pairs up employee by employee
        cursor.execute("ANALYZE gap_tmp_swept")
    pairs = (
        "SELECT {sign}, g.employee_id, g.unit_id, g.position_group, g.competency_id, g.area_id, g.gap, "
        "g.not_assessed, g.weight, g.is_critical FROM evaluations_gap g "
        "WHERE g.employee_id IN (SELECT employee_id FROM gap_tmp_swept)"
    )
    cursor.execute("CREATE TEMPORARY TABLE gap_tmp_pairs AS " + pairs.format(sign="-1 AS sign"))
    levels = consolidation.consolidate_listed("gap_tmp_swept", today=today)
    changed = 0
    if levels:
        cursor.execute("INSERT INTO gap_tmp_pairs " + pairs.format(sign="1"))
        try:
            with transaction.atomic():
                for kind in KINDS:
                    _drop(cursor, "gap_tmp_delta")
                    cursor.execute(f"CREATE TEMPORARY TABLE gap_tmp_delta AS {own_rows(kind, signed=True)}")
                    changed += _apply_own_deltas(cursor, d, kind)
        except IntegrityError:
            # A figure would go below zero: the stored rows missed a change (an employee moved without a refresh)
            # and the difference went to the wrong unit. The levels stay swept; the nightly run repairs the rows.
            logger.warning("gap sweep: roll-ups left to the nightly run (stored rows missed a change)")
            changed = 0
    _drop(cursor, "gap_tmp_swept", "gap_tmp_pairs", "gap_tmp_delta")
    return levels, changed


def _apply_own_deltas(cursor, d: Dialect, kind: Kind, source: str = "gap_tmp_delta") -> int:
    """Add the own-row differences in ``source`` to the own rows and to the subtree rows of every unit on the path:
    update what exists, insert what appears, delete what reaches zero people. Returns rows written/removed."""
    key = kind.key_of("x")
    _drop(cursor, "gap_tmp_spread")
    cursor.execute(
        f"CREATE TEMPORARY TABLE gap_tmp_spread AS SELECT t.target_id AS unit_id, t.subtree AS subtree{key}"
        f"{', MAX(x.area_id) AS area_id' if kind.area else ''}, {', '.join(f'SUM(x.{n}) AS {n}' for n in FIGURES)} "
        f"FROM {source} x JOIN gap_tmp_targets t ON t.unit_id = x.unit_id GROUP BY t.target_id, t.subtree{key} "
        f"HAVING {' OR '.join(f'SUM(x.{n}) <> 0' for n in FIGURES)}"
    )
    cursor.execute("SELECT COUNT(*) FROM gap_tmp_spread")
    if not cursor.fetchone()[0]:
        return 0
    if d.postgresql:
        cursor.execute("ANALYZE gap_tmp_spread")  # small, usually: look the stored rows up by their unique index
    table, columns = kind.table, kind.keys + kind.extra + FIGURES
    match = " AND ".join(f"s.{k} = {table}.{k}" for k in kind.keys)
    # The rows that do not exist yet are set apart first, in a statement of their own: an anti-join inside the
    # INSERT that fills the same table (the first run, into empty tables) may be planned as one scan of the table
    # per row, which grows with the square of the organisation.
    _drop(cursor, "gap_tmp_new")
    cursor.execute(
        "CREATE TEMPORARY TABLE gap_tmp_new AS SELECT s.* FROM gap_tmp_spread s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {match})"
    )
    cursor.execute(
        f"UPDATE {table} SET {', '.join(f'{n} = {table}.{n} + s.{n}' for n in FIGURES)} "
        f"FROM gap_tmp_spread s WHERE {match}"
    )
    changed = max(cursor.rowcount, 0)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(f's.{c}' for c in columns)} FROM gap_tmp_new s"
    )
    changed += max(cursor.rowcount, 0)
    _drop(cursor, "gap_tmp_new")
    cursor.execute(
        f"DELETE FROM {table} WHERE people = 0 AND ({', '.join(kind.keys)}) IN (SELECT {', '.join(kind.keys)} "
        "FROM gap_tmp_spread)"
    )
    return changed + max(cursor.rowcount, 0)


def _merge(cursor, kind: Kind, source: str, *, only: tuple[str, list] | None = None) -> int:
    """Make ``kind.table`` (or its rows matching ``only``) equal to ``source``, writing only the rows that differ:
    the changed rows are found with a set difference (a hash, not a lookup per row)."""
    table, columns = kind.table, kind.keys + kind.extra + FIGURES
    listed = ", ".join(columns)
    condition, params = only or ("1 = 1", [])
    cursor.execute(
        f"INSERT INTO {table} ({listed}) SELECT {listed} FROM (SELECT {listed} FROM {source} "
        f"EXCEPT SELECT {listed} FROM {table} WHERE {condition}) changed WHERE 1 = 1 "
        f"ON CONFLICT ({', '.join(kind.keys)}) DO UPDATE SET "
        f"{', '.join(f'{c} = excluded.{c}' for c in kind.extra + FIGURES)}",
        params,
    )
    written = max(cursor.rowcount, 0)
    match = " AND ".join(f"s.{k} = {table}.{k}" for k in kind.keys)
    cursor.execute(f"DELETE FROM {table} WHERE {condition} AND NOT EXISTS (SELECT 1 FROM {source} s WHERE {match})",
                   params)
    return written + max(cursor.rowcount, 0)


# --- Incremental --------------------------------------------------------------------------------------------------


def _apply_rows(kind: Kind, rows: list[tuple]) -> int:
    """Add delta ``rows`` — (unit_id, subtree, [key], [area_id], figures…) — to the stored rows of ``kind``: update
    the rows that exist, insert the rows that appear (no earlier contribution: the delta is their content), delete
    the rows that reach zero people. Returns the number of rows written or removed."""
    if not rows:
        return 0
    table, columns = kind.table, kind.keys + kind.extra + FIGURES
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    params = [value for row in rows for value in row]
    delta = f"WITH d({', '.join(columns)}) AS (VALUES {values}) "
    match = " AND ".join(f"d.{k} = {table}.{k}" for k in kind.keys)
    changed = execute(
        f"{delta}UPDATE {table} SET {', '.join(f'{n} = {table}.{n} + d.{n}' for n in FIGURES)} FROM d WHERE {match}",
        params,
    )
    people = len(kind.keys) + len(kind.extra)  # position of "people" in a row
    if any(row[people] > 0 for row in rows):  # only a row gaining people can be new
        changed += execute(
            f"{delta}INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(f'd.{c}' for c in columns)} FROM d "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {match}) "
            f"ON CONFLICT ({', '.join(kind.keys)}) DO UPDATE SET "
            f"{', '.join(f'{n} = {table}.{n} + excluded.{n}' for n in FIGURES)}",
            params,
        )
    if any(row[people] < 0 for row in rows):  # only a row losing people can reach zero
        keys = ", ".join(["(" + ", ".join(["%s"] * len(kind.keys)) + ")"] * len(rows))
        changed += execute(
            f"DELETE FROM {table} WHERE people = 0 AND ({', '.join(kind.keys)}) IN (VALUES {keys})",
            [value for row in rows for value in row[: len(kind.keys)]],
        )
    return changed


def _along_paths(own: dict[tuple, dict], paths: dict[int, str]) -> dict[tuple, dict]:
    """Own-row deltas {(unit, [key], [area]): figures} → the same on the unit's own row and on the subtree row of
    every unit on its path: {(target, subtree, [key], [area]): figures}, zero rows left out."""
    spread: dict[tuple, dict] = {}
    for (unit_id, *rest), figures in own.items():
        targets = [(unit_id, False)] + [(int(a), True) for a in paths[unit_id].strip("/").split("/") if a]
        for target in targets:
            total = spread.setdefault((*target, *rest), dict.fromkeys(FIGURES, 0))
            for name in FIGURES:
                total[name] += figures[name]
    return {key: figures for key, figures in spread.items() if any(figures.values())}


def _rows(kind: Kind, deltas: dict[tuple, dict]) -> list[tuple]:
    key_length = len(kind.keys)
    rows = []
    for key, figures in deltas.items():
        # key = (unit, subtree, [key column]) + ([area_id] for competency rows, not part of the unique key)
        rows.append(tuple(key[:key_length]) + tuple(key[key_length:]) + tuple(figures[n] for n in FIGURES))
    return rows


def _paths(unit_ids: Iterable[int]) -> dict[int, str]:
    from clo.people.models import OrgUnit

    return dict(OrgUnit.objects.filter(pk__in=list(unit_ids)).values_list("id", "path"))


def refresh_units(unit_ids: Iterable[int]) -> int:
    """Bring the own rows of ``unit_ids`` and the subtree rows above them up to date: own rows recomputed from the
    view minus what is stored, added along the path. The caller holds ``runs.lock_data`` and ``runs.lock_units``.
    Returns the number of stored rows written or removed."""
    paths = _paths(unit_ids)
    unit_ids = sorted(paths)
    if not unit_ids:
        return 0
    in_units = ", ".join(["%s"] * len(unit_ids))
    changed = 0
    for kind in KINDS:
        columns = kind.group + (", area_id" if kind.area else "")
        rows = execute(
            f"SELECT {columns}, {', '.join(f'SUM({n})' for n in FIGURES)} FROM ("
            f"SELECT {columns}, {_figures} FROM ({own_rows(kind, f'WHERE g.unit_id IN ({in_units})')}) n "
            f"UNION ALL SELECT {columns}, {', '.join(f'-{n}' for n in FIGURES)} FROM {kind.table} "
            f"WHERE subtree = FALSE AND unit_id IN ({in_units})) x GROUP BY {columns}",
            unit_ids + unit_ids, fetch=True,
        )
        width = len(columns.split(","))
        own = {tuple(row[:width]): dict(zip(FIGURES, row[width:])) for row in rows}
        changed += _apply_rows(kind, _rows(kind, _along_paths(own, paths)))
    return changed


_PAIRS_OF_EMPLOYEE = (
    "SELECT g.unit_id, g.position_group, g.competency_id, g.area_id, g.gap, g.not_assessed, g.weight, g.is_critical "
    "FROM evaluations_gap g WHERE g.employee_id = %s"
)


def _employee_figures(pairs: list[tuple], sign: int) -> dict[Kind, dict[tuple, dict]]:
    """One employee's own-row figures per competency (for all and for their position group), per area and per unit
    (people counted once), times ``sign``."""
    result: dict[Kind, dict[tuple, dict]] = {kind: {} for kind in KINDS}
    for unit_id, group, competency_id, area_id, gap, not_assessed, weight, is_critical in pairs:
        figures = pair_figures(gap, not_assessed, weight, is_critical)
        for kind, key in ((UC, (unit_id, competency_id, area_id)), (UGC, (unit_id, group, competency_id, area_id)),
                          (UA, (unit_id, area_id)), (UNIT, (unit_id,))):
            total = result[kind].setdefault(key, {**dict.fromkeys(FIGURES, 0), "people": sign})
            for name, value in figures.items():
                total[name] += sign * value
            if gap > 0:
                total["people_with_gap"] = sign
            if not_assessed:
                total["people_not_assessed"] = sign
    return result


def refresh_employee(employee_id: int, unit_id: int, path: str, reconsolidate: Callable[[], int]) -> int:
    """An employee's evidence changed (their unit and position did not): their pairs are read before and after
    ``reconsolidate`` and the difference is added along their unit's path — a cost that depends on one employee, not
    on the size of their unit. Returns the rows written or removed, current levels included."""
    before = execute(_PAIRS_OF_EMPLOYEE, [employee_id], fetch=True)
    changed = reconsolidate()
    after = execute(_PAIRS_OF_EMPLOYEE, [employee_id], fetch=True)
    if sorted(before) == sorted(after):
        return changed
    paths = {unit_id: path}
    old, new = _employee_figures(before, -1), _employee_figures(after, 1)
    for kind in KINDS:
        own: dict[tuple, dict] = {}
        for part in (old[kind], new[kind]):
            for key, figures in part.items():
                total = own.setdefault(key, dict.fromkeys(FIGURES, 0))
                for name in FIGURES:
                    total[name] += figures[name]
        changed += _apply_rows(kind, _rows(kind, _along_paths(own, paths)))
    return changed


def refresh_subtrees(ancestor_ids: Iterable[int]) -> int:
    """Recompute the subtree rows of ``ancestor_ids`` from the stored own rows of the units under them (after a unit
    moved: its old and new ancestors). The caller holds the exclusive lock. Returns rows written or removed."""
    ancestor_ids = sorted(set(ancestor_ids))
    if not ancestor_ids:
        return 0
    in_ancestors = ", ".join(["%s"] * len(ancestor_ids))
    changed = 0
    with connection.cursor() as cursor:
        for kind in KINDS:
            key = kind.key_of("x")
            _drop(cursor, "gap_tmp_subtrees")
            cursor.execute(
                f"CREATE TEMPORARY TABLE gap_tmp_subtrees AS SELECT a.id AS unit_id, TRUE AS subtree{key}"
                f"{', MAX(x.area_id) AS area_id' if kind.area else ''}, "
                f"{', '.join(f'SUM(x.{n}) AS {n}' for n in FIGURES)} "
                "FROM people_orgunit a JOIN people_orgunit u ON substr(u.path, 1, length(a.path)) = a.path "
                f"JOIN {kind.table} x ON x.unit_id = u.id AND x.subtree = FALSE "
                f"WHERE a.id IN ({in_ancestors}) GROUP BY a.id{key}",
                ancestor_ids,
            )
            changed += _merge(cursor, kind, "gap_tmp_subtrees",
                              only=(f"subtree = TRUE AND unit_id IN ({in_ancestors})", ancestor_ids))
            _drop(cursor, "gap_tmp_subtrees")
    return changed
