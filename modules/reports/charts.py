"""Charts for the reports pages and the PDF summary: HTML rows with an SVG bar in each.

Every label and figure is HTML text, outside the SVG, so it keeps the page's text size on a phone
(an SVG drawn 720 units wide and scaled down to a 390 px screen printed its labels at 6 px). The
SVG only draws the bar, and its segments are placed in percentages of the bar's width, so it
stretches without scaling anything. No JavaScript and no ``style`` attributes (the Content
Security Policy forbids inline styles): only SVG presentation attributes and classes.

Nothing depends on telling colours apart: the six compliance states differ in fill (solid,
stripes, cross-hatch, horizontal lines, dots, none) as well as colour and are named in the key;
each row states its figures in words (visible, plus the count of every state for screen
readers, to whom the bar itself is hidden), and the pages show the same figures in a table.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

TEXT_COLOUR = "#0b0c0c"


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


def _pattern_defs(prefix: str, segments: Sequence[Segment] = SEGMENTS) -> str:
    parts = []
    for segment in segments:
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
    return "<defs>" + "".join(parts) + "</defs>" if parts else ""


def _bar_svg(inner: str, *, height: int = 22) -> str:
    # Hidden from assistive technology: the row's text says everything the bar shows.
    # The span sizes the bar (a PDF renderer sizes an inline SVG by its own width attribute).
    return (f'<span class="sl-chart__track"><svg xmlns="http://www.w3.org/2000/svg" class="sl-chart__bar" '
            f'width="100%" height="{height}" aria-hidden="true" focusable="false">{inner}</svg></span>')


def _legend(prefix: str) -> str:
    items = []
    for segment in SEGMENTS:
        swatch_id = f"{prefix}-key"
        items.append(
            f'<li class="sl-chart__key-item"><svg xmlns="http://www.w3.org/2000/svg" class="sl-chart__swatch" '
            f'width="18" height="18" aria-hidden="true" focusable="false">{_pattern_defs(swatch_id, [segment])}'
            f'<rect x="1" y="1" width="16" height="16" fill="{_fill(swatch_id, segment)}" '
            f'stroke="{TEXT_COLOUR}" stroke-width="1"/></svg>{escape(segment.label)}</li>'
        )
    return f'<p class="govuk-visually-hidden">Key</p><ul class="sl-chart__key">{"".join(items)}</ul>'


def _percent_of(part: float, whole: float) -> str:
    return f"{100 * part / whole:.3f}%"


def compliance_chart(bars: Sequence[ComplianceBar], *, chart_id: str, title: str) -> Markup:
    """A stacked bar per agency/course, one segment per state (:data:`SEGMENTS`), with the
    percentage covered and the counts as text beside it."""
    prefix = f"chart-{chart_id}"
    if not bars:
        return Markup('<p class="govuk-body sl-chart__empty">No staff in scope.</p>')
    rows = []
    for index, bar in enumerate(bars):
        row_prefix = f"{prefix}-{index}"
        inner = [_pattern_defs(row_prefix)]
        x = 0.0
        for segment in SEGMENTS:
            value = getattr(bar, segment.key)
            if not value or not bar.total:
                continue
            inner.append(
                f'<rect x="{_percent_of(x, bar.total)}" y="0" width="{_percent_of(value, bar.total)}" height="100%" '
                f'fill="{_fill(row_prefix, segment)}" stroke="{TEXT_COLOUR}" stroke-width="0.5">'
                f'<title>{escape(segment.label)}: {value}</title></rect>'
            )
            x += value
        inner.append(f'<rect x="0" y="0" width="100%" height="100%" fill="none" stroke="{TEXT_COLOUR}" '
                     f'stroke-width="2"/>')
        states = ", ".join(f"{getattr(bar, s.key)} {s.label.lower()}" for s in SEGMENTS)
        rows.append(
            f'<li class="sl-chart__row"><span class="sl-chart__label">{escape(bar.label)}</span>'
            f'{_bar_svg("".join(inner))}'
            f'<span class="sl-chart__figure">{escape(_bar_label(bar))}'
            f'<span class="govuk-visually-hidden">: {escape(states)}</span></span></li>'
        )
    return Markup(
        f'<figure class="sl-chart" id="{prefix}" aria-labelledby="{prefix}-title">'
        f'<figcaption class="sl-chart__title" id="{prefix}-title">{escape(title)}</figcaption>'
        f'{_legend(prefix)}<ul class="sl-chart__rows">{"".join(rows)}</ul></figure>'
    )


def _bar_label(bar: ComplianceBar) -> str:
    if bar.percent is None:
        return "No staff in scope"
    return f"{bar.percent}% covered ({bar.covered} of {bar.total})"


def monthly_chart(months: Sequence[MonthCount], *, chart_id: str, title: str) -> Markup:
    """A bar per month, as long as its share of the busiest month, with its count beside it.

    Horizontal, so that 12 (or 36) months fit a 320 px screen with their names written out. A
    period without a single completion gets one sentence, not a row of empty bars.
    """
    prefix = f"chart-{chart_id}"
    peak = max((m.count for m in months), default=0)
    if not peak:
        return Markup('<p class="govuk-body sl-chart__empty">No completions were recorded in the period.</p>')
    rows = []
    for month in months:
        inner = ""
        if month.count:
            inner = (f'<rect x="0" y="0" width="{_percent_of(month.count, peak)}" height="100%" fill="#0b5563">'
                     f'<title>{escape(month.label)}: {month.count}</title></rect>')
        rows.append(
            f'<li class="sl-chart__row sl-chart__row--month"><span class="sl-chart__label">{escape(month.label)}</span>'
            f'{_bar_svg(inner, height=18)}<span class="sl-chart__figure">{month.count}'
            f'<span class="govuk-visually-hidden"> completion{"s" if month.count != 1 else ""}</span></span></li>'
        )
    return Markup(
        f'<figure class="sl-chart" id="{prefix}" aria-labelledby="{prefix}-title">'
        f'<figcaption class="sl-chart__title" id="{prefix}-title">{escape(title)}</figcaption>'
        f'<p class="govuk-body sl-chart__summary">{escape(_monthly_description(months))}</p>'
        f'<ul class="sl-chart__rows">{"".join(rows)}</ul></figure>'
    )


def _monthly_description(months: Sequence[MonthCount]) -> str:
    total = sum(m.count for m in months)
    busiest = max(months, key=lambda m: m.count)
    return f"{total} completion{'s' if total != 1 else ''} in all; the most in {busiest.label} ({busiest.count})."
