"""Server-rendered, accessible SVG charts, for pages and PDFs alike (no JavaScript, no inline style: presentation
attributes and classes only, so they pass the strict Content-Security-Policy and render in WeasyPrint). Each chart
carries its own text (values written next to the bars or points): colour is never the only carrier.

- ``level_bars``: current vs required levels of one person (learning plan PDFs).
- ``bar_chart`` and ``line_chart``: a ``Chart`` (``<svg role="img">`` with ``<title>`` and ``<desc>``) and the same
  figures as rows, which ``templates/includes/chart.html`` shows as a table behind a ``<details>`` toggle
  (dashboards, reports).
- ``heat_class``: the tint class of a heatmap cell by mean gap (``static/css/dashboards.css``).
"""

from __future__ import annotations

import itertools
import textwrap
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def level_bars(rows, *, title: str, current_label: str, required_label: str, not_assessed_label: str,
               axis_label: str, width: int = 480) -> SafeString:
    """Current vs required levels, one pair of horizontal bars per competency, all on one axis of levels (0 to the
    largest scale's top, written above the bars, with a tick per level), so a level is the same length everywhere.

    ``rows``: iterable of ``(label, current, required, maximum)``; ``current`` is None when the person was never
    assessed. Each competency's own scale is drawn as a grey track up to its ``maximum``, and each value is written
    as "level / maximum" at the end of its bar. A competency never assessed gets an empty dashed bar with the words
    ``not_assessed_label`` (never a bar of 0). Labels are written whole above their bars, wrapped to the chart's
    width. ``axis_label`` may hold ``%(maximum)s``, the top of the axis."""
    rows = [(str(label), current, required, max(maximum or 0, required or 0, current or 0, 1))
            for label, current, required, maximum in rows]
    top_level = max((row[3] for row in rows), default=1)
    x0, value_w, bar_h, line_h, gap = 4, 44, 10, 11, 8
    bar_w = width - x0 - value_w
    chars = max(20, int(width / 5.2))  # the labels' line length at 9 px

    def x_of(level) -> float:
        return round(x0 + bar_w * level / top_level, 1)

    def value(level, maximum) -> str:
        return f"{number_format(level)} / {number_format(maximum)}"

    axis = axis_label % {"maximum": number_format(top_level)} if "%(maximum)s" in axis_label else axis_label
    descriptions = []
    body = [
        f'<rect x="{x0}" y="4" width="10" height="8" fill="#1f5f8b"/>'
        f'<text x="{x0 + 14}" y="12" font-size="9" fill="#111">{escape(current_label)}</text>'
        f'<rect x="{x0 + 130}" y="4" width="10" height="8" fill="none" stroke="#8a3b12" stroke-width="1.5"/>'
        f'<text x="{x0 + 144}" y="12" font-size="9" fill="#111">{escape(required_label)}</text>'
        f'<rect x="{x0 + 260}" y="4" width="10" height="8" fill="none" stroke="#555" stroke-width="1" '
        f'stroke-dasharray="2 2"/>'
        f'<text x="{x0 + 274}" y="12" font-size="9" fill="#111">{escape(not_assessed_label)}</text>',
        f'<text x="{x0}" y="28" font-size="9" fill="#111">{escape(axis)}</text>',
    ]
    ticks_y = 40
    body += [f'<text class="tick" x="{x_of(level)}" y="{ticks_y}" font-size="8" fill="#444" text-anchor="middle">'
             f"{number_format(level)}</text>" for level in range(top_level + 1)]
    y = ticks_y + 6
    plot_top, grid_at = y, len(body)
    for label, current, required, maximum in rows:
        lines = textwrap.wrap(label, chars) or [""]
        for line in lines:
            y += line_h
            body.append(f'<text class="label" x="{x0}" y="{y}" font-size="9" fill="#111">{escape(line)}</text>')
        y += 3
        body.append(f'<rect class="track" x="{x0}" y="{y}" width="{x_of(maximum) - x0}" height="{2 * bar_h}" '
                    f'fill="#f2f2f2" stroke="#999" stroke-width="0.5"/>')
        if current is None:
            body.append(f'<rect class="bar-not-assessed" x="{x0}" y="{y}" width="{x_of(maximum) - x0}" '
                        f'height="{bar_h}" fill="none" stroke="#555" stroke-width="1" stroke-dasharray="2 2"/>'
                        f'<text x="{x0 + 4}" y="{y + bar_h - 2}" font-size="8" fill="#111">'
                        f"{escape(not_assessed_label)}</text>")
            current_text = not_assessed_label
        else:
            body.append(f'<rect class="bar-current" x="{x0}" y="{y}" width="{x_of(current) - x0}" height="{bar_h}" '
                        f'fill="#1f5f8b"/>'
                        f'<text x="{x0 + bar_w + 4}" y="{y + bar_h - 2}" font-size="9" fill="#111">'
                        f"{value(current, maximum)}</text>")
            current_text = f"{current_label} {value(current, maximum)}"
        body.append(f'<rect class="bar-required" x="{x0}" y="{y + bar_h}" width="{x_of(required or 0) - x0}" '
                    f'height="{bar_h}" fill="none" stroke="#8a3b12" stroke-width="1.5"/>'
                    f'<text x="{x0 + bar_w + 4}" y="{y + 2 * bar_h - 2}" font-size="9" fill="#111">'
                    f"{value(required or 0, maximum)}</text>")
        descriptions.append(f"{label}: {current_text}, {required_label} {value(required or 0, maximum)}.")
        y += 2 * bar_h + gap
    body[grid_at:grid_at] = [  # drawn first, under the bars
        f'<line x1="{x_of(level)}" y1="{plot_top}" x2="{x_of(level)}" y2="{y - gap}" stroke="#ccc" '
        f'stroke-width="0.5"/>' for level in range(top_level + 1)]
    height = y + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart level-bars" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(axis)}. {escape(' '.join(descriptions))}</desc>",
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


