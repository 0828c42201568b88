"""How stored content HTML is shown: tables scroll inside their own region on a narrow screen."""
from __future__ import annotations

import re

from modules.content.display import content_html, wrap_tables
from modules.content.rendering import FileRenderer
from modules.content.slots import fill_slots, slot_html

TABLE = """| Avoid | Use instead |
|---|---|
| "putting herself at risk" | "may be being groomed" |
"""
REGION = re.compile(r'<div class="sl-table-scroll" role="region" aria-label="([^"]*)" tabindex="0"><table\b')


def test_a_content_table_scrolls_in_a_focusable_region_named_after_its_headings():
    html = str(content_html(FileRenderer().block("Some words.\n\n" + TABLE).html))
    assert REGION.findall(html) == ["Table: Avoid, Use instead"]
    assert html.count("</table></div>") == 1
    assert html.startswith('<p class="govuk-body">Some words.</p>')


def test_a_caption_names_the_region_and_quotes_are_escaped():
    html = wrap_tables('<table class="govuk-table"><caption>Who said "no"</caption><tr><td>x</td></tr></table>')
    assert REGION.findall(html) == ["Who said &#34;no&#34;, table"]


def test_every_table_gets_its_own_region_even_nested_or_without_headings():
    html = wrap_tables("<table><tr><td><table><tr><td>inner</td></tr></table></td></tr></table><table></table>")
    assert REGION.findall(html) == ["Table", "Table", "Table"]
    assert html.count("<div") == html.count("</div>") == 3


def test_html_without_tables_is_unchanged():
    assert content_html('<p class="govuk-body">No tables</p>') == '<p class="govuk-body">No tables</p>'
    assert content_html(None) == ""


def test_sections_get_the_regions_but_what_a_slot_adds_is_left_alone():
    section = FileRenderer().block(TABLE).html + slot_html("decision:x")
    filled = str(fill_slots(section, lambda name: "<table><tr><td>filled</td></tr></table>"))
    assert len(REGION.findall(filled)) == 1
    assert filled.endswith("</table></div><table><tr><td>filled</td></tr></table>")
