"""Importers of the catalogue and of historic training records, see ``clo.core.imports``.

Programs: natural key the program's code. Historic training records (training done before clo, or elsewhere): one
row per employee × program × start date; each becomes an enrolment of a finished *historic session* of the program
that starts that day (code ``H<yyyymmdd>-<program code>``, created on the first import that needs it), completed
(with its completion date, the end date) or only attended, with the hours attended. Completed trainings are
evidence for the gap engine: after the import the employees concerned are re-consolidated on commit (each one when
they are few, or one full run with full consolidation for a large file).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
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
from clo.people.models import Employee
from programs.models import Enrolment, Modality, Program, ProgramCompetency, Session

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
    fields = ["title", "modality", "hours", "provider", "cost", "cost_basis", "is_open", "objectives", "active"]

    def plan(self, rows, *, progress=None) -> Plan:
        plan, errors = Plan(), []
        existing = {row[1]: row for row in Program.objects.values_list("id", "code", *self.fields)}
        read, modalities, bases = {}, choice_map(Modality.choices), choice_map(Program.CostBasis.choices)
        for row in rows:
            r = RowReader(row, errors)
            values = {
                "code": r.text("code", max_length=30, required=True),
                "title": r.text("title", max_length=200, required=True),
                "modality": r.choice("modality", modalities),
                "hours": r.decimal("hours", required=True, minimum=Decimal("0.1"), maximum=Decimal("99999.9"),
                                   places=1),
                "provider": r.text("provider", max_length=200),
                "cost": r.decimal("cost", minimum=Decimal(0), maximum=Decimal("99999999.99"), default=Decimal("0.00")),
                "cost_basis": r.choice("cost_basis", bases, default=Program.CostBasis.PER_SEAT),
                "is_open": r.boolean("open_enrolment"),
                "objectives": r.text("objectives", max_length=10000),
                "active": True,
            }
            if r.ok:
                read[row.number] = values
        by_code = unique_rows(rows, "code", read, errors)
        creates, updates = [], []
        for code, row in by_code.items():
            values = read[row.number]
            current = existing.get(code)
            if current is None:
                creates.append(Program(**values))
            elif tuple(current[2:]) != tuple(values[f] for f in self.fields):
                updates.append(Program(id=current[0], **values))
            else:
                plan.unchanged += 1
        plan.errors, plan.create, plan.update = errors, len(creates), len(updates)
        plan.payload = (creates, updates)
        return plan

    def apply(self, plan: Plan) -> None:
        creates, updates = plan.payload
        Program.objects.bulk_create(creates, batch_size=BATCH)
        writes.bulk_update(Program, updates, self.fields, batch_size=BATCH)


def historic_session_code(program_code: str, start: dt.date) -> str:
    return f"H{start:%Y%m%d}-{program_code}"[:40]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


def _day_end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


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

    def _read(self, rows, errors):
        employees = dict(Employee.objects.values_list("employee_number", "id").order_by().iterator(chunk_size=20000))
        programs = dict(Program.objects.values_list("code", "id"))
        read = {}
        for row in rows:
            r = RowReader(row, errors)
            number = r.text("employee_number", max_length=20, required=True)
            program = r.text("program_code", max_length=30, required=True)
            start = r.date("start_date", required=True)
            end = r.date("end_date") or start
            hours = r.decimal("hours", required=True, minimum=Decimal(0), maximum=Decimal("99999.9"), places=1)
            completed = r.boolean("completed", default=True)
            if number and number not in employees:
                r.error("employee_number", UNKNOWN_EMPLOYEE, value=number)
            if program and program not in programs:
                r.error("program_code", UNKNOWN_PROGRAM, value=program)
            if start and end and end < start:
                r.error("end_date", END_BEFORE_START)
            if r.ok:
                read[row.number] = {
                    "employee_id": employees[number], "program_id": programs[program],
                    "code": historic_session_code(program, start), "start": start, "end": end,
                    "status": Enrolment.Status.COMPLETED if completed else Enrolment.Status.ATTENDED,
                    "completed_on": end if completed else None, "hours_attended": hours,
                }
        return read

    def plan(self, rows, *, progress=None) -> Plan:
        plan, errors = Plan(), []
        read = self._read(rows, errors)
        by_key = first_rows([row for row in rows if row.number in read],
                            lambda row: (read[row.number]["employee_id"], read[row.number]["code"]), "start_date", [])
        for row in rows:
            if row.number in read:
                first = by_key[(read[row.number]["employee_id"], read[row.number]["code"])]
                if first is not row:
                    errors.append(RowError(row.number, "start_date", DUPLICATE_RECORD, {"first": first.number}))
        codes = sorted({values["code"] for values in read.values()})
        sessions = {code: (pk, ends_at, capacity) for pk, code, ends_at, capacity
                    in Session.objects.filter(code__in=codes).values_list("id", "code", "ends_at", "capacity")}
        existing = {(employee_id, code): (pk, status, completed_on, hours) for pk, code, employee_id, status,
                    completed_on, hours in Enrolment.objects.filter(session__code__in=codes).values_list(
                        "id", "session__code", "employee_id", "status", "completed_on", "hours_attended")}
        certifying = set(ProgramCompetency.objects.values_list("program_id", flat=True).distinct())
        creates, updates, evidence = [], [], set()
        for (employee_id, code), row in by_key.items():
            values = read[row.number]
            current = existing.get((employee_id, code))
            wanted = (values["status"], values["completed_on"], values["hours_attended"])
            if current is None:
                creates.append(values)
            elif current[1:] != wanted:
                updates.append((current[0], values, current))
            else:
                plan.unchanged += 1
                continue
            changed_completion = current is None or current[1:3] != wanted[:2]
            if values["program_id"] in certifying and changed_completion and (current or values["completed_on"]):
                evidence.add(employee_id)
        plan.errors, plan.create, plan.update = errors, len(creates), len(updates)
        plan.payload = (creates, updates, sessions, evidence)
        return plan

    def _sessions(self, creates, updates, sessions) -> dict[str, int]:
        """The historic sessions the records need: created, or stretched to their latest end and seat count."""
        wanted: dict[str, dict] = {}
        for values in [*creates, *(v for _pk, v, _current in updates)]:
            entry = wanted.setdefault(values["code"], {"program_id": values["program_id"], "start": values["start"],
                                                       "end": values["end"], "seats": 0})
            entry["end"] = max(entry["end"], values["end"])
            entry["seats"] += 1
        new = [Session(program_id=w["program_id"], code=code, starts_at=_day_start(w["start"]),
                       ends_at=_day_end(w["end"]), place=HISTORIC_PLACE, capacity=max(w["seats"], 1),
                       status=Session.Status.FINISHED)
               for code, w in wanted.items() if code not in sessions]
        Session.objects.bulk_create(new, batch_size=BATCH)
        stretched = []
        for code, w in wanted.items():
            if code in sessions:
                pk, ends_at, capacity = sessions[code]
                if _day_end(w["end"]) > ends_at or w["seats"] > capacity:
                    stretched.append(Session(id=pk, ends_at=max(ends_at, _day_end(w["end"])),
                                             capacity=capacity + w["seats"]))
        writes.bulk_update(Session, stretched, ["ends_at", "capacity"], batch_size=BATCH)
        ids = {code: pk for code, (pk, _e, _c) in sessions.items()}
        ids.update(Session.objects.filter(code__in=[s.code for s in new]).values_list("code", "id"))
        return ids

    def apply(self, plan: Plan) -> None:
        creates, updates, sessions, evidence = plan.payload
        session_ids = self._sessions(creates, updates, sessions)
        new = [Enrolment(session_id=session_ids[v["code"]], employee_id=v["employee_id"], status=v["status"],
                         completed_on=v["completed_on"], hours_attended=v["hours_attended"]) for v in creates]
        Enrolment.objects.bulk_create(new, batch_size=BATCH)
        changed = [Enrolment(id=pk, employee_id=v["employee_id"], status=v["status"], completed_on=v["completed_on"],
                             hours_attended=v["hours_attended"]) for pk, v, _current in updates]
        writes.bulk_update(Enrolment, changed, AUDITED, batch_size=BATCH)
        writes.audit(Enrolment, {e.pk: writes.changes_between({}, {f: getattr(e, f) for f in ["session_id", *AUDITED]})
                                 for e in new}, action="create", person_ids={e.pk: e.employee_id for e in new})
        before = {pk: dict(zip(AUDITED, current[1:])) for pk, _v, current in updates}
        writes.audit(Enrolment, {e.pk: writes.changes_between(before[e.pk], {f: getattr(e, f) for f in AUDITED})
                                 for e in changed}, action="update", person_ids={e.pk: e.employee_id for e in changed})
        if new or changed:  # the dashboards' training figures: one rebuild for the batch, on commit
            queue_on_commit("programs.training_rollup_rebuild")
        self._refresh(evidence)

    def _refresh(self, employee_ids: set[int]) -> None:
        from evaluations.gaps import services as gaps

        if not employee_ids:
            return
        if len(employee_ids) <= REFRESH_EACH_UP_TO:
            for employee_id in sorted(employee_ids):
                gaps.gaps_schedule_employee_refresh(employee_id, evidence_only=True)
        else:
            gaps.gaps_request_run(full_consolidation=True)
