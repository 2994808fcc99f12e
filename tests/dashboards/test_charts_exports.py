"""The shared chart and export helpers (clo.core.charts, clo.core.exports): accessible SVG with the same data as a
table, CSV for Catalan/Spanish spreadsheets, XLSX with numbers as numbers, formulas never run."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from clo.core import charts, exports


def test_bar_chart_is_an_accessible_image_with_its_data_as_rows():
    chart = charts.bar_chart(title="Largest <gaps>", description="Weighted gap per competency", labels=["A", "B"],
                             values=[8, 2], value_label="Weighted gap", label_heading="Competency", decimals=0,
                             dom_id="c1")
    svg = str(chart.svg)
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Largest &lt;gaps&gt;</title>' in svg  # escaped
    assert '<desc id="c1-desc">Weighted gap per competency</desc>' in svg
    assert "style=" not in svg and "<script" not in svg
    assert svg.count('class="chart-bar"') == 2 and ">8</text>" in svg and ">2</text>" in svg  # values as text
    widths = [int(part.split('"')[0]) for part in svg.split('width="')[2:4]]
    assert abs(widths[0] - 4 * widths[1]) <= 2  # bars in proportion
    assert chart.rows == [["A", "8"], ["B", "2"]] and chart.columns == ["Competency", "Weighted gap"]


def test_line_chart_draws_every_point_and_survives_a_single_or_empty_series():
    chart = charts.line_chart(title="Trend", description="d", labels=["2025-01-01", "2025-02-01", "2025-03-01"],
                              values=[2.0, 1.5, None], value_label="Gap", label_heading="Date")
    svg = str(chart.svg)
    assert svg.count("<circle") == 2 and "<polyline" in svg
    assert chart.rows[2] == ["2025-03-01", "—"]
    assert "<polyline" not in str(charts.line_chart(title="t", description="d", labels=["x"], values=[1.0],
                                                    value_label="v", label_heading="l").svg)
    assert "<circle" not in str(charts.line_chart(title="t", description="d", labels=[], values=[],
                                                  value_label="v", label_heading="l").svg)


def test_heat_class_buckets():
    assert [charts.heat_class(v) for v in (None, 0, 0.3, 0.5, 0.9, 2.0, 2.1)] == [
        "heat-none", "heat-0", "heat-1", "heat-1", "heat-2", "heat-3", "heat-4",
    ]


TABLE = exports.Table(title="Gaps: A/B", columns=["Name", "Value", "Note"],
                      rows=[["Núria", Decimal("1.5"), "=HYPERLINK(1)"], ["Pau", 2, None]])


def test_csv_uses_semicolons_decimal_commas_a_bom_and_defuses_formulas():
    body = exports.to_csv(TABLE).decode("utf-8")
    assert body == "\ufeffName;Value;Note\r\nNúria;1,5;'=HYPERLINK(1)\r\nPau;2;\r\n"
    assert not exports.to_csv(TABLE, bom=False).decode("utf-8").startswith("\ufeff")


def test_xlsx_keeps_numbers_and_the_response_is_an_attachment():
    response = exports.table_response(TABLE, "xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="gaps-ab.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Gaps- A-B"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Name", "Value", "Note"], ["Núria", 1.5, "'=HYPERLINK(1)"], ["Pau", 2, None],
    ]
