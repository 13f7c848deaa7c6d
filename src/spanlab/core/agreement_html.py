"""Standalone HTML agreement report with inline CSS and SVG charts drawn here.

The page opens offline in any browser: no script, no external stylesheet, font or image.
Every piece of text from the project (titles, names, labels, reasons) goes through
:func:`html.escape`.  Charts:

* pairwise heatmaps (span F1 exact and overlap, token Cohen's kappa), coloured by value;
* per-label grouped bars (span F1 exact and overlap, unitizing alpha);
* the span confusion matrix of one pair as a shaded table;
* with :class:`~spanlab.core.stats.ProjectStats`: progress per annotator (stacked done /
  in progress / not started) and span counts per label and annotator;
* with :class:`~spanlab.core.agreement_report.AnnotationPace`: documents finished per day,
  stacked by annotator.

Hover tooltips use SVG ``<title>`` elements, which browsers show without scripts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from itertools import pairwise

from spanlab.core.agreement_report import (
    LABEL_METRICS,
    MATRIX_METRICS,
    METRIC_INFO,
    PAIR_METRICS,
    AgreementReport,
    AnnotationPace,
    ConfusionTable,
    DisagreementKind,
    Metric,
    format_value,
)
from spanlab.core.model import DocumentStatus
from spanlab.core.stats import ProjectStats

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#bab0ac",
)
"""Series colours (annotators, metrics), cycled."""

STATUS_COLOURS = {
    DocumentStatus.DONE: "#59a14f",
    DocumentStatus.IN_PROGRESS: "#edc948",
    DocumentStatus.NEW: "#d9d9d9",
}
STATUS_NAMES = {
    DocumentStatus.DONE: "done",
    DocumentStatus.IN_PROGRESS: "in progress",
    DocumentStatus.NEW: "not started",
}
MAX_DOCUMENT_ROWS = 200
"""Rows of the per-document disagreement table (worst first)."""

_CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
.meta { color: #555; margin: .2rem 0; }
.used { font-size: 1.05rem; font-weight: 600; }
table { border-collapse: collapse; margin: .6rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; vertical-align: top; }
th { background: #f4f4f4; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.def { color: #666; font-size: .85em; }
.reason { color: #a33; font-size: .85em; }
.charts { display: flex; flex-wrap: wrap; gap: 1.2rem; align-items: flex-start; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: #222; }
.legend span { display: inline-block; margin-right: 1rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
  vertical-align: middle; border: 1px solid #999; }
.confusion td { min-width: 2.6rem; }
footer { margin-top: 3rem; color: #777; font-size: .85em; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """A compact SVG coordinate."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def value_colour(value: float | None, low: float = 0.0) -> str:
    """Red (``low`` or below) through yellow to green (1.0); grey when undefined."""
    if value is None:
        return "#eeeeee"
    t = 0.0 if value <= low else min(1.0, (value - low) / (1.0 - low))
    stops = ((0.0, (230, 124, 115)), (0.5, (250, 218, 120)), (1.0, (110, 190, 120)))
    for (t0, c0), (t1, c1) in pairwise(stops):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            r, g, b = (round(a + (b_ - a) * f) for a, b_ in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#6ebe78"


def _text_width(text: str) -> float:
    """A generous estimate of the width of 12px text (capitals are wide)."""
    return sum(8.5 if ch.isupper() or ch.isdigit() else 7.0 for ch in text)


def _clip(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(width: float, height: float, body: Sequence[str], label: str) -> str:
    return (
        f'<svg width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" aria-label="{_e(label)}">'
        + "".join(body)
        + "</svg>"
    )


def _legend(items: Sequence[tuple[str, str]]) -> str:
    spans = "".join(
        f'<span><span class="swatch" style="background:{colour}"></span>{_e(name)}</span>'
        for name, colour in items
    )
    return f'<div class="legend">{spans}</div>'


# --------------------------------------------------------------------------- charts


def heatmap_svg(
    annotators: Sequence[str], matrix: Sequence[Sequence[float | None]], *, label: str
) -> str:
    """Annotator x annotator matrix; cells coloured by value, diagonal left blank."""
    names = [_clip(a, 20) for a in annotators]
    cell = 62.0
    left = max((_text_width(n) for n in names), default=0) + 12
    top = 24.0
    width = left + cell * len(names) + 4
    height = top + cell * len(names) + 4
    body: list[str] = []
    for j, name in enumerate(names):
        x = left + cell * j + cell / 2
        body.append(f'<text x="{_n(x)}" y="16" text-anchor="middle">{_e(name)}</text>')
    for i, name in enumerate(names):
        y = top + cell * i
        body.append(
            f'<text x="{_n(left - 8)}" y="{_n(y + cell / 2 + 4)}" text-anchor="end">'
            f"{_e(name)}</text>"
        )
        for j in range(len(names)):
            x = left + cell * j
            value = matrix[i][j]
            diagonal = i == j
            fill = "#ffffff" if diagonal else value_colour(value)
            tip = (
                f"{annotators[i]} vs {annotators[j]}: {format_value(value)}"
                if not diagonal
                else annotators[i]
            )
            body.append(
                f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(cell - 2)}" height="{_n(cell - 2)}" '
                f'fill="{fill}" stroke="#ccc"><title>{_e(tip)}</title></rect>'
            )
            text = "" if diagonal else format_value(value, 2)
            body.append(
                f'<text x="{_n(x + cell / 2 - 1)}" y="{_n(y + cell / 2 + 4)}" '
                f'text-anchor="middle">{_e(text)}</text>'
            )
    return _svg(width, height, body, label)


def grouped_bars_svg(
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    label: str,
    maximum: float | None = None,
    digits: int = 2,
) -> str:
    """Horizontal grouped bars: one group per category, one bar per (name, colour, values).

    The axis runs from min(0, smallest value) to ``maximum`` (default: the largest value);
    undefined values are drawn as a dashed outline with an em dash.
    """
    names = [_clip(c) for c in categories]
    values = [v for _, _, vs in series for v in vs if v is not None]
    low = min([0.0, *values])
    high = maximum if maximum is not None else max([1.0, *values])
    if high <= low:
        high = low + 1.0
    bar = 14.0
    gap = 10.0
    left = max((_text_width(n) for n in names), default=0) + 14
    plot = 420.0
    group = bar * len(series) + gap
    top = 8.0
    height = top + group * len(categories) + 22
    width = left + plot + 60

    def x_of(v: float) -> float:
        return left + (v - low) / (high - low) * plot

    zero = x_of(0.0)
    body: list[str] = [
        f'<line x1="{_n(zero)}" y1="{_n(top - 4)}" x2="{_n(zero)}" '
        f'y2="{_n(height - 18)}" stroke="#888"/>'
    ]
    for tick in _ticks(low, high):
        x = x_of(tick)
        body.append(
            f'<line x1="{_n(x)}" y1="{_n(height - 20)}" x2="{_n(x)}" y2="{_n(height - 15)}" '
            f'stroke="#888"/><text x="{_n(x)}" y="{_n(height - 3)}" text-anchor="middle">'
            f"{_e(_tick_text(tick))}</text>"
        )
    for c, name in enumerate(names):
        y0 = top + group * c
        body.append(
            f'<text x="{_n(left - 8)}" y="{_n(y0 + bar * len(series) / 2 + 4)}" '
            f'text-anchor="end">{_e(name)}</text>'
        )
        for s, (series_name, colour, vals) in enumerate(series):
            value = vals[c]
            y = y0 + bar * s
            tip = f"{categories[c]} - {series_name}: {format_value(value, 3)}"
            if value is None:
                body.append(
                    f'<rect x="{_n(zero)}" y="{_n(y + 1)}" width="24" height="{_n(bar - 2)}" '
                    f'fill="none" stroke="{colour}" stroke-dasharray="3 2">'
                    f"<title>{_e(tip)}</title></rect>"
                    f'<text x="{_n(zero + 28)}" y="{_n(y + bar - 3)}">—</text>'
                )
                continue
            x1, x2 = sorted((zero, x_of(value)))
            body.append(
                f'<rect x="{_n(x1)}" y="{_n(y + 1)}" width="{_n(max(x2 - x1, 0.5))}" '
                f'height="{_n(bar - 2)}" fill="{colour}"><title>{_e(tip)}</title></rect>'
                f'<text x="{_n(max(x2, zero) + 4)}" y="{_n(y + bar - 3)}">'
                f"{_e(format_value(value, digits))}</text>"
            )
    return _svg(width, height, body, label)


def _ticks(low: float, high: float) -> list[float]:
    if high <= 1.0 and low >= -1.0:
        step = 0.25 if high - low <= 1.0 else 0.5
    else:
        raw = (high - low) / 4
        magnitude = 10 ** max(0, len(str(int(raw))) - 1)
        step = max(1.0, round(raw / magnitude) * magnitude)
    ticks: list[float] = []
    value = 0.0
    while value >= low - 1e-9:
        ticks.append(value)
        value -= step
    value = step
    while value <= high + 1e-9:
        ticks.append(value)
        value += step
    return sorted(ticks)


def _tick_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def stacked_bars_svg(
    categories: Sequence[str],
    parts: Sequence[tuple[str, str, Sequence[int]]],
    *,
    label: str,
) -> str:
    """Horizontal stacked bars, one per category; each bar's parts are proportional."""
    names = [_clip(c) for c in categories]
    totals = [sum(values[i] for _, _, values in parts) for i in range(len(categories))]
    scale_total = max([1, *totals])
    bar = 22.0
    left = max((_text_width(n) for n in names), default=0) + 14
    plot = 420.0
    height = 8 + (bar + 8) * len(categories)
    width = left + plot + 70
    body: list[str] = []
    for i, name in enumerate(names):
        y = 8 + (bar + 8) * i
        body.append(
            f'<text x="{_n(left - 8)}" y="{_n(y + bar / 2 + 4)}" text-anchor="end">'
            f"{_e(name)}</text>"
        )
        x = left
        for part_name, colour, values in parts:
            count = values[i]
            if count <= 0:
                continue
            w = count / scale_total * plot
            tip = f"{categories[i]} - {part_name}: {count}"
            body.append(
                f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(bar)}" '
                f'fill="{colour}" stroke="#fff"><title>{_e(tip)}</title></rect>'
            )
            if w >= 22:
                body.append(
                    f'<text x="{_n(x + w / 2)}" y="{_n(y + bar / 2 + 4)}" '
                    f'text-anchor="middle">{count}</text>'
                )
            x += w
        body.append(f'<text x="{_n(x + 6)}" y="{_n(y + bar / 2 + 4)}">{totals[i]}</text>')
    return _svg(width, height, body, label)


