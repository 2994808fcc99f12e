"""The units, positions, requirements and programs imports read their files a chunk at a time (``CHUNK`` rows of
their module; 500 here, so that a file of 1 200 rows crosses three chunks) into a staging table, and check across
rows, compare and write from there in SQL: a code repeated in a later chunk is caught at its row, an error in a later
chunk means nothing is written, a cycle of units across chunks is seen from each of its rows; the units, positions
and requirements written have their audit entries, readable on the audit page; a program's title reads back in every
language as the ORM would have written it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from clo.core.imports import engine
from clo.core.models import AuditEntry
from clo.dashboards.privacy import audit as audit_page
from clo.people import imports as people_imports
from clo.people.models import OrgUnit, Position
from competencies import imports as competencies_imports
from competencies.models import Requirement
from programs import imports as programs_imports
from programs.models import Program
from tests import factories as f
from tests.imports.helpers import POSITION_HEADER, UNIT_HEADER, csv_bytes, errors_of, preview, run

pytestmark = pytest.mark.django_db

ROWS = 1200  # three chunks of 500: rows 2-501, 502-1 001, 1 002-1 201 (the header is row 1)
REQ_HEADER = ["position_code", "competency_code", "framework_code", "required_level", "weight", "critical"]
PROGRAM_HEADER = ["code", "title", "modality", "hours", "provider", "cost", "cost_basis", "open_enrolment",
                  "objectives"]


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    for module in (people_imports, competencies_imports, programs_imports):
        monkeypatch.setattr(module, "CHUNK", 500)


def _bulk_entries(model: str, action=None):
    entries = AuditEntry.objects.filter(content_type__model=model, additional_data__bulk=True)
    return entries.filter(action=action) if action is not None else entries


def _staged(*names: str) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:  # the staging tables are the session's; the preview drops them
        cursor.execute("SELECT COUNT(*) FROM pg_class WHERE relname = ANY(%s) AND relpersistence = 't'", [list(names)])
        return cursor.fetchone()[0] > 0


# --- Units -------------------------------------------------------------------------------------------------------


def _units() -> list[list[str]]:
    """U0000 under A, each next one under the one before: a chain 1 200 units deep, crossing the chunks."""
    return [[f"U{i:04d}", f"Unitat {i}", "service", "A" if i == 0 else f"U{i - 1:04d}"] for i in range(ROWS)]


def test_units_across_chunks_are_written_under_their_parents_with_an_audit_entry_each(org, english):
    data = csv_bytes(UNIT_HEADER, _units())
    plan = preview("units", data)
    assert errors_of(plan) == [] and plan.counts()["create"] == ROWS and plan.total == ROWS
    assert not _bulk_entries("orgunit").exists() and not _staged("import_unit_rows", "import_unit_changes")

    run("units", data)
    last, before_last = OrgUnit.objects.get(code="U1199"), OrgUnit.objects.get(code="U1198")
    assert last.parent_id == before_last.pk and last.depth == ROWS + 1 and last.path.startswith(org.unit_a.path)
    assert _bulk_entries("orgunit", AuditEntry.Action.CREATE).count() == ROWS
    entry = _bulk_entries("orgunit").get(object_id=last.pk)
    assert entry.changes == {"code": [None, "U1199"], "name": [None, "Unitat 1199"], "kind": [None, "service"],
                             "parent_id": [None, before_last.pk]}
    assert preview("units", data).counts()["unchanged"] == ROWS  # a re-import changes nothing


def test_a_unit_renamed_and_moved_in_the_last_chunk_is_audited_and_readable_on_the_audit_page(org, english):
    rows = _units()
    run("units", csv_bytes(UNIT_HEADER, rows))
    rows[-1] = ["U1199", "Unitat nova", "section", "B"]  # row 1 201: renamed, another kind, moved under B
    plan = run("units", csv_bytes(UNIT_HEADER, rows))
    assert (plan.create, plan.update, plan.unchanged) == (0, 1, ROWS - 1)
    unit = OrgUnit.objects.get(code="U1199")
    assert (unit.name, unit.kind, unit.parent_id, unit.path) == ("Unitat nova", "section", org.unit_b.pk,
                                                                 f"{org.unit_b.path}{unit.pk}/")
    entry = _bulk_entries("orgunit", AuditEntry.Action.UPDATE).get(object_id=unit.pk)
    before_parent = OrgUnit.objects.get(code="U1198")
    assert entry.person_id is None and entry.changes == {
        "name": ["Unitat 1199", "Unitat nova"], "kind": ["service", "section"],
        "parent_id": [before_parent.pk, org.unit_b.pk]}
    [row] = audit_page.readable([entry])
    assert sorted((c.label, c.before, c.after) for c in row.changes) == [  # jsonb keeps its own order of keys
        ("Kind", "Service", "Section"), ("Name", "Unitat 1199", "Unitat nova"),
        ("Parent unit", "Unitat 1198", org.unit_b.name)]


def test_a_unit_code_repeated_in_a_later_chunk_is_caught_at_its_row_and_nothing_is_written(org, english):
    rows = _units()
    rows[1100] = [" U0003 ", "Una altra", "service", "A"]  # row 1 102 repeats row 5 (with spaces around)
    rows[700][1] = ""  # row 702, in the second chunk: no name
    units = OrgUnit.objects.count()
    with pytest.raises(engine.ImportRefused) as refused:
        run("units", csv_bytes(UNIT_HEADER, rows))
    assert errors_of(refused.value.plan) == [
        (702, "name", "This value is required."),
        (703, "parent_code", "Unknown unit code “U0700”."),  # its parent's row is in error
        (1102, "code", "“ U0003 ” appears more than once in the file (first in row 5)."),
        (1103, "parent_code", "Unknown unit code “U1100”."),  # its parent's row was replaced
    ]
    assert OrgUnit.objects.count() == units and not _bulk_entries("orgunit").exists()


def test_a_cycle_of_units_across_chunks_is_told_from_each_of_its_rows(org, english):
    rows = _units()
    rows[0] = ["U0000", "Unitat 0", "service", "U1199"]  # row 2 under the last unit, row 1 201: the chain closes
    plan = preview("units", csv_bytes(UNIT_HEADER, rows))
    cycles = [(row, column) for row, column, _message in errors_of(plan)]
    assert len(cycles) == ROWS and cycles[0] == (2, "parent_code") and cycles[-1] == (ROWS + 1, "parent_code")
    # a long cycle is told by its first and last five units
    assert errors_of(plan)[0][2] == ("This parent would make a cycle of units: U0000 → U1199 → U1198 → U1197 → U1196 "
                                     "→ … → U0005 → U0004 → U0003 → U0002 → U0001 → U0000.")
    assert errors_of(plan)[-1][2].startswith("This parent would make a cycle of units: U1199 → U1198 → ")


def test_an_unknown_parent_in_a_later_chunk_and_a_parent_of_the_file_in_an_earlier_one(org, english):
    rows = _units()
    rows[1150][3] = "ZZZ"  # row 1 152
    plan = preview("units", csv_bytes(UNIT_HEADER, rows))
    assert errors_of(plan) == [(1152, "parent_code", "Unknown unit code “ZZZ”.")]


# --- Positions ---------------------------------------------------------------------------------------------------


def _positions() -> list[list[str]]:
    return [[f"P{i:04d}", f"Lloc {i}", "C1", "", "A1" if i % 2 else "", "no"] for i in range(ROWS)]


def test_positions_across_chunks_are_created_and_updated_with_their_audit_entries(org, english):
    data = csv_bytes(POSITION_HEADER, _positions())
    plan = preview("positions", data)
    assert errors_of(plan) == [] and plan.counts()["create"] == ROWS
    run("positions", data)
    assert Position.objects.filter(code__startswith="P", unit=org.unit_a1).count() == ROWS // 2
    assert _bulk_entries("position", AuditEntry.Action.CREATE).count() == ROWS
    created = Position.objects.get(code="P1199")
    assert _bulk_entries("position").get(object_id=created.pk).changes == {
        "code": [None, "P1199"], "title": [None, "Lloc 1199"], "group": [None, "C1"], "job_family": [None, ""],
        "unit_id": [None, org.unit_a1.pk], "is_critical": [None, False], "critical_reason": [None, ""],
        "active": [None, True]}

    rows = _positions()
    rows[-1] = ["P1199", "Lloc 1199", "A2", "Educació", "", "sí"]  # row 1 201: regrouped, now critical
    plan = run("positions", csv_bytes(POSITION_HEADER, rows))
    assert (plan.create, plan.update, plan.unchanged) == (0, 1, ROWS - 1)
    created.refresh_from_db()
    assert (created.group, created.is_critical, created.criticality, created.unit_id) == ("A2", True, 2, None)
    entry = _bulk_entries("position", AuditEntry.Action.UPDATE).get(object_id=created.pk)
    assert entry.changes == {"group": ["C1", "A2"], "job_family": ["", "Educació"],
                             "unit_id": [org.unit_a1.pk, None], "is_critical": [False, True],
                             "criticality": [None, 2]}
    [row] = audit_page.readable([entry])
    assert ("Unit", org.unit_a1.name, "—") in [(c.label, c.before, c.after) for c in row.changes]


def test_a_position_code_repeated_in_a_later_chunk_is_caught_and_nothing_is_written(org, english):
    rows = _positions()
    rows[1190][0] = "P0600"  # row 1 192 repeats row 602, in the chunk before
    with pytest.raises(engine.ImportRefused) as refused:
        run("positions", csv_bytes(POSITION_HEADER, rows))
    assert errors_of(refused.value.plan) == [
        (1192, "code", "“P0600” appears more than once in the file (first in row 602).")]
    assert not Position.objects.exists() and not _bulk_entries("position").exists()


# --- Requirements ------------------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    framework = f.FrameworkFactory(code="digcomp", scale=f.ScaleFactory(levels=4))
    area = f.AreaFactory(framework=framework)
    competencies = [f.CompetencyFactory(code=f"C{i}", area=area) for i in range(4)]
    positions = Position.objects.bulk_create(Position(code=f"P{i:04d}", title=f"Lloc {i}", group="C1")
                                             for i in range(ROWS // 4))
    return positions, competencies


def _requirements() -> list[list[str]]:
    return [[f"P{i // 4:04d}", f"C{i % 4}", "", str(1 + i % 4), "", "sí" if i % 3 == 0 else ""] for i in range(ROWS)]


def test_requirements_across_chunks_are_written_with_their_audit_entries(org, catalogue, english):
    data = csv_bytes(REQ_HEADER, _requirements())
    assert preview("requirements", data).counts()["create"] == ROWS
    run("requirements", data)
    assert Requirement.objects.count() == ROWS
    assert _bulk_entries("requirement", AuditEntry.Action.CREATE).count() == ROWS
    rows = _requirements()
    rows[-1][3] = "1"  # row 1 201: P0299 × C3 from level 4 to 1
    plan = run("requirements", csv_bytes(REQ_HEADER, rows))
    assert (plan.create, plan.update, plan.unchanged) == (0, 1, ROWS - 1)
    requirement = Requirement.objects.get(position__code="P0299", competency__code="C3")
    assert requirement.required_level == 1
    assert _bulk_entries("requirement", AuditEntry.Action.UPDATE).get(object_id=requirement.pk).changes == {
        "required_level": [4, 1]}


def test_a_requirement_repeated_in_a_later_chunk_is_caught_and_nothing_is_written(org, catalogue, english):
    rows = _requirements()
    rows[1000] = ["P0001", "c2", "digcomp", "2", "", ""]  # row 1 002 repeats row 8 (P0001 × C2), another spelling
    with pytest.raises(engine.ImportRefused) as refused:
        run("requirements", csv_bytes(REQ_HEADER, rows))
    assert errors_of(refused.value.plan) == [
        (1002, "competency_code", "This position and competency appear more than once in the file (first in row 8).")]
    assert not Requirement.objects.exists() and not _bulk_entries("requirement").exists()


# --- Programs ----------------------------------------------------------------------------------------------------


def _programs() -> list[list[str]]:
    return [[f"F{i:04d}", f"Curs {i}", "online", "7,5", "", "", "", "", ""] for i in range(ROWS)]


def _titles(code: str) -> dict[str, str]:
    titles = {}
    for language in ("ca", "es", "en"):
        with translation.override(language):
            titles[language] = Program.objects.get(code=code).title
    return titles


def _columns(code: str) -> tuple:
    return tuple(Program.objects.filter(code=code).values_list("title_ca", "title_es", "title_en").get())


def test_a_program_imported_in_spanish_reads_its_title_in_every_language_as_the_orm_writes_it(db):
    with translation.override("es"):
        Program.objects.create(code="ORM", title="Curs 1199", modality="online", hours=Decimal("7.5"), objectives="")
        run("programs", csv_bytes(PROGRAM_HEADER, _programs()))
    assert Program.objects.filter(code__startswith="F").count() == ROWS
    assert _columns("F1199") == _columns("ORM") == (None, "Curs 1199", None)
    assert _titles("F1199") == {"ca": "Curs 1199", "es": "Curs 1199", "en": "Curs 1199"}
    fields = ["title", "objectives", "objectives_ca", "objectives_es", "objectives_en", "contents", "contents_ca",
              "contents_es", "contents_en", "cost", "cost_basis", "is_open", "target_groups", "active"]
    orm = Program.objects.filter(code="ORM").values_list(*fields).get()
    imported = Program.objects.filter(code="F0000").values_list(*fields).get()
    assert imported == ("Curs 0", *orm[1:])  # the same columns as the ORM's, but the title
    with translation.override("es"):
        assert preview("programs", csv_bytes(PROGRAM_HEADER, _programs())).counts()["unchanged"] == ROWS


def test_a_program_retitled_in_catalan_keeps_its_spanish_title(db):
    rows = _programs()
    with translation.override("es"):
        run("programs", csv_bytes(PROGRAM_HEADER, rows))
    rows[-1][1] = "Curs renovat"  # row 1 201
    with translation.override("ca"):
        assert preview("programs", csv_bytes(PROGRAM_HEADER, rows)).counts() == {
            "create": 0, "update": 1, "unchanged": ROWS - 1, "deactivate": 0}
        run("programs", csv_bytes(PROGRAM_HEADER, rows))
    assert _columns("F1199") == ("Curs renovat", "Curs 1199", None)
    assert _titles("F1199") == {"ca": "Curs renovat", "es": "Curs 1199", "en": "Curs renovat"}


def test_a_program_code_repeated_in_a_later_chunk_is_caught_and_nothing_is_written(db, english):
    rows = _programs()
    rows[1199][0] = "F0001"  # row 1 201 repeats row 3
    rows[600][3] = "tres"  # row 602
    with pytest.raises(engine.ImportRefused) as refused:
        run("programs", csv_bytes(PROGRAM_HEADER, rows))
    assert errors_of(refused.value.plan) == [
        (602, "hours", "“tres” is not a number."),
        (1201, "code", "“F0001” appears more than once in the file (first in row 3)."),
    ]
    assert not Program.objects.exists()
