"""Charts: figures as HTML text (never inside a scaled SVG), patterns as well as colours, bars
hidden from assistive technology, no inline styles, one line for an empty chart."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from modules.reports.charts import ComplianceBar, MonthCount, compliance_chart, monthly_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def _text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _by_class(root, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def test_compliance_chart_names_itself_and_states_every_figure_as_text():
    bars = [ComplianceBar("Police & Partners <CSE-L1>", 25, 5, 4, 6, 3, 7),
            ComplianceBar("Health: CSE-L1", 0, 0, 0, 0, 0, 0)]
    root = _parse(compliance_chart(bars, chart_id="x", title="Compliance by agency"))
    assert root.tag == "figure" and root.get("aria-labelledby") == "chart-x-title"
    assert root.find("figcaption").text == "Compliance by agency"
    rows = _by_class(root, "sl-chart__row")
    assert [_text_of(_by_class(r, "sl-chart__label")[0]) for r in rows] == ["Police & Partners <CSE-L1>",
                                                                             "Health: CSE-L1"]
    figure = _text_of(_by_class(rows[0], "sl-chart__figure")[0])
    assert figure == ("60% covered (30 of 50): 25 compliant, 5 expiring, 4 expired, 6 overdue, 3 due soon, "
                      "7 not yet due")
    assert _text_of(_by_class(rows[1], "sl-chart__figure")[0]).startswith("No staff in scope")
    # No text inside any SVG: it would shrink with the drawing on a phone.
    for svg in root.iter(f"{SVG}svg"):
        assert not list(svg.iter(f"{SVG}text"))
        assert svg.get("aria-hidden") == "true" and svg.get("focusable") == "false"


def test_bars_are_drawn_in_percentages_so_they_stretch_without_scaling():
    root = _parse(compliance_chart([ComplianceBar("A", 1, 1, 2, 0, 0, 0)], chart_id="p", title="t"))
    (bar,) = _by_class(root, "sl-chart__bar")
    assert bar.get("viewBox") is None and bar.get("width") == "100%"
    segments = [r for r in bar.findall(f"{SVG}rect") if r.get("fill") != "none"]  # not the pattern tiles
    assert [(r.get("x"), r.get("width")) for r in segments] == [
        ("0.000%", "25.000%"), ("25.000%", "25.000%"), ("50.000%", "50.000%")]


def test_each_state_has_its_own_fill_and_a_key():
    root = _parse(compliance_chart([ComplianceBar("A", 1, 1, 1, 1, 1, 1)], chart_id="y", title="t"))
    (bar,) = _by_class(root, "sl-chart__bar")
    patterns = {p.get("id") for p in bar.iter(f"{SVG}pattern")}
    assert patterns == {f"chart-y-0-{state}" for state in ("expiring", "expired", "overdue", "due_soon", "not_yet_due")}
    # Each pattern is drawn differently, not only in another colour.
    bodies = [ET.tostring(p).decode().replace(p.get("id"), "") for p in bar.iter(f"{SVG}pattern")]
    shapes = {b.replace("#", "").translate(str.maketrans("", "", "0123456789abcdef")) for b in bodies}
    assert len(shapes) == len(bodies)
    fills = [r.get("fill") for r in bar.findall(f"{SVG}rect")]
    for pattern in patterns:
        assert fills.count(f"url(#{pattern})") == 1
    assert fills.count("#00703c") == 1  # compliant: solid
    key = _by_class(root, "sl-chart__key")[0]
    assert [_text_of(li) for li in key] == ["Compliant", "Expiring", "Expired", "Overdue", "Due soon", "Not yet due"]
    key_fills = {r.get("fill") for svg in key.iter(f"{SVG}svg") for r in svg.findall(f"{SVG}rect")}
    assert len(key_fills) == 6


def test_charts_use_no_style_attributes_or_elements():
    for markup in (compliance_chart([ComplianceBar("A", 1, 2, 3, 4, 5, 6)], chart_id="a", title="t"),
                   monthly_chart([MonthCount("Apr 2026", 3)], chart_id="b", title="t")):
        root = _parse(markup)
        assert all("style" not in el.attrib for el in root.iter())
        assert not list(root.iter(f"{SVG}style"))
        assert "<script" not in str(markup)


def test_monthly_chart_writes_every_month_and_count():
    months = [MonthCount("Apr 2026", 0), MonthCount("May 2026", 12), MonthCount("Jun 2026", 7)]
    root = _parse(monthly_chart(months, chart_id="m", title="Completions per month"))
    rows = _by_class(root, "sl-chart__row")
    assert [_text_of(_by_class(r, "sl-chart__label")[0]) for r in rows] == ["Apr 2026", "May 2026", "Jun 2026"]
    assert [_text_of(_by_class(r, "sl-chart__figure")[0]) for r in rows] == [
        "0 completions", "12 completions", "7 completions"]
    assert "19 completions in all; the most in May 2026 (12)." in _text_of(root)
    # A month with no completions has a label but no bar; the busiest fills the width.
    widths = [[b.get("width") for svg in r.iter(f"{SVG}svg") for b in svg.findall(f"{SVG}rect")] for r in rows]
    assert widths == [[], ["100.000%"], ["58.333%"]]


def test_an_empty_chart_is_one_line():
    assert str(compliance_chart([], chart_id="e", title="t")) == (
        '<p class="govuk-body sl-chart__empty">No staff in scope.</p>')
    empty = str(monthly_chart([MonthCount("Apr 2026", 0), MonthCount("May 2026", 0)], chart_id="f", title="t"))
    assert empty == '<p class="govuk-body sl-chart__empty">No completions were recorded in the period.</p>'
