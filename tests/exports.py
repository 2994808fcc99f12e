"""Reading a table export (``?export=csv|xlsx``) the way a spreadsheet would: the tests of every app's exports."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download (a file to save, ``;``-separated, UTF-8 with a byte-order mark)."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    """The rows of the first sheet of an XLSX download."""
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
