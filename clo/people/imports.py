"""Importers of the organisation from the HR system: units, positions, employees (see ``clo.core.imports``).

Natural keys: the unit's code, the position's code, the employee number. An employees file updates the people in
it; only when the person importing it says it is the whole staff register is an employee who is in the database but
not in the file deactivated (``active=False``; never deleted, their history stays). Writes are set-based; the gap
engine is told once per import, on commit (the units whose people changed are recounted; a change of the unit tree
asks for a full run, which recomputes the subtree figures). An employees import can be undone (``undo``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from clo.core.imports import writes
from clo.core.imports.registry import (
    Column,
    Importer,
    Plan,
    RowError,
    RowReader,
    choice_map,
    first_rows,
    register,
    unique_rows,
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


def find_cycles(parent_of: dict[str, str | None], starts) -> dict[str, list[str]]:
    """For each key on a cycle of ``parent_of`` reached from ``starts``: the cycle from that key, as a list of keys
    (the key repeated at the end). Linear in the size of the graph."""
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
            for i, member in enumerate(cycle):
                cycles[member] = cycle[i:] + cycle[:i] + [member]  # told from the row's own point of view
        for member in walk:
            state[member] = 2
    return cycles


# --- Units ---------------------------------------------------------------------------------------------------------


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

    def plan(self, rows, *, progress=None) -> Plan:
        plan = Plan()
        errors: list[RowError] = []
        existing = {code: (pk, name, kind, parent_id) for pk, code, name, kind, parent_id
                    in OrgUnit.objects.values_list("id", "code", "name", "kind", "parent_id")}
        code_of = {pk: code for code, (pk, *_rest) in existing.items()}
        read: dict[int, dict] = {}
        kinds = choice_map(OrgUnit.Kind.choices)
        for done, row in enumerate(rows, start=1):
            r = RowReader(row, errors)
            values = {
                "code": r.text("code", max_length=20, required=True),
                "name": r.text("name", max_length=200, required=True),
                "kind": r.choice("kind", kinds, default=OrgUnit.Kind.SERVICE),
                "parent_code": r.text("parent_code", max_length=20) or None,
            }
            if r.ok:
                read[row.number] = values
            _progress(progress, done)
        by_code = unique_rows(rows, "code", read, errors)
        parent_of = {code: code_of.get(parent_id) for code, (_pk, _n, _k, parent_id) in existing.items()}
        for code, row in by_code.items():
            parent_of[code] = read[row.number]["parent_code"]
        valid = {}
        for code, row in by_code.items():
            parent = read[row.number]["parent_code"]
            if parent and parent not in existing and parent not in by_code:
                errors.append(RowError(row.number, "parent_code", UNKNOWN_UNIT, {"value": parent}))
            else:
                valid[code] = read[row.number]
        for code, cycle in find_cycles(parent_of, list(valid)).items():
            if code in valid:
                errors.append(RowError(by_code[code].number, "parent_code", UNIT_CYCLE, {"cycle": " → ".join(cycle)}))
        creates, updates = [], []
        for code, values in valid.items():
            if code not in existing:
                creates.append(values)
                continue
            pk, name, kind, parent_id = existing[code]
            if (name, kind, code_of.get(parent_id)) != (values["name"], values["kind"], values["parent_code"]):
                updates.append((pk, parent_id, values))
            else:
                plan.unchanged += 1
        plan.errors, plan.create, plan.update = errors, len(creates), len(updates)
        plan.payload = (creates, updates, existing)
        return plan

    def apply(self, plan: Plan) -> None:
        creates, updates, existing = plan.payload
        OrgUnit.objects.bulk_create(
            [OrgUnit(code=v["code"], name=v["name"], kind=v["kind"]) for v in creates], batch_size=BATCH
        )
        ids = {code: pk for code, (pk, *_rest) in existing.items()}
        ids.update(OrgUnit.objects.filter(code__in=[v["code"] for v in creates]).values_list("code", "id"))
        moved = [pk for pk, parent_id, v in updates if parent_id != ids.get(v["parent_code"])]
        # The tree trigger judges a move by the old paths: the paths are rebuilt below, from the new parents.
        OrgUnit.objects.filter(pk__in=moved).update(path="")
        changed = [OrgUnit(id=pk, name=v["name"], kind=v["kind"], parent_id=ids.get(v["parent_code"]))
                   for pk, _parent, v in updates]
        changed += [OrgUnit(id=ids[v["code"]], name=v["name"], kind=v["kind"], parent_id=ids[v["parent_code"]])
                    for v in creates if v["parent_code"]]
        writes.bulk_update(OrgUnit, changed, ["name", "kind", "parent"], batch_size=BATCH)
        if creates or moved:
            services.orgunit_rebuild_paths()
        if moved:
            # The subtree figures follow the tree: a full run recomputes them (one run for the whole import).
            queue_on_commit("evaluations.gaps_full_run", trigger="manual")
            queue_on_commit("programs.training_rollup_rebuild")  # the training figures' subtrees too


# --- Positions -----------------------------------------------------------------------------------------------------


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

    def plan(self, rows, *, progress=None) -> Plan:
        plan = Plan()
        errors: list[RowError] = []
        units = dict(OrgUnit.objects.values_list("code", "id"))
        existing = {row[1]: row for row in Position.objects.values_list(
            "id", "code", "title", "group", "job_family", "unit_id", "is_critical", "criticality", "critical_reason",
            "active")}
        read, groups = {}, choice_map(Position.Group.choices)
        for done, row in enumerate(rows, start=1):
            r = RowReader(row, errors)
            unit_code = r.text("unit_code", max_length=20)
            values = {
                "code": r.text("code", max_length=20, required=True),
                "title": r.text("title", max_length=200, required=True),
                "group": r.choice("group", groups),
                "job_family": r.text("job_family", max_length=100),
                "unit_id": units.get(unit_code) if unit_code else None,
                "is_critical": r.boolean("critical"),
                "criticality": r.integer("criticality", minimum=1, maximum=3),
                "critical_reason": r.text("critical_reason", max_length=500),
                "active": True,
            }
            if unit_code and values["unit_id"] is None:
                r.error("unit_code", UNKNOWN_UNIT, value=unit_code)
            if not values["is_critical"] and values["criticality"] is not None:
                r.error("criticality", CRITICALITY_NOT_CRITICAL)
            if not values["is_critical"] and values["critical_reason"]:
                r.error("critical_reason", REASON_NOT_CRITICAL)
            if values["is_critical"] and values["criticality"] is None:
                values["criticality"] = 2
            if r.ok:
                read[row.number] = values
            _progress(progress, done)
        by_code = unique_rows(rows, "code", read, errors)
        fields = ["title", "group", "job_family", "unit_id", "is_critical", "criticality", "critical_reason", "active"]
        creates, updates, regrouped, criticality_changed = [], [], [], False
        for code, row in by_code.items():
            values = read[row.number]
            current = existing.get(code)
            if current is None:
                creates.append(Position(**values))
                criticality_changed = criticality_changed or bool(values["is_critical"])
            elif tuple(current[2:]) != tuple(values[f] for f in fields):
                updates.append(Position(id=current[0], **values))
                if current[3] != values["group"]:
                    regrouped.append(current[0])
                if current[7] != values["criticality"]:
                    criticality_changed = True
            else:
                plan.unchanged += 1
        plan.errors, plan.create, plan.update = errors, len(creates), len(updates)
        plan.payload = (creates, updates, regrouped, criticality_changed)
        return plan

    def apply(self, plan: Plan) -> None:
        creates, updates, regrouped, criticality_changed = plan.payload
        Position.objects.bulk_create(creates, batch_size=BATCH)
        writes.bulk_update(Position, updates, ["title", "group", "job_family", "unit", "is_critical", "criticality",
                                               "critical_reason", "active"], batch_size=BATCH)
        if regrouped:
            services.positions_regrouped(position_ids=regrouped)
        if criticality_changed:
            # the knowledge-at-risk map depends on which positions are critical and how much (a layer above: by name)
            queue_on_commit("talent.knowledge_risk_rebuild")


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


def _name_managers_in_error(rows, by_number, errors: list[RowError]) -> None:
    """A row refused for its manager, whose own row is in the file but in error, says so (instead of "not in the
    file" or "unknown"): correcting the manager's row corrects it too."""
    in_error = {number: row.number for number, row in
                first_rows(rows, lambda row: (row.values.get("employee_number") or "").strip(), "", [])
                .items() if number not in by_number}
    for error in errors:
        manager = error.params.get("value") if error.column == "manager_number" else None
        if manager in in_error:
            error.message, error.params = MANAGER_ROW_IN_ERROR, {"value": manager, "row": in_error[manager]}


EMPLOYEE_FIELDS = ["first_name", "last_name", "email", "unit_id", "position_id", "employment_type", "hire_date",
                   "expected_retirement_date", "language"]
AUDITED = [*EMPLOYEE_FIELDS, "manager", "active"]  # the plan's rows hold the manager's number


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

    def _read(self, rows, errors, progress):
        units = dict(OrgUnit.objects.values_list("code", "id"))
        positions = dict(Position.objects.values_list("code", "id"))
        languages = choice_map([(code, code) for code, _name in settings.LANGUAGES])
        types = choice_map(Employee.EmploymentType.choices, aliases=EMPLOYMENT_TYPE_ALIASES)
        read = {}
        for done, row in enumerate(rows, start=1):
            r = RowReader(row, errors)
            unit_code = r.text("unit_code", max_length=20, required=True)
            position_code = r.text("position_code", max_length=20, required=True)
            values = {
                "employee_number": r.text("employee_number", max_length=20, required=True),
                "first_name": r.text("first_name", max_length=100, required=True),
                "last_name": r.text("last_name", max_length=150, required=True),
                "email": r.email("email"),
                "unit_id": units.get(unit_code),
                "position_id": positions.get(position_code),
                "employment_type": r.choice("employment_type", types, default=Employee.EmploymentType.CAREER),
                "hire_date": r.date("hire_date", required=True),
                "expected_retirement_date": r.date("expected_retirement_date"),
                "language": r.choice("language", languages, default="ca"),
                "manager": r.text("manager_number", max_length=20) or None,
            }
            if unit_code and values["unit_id"] is None:
                r.error("unit_code", UNKNOWN_UNIT, value=unit_code)
            if position_code and values["position_id"] is None:
                r.error("position_code", UNKNOWN_POSITION, value=position_code)
            hire, retirement = values["hire_date"], values["expected_retirement_date"]
            if hire and retirement and retirement <= hire:
                r.error("expected_retirement_date", RETIREMENT_BEFORE_HIRE)
            if r.ok:
                read[row.number] = values
            _progress(progress, done)
        return read

    def plan(self, rows, *, progress=None, whole_register: bool = False) -> Plan:
        plan = Plan()
        errors: list[RowError] = []
        read = self._read(rows, errors, progress)
        existing = {row[1]: row for row in Employee.objects.values_list(
            "id", "employee_number", *EMPLOYEE_FIELDS, "manager__employee_number", "active", "unit_id"
        ).order_by().iterator(chunk_size=10000)}
        by_number = unique_rows(rows, "employee_number", read, errors)
        # An update leaves the active employees who are not in the file as they are: they may be named as managers.
        kept = set() if whole_register else {n for n, row in existing.items() if row[-2] and n not in by_number}
        valid = {}
        for number, row in by_number.items():
            manager = read[row.number]["manager"]
            if manager and manager not in by_number and manager not in kept:
                message = MANAGER_NOT_IN_FILE if manager in existing else UNKNOWN_EMPLOYEE
                if manager in existing and not whole_register:
                    message = MANAGER_INACTIVE
                errors.append(RowError(row.number, "manager_number", message, {"value": manager}))
            else:
                valid[number] = read[row.number]
        manager_of = {number: existing[number][-3] for number in kept}
        manager_of.update((number, values["manager"]) for number, values in valid.items())
        for number, cycle in find_cycles(manager_of, list(valid)).items():
            if number not in valid:  # a cycle of the people left as they are is not this file's
                continue
            errors.append(RowError(by_number[number].number, "manager_number", MANAGER_CYCLE,
                                   {"cycle": " → ".join(cycle)}))
            valid.pop(number, None)
        creates, updates, touched_units = [], [], set()
        for number, values in valid.items():
            current = existing.get(number)
            wanted = tuple(values[f] for f in EMPLOYEE_FIELDS) + (values["manager"], True)
            if current is None:
                creates.append(values)
                touched_units.add(values["unit_id"])
            elif tuple(current[2:-1]) != wanted:
                updates.append((current[0], values, current))
                if (current[5], current[6], current[-2]) != (values["unit_id"], values["position_id"], True):
                    touched_units.update((current[-1], values["unit_id"]))
            else:
                plan.unchanged += 1
        gone = [(row[0], row[-1], number) for number, row in existing.items()
                if whole_register and number not in by_number and row[-2]]
        plan.active = sum(1 for row in existing.values() if row[-2])
        touched_units.update(unit_id for _pk, unit_id, _number in gone)
        plan.errors, plan.create, plan.update, plan.deactivate = errors, len(creates), len(updates), len(gone)
        plan.deactivated = sorted(number for _pk, _unit, number in gone)[:SAMPLE]
        plan.payload = (creates, updates, [pk for pk, _unit, _number in gone], touched_units, existing)
        _name_managers_in_error(rows, by_number, errors)
        return plan

    def apply(self, plan: Plan) -> None:
        creates, updates, gone, touched_units, existing = plan.payload
        new = [Employee(**{k: v for k, v in values.items() if k != "manager"}) for values in creates]
        Employee.objects.bulk_create(new, batch_size=BATCH)
        ids = {number: row[0] for number, row in existing.items()}
        if any(employee.pk is None for employee in new):  # a database that does not return the new ids
            ids.update(Employee.objects.filter(employee_number__in=[v["employee_number"] for v in creates])
                       .values_list("employee_number", "id"))
        else:
            ids.update((employee.employee_number, employee.pk) for employee in new)
        changed = [
            Employee(id=pk, active=True, manager_id=ids.get(values["manager"]),
                     **{f: values[f] for f in EMPLOYEE_FIELDS})
            for pk, values, _current in updates
        ]
        writes.bulk_update(Employee, changed, [*EMPLOYEE_FIELDS, "manager", "active"], batch_size=BATCH)
        managed = [Employee(id=ids[v["employee_number"]], manager_id=ids[v["manager"]])
                   for v in creates if v["manager"]]
        writes.bulk_update(Employee, managed, ["manager"], batch_size=BATCH)
        for start in range(0, len(gone), BATCH):
            Employee.objects.filter(pk__in=gone[start:start + BATCH]).update(active=False)
        plan.changes = self._audit(new, updates, gone)
        if touched_units:
            # One recount of the units whose people changed (and of everything above them), on commit.
            queue_on_commit("evaluations.gaps_refresh_units", sorted(u for u in touched_units if u))
            queue_on_commit("programs.training_refresh_units", sorted(u for u in touched_units if u))

    @staticmethod
    def _audit(new, updates, gone) -> dict:
        """The audit trail's entries of what ``apply`` wrote, and the same changes for the undo."""
        created = {e.pk: writes.changes_between({}, {f: getattr(e, f) for f in EMPLOYEE_FIELDS}) for e in new}
        writes.audit(Employee, created, action="create", person_ids={pk: pk for pk in created})
        updated = {}
        for pk, values, current in updates:
            before = dict(zip(AUDITED, current[2:-1]))
            updated[pk] = writes.changes_between(before, {**{f: values[f] for f in EMPLOYEE_FIELDS},
                                                          "manager": values["manager"], "active": True})
        writes.audit(Employee, updated, action="update", person_ids={pk: pk for pk in updated})
        deactivated = {pk: {"active": [True, False]} for pk in gone}
        writes.audit(Employee, deactivated, action="update", person_ids={pk: pk for pk in deactivated})
        return {**{pk: ("create", diff) for pk, diff in created.items()},
                **{pk: ("update", diff) for pk, diff in updated.items() if diff},
                **{pk: ("deactivate", diff) for pk, diff in deactivated.items()}}

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