def columns_svg(
    days: Sequence[date],
    series: Sequence[tuple[str, str, Sequence[int]]],
    *,
    label: str,
) -> str:
    """Vertical columns per day, stacked by series (documents finished per day)."""
    totals = [sum(values[i] for _, _, values in series) for i in range(len(days))]
    peak = max([1, *totals])
    plot_height = 180.0
    left = 40.0
    column = max(3.0, min(28.0, 720.0 / max(1, len(days))))
    width = left + max(column * len(days), 260.0) + 20
    top = 10.0
    bottom = top + plot_height
    height = bottom + 36
    body: list[str] = [
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(width - 10)}" y2="{_n(bottom)}" '
        'stroke="#888"/>'
    ]
    for tick in _ticks(0.0, float(peak)):
        y = bottom - tick / peak * plot_height
        body.append(
            f'<line x1="{_n(left - 4)}" y1="{_n(y)}" x2="{_n(left)}" y2="{_n(y)}" stroke="#888"/>'
            f'<text x="{_n(left - 6)}" y="{_n(y + 4)}" text-anchor="end">'
            f"{_e(_tick_text(tick))}</text>"
        )
    for i, day in enumerate(days):
        x = left + column * i
        y = bottom
        for name, colour, values in series:
            count = values[i]
            if count <= 0:
                continue
            h = count / peak * plot_height
            y -= h
            tip = f"{day.isoformat()} - {name}: {count}"
            body.append(
                f'<rect x="{_n(x + 1)}" y="{_n(y)}" width="{_n(column - 2)}" height="{_n(h)}" '
                f'fill="{colour}"><title>{_e(tip)}</title></rect>'
            )
    label_every = max(1, round(len(days) / 8))
    for i, day in enumerate(days):
        if i % label_every == 0 or i == len(days) - 1:
            x = left + column * i + column / 2
            body.append(
                f'<text x="{_n(x)}" y="{_n(bottom + 16)}" text-anchor="middle">'
                f"{_e(day.strftime('%m-%d'))}</text>"
            )
    if days:
        body.append(
            f'<text x="{_n(left)}" y="{_n(bottom + 32)}">'
            f"{_e(days[0].isoformat())} to {_e(days[-1].isoformat())} (UTC)</text>"
        )
    return _svg(width, height, body, label)


