"""Line-level structure of a Markdown body: headings, sections, task-list options, quotes.

Python-Markdown renders the prose; this module finds the parts Sightline gives a meaning to
(sections, decision points, quiz questions), keeping each one's file line number for messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    number: int  # line number in the file
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        expanded = self.text.expandtabs(4)
        return len(expanded) - len(expanded.lstrip(" "))


def body_lines(body: str, first_line: int) -> list[Line]:
    return [Line(first_line + i, text) for i, text in enumerate(body.split("\n"))]


def join(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines)


def dedent(lines: list[Line]) -> list[Line]:
    """Remove the common indentation (tabs count as four spaces)."""
    width = min((line.indent for line in lines if not line.blank), default=0)
    return [Line(line.number, line.text.expandtabs(4)[width:] if not line.blank else "") for line in lines]


def trim_blank(lines: list[Line]) -> list[Line]:
    start, end = 0, len(lines)
    while start < end and lines[start].blank:
        start += 1
    while end > start and lines[end - 1].blank:
        end -= 1
    return lines[start:end]


# Headings -----------------------------------------------------------------------------------

HEADING_RE = re.compile(r"^(#{1,6})(?!#)(.*)$")
ATTRS_RE = re.compile(r"\{:?[ \t]*([^}\n]*?)[ \t]*\}[ \t]*$")
ATTR_TOKEN_RE = re.compile(r"""([#.][^\s#.}]+)|([\w-]+)=("[^"]*"|'[^']*'|[^\s"']+)|(\S+)""")


@dataclass
class Heading:
    line: Line
    level: int
    text: str  # the heading text without #'s and without the {...} block
    attrs: list[tuple[str, str, int]] = field(default_factory=list)  # (name, value, column)
    attrs_col: int = 0
    bad_attrs: list[tuple[str, int]] = field(default_factory=list)  # tokens that are not name=value

    @property
    def col(self) -> int:
        return 1

    def attr(self, name: str) -> str | None:
        return next((value for key, value, _ in self.attrs if key == name), None)

    def attr_col(self, name: str) -> int:
        return next((col for key, _, col in self.attrs if key == name), self.attrs_col)

    @property
    def anchor(self) -> str | None:
        return self.attr("#")


def parse_heading(line: Line) -> Heading | None:
    match = HEADING_RE.match(line.text)
    if not match:
        return None
    level = len(match.group(1))
    rest = match.group(2)
    start = match.start(2)
    # Python-Markdown drops closing #'s ("## Title ##").
    rest = re.sub(r"#+[ \t]*$", "", rest) if not rest.rstrip().endswith("}") else rest
    heading = Heading(line=line, level=level, text="")
    attrs = ATTRS_RE.search(rest)
    if attrs:
        heading.attrs_col = start + attrs.start() + 1
        inner_offset = start + attrs.start(1)
        for token in ATTR_TOKEN_RE.finditer(attrs.group(1)):
            col = inner_offset + token.start() + 1
            if token.group(1):
                heading.attrs.append((token.group(1)[0], token.group(1)[1:], col))
            elif token.group(2):
                heading.attrs.append((token.group(2), token.group(3).strip("\"'"), col))
            else:
                heading.bad_attrs.append((token.group(4), col))
        rest = rest[: attrs.start()]
    heading.text = rest.strip()
    return heading


# Sections -----------------------------------------------------------------------------------

@dataclass
class SectionSource:
    heading: Heading | None  # None for the introduction
    lines: list[Line]


def split_sections(lines: list[Line]) -> tuple[list[Line], list[SectionSource]]:
    """The introduction (lines before the first ``##``) and one section per ``##`` heading."""
    intro: list[Line] = []
    sections: list[SectionSource] = []
    for line in lines:
        heading = parse_heading(line) if line.text.startswith("##") else None
        if heading is not None and heading.level == 2:
            sections.append(SectionSource(heading=heading, lines=[]))
        elif sections:
            sections[-1].lines.append(line)
        else:
            intro.append(line)
    return intro, sections


# Task-list options and other list items -----------------------------------------------------

OPTION_RE = re.compile(r"^ {0,3}[-*+][ \t]+\[([ xX])\](?:[ \t]+(.*)|[ \t]*)$")


@dataclass
class ListItem:
    line: Line
    text: list[Line]  # the item's first paragraph (option text / rule), first line without marker
    body: list[Line]  # indented blocks after a blank line (feedback, consequence), dedented
    checked: bool = False
    source: list[Line] = field(default_factory=list)  # the first paragraph's lines as written


def read_items(lines: list[Line], start: int, first: re.Pattern[str]) -> tuple[list[ListItem], int]:
    """Read consecutive list items whose first line matches ``first`` (group 1 the marker text,
    group 2 the rest); return them and the index after the last line they use."""
    items: list[ListItem] = []
    i = start
    n = len(lines)
    while i < n:
        match = first.match(lines[i].text)
        if not match:
            break
        groups = match.groups()
        item = ListItem(
            line=lines[i],
            text=[Line(lines[i].number, (groups[-1] or "") if len(groups) > 1 else "")],
            body=[],
            checked=groups[0] in ("x", "X") if groups else False,
            source=[lines[i]],
        )
        i += 1
        # Continuation of the first paragraph (lazy or indented lines).
        while i < n and not lines[i].blank and not first.match(lines[i].text) and (
            lines[i].indent >= 1 or not _starts_block(lines[i])
        ):
            item.text.append(Line(lines[i].number, lines[i].text.strip()))
            item.source.append(lines[i])
            i += 1
        # Indented blocks after blank lines belong to the item.
        body: list[Line] = []
        while i < n:
            j = i
            while j < n and lines[j].blank:
                j += 1
            if j < n and lines[j].indent >= 2 and not first.match(lines[j].text):
                body.extend(lines[i:j])
                i = j
                while i < n and not lines[i].blank:
                    body.append(lines[i])
                    i += 1
                continue
            break
        item.body = trim_blank(dedent(body))
        items.append(item)
        j = i
        while j < n and lines[j].blank:
            j += 1
        if j < n and first.match(lines[j].text):
            i = j
            continue
        break
    return items, i


def _starts_block(line: Line) -> bool:
    text = line.text
    return bool(
        re.match(r"^(#{1,6}|>|[-*+][ \t]|\d+[.)][ \t]|!!!|Source:|\*\*Practice point)", text, re.I)
    )


def item_text(item: ListItem) -> str:
    return "\n".join(line.text for line in item.text).strip()


def paragraph(lines: list[Line], start: int) -> tuple[list[Line], int]:
    """Lines from ``start`` up to the next blank line."""
    i = start
    while i < len(lines) and not lines[i].blank:
        i += 1
    return lines[start:i], i


def quote_text(lines: list[Line]) -> list[Line]:
    """Remove the ``>`` markers of a block quote."""
    return [Line(line.number, re.sub(r"^ {0,3}> ?", "", line.text)) for line in lines]


