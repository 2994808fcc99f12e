"""The preview and the import run a fixed number of queries, whatever the number of rows (asserted at 50 and 500;
the writes go in batches of 2 000 rows, so a file of more rows adds one statement per batch). The employees, the
units and the training records are staged by chunks of 5 000 rows, checked across rows and compared in SQL (a few
more statements, each over every row; the employees' managers and their cycles take a dozen of them)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.imports.helpers import EMPLOYEE_HEADER, UNIT_HEADER, csv_bytes, employee_row, preview, run

pytestmark = pytest.mark.django_db

TRAINING_HEADER = ["employee_number", "program_code", "start_date", "end_date", "hours", "completed"]


def _files(size: int, existing: list) -> dict[str, bytes]:
    """Half the rows new, half updates of what is there, and (employees) some of those there left out."""
    employees = [employee_row(f"N{i:05d}", manager="N00000" if i else "", hire="01/03/2015") for i in range(size // 2)]
    employees += [employee_row(e.employee_number, first="Canviat", hire="01/03/2015") for e in existing[: size // 2]]
    units = [[f"U{i}", f"Unitat {i}", "service", "A" if i % 2 else "B"] for i in range(size)]
    training = [[e.employee_number, "P1", f"{1 + i % 28:02d}/02/2025", "", "3,5", "sí"] for i, e in
                enumerate(existing)]
    return {
        "employees": csv_bytes(EMPLOYEE_HEADER, employees),
        "units": csv_bytes(UNIT_HEADER, units),
        "training": csv_bytes(TRAINING_HEADER, training),
    }


@pytest.mark.parametrize("size", [50, 500])
@pytest.mark.parametrize(("kind", "preview_queries", "import_queries"),
                         [("employees", 32, 43), ("units", 18, 34), ("training", 17, 32)])
def test_queries_do_not_grow_with_the_rows(org, size, kind, preview_queries, import_queries,
                                          django_assert_max_num_queries):
    position = f.PositionFactory(code="LT1")
    f.ProgramFactory(code="P1")
    existing = f.EmployeeFactory.create_batch(size, position=position, unit=org.unit_a1)
    data = _files(size, existing)[kind]
    with django_assert_max_num_queries(preview_queries):
        plan = preview(kind, data)
    assert not plan.errors and plan.create + plan.update >= size // 2
    with django_assert_max_num_queries(import_queries):
        run(kind, data)
