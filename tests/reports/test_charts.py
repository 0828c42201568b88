"""SVG charts: accessible names, figures as text, patterns as well as colours, no inline styles."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from modules.reports.charts import ComplianceBar, MonthCount, compliance_chart, monthly_chart

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def _texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_compliance_chart_has_title_description_and_direct_labels():
    bars = [ComplianceBar("Police & Partners <CSE-L1>", 25, 5, 4, 6, 3, 7),
            ComplianceBar("Health: CSE-L1", 0, 0, 0, 0, 0, 0)]
    root = _parse(compliance_chart(bars, chart_id="x", title="Compliance by agency"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-x-title chart-x-desc"
    assert root.find("svg:title", NS).text == "Compliance by agency"
    description = root.find("svg:desc", NS).text
    assert ("Police & Partners <CSE-L1>: 60% covered (30 of 50); 25 compliant, 5 expiring, 4 expired, "
            "6 overdue, 3 due soon, 7 not yet due.") in description
    texts = _texts(root)
    assert "60% covered (30 of 50)" in texts
    assert "No staff in scope" in texts
    assert "Police & Partners <CSE-L1>" in texts  # escaped in the markup, read back literally


def test_each_state_has_its_own_fill_and_a_legend():
    root = _parse(compliance_chart([ComplianceBar("A", 1, 1, 1, 1, 1, 1)], chart_id="y", title="t"))
    patterns = {p.get("id") for p in root.iter("{http://www.w3.org/2000/svg}pattern")}
    assert patterns == {f"chart-y-{state}" for state in ("expiring", "expired", "overdue", "due_soon", "not_yet_due")}
    # Each pattern is drawn differently, not only in another colour.
    bodies = [ET.tostring(p).decode().replace(p.get("id"), "") for p in root.iter("{http://www.w3.org/2000/svg}pattern")]
    shapes = {b.replace("#", "").translate(str.maketrans("", "", "0123456789abcdef")) for b in bodies}
    assert len(shapes) == len(bodies)
    fills = [r.get("fill") for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    for pattern in patterns:
        assert fills.count(f"url(#{pattern})") == 2  # the legend swatch and the bar segment
    assert fills.count("#00703c") == 2  # compliant: solid
    assert {"Compliant", "Expiring", "Expired", "Overdue", "Due soon", "Not yet due"} <= set(_texts(root))


def test_charts_use_no_style_attributes_or_elements():
    for markup in (compliance_chart([ComplianceBar("A", 1, 2, 3, 4, 5, 6)], chart_id="a", title="t"),
                   monthly_chart([MonthCount("Apr 2026", 3)], chart_id="b", title="t")):
        root = _parse(markup)
        assert all("style" not in el.attrib for el in root.iter())
        assert not list(root.iter("{http://www.w3.org/2000/svg}style"))
        assert "<script" not in str(markup)


def test_monthly_chart_prints_every_count():
    months = [MonthCount("Apr 2026", 0), MonthCount("May 2026", 12), MonthCount("Jun 2026", 7)]
    root = _parse(monthly_chart(months, chart_id="m", title="Completions per month"))
    texts = _texts(root)
    assert ["0", "12", "7"] == [t for t in texts if t.isdigit() and len(t) < 4]
    assert "Apr" in texts and "2026" in texts
    assert "19 completions in all; the most in May 2026 (12)" in root.find("svg:desc", NS).text
    # A month with no completions has a label but no column.
    assert len(list(root.iter("{http://www.w3.org/2000/svg}rect"))) == 2
