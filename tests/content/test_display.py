"""How stored content HTML is shown: tables scroll inside their own region on a narrow screen, or
stack into cards labelled with their column headings; telephone numbers become tel: links."""
from __future__ import annotations

import re

from markupsafe import Markup

from modules.content.display import (
    content_html,
    label_tables,
    link_phone_numbers,
    prepare,
    stack_tables,
    telephone,
    wrap_tables,
)
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


# Tables that stack into cards on a phone --------------------------------------------------------

WHO_TO_CALL = """| Who | For | Contact |
|---|---|---|
| NSPCC Helpline | Adults worried about a child | 0808 800 5000 |
| Police | A child in immediate danger | **999** |
"""
LABEL = re.compile(r'<td class="govuk-table__cell" role="cell" data-label="([^"]*)">')


def test_a_simple_table_stacks_and_each_cell_is_labelled_with_its_column_heading():
    html = prepare(FileRenderer().block(WHO_TO_CALL).html)
    assert 'class="govuk-table sl-table--stack" role="table"' in html
    assert LABEL.findall(html) == ["Who", "For", "Contact"] * 2
    # The roles keep it a table for screen readers once the CSS shows it as blocks.
    assert html.count('role="row"') == 3 and html.count('role="rowgroup"') == 2
    assert html.count('role="columnheader"') == 3
    assert html.count("<td") == html.count('role="cell"') == 6


def test_headings_with_markup_and_quotes_become_plain_escaped_labels():
    html = label_tables('<table><thead><tr><th><em>Say</em> "this"</th><th>Not &amp; that</th></tr></thead>'
                        '<tbody><tr><td>a</td><td>b</td></tr></tbody></table>')
    assert 'data-label="Say &#34;this&#34;"' in html
    assert 'data-label="Not &amp; that"' in html


def test_tables_that_cannot_stack_are_left_to_scroll():
    merged = ('<table><thead><tr><th colspan="2">Both</th></tr></thead>'
              '<tbody><tr><td>a</td><td>b</td></tr></tbody></table>')
    no_headings = "<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>"
    two_header_rows = ("<table><thead><tr><th>A</th></tr><tr><th>B</th></tr></thead>"
                       "<tbody><tr><td>a</td></tr></tbody></table>")
    for html in (merged, no_headings, two_header_rows):
        assert label_tables(html) == html


def test_a_nested_table_is_labelled_by_its_own_headings():
    html = label_tables('<table><thead><tr><th>Outer</th></tr></thead><tbody><tr><td>'
                        '<table><thead><tr><th>Inner</th></tr></thead><tbody><tr><td>x</td></tr></tbody></table>'
                        '</td></tr></tbody></table>')
    assert re.findall(r'data-label="([^"]*)">', html) == ["Outer", "Inner"]


def test_an_attribute_holding_a_closing_bracket_does_not_confuse_the_labels():
    html = label_tables('<table><thead><tr><th>Who</th></tr></thead><tbody><tr>'
                        '<td><a href="#x" title="a > b <td>">link</a></td></tr></tbody></table>')
    assert html.count("data-label=") == 1
    assert 'title="a > b <td>"' in html


# Telephone numbers ------------------------------------------------------------------------------

TEL = re.compile(r'<a class="govuk-link sl-tel" href="tel:([^"]+)">([^<]*)</a>')


def test_uk_numbers_and_short_numbers_in_text_become_tel_links_that_never_wrap():
    html = link_phone_numbers(
        '<p class="govuk-body">Call 0808 800 5000, Childline on 0800 1111, Samaritans on 116 123, '
        "the police on 999 (or 101), or +44 20 7946 0000.</p>")
    assert TEL.findall(html) == [
        ("+448088005000", "0808&nbsp;800&nbsp;5000"), ("+448001111", "0800&nbsp;1111"),
        ("116123", "116&nbsp;123"), ("999", "999"), ("101", "101"),
        ("+442079460000", "+44&nbsp;20&nbsp;7946&nbsp;0000"),
    ]


def test_numbers_that_are_not_calls_are_left_alone():
    text = ('<p class="govuk-body">In 2017, 1.101 of 999.5 cases, 101% of £999, 1999 and 9999, '
            "section 4.101, 100 or 123 people, 01632 960 000 (a drama number).</p>")
    assert link_phone_numbers(text) == text


def test_numbers_inside_links_code_headings_and_attributes_are_not_linked():
    html = ('<h2 class="govuk-heading-l" id="call-999">Call 999</h2>'
            '<p class="govuk-body"><a class="govuk-link" href="https://example.org">ring 0808 800 5000</a> '
            '<code class="sl-code">999</code> <abbr title="0808 800 5000 or 999">NSPCC</abbr></p>')
    assert link_phone_numbers(html) == html


def test_entities_are_read_as_text_and_the_rest_stays_escaped():
    html = link_phone_numbers('<p>&lt;a href=&quot;x&quot;&gt; 0808&nbsp;800&nbsp;5000 &amp; 116&#32;123</p>')
    assert TEL.findall(html) == [("+448088005000", "0808&nbsp;800&nbsp;5000"), ("116123", "116&nbsp;123")]
    assert "<a href" not in html and "&lt;a href=&#34;x&#34;&gt;" in html and " &amp; " in html


def test_an_attribute_holding_a_closing_bracket_is_not_read_as_text():
    html = '<p><a href="#x" title="x > 999">not a number</a> <span title="a > 0808 800 5000">y</span></p>'
    assert link_phone_numbers(html) == html


def test_sections_get_tel_links_but_pieces_only_when_asked():
    piece = '<p class="govuk-body">Call 999.</p>'
    assert "tel:" not in content_html(piece)  # a quiz option: tapping chooses, never dials
    assert 'href="tel:999"' in content_html(piece, phones=True)
    assert 'href="tel:999"' in str(fill_slots(piece, lambda name: ""))
    assert "tel:" not in str(fill_slots(slot_html("local-contacts"), lambda name: "<p>999</p>"))


def test_a_number_from_settings_is_a_link_or_kept_on_one_line():
    assert str(telephone("116 123")) == '<a class="govuk-link sl-tel" href="tel:116123">116&nbsp;123</a>'
    assert str(telephone("ext. 4<b>")) == '<span class="sl-tel">ext. 4&lt;b&gt;</span>'
    assert telephone("") == "" and telephone(None) == ""


def test_a_page_s_own_table_stacks_through_the_filter_and_stays_markup():
    html = stack_tables(Markup('<table><thead><tr><th>Course</th></tr></thead>'
                               '<tbody><tr><th scope="row">A &amp; B</th></tr></tbody></table>'))
    assert isinstance(html, Markup)
    assert '<th scope="row" role="rowheader" data-label="Course">A &amp; B</th>' in html
