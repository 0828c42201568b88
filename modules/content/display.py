"""Stored content HTML as the pages show it: the ``content_html`` template filter for pieces
(options, feedback, descriptions) and :func:`prepare`, which modules.content.slots applies to
whole sections.

The HTML was sanitised once, at import (modules.content.sanitise), so it is output as it is, with
changes made here rather than at import: stored versions are immutable and hashed, so a change at
import would reach only content imported after it, while these reach every version at once.

- Each table is wrapped in a focusable scrolling region (``.sl-table-scroll``), so a table wider
  than a phone scrolls by itself instead of widening the whole page (WCAG 1.4.10 Reflow). The
  region is named after the table's caption, or its column headings, for screen reader users.
- A simple table (one row of column headings, no merged cells) stacks into one card per row on a
  small screen (``.sl-table--stack``, CSS in static/scss/_phone.scss): each cell gets its column
  heading as ``data-label`` to show beside it, and every part of the table its ARIA role, because
  a table styled as blocks otherwise stops being read as a table.
- Telephone numbers in the text become ``tel:`` links (:func:`link_phone_numbers`), in sections
  always and in pieces when asked (``content_html(phones=True)``): never inside a quiz option or
  any other form label, where tapping must choose, not dial.
"""
from __future__ import annotations

import html as html_lib
import re

import phonenumbers
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


# A start or end tag, its quoted attribute values read whole (html5ever, which nh3 uses, writes
# a ">" inside an attribute value as it is).
_TAG_RE = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")


def _tokens(html: str):
    """(tag name or None for text, is_end, the markup) for each tag and text run of ``html``."""
    position = 0
    for match in _TAG_RE.finditer(html):
        if match.start() > position:
            yield None, False, html[position:match.start()]
        yield match.group(2).lower(), bool(match.group(1)), match.group(0)
        position = match.end()
    if position < len(html):
        yield None, False, html[position:]


def _with_attributes(tag: str, attributes: str) -> str:
    end = -2 if tag.endswith("/>") else -1
    return f"{tag[:end]} {attributes}{tag[end:]}"


_ROLES = {"table": "table", "thead": "rowgroup", "tbody": "rowgroup", "tfoot": "rowgroup", "tr": "row",
          "td": "cell"}
_MERGED = re.compile(r"\b(?:colspan|rowspan)=")


class _Table:
    def __init__(self, start: int) -> None:
        self.start = start  # where its <table> tag is in the output
        self.headings: list[str] = []
        self.heading_text: list[str] | None = None
        self.header_rows = 0
        self.in_head = False
        self.column = 0
        self.parts: list[tuple[int, str]] = []  # (output index, tag name) to give roles and labels
        self.simple = True


def label_tables(html: str) -> str:
    """Simple tables marked to stack into cards, each cell labelled with its column heading."""
    if "<table" not in html:
        return html
    out: list[str] = []
    tables: list[_Table] = []
    for name, is_end, markup in _tokens(html):
        table = tables[-1] if tables else None
        if name is None:
            if table is not None and table.heading_text is not None:
                table.heading_text.append(markup)
            out.append(markup)
            continue
        if name == "table" and not is_end:
            tables.append(_Table(len(out)))
        elif table is None:
            out.append(markup)
            continue
        elif name == "table":
            tables.pop()
            if table.simple and table.header_rows == 1 and any(table.headings):
                _stack(out, table)
        elif is_end:
            if name == "thead":
                table.in_head = False
            elif name == "th" and table.heading_text is not None:
                table.headings.append(plain_text("".join(table.heading_text)))
                table.heading_text = None
        elif name in ("thead", "tbody", "tfoot"):
            table.in_head = name == "thead"
            table.parts.append((len(out), name))
        elif name == "tr":
            table.column = 0
            table.header_rows += table.in_head
            table.parts.append((len(out), name))
        elif name in ("th", "td"):
            if _MERGED.search(markup):
                table.simple = False
            if table.in_head:
                table.heading_text = [] if name == "th" else None
                if name == "td":
                    table.headings.append("")
                table.parts.append((len(out), name))
            else:
                table.parts.append((len(out), f"{name}:{table.column}"))
            table.column += 1
        out.append(markup)
    return "".join(out)