# --------------------------------------------------------------------------- sections


def _metric_rows(metrics: Sequence[Metric]) -> str:
    rows = []
    for m in metrics:
        value = _e(format_value(m.value))
        if m.value is None and m.reason:
            value += f'<div class="reason">{_e(m.reason)}</div>'
        observed, expected = m.observed_agreement, m.expected_agreement
        kind = "agreement"
        significant = False
        if m.observed_disagreement is not None or m.expected_disagreement is not None:
            observed, expected = m.observed_disagreement, m.expected_disagreement
            kind = "disagreement"
            significant = True
        shown = [_e(format_value(v, significant=significant)) for v in (observed, expected)]
        chance = (
            f'{shown[0]} / {shown[1]}<div class="def">{kind}</div>'
            if observed is not None or expected is not None
            else "—"
        )
        rows.append(
            "<tr>"
            f'<td>{_e(m.name)}<div class="def">{_e(m.definition)}</div></td>'
            f'<td class="num">{value}</td>'
            f'<td class="num">{_e(format_value(m.sd))}</td>'
            f"<td>{_e(m.unit)}</td>"
            f'<td class="num">{chance}</td>'
            f'<td class="num">{"" if m.items is None else m.items}</td>'
            f'<td class="num">{m.documents_used}</td>'
            "</tr>"
        )
    return (
        "<table><thead><tr><th>Metric</th><th>Value</th><th>± SD (pairs)</th><th>Unit</th>"
        "<th>Observed / expected</th><th>Items</th><th>Documents used</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _pairs_section(report: AgreementReport) -> str:
    figures = []
    for key in MATRIX_METRICS:
        info = METRIC_INFO[key]
        svg = heatmap_svg(report.annotators, report.matrix(key), label=f"{info.name} per pair")
        figures.append(
            f"<figure><figcaption>{_e(info.name)} <span class='def'>({_e(info.unit)})"
            f"</span></figcaption>{svg}</figure>"
        )
    head = "".join(f"<th>{_e(METRIC_INFO[k].name)}</th>" for k in PAIR_METRICS)
    rows = []
    for pair in report.pairs:
        cells = "".join(
            f'<td class="num" title="{_e(pair.metrics[k].reason or "")}">'
            f"{_e(format_value(pair.metrics[k].value))}</td>"
            for k in PAIR_METRICS
        )
        rows.append(f"<tr><td>{_e(pair.a)}</td><td>{_e(pair.b)}</td>{cells}</tr>")
    table = (
        f"<table><thead><tr><th>A</th><th>B</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return (
        "<h2>Pairwise agreement</h2>"
        f'<p class="meta">Every pair is compared on the same {report.documents.used} '
        "document(s). Cells are coloured from red (0 or below) through yellow (0.5) to "
        "green (1).</p>"
        f'<div class="charts">{"".join(figures)}</div>{table}'
    )


def _labels_section(report: AgreementReport) -> str:
    if not report.per_label:
        return "<h2>Per label</h2><p>No labels to compare.</p>"
    labels = [row.label for row in report.per_label]
    chart_keys = ("span_f1_exact", "span_f1_overlap", "unitizing_alpha")
    series = [
        (
            METRIC_INFO[key].name,
            PALETTE[i],
            [row.metrics[key].value for row in report.per_label],
        )
        for i, key in enumerate(chart_keys)
    ]
    svg = grouped_bars_svg(labels, series, label="Agreement per label", maximum=1.0)
    legend = _legend([(name, colour) for name, colour, _ in series])
    head = "".join(f"<th>{_e(a)} spans</th>" for a in report.annotators)
    head += "".join(
        f"<th>{_e(METRIC_INFO[k].name)}<div class='def'>{_e(METRIC_INFO[k].unit)}</div></th>"
        for k in LABEL_METRICS
    )
    rows = []
    for row in report.per_label:
        counts = "".join(f'<td class="num">{row.spans.get(a, 0)}</td>' for a in report.annotators)
        cells = "".join(
            f'<td class="num" title="{_e(row.metrics[k].reason or "")}">'
            f"{_e(format_value(row.metrics[k].value))}</td>"
            for k in LABEL_METRICS
        )
        rows.append(f"<tr><td>{_e(row.label)}</td>{counts}{cells}</tr>")
    return (
        "<h2>Per label</h2>"
        f"<figure><figcaption>Span F1 and unitizing α per label</figcaption>{legend}{svg}"
        "</figure>"
        f"<table><thead><tr><th>Label</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _relations_section(report: AgreementReport) -> str:
    if not report.relation_types:
        return "<h2>Relations per type</h2><p>No relations in the documents used.</p>"
    head = "".join(f"<th>{_e(a)}</th>" for a in report.annotators)
    rows = []
    for row in report.relation_types:
        counts = "".join(
            f'<td class="num">{row.relations.get(a, 0)}</td>' for a in report.annotators
        )
        cells = "".join(
            f'<td class="num">{_e(format_value(m.value))}</td>' for m in row.metrics.values()
        )
        sym = "yes" if row.symmetric else ""
        rows.append(f"<tr><td>{_e(row.type)}</td><td>{sym}</td>{counts}{cells}</tr>")
    return (
        "<h2>Relations per type</h2>"
        f"<table><thead><tr><th>Type</th><th>Symmetric</th>{head}"
        "<th>F1 strict</th><th>F1 lenient</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _attributes_section(report: AgreementReport) -> str:
    if not report.attributes:
        return ""
    rows = []
    for row in report.attributes:
        m = row.metric
        value = _e(format_value(m.value))
        if m.value is None and m.reason:
            value += f'<div class="reason">{_e(m.reason)}</div>'
        rows.append(
            f"<tr><td>{_e(row.name)}</td><td class='num'>{value}</td>"
            f"<td class='num'>{_e(format_value(m.observed_agreement))}</td>"
            f"<td class='num'>{'' if m.items is None else m.items}</td>"
            f"<td class='num'>{row.pairs_one_sided}</td></tr>"
        )
    return (
        "<h2>Attributes</h2>"
        f'<p class="def">{_e(METRIC_INFO["attribute_alpha"].definition)}</p>'
        "<table><thead><tr><th>Attribute</th><th>α</th><th>Observed agreement</th>"
        "<th>Matched span pairs</th><th>Pairs where only one span has it</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def confusion_html(confusion: ConfusionTable) -> str:
    """The confusion matrix as a table shaded by count (diagonal green, rest red)."""
    peak = max([1, *(count for row in confusion.counts for count in row)])
    head = "".join(f"<th>{_e(column)}</th>" for column in confusion.columns)
    rows = []
    for i, row_label in enumerate(confusion.rows):
        cells = []
        for j, column in enumerate(confusion.columns):
            count = confusion.counts[i][j]
            if row_label == confusion.empty and column == confusion.empty:
                cells.append('<td class="num">—</td>')
                continue
            alpha = 0.0 if count == 0 else 0.15 + 0.75 * count / peak
            rgb = "46,139,87" if row_label == column else "200,60,60"
            tip = f"{confusion.a}: {row_label} / {confusion.b}: {column}"
            cells.append(
                f'<td class="num" style="background:rgba({rgb},{alpha:.2f})" '
                f'title="{_e(tip)}">{count}</td>'
            )
        rows.append(f"<tr><th>{_e(row_label)}</th>{''.join(cells)}</tr>")
    return (
        f'<table class="confusion"><thead><tr><th>{_e(confusion.a)} ↓ / {_e(confusion.b)} →'
        f"</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _confusion_section(report: AgreementReport) -> str:
    confusion = report.confusion
    if confusion is None:
        return ""
    return (
        f"<h2>Confusion matrix: {_e(confusion.a)} vs {_e(confusion.b)}</h2>"
        f'<p class="def">Unit: {_e(confusion.unit)} (spans aligned one to one by overlap, '
        f"labels ignored); {_e(confusion.empty)} = no aligned span of the other annotator; "
        f"{confusion.documents_used} document(s), {confusion.total} aligned pair(s) or "
        "unaligned span(s).</p>"
        f"{confusion_html(confusion)}"
    )


def _documents_section(report: AgreementReport) -> str:
    rows = []
    shown = report.documents_by_disagreement[:MAX_DOCUMENT_ROWS]
    kinds = list(DisagreementKind)
    for row in shown:
        counts = "".join(f"<td class='num'>{row.by_kind.get(k, 0)}</td>" for k in kinds)
        rows.append(
            f"<tr><td class='num'>{int(row.document_id)}</td><td>{_e(row.title)}</td>"
            f"<td class='num' style='background:{value_colour(row.span_f1_overlap)}'>"
            f"{_e(format_value(row.span_f1_overlap))}</td>"
            f"<td class='num'>{row.disagreements}</td>{counts}</tr>"
        )
    more = len(report.documents_by_disagreement) - len(shown)
    note = f"<p class='def'>{more} more document(s) not shown.</p>" if more > 0 else ""
    head = "".join(f"<th>{_e(k.value.replace('_', ' '))}</th>" for k in kinds)
    return (
        "<h2>Documents by disagreement</h2>"
        "<p class='def'>Overlap span F1 per document (mean over pairs; lowest first) and "
        "disagreements summed over pairs: boundary = same label, different boundaries; "
        "label = overlapping spans with different labels; missing in a / b = only the other "
        "annotator of the pair (a is the first one listed) has the span.</p>"
        "<table><thead><tr><th>ID</th><th>Title</th><th>Span F1 (overlap)</th>"
        f"<th>Disagreements</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{note}"
    )


def _overview_section(stats: ProjectStats | None, pace: AnnotationPace | None) -> str:
    if stats is None and pace is None:
        return ""
    parts = ["<h2>Project overview</h2>"]
    if stats is not None:
        names = list(stats.annotators)
        parts.append(f'<p class="meta">{stats.documents} document(s) in the project.</p>')
        if names:
            progress = [
                (
                    STATUS_NAMES[status],
                    STATUS_COLOURS[status],
                    [stats.statuses.get(name, {}).get(status, 0) for name in names],
                )
                for status in (DocumentStatus.DONE, DocumentStatus.IN_PROGRESS, DocumentStatus.NEW)
            ]
            parts.append(
                "<figure><figcaption>Progress per annotator (documents)</figcaption>"
                + _legend([(n, c) for n, c, _ in progress])
                + stacked_bars_svg(names, progress, label="Progress per annotator")
                + "</figure>"
            )
            labels = [
                label for label in stats.labels if any(stats.spans.get((a, label)) for a in names)
            ]
            if labels:
                series = [
                    (
                        name,
                        PALETTE[i % len(PALETTE)],
                        [float(stats.spans.get((name, label), 0)) for label in labels],
                    )
                    for i, name in enumerate(names)
                ]
                parts.append(
                    "<figure><figcaption>Spans per label and annotator</figcaption>"
                    + _legend([(n, c) for n, c, _ in series])
                    + grouped_bars_svg(labels, series, label="Spans per label", digits=0)
                    + "</figure>"
                )
    if pace is not None:
        if pace.days:
            series_pace = [
                (name, PALETTE[i % len(PALETTE)], pace.finished.get(name, ()))
                for i, name in enumerate(pace.annotators)
            ]
            totals = ", ".join(f"{name} {pace.total(name)}" for name in pace.annotators)
            parts.append(
                "<figure><figcaption>Annotation pace: documents finished per day"
                "</figcaption>"
                + _legend([(n, c) for n, c, _ in series_pace])
                + columns_svg(pace.days, series_pace, label="Documents finished per day")
                + f'<p class="def">Documents currently marked done, by the day they were '
                f"finished. Totals: {_e(totals)}.</p></figure>"
            )
        else:
            parts.append("<p>No document has been marked done yet.</p>")
    return "".join(parts)


def render_html(
    report: AgreementReport,
    *,
    stats: ProjectStats | None = None,
    pace: AnnotationPace | None = None,
) -> str:
    """The complete standalone page."""
    selection = report.documents
    labels = ", ".join(report.labels) if report.labels else "none"
    restricted = " (selected)" if report.request.labels is not None else ""
    overall = _metric_rows(list(report.metrics.values()))
    body = [
        f"<h1>Inter-annotator agreement: {_e(report.project)}</h1>",
        f'<p class="meta">Annotators: {_e(", ".join(report.annotators))}</p>',
        f'<p class="meta">Labels{restricted}: {_e(labels)}</p>',
        f'<p class="used">{_e(selection.summary[:1].upper() + selection.summary[1:])}</p>',
        f'<p class="meta">Generated {_e(report.created_at.isoformat(timespec="seconds"))}. '
        "Undefined values are shown as — with the reason.</p>",
        "<h2>Overall</h2>",
        overall,
        _pairs_section(report),
        _labels_section(report),
        _relations_section(report),
        _attributes_section(report),
        _confusion_section(report),
        _documents_section(report),
        _overview_section(stats, pace),
        "<footer>Made by SpanLab. Definitions follow the SpanLab agreement reference; "
        "F1 is pooled over the documents of each pair, then averaged over pairs.</footer>",
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Agreement - {_e(report.project)}</title>"
        f"<style>{_CSS}</style></head><body>" + "".join(body) + "</body></html>\n"
    )


__all__ = [
    "PALETTE",
    "columns_svg",
    "confusion_html",
    "grouped_bars_svg",
    "heatmap_svg",
    "render_html",
    "stacked_bars_svg",
    "value_colour",
]
