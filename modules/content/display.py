"""Stored content HTML as the pages show it: the ``content_html`` template filter for pieces
(options, feedback, descriptions) and :func:`wrap_tables`, which modules.content.slots applies to
whole sections.

The HTML was sanitised once, at import (modules.content.sanitise), so it is output as it is, with
one change made here rather than at import so that content imported before it gets it too: each
table is wrapped in a focusable scrolling region (``.sl-table-scroll``), so a table wider than a
phone scrolls by itself instead of widening the whole page (WCAG 1.4.10 Reflow). The region is
named after the table's caption, or its column headings, for screen reader users.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from modules.content.sanitise import plain_text

_TABLE = re.compile(r"<table\b[^>]*>|</table>")
_CAPTION = re.compile(r"^\s*<caption\b[^>]*>(.*?)</caption>", re.S)
_FIRST_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)


def _region_name(after_start: str) -> str:
    caption = _CAPTION.match(after_start)
    if caption and plain_text(caption.group(1)):
        return f"{plain_text(caption.group(1))}, table"
    row = _FIRST_ROW.search(after_start)
    headings = [plain_text(h) for h in _HEADER.findall(row.group(1))] if row else []
    headings = [h for h in headings if h]
    return f"Table: {', '.join(headings)}" if headings else "Table"


def _wrap(match: re.Match) -> str:
    if match.group(0) == "</table>":
        return "</table></div>"
    name = _region_name(match.string[match.end():])
    return f'<div class="sl-table-scroll" role="region" aria-label="{escape(name)}" tabindex="0">{match.group(0)}'


def wrap_tables(html: str) -> str:
    """``html`` with every table inside a named, focusable scrolling region."""
    return _TABLE.sub(_wrap, html) if "<table" in html else html


def content_html(html: str | None) -> Markup:
    """Sanitised content HTML, ready for a template, its tables in scrolling regions."""
    return Markup(wrap_tables(html or ""))