def _stack(out: list[str], table: _Table) -> None:
    out[table.start] = _add_class(_with_attributes(out[table.start], 'role="table"'), "sl-table--stack")
    for index, part in table.parts:
        name, _, column = part.partition(":")
        if not column:
            role = "columnheader" if name == "th" else _ROLES.get(name)
            out[index] = _with_attributes(out[index], f'role="{role}"')
            continue
        number = int(column)
        label = table.headings[number] if number < len(table.headings) else ""
        role = "rowheader" if name == "th" else "cell"
        attributes = f'role="{role}"' + (f' data-label="{escape(label)}"' if label else "")
        out[index] = _with_attributes(out[index], attributes)


def _add_class(tag: str, name: str) -> str:
    match = re.search(r'\bclass="([^"]*)"', tag)
    if match is None:
        return _with_attributes(tag, f'class="{name}"')
    return f'{tag[:match.end(1)]} {name}{tag[match.end(1):]}'


# Telephone numbers ---------------------------------------------------------------------------

# Never linked inside these: a link in a link is invalid, code is shown as written, a heading
# stays a heading (it is also the page's title and its contents entry), and tapping a label
# must choose its option.
_NO_LINKS = {"a", "code", "pre", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6", "label", "legend",
             "button", "option", "select", "textarea", "summary", "script", "style", "title"}
# Short numbers PhoneNumberMatcher does not find: emergency, police and NHS non-emergency, and the
# 116 helplines (116 123 Samaritans, 116 000 missing children, 116 111 Childline). Not every valid
# short number: "100" or "123" in a sentence is far more often a count than a call.
_SHORT = re.compile(r"(?<![\w.,:/£$#+-])(999|112|101|111|116[ \u00a0]?\d{3})(?![\w%]|[.,:/-]\d)")
_REGION = "GB"


def _phone_matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, tel: target) of each telephone number in plain ``text``, in order."""
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, _REGION):
        target = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.append((match.start, match.end, target))
    for match in _SHORT.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if digits.startswith("116") and not phonenumbers.is_valid_short_number_for_region(
                phonenumbers.parse(digits, _REGION), _REGION):
            continue
        if not any(start < match.end() and match.start() < end for start, end, _ in found):
            found.append((match.start(), match.end(), digits))
    return sorted(found)


def _link_text(text: str) -> str:
    """``text`` (escaped HTML text) with its numbers linked; unchanged when it has none."""
    if not any(character.isdigit() for character in text):
        return text
    plain = html_lib.unescape(text)
    matches = _phone_matches(plain)
    if not matches:
        return text
    parts, position = [], 0
    for start, end, target in matches:
        number = str(escape(" ".join(plain[start:end].split()))).replace(" ", "&nbsp;")
        parts += [str(escape(plain[position:start])),
                  f'<a class="govuk-link sl-tel" href="tel:{escape(target)}">{number}</a>']
        position = end
    parts.append(str(escape(plain[position:])))
    return "".join(parts)


def link_phone_numbers(html: str) -> str:
    """``html`` with the telephone numbers in its text as ``tel:`` links (not in attributes, links,
    code, headings or form labels), their spaces non-breaking so a number never wraps."""
    out: list[str] = []
    open_skips = 0
    for name, is_end, markup in _tokens(html):
        if name is None:
            out.append(markup if open_skips else _link_text(markup))
            continue
        if name in _NO_LINKS:
            open_skips = max(open_skips - 1, 0) if is_end else open_skips + 1
        out.append(markup)
    return "".join(out)


def stack_tables(html: str) -> Markup:
    """A page's own (already escaped) table markup, marked to stack like a content table."""
    return Markup(label_tables(str(html)))


def telephone(number: str | None) -> Markup:
    """A telephone number given as text (a setting, a contact) as a ``tel:`` link; one that is not
    recognised as a UK number is shown as it is, still kept on one line."""
    text = str(escape(" ".join((number or "").split())))
    linked = link_phone_numbers(text)
    if linked == text:
        return Markup(f'<span class="sl-tel">{text}</span>') if text else Markup("")
    return Markup(linked)


def prepare(html: str, *, phones: bool = True) -> str:
    """Stored section HTML as a page shows it: tables in regions and labelled, numbers linked."""
    html = label_tables(wrap_tables(html))
    return link_phone_numbers(html) if phones else html


def content_html(html: str | None, phones: bool = False) -> Markup:
    """Sanitised content HTML, ready for a template: its tables in scrolling regions and, with
    ``phones``, its telephone numbers as links (off by default: pieces are often form labels)."""
    return Markup(prepare(html or "", phones=phones))
