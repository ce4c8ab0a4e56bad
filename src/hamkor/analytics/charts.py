"""Small SVG charts drawn on the server: bars, stacked columns, a line, and a heat colour.

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>``; every bar or point
has its own ``<title>`` (shown on hover and read by screen readers) and the numbers are also
printed as text. Colours come from CSS classes (``analytics.css``, built on the stylesheet's
tokens), so the charts follow the theme. No JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
ROW = 28
LABEL_WIDTH = 170
VALUE_WIDTH = 130
SERIES_CLASSES = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    # The value as people read it ("1 250 000 soʻm", "12"), printed beside the bar.
    text: str


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | int]
    texts: Sequence[str]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(title: str, desc: str, height: int, css: str) -> list[str]:
    return [
        f'<svg class="chart {escape(css)}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]


def bar_chart(bars: Sequence[Bar], *, title: str, desc: str = "") -> SafeString:
    """Horizontal bars, one row each: label on the left, value printed on the right."""
    height = max(ROW, ROW * len(bars)) + 4
    parts = _open(title, desc, height, "chart-bars")
    top = max((float(bar.value) for bar in bars), default=0.0) or 1.0
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    for index, bar in enumerate(bars):
        y = index * ROW + 2
        width = max(0.0, float(bar.value) / top * span)
        parts.append('<g class="bar">')
        parts.append(f"<title>{escape(bar.label)}: {escape(bar.text)}</title>")
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + ROW / 2 + 4:.0f}" '
            f'text-anchor="end">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect class="series-0" x="{LABEL_WIDTH}" y="{y + 4}" width="{_number(width)}" '
            f'height="{ROW - 8}" rx="3"/>'
        )
        parts.append(
            f'<text class="chart-value" x="{_number(LABEL_WIDTH + width + 6)}" '
            f'y="{y + ROW / 2 + 4:.0f}">{escape(bar.text)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


PLOT_TOP = 24
PLOT_HEIGHT = 180
AXIS = 40


def stacked_columns(
    labels: Sequence[str], series: Sequence[Series], *, title: str, desc: str = ""
) -> SafeString:
    """One column per label, stacked by series (a legend names the colours); the column
    total is printed above it."""
    legend_rows = (len(series) + 2) // 3
    height = PLOT_TOP + PLOT_HEIGHT + AXIS + legend_rows * 20
    parts = _open(title, desc, height, "chart-columns")
    totals = [sum(float(s.values[i]) for s in series) for i in range(len(labels))]
    top = max(totals, default=0.0) or 1.0
    slot = WIDTH / max(1, len(labels))
    width = slot * 0.6
    base = PLOT_TOP + PLOT_HEIGHT
    parts.append(f'<line class="chart-axis" x1="0" x2="{WIDTH}" y1="{base}" y2="{base}"/>')
    for index, label in enumerate(labels):
        x = index * slot + (slot - width) / 2
        y = float(base)
        for number, item in enumerate(series):
            value = float(item.values[index])
            if value <= 0:
                continue
            h = value / top * PLOT_HEIGHT
            y -= h
            parts.append(
                f'<rect class="series-{number % SERIES_CLASSES}" x="{_number(x)}" '
                f'y="{_number(y)}" width="{_number(width)}" height="{_number(h)}">'
                f"<title>{escape(label)} · {escape(item.name)}: {escape(item.texts[index])}"
                "</title></rect>"
            )
        parts.append(
            f'<text class="chart-value" x="{_number(x + width / 2)}" y="{_number(y - 4)}" '
            f'text-anchor="middle">{_number(totals[index])}</text>'
        )
        parts.append(
            f'<text class="chart-label" x="{_number(x + width / 2)}" y="{base + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for number, item in enumerate(series):
        lx = (number % 3) * (WIDTH / 3)
        ly = base + AXIS + (number // 3) * 20
        parts.append(
            f'<rect class="series-{number % SERIES_CLASSES}" x="{_number(lx)}" y="{ly - 10}" '
            'width="12" height="12"/>'
            f'<text class="chart-label" x="{_number(lx + 18)}" y="{ly}">{escape(item.name)}'
            "</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def line_chart(
    labels: Sequence[str],
    values: Sequence[Decimal | int],
    texts: Sequence[str],
    *,
    title: str,
    desc: str = "",
) -> SafeString:
    """A line through one point per label; ``texts`` describe each point in full (shown on
    hover), and the highest one is printed."""
    height = PLOT_TOP + PLOT_HEIGHT + AXIS
    parts = _open(title, desc, height, "chart-line")
    top = max((float(v) for v in values), default=0.0) or 1.0
    slot = WIDTH / max(1, len(labels))
    base = PLOT_TOP + PLOT_HEIGHT
    points = [
        (index * slot + slot / 2, base - float(value) / top * PLOT_HEIGHT)
        for index, value in enumerate(values)
    ]
    parts.append(f'<line class="chart-axis" x1="0" x2="{WIDTH}" y1="{base}" y2="{base}"/>')
    if points:
        path = " ".join(f"{_number(x)},{_number(y)}" for x, y in points)
        parts.append(f'<polyline class="chart-path" points="{path}"/>')
    peak = max(range(len(values)), key=lambda i: float(values[i]), default=None)
    for index, (x, y) in enumerate(points):
        parts.append(
            f'<circle class="series-0" cx="{_number(x)}" cy="{_number(y)}" r="5">'
            f"<title>{escape(texts[index])}</title></circle>"
        )
        if index == peak:
            parts.append(
                f'<text class="chart-value" x="{_number(x)}" y="{_number(y - 10)}" '
                f'text-anchor="middle">{escape(texts[index])}</text>'
            )
        parts.append(
            f'<text class="chart-label" x="{_number(x)}" y="{base + 16}" '
            f'text-anchor="middle">{escape(labels[index])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def heat_level(percent: Decimal | None) -> int:
    """A colour step 0–5 for a retention percentage (0: none, 5: half or more)."""
    if percent is None or percent <= 0:
        return 0
    return min(5, 1 + int(percent // 10))