# --- Dashboard charts ---------------------------------------------------------------------------------------------

_ids = itertools.count(1)

# Heat buckets of a mean gap (levels missing on average): the class of a heatmap cell. The number is always printed
# in the cell too.
HEAT_BOUNDS = (0.0, 0.5, 1.0, 2.0)


def heat_class(value: float | None) -> str:
    """``heat-none`` without data, ``heat-0`` for no gap, up to ``heat-4`` for a mean gap above 2 levels."""
    if value is None:
        return "heat-none"
    bucket = sum(1 for bound in HEAT_BOUNDS if value > bound)
    return f"heat-{bucket}"


@dataclass
class Chart:
    title: str
    description: str
    svg: SafeString
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    dom_id: str = ""


def _fmt(value: float | None, decimals: int) -> str:
    return "—" if value is None else number_format(value, decimals, use_l10n=True)


def _svg(dom_id: str, title: str, description: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="{i}-title {i}-desc" focusable="false">'
        '<title id="{i}-title">{t}</title><desc id="{i}-desc">{d}</desc>{b}</svg>',
        w=width, h=height, i=dom_id, t=title, d=description, b=body,
    )


def bar_chart(
    *, title: str, description: str, labels: list[str], values: list[float | None], value_label: str,
    label_heading: str, decimals: int = 1, dom_id: str | None = None,
) -> Chart:
    """Horizontal bars, one per label, the longest for the largest value; each value is written after its bar."""
    dom_id = dom_id or f"chart-{next(_ids)}"
    width, label_w, row_h, pad = 640, 220, 26, 8
    height = max(row_h * len(labels) + 2 * pad, 40)
    top = max((v for v in values if v is not None), default=0) or 1
    bar_space = width - label_w - 70
    parts = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = pad + index * row_h
        length = 0 if value is None else max(round(bar_space * value / top), 1 if value else 0)
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(format_html(
            '<g><text class="chart-label" x="{lx}" y="{ty}" text-anchor="end" fill="#222">{label}</text>'
            '<rect class="chart-bar" x="{bx}" y="{by}" width="{bw}" height="{bh}" rx="2" fill="#1f5f8b"></rect>'
            '<text class="chart-value" x="{vx}" y="{ty}" fill="#222">{value}</text></g>',
            lx=label_w - 8, ty=round(y + row_h * 0.65, 1), label=short, bx=label_w, by=y + 4, bw=length,
            bh=row_h - 8, vx=label_w + length + 6, value=_fmt(value, decimals),
        ))
    body = mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html
    return Chart(
        title=title, description=description, dom_id=dom_id,
        svg=_svg(dom_id, title, description, width, height, body),
        columns=[label_heading, value_label],
        rows=[[label, _fmt(value, decimals)] for label, value in zip(labels, values, strict=True)],
    )


def line_chart(
    *, title: str, description: str, labels: list[str], values: list[float | None], value_label: str,
    label_heading: str, decimals: int = 2, dom_id: str | None = None,
) -> Chart:
    """A line over the points in order (e.g. runs by date) with a dot at each; the vertical axis starts at zero so
    that a closing gap reads as a falling line. The first and last labels are written under the axis."""
    dom_id = dom_id or f"chart-{next(_ids)}"
    width, height, left, right, top_pad, bottom = 640, 220, 48, 16, 16, 36
    top = max((v for v in values if v is not None), default=0) or 1
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(len(values) - 1, 1)
    points = []
    for index, value in enumerate(values):
        if value is None:
            continue
        x = left + index * step if len(values) > 1 else left + plot_w / 2
        y = top_pad + plot_h * (1 - value / top)
        points.append((round(x, 1), round(y, 1)))
    parts = [format_html(
        '<line class="chart-axis" x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"></line>'
        '<line class="chart-axis" x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#999"></line>'
        '<text class="chart-label" x="{lt}" y="{ty}" text-anchor="end" fill="#222">{top}</text>'
        '<text class="chart-label" x="{lt}" y="{b}" text-anchor="end" fill="#222">0</text>',
        l=left, r=width - right, t=top_pad, b=top_pad + plot_h, lt=left - 6, ty=top_pad + 4, top=_fmt(top, decimals),
    )]
    if len(points) > 1:
        parts.append(format_html(
            '<polyline class="chart-line" fill="none" stroke="#1f5f8b" stroke-width="2" points="{}"></polyline>',
            " ".join(f"{x},{y}" for x, y in points),
        ))
    parts.append(format_html_join(
        "", '<circle class="chart-dot" cx="{}" cy="{}" r="4" fill="#1f5f8b"></circle>', points
    ))
    if labels:
        parts.append(format_html(
            '<text class="chart-label" x="{}" y="{}" fill="#222">{}</text>', left, height - 10, labels[0]
        ))
    if len(labels) > 1:
        parts.append(format_html(
            '<text class="chart-label" x="{}" y="{}" text-anchor="end" fill="#222">{}</text>',
            width - right, height - 10, labels[-1],
        ))
    body = mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html
    return Chart(
        title=title, description=description, dom_id=dom_id,
        svg=_svg(dom_id, title, description, width, height, body),
        columns=[label_heading, value_label],
        rows=[[label, _fmt(value, decimals)] for label, value in zip(labels, values, strict=True)],
    )
