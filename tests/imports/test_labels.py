"""The employees file as HR systems write it: employment types in words (Catalan, Spanish, English, any case and
accents, abbreviations), read as their codes and shown so in the preview; and a row refused only because its
manager's row is in error says so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clo.core.imports import services
from clo.people.models import Employee
from tests import factories as f
from tests.imports.helpers import EMPLOYEE_HEADER, csv_bytes, employee_row, errors_of, preview, run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("written", "code"), [
    ("funcionari de carrera", "career"),
    ("Funcionari de carrera", "career"),
    ("FUNCIONÀRIA DE CARRERA", "career"),
    ("funcionario de carrera", "career"),
    ("Funcionaria de Carrera", "career"),
    ("Personal funcionari de carrera", "career"),  # the Catalan label
    ("Career civil servant (funcionari de carrera)", "career"),  # the English label
    ("Funcionari/ària de carrera", "career"),
    ("F.C.", "career"),
    ("CAREER", "career"),
    ("funcionària interina", "interim"),
    ("Interino", "interim"),
    ("Personal funcionario interino", "interim"),  # the Spanish label
    ("laboral fix", "labour"),
    ("Laboral fixa", "labour"),
    ("personal laboral indefinit", "labour"),
    ("Personal laboral temporal", "labour"),
    ("laboral fijo", "labour"),
    ("Indefinido no fijo", "labour"),
    ("PL", "labour"),
    ("Càrrec de confiança", "eventual"),
    ("personal eventual", "eventual"),
])
def test_employment_types_are_read_from_their_usual_spellings(position, written, code):
    data = csv_bytes(EMPLOYEE_HEADER, [employee_row("E1", kind=written)])
    plan = preview("employees", data)
    assert errors_of(plan) == []
    assert plan.readings == {"employment_type": [[written, code, 1]]}
    run("employees", data)
    assert Employee.objects.get(employee_number="E1").employment_type == code


def test_a_code_as_written_is_not_listed_and_an_unknown_type_is_still_refused(position, english):
    plan = preview("employees", csv_bytes(EMPLOYEE_HEADER, [employee_row("E1", kind="career"),
                                                            employee_row("E2", kind="becari")]))
    assert errors_of(plan) == [(3, "employment_type", "“becari” is not one of: career, interim, labour, eventual.")]
    assert plan.readings == {}


def test_the_preview_shows_each_spelling_with_the_code_it_was_read_as(hr_client, position, settings, tmp_path,
                                                                      english):
    settings.MEDIA_ROOT = tmp_path
    data = csv_bytes(EMPLOYEE_HEADER, [employee_row("E1", kind="Funcionari de carrera"),
                                       employee_row("E2", kind="Funcionari de carrera"),
                                       employee_row("E3", kind="laboral fix", language="ES")], sep=";")
    job = services.import_job_create(kind="employees", data=data, original_name="rrhh.csv")
    assert job.readings == {"employment_type": [["Funcionari de carrera", "career", 2], ["laboral fix", "labour", 1]],
                            "language": [["ES", "es", 1]]}
    page = hr_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "How values were read" in page
    assert ("<tr><td><code>employment_type</code></td><td>Funcionari de carrera</td><td><code>career</code></td>"
            "<td>2</td></tr>") in page
    assert "<td>laboral fix</td><td><code>labour</code></td><td>1</td>" in page


# --- A manager whose row is in error ----------------------------------------------------------------------------------


def test_a_row_refused_only_because_its_managers_row_is_in_error_names_that_row(position, english):
    f.EmployeeFactory(employee_number="1234", position=position)  # in the database too
    data = csv_bytes(EMPLOYEE_HEADER, [
        employee_row("E1"),
        employee_row("9999", hire="31/02/2020"),  # row 3: in error, and not in the database
        employee_row("E2", manager="9999"),
        employee_row("E3"),
        employee_row("E4"),
        employee_row("1234", unit="NOPE"),  # row 7: in error
        employee_row("E5", manager="1234"),
        employee_row("E6", manager="E404"),
    ])
    in_error = [
        (3, "hire_date", "“31/02/2020” is not a date: write it as dd/mm/yyyy or yyyy-mm-dd."),
        (4, "manager_number", "The manager “9999” is in row 3, which has errors."),
        (7, "unit_code", "Unknown unit code “NOPE”."),
        (8, "manager_number", "The manager “1234” is in row 7, which has errors."),
        (9, "manager_number", "Unknown employee number “E404”."),
    ]
    assert errors_of(preview("employees", data, whole_register=True)) == in_error
    # An update keeps the active employee 1234 as they are, whatever their row says: row 8 may name them.
    assert errors_of(preview("employees", data)) == [error for error in in_error if error[0] != 8]


def test_a_manager_repeated_in_the_file_names_the_first_row_when_that_row_is_in_error(position, english):
    data = csv_bytes(EMPLOYEE_HEADER, [
        employee_row("M1", hire="never"),  # row 2, in error
        employee_row("M1"),  # row 3, a repetition
        employee_row("E1", manager="M1"),
    ])
    assert errors_of(preview("employees", data)) == [
        (2, "hire_date", "“never” is not a date: write it as dd/mm/yyyy or yyyy-mm-dd."),
        (3, "employee_number", "“M1” appears more than once in the file (first in row 2)."),
        (4, "manager_number", "The manager “M1” is in row 2, which has errors."),
    ]
