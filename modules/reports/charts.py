"""Server-rendered SVG charts for the reports pages and the PDF summary.

No JavaScript and no ``style`` attributes (the Content Security Policy forbids inline styles):
only SVG presentation attributes. Every chart is an ``img`` with a ``<title>`` and ``<desc>``,
every bar carries its figure as text beside it, and the six compliance states differ in fill
(solid, stripes, cross-hatch, horizontal lines, dots, none) as well as colour, and are named in the
legend, the tooltips and the description, so nothing depends on telling colours apart. The pages show the
same figures in a table next to each chart.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "Helvetica Neue, Arial, DejaVu Sans, sans-serif"
TEXT_COLOUR = "#0b0c0c"
WIDTH = 720


@dataclass(frozen=True)
class Segment:
    """One state in a stacked compliance bar: its name, colour and pattern."""

    key: str
    label: str
    colour: str
    pattern: str  # solid, stripes, crosshatch, lines, dots or blank


# The covered states first (the bar's left end is the compliance figure), then the gaps.
SEGMENTS = (
    Segment("compliant", "Compliant", "#00703c", "solid"),
    Segment("expiring", "Expiring", "#28a197", "stripes"),
    Segment("expired", "Expired", "#d4351c", "crosshatch"),
    Segment("overdue", "Overdue", "#942514", "lines"),
    Segment("due_soon", "Due soon", "#f47738", "dots"),
    Segment("not_yet_due", "Not yet due", "#505a5f", "blank"),
)


@dataclass(frozen=True)
class ComplianceBar:
    """A row of the compliance chart: counts by state for one agency and course."""

    label: str
    compliant: int
    expiring: int
    expired: int
    overdue: int
    due_soon: int
    not_yet_due: int

    @property
    def total(self) -> int:
        return sum(getattr(self, s.key) for s in SEGMENTS)

    @property
    def covered(self) -> int:
        return self.compliant + self.expiring

    @property
    def percent(self) -> int | None:
        return None if not self.total else round(100 * self.covered / self.total)


@dataclass(frozen=True)
class MonthCount:
    label: str  # "Apr 2026"
    count: int


def _fill(prefix: str, segment: Segment) -> str:
    # A solid fill is a plain colour: a pattern tile would print with seams in PDF viewers.
    return segment.colour if segment.pattern == "solid" else f"url(#{prefix}-{segment.key})"


def _pattern_defs(prefix: str) -> str:
    parts = []
    for segment in SEGMENTS:
        if segment.pattern == "solid":
            continue
        pid = f"{prefix}-{segment.key}"
        c = segment.colour
        if segment.pattern == "stripes":
            body = (f'<rect width="8" height="8" fill="#ffffff"/>'
                    f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{c}" stroke-width="3"/>')
        elif segment.pattern == "dots":
            body = (f'<rect width="8" height="8" fill="#ffffff"/>'
                    f'<circle cx="4" cy="4" r="2.2" fill="{c}"/>')
        elif segment.pattern == "lines":
            body = (f'<rect width="8" height="8" fill="#ffffff"/>'
                    f'<path d="M0,2 H8 M0,6 H8" stroke="{c}" stroke-width="2"/>')
        elif segment.pattern == "blank":
            body = '<rect width="8" height="8" fill="#ffffff"/>'
        else:
            body = (f'<rect width="8" height="8" fill="#ffffff"/>'
                    f'<path d="M0,0 L8,8 M8,0 L0,8" stroke="{c}" stroke-width="1.6"/>')
        parts.append(f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">{body}</pattern>')
    return "<defs>" + "".join(parts) + "</defs>"


def _open_svg(prefix: str, height: int, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sl-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'font-family="{FONT}" font-size="14" fill="{TEXT_COLOUR}">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
    )


def _legend(prefix: str, y: int) -> str:
    items, x = [], 0
    for segment in SEGMENTS:
        items.append(
            f'<rect x="{x}" y="{y}" width="16" height="16" fill="{_fill(prefix, segment)}" '
            f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
            f'<text x="{x + 22}" y="{y + 13}">{escape(segment.label)}</text>'
        )
        x += 34 + 8 * len(segment.label)
    return "".join(items)


def compliance_chart(bars: Sequence[ComplianceBar], *, chart_id: str, title: str) -> Markup:
    """A horizontal stacked bar per agency/course, one segment per state (:data:`SEGMENTS`).

    The percentage covered and the counts are printed beside each bar.
    """
    prefix = f"chart-{chart_id}"
    bar_width, row_height, top = 470, 52, 36
    height = top + row_height * max(len(bars), 1) + 8
    parts = [_open_svg(prefix, height, title, _compliance_description(bars)), _pattern_defs(prefix),
             _legend(prefix, 4)]
    if not bars:
        parts.append(f'<text x="0" y="{top + 20}">No staff in scope.</text>')
    for index, bar in enumerate(bars):
        y = top + index * row_height
        parts.append(f'<text x="0" y="{y + 14}" font-weight="bold">{escape(bar.label)}</text>')
        x = 0.0
        for segment in SEGMENTS:
            value = getattr(bar, segment.key)
            if not value or not bar.total:
                continue
            width = bar_width * value / bar.total
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 20}" width="{width:.1f}" height="22" '
                f'fill="{_fill(prefix, segment)}" stroke="{TEXT_COLOUR}" stroke-width="0.5">'
                f'<title>{escape(segment.label)}: {value}</title></rect>'
            )
            x += width
        parts.append(
            f'<rect x="0" y="{y + 20}" width="{bar_width}" height="22" fill="none" '
            f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
        )
        parts.append(f'<text x="{bar_width + 10}" y="{y + 36}">{escape(_bar_label(bar))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar_label(bar: ComplianceBar) -> str:
    if bar.percent is None:
        return "No staff in scope"
    return f"{bar.percent}% covered ({bar.covered} of {bar.total})"


def _compliance_description(bars: Sequence[ComplianceBar]) -> str:
    if not bars:
        return "No staff are in scope for the filters chosen."
    return " ".join(
        f"{bar.label}: {_bar_label(bar)}; "
        + ", ".join(f"{getattr(bar, s.key)} {s.label.lower()}" for s in SEGMENTS) + "."
        for bar in bars
    )


def monthly_chart(months: Sequence[MonthCount], *, chart_id: str, title: str) -> Markup:
    """A column per month with its count printed above the column."""
    prefix = f"chart-{chart_id}"
    height, top, base = 250, 24, 200
    plot = base - top
    peak = max((m.count for m in months), default=0)
    slot = (WIDTH - 10) / max(len(months), 1)
    parts = [_open_svg(prefix, height, title, _monthly_description(months))]
    parts.append(f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="{TEXT_COLOUR}" stroke-width="1"/>')
    for index, month in enumerate(months):
        x = 5 + index * slot
        column_height = 0 if not peak else plot * month.count / peak
        centre = x + slot / 2
        if column_height:
            parts.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{base - column_height:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{column_height:.1f}" fill="#0b5563"><title>{escape(month.label)}: {month.count}</title></rect>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{base - column_height - 6:.1f}" text-anchor="middle" '
            f'font-size="13">{month.count}</text>'
        )
        short, _, year = month.label.partition(" ")
        parts.append(f'<text x="{centre:.1f}" y="{base + 20}" text-anchor="middle" font-size="13">{escape(short)}</text>')
        parts.append(f'<text x="{centre:.1f}" y="{base + 38}" text-anchor="middle" font-size="12">{escape(year)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _monthly_description(months: Sequence[MonthCount]) -> str:
    if not months:
        return "No months in the period."
    total = sum(m.count for m in months)
    busiest = max(months, key=lambda m: m.count)
    figures = ", ".join(f"{m.label}: {m.count}" for m in months)
    return f"{total} completions in all; the most in {busiest.label} ({busiest.count}). {figures}."
