"""Checks and preparation shared by every Markdown body (modules and course descriptions):
footnote and link definitions gathered for the renderer, fixed anchors reserved, boxes,
footnotes and ``[[markers]]`` checked."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from modules.content.blocks import HEADING_RE, Line, ListItem
from modules.content.problems import Problems
from modules.content.rendering import AnchorRegistry
from modules.content.sanitise import RESERVED_IDS

BOX_KINDS = ("note", "tip", "important", "warning")
_BOX_RE = re.compile(r"^\s*!!! ?([\w-]+)")
# What Python-Markdown's admonition extension (and the reflect parser) accept as a box line,
# minus the extra class words it also allows: "!!! note Remember" would silently lose the title.
_VALID_BOX_RE = re.compile(r'^!!! ?[\w-]+(?: +"(.*?)")? *$')
_BOX_PARTS_RE = re.compile(r"^!!!\s*([\w-]*)\s*(.*?)\s*$")
_FOOTNOTE_DEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:")
# Python-Markdown also reads a definition indented by up to three spaces (it is then rendered where
# it stands, in its own block); such a line defines its label and is not a reference.
_INDENTED_FOOTNOTE_DEF_RE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
_FOOTNOTE_REF_RE = re.compile(r"(?<!\\)\[\^([^\]\s]+)\]")
_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")
_REFERENCE_DEF_RE = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*\S")
_EXPLICIT_ANCHOR_RE = re.compile(r"\{:?[ \t]*[^}\n]*?(?<![\w])#([\w-]+)[^}\n]*\}[ \t]*$")
_MARKER_RE = re.compile(r"\[\[([^\[\]\n]*)\]\]")
LOCAL_CONTACTS = "local-contacts"
MARKERS = (LOCAL_CONTACTS,)
FOOTNOTE_IN_TITLE = "footnotes cannot go in headings or options; put the note in the text below"


@dataclass
class PreparedBody:
    lines: list[Line]  # definitions blanked out, so line numbers stay true
    footnotes: dict[str, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    fixed_anchors: set[str] = field(default_factory=set)


def prepare_body(lines: list[Line], problems: Problems, *, allow_reflect: bool) -> PreparedBody:
    prepared = PreparedBody(lines=[])
    seen_anchors: dict[str, int] = {}
    notes = _FootnoteUse()
    i = 0
    while i < len(lines):
        line = lines[i]
        footnote = _FOOTNOTE_DEF_RE.match(line.text)
        if footnote:
            notes.define(footnote.group(1), line.number, 1)
            # The definition runs on over indented lines (and blank lines between them).
            j = i + 1
            while j < len(lines):
                k = j
                while k < len(lines) and lines[k].blank:
                    k += 1
                if k < len(lines) and lines[k].indent >= 4:
                    j = k + 1
                else:
                    break
            prepared.footnotes[footnote.group(1)] = "\n".join(l.text for l in lines[i:j])
            prepared.lines.extend(Line(l.number, "") for l in lines[i:j])
            i = j
            continue
        if _REFERENCE_DEF_RE.match(line.text) and not line.text.lstrip().startswith("[["):
            prepared.references.append(line.text.strip())
            prepared.lines.append(Line(line.number, ""))
            i += 1
            continue
        _check_line(line, problems, allow_reflect, seen_anchors, prepared)
        _check_box_body(lines, i, problems)
        notes.scan(line)
        prepared.lines.append(line)
        i += 1
    notes.report(problems)
    return prepared


def footnote_references(text: str) -> list[tuple[int, str]]:
    """The footnote references (``[^label]``) in one line: (column from 1, label) each, leaving out
    code spans and escaped brackets."""
    visible = _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), text)
    return [(m.start() + 1, m.group(1)) for m in _FOOTNOTE_REF_RE.finditer(visible)]


def option_footnotes_ok(item: ListItem, problems: Problems) -> bool:
    """Report footnote references in an option's text (the note would end up inside the option)."""
    ok = True
    for line in item.source:
        for col, _label in footnote_references(line.text):
            problems.error(line.number, col, FOOTNOTE_IN_TITLE)
            ok = False
    return ok


class _FootnoteUse:
    """Which footnotes a body defines and refers to. A reference with no definition reaches the
    learner as the literal text ``[^label]``; a definition nobody refers to is never shown."""

    def __init__(self) -> None:
        self.defined: dict[str, tuple[int, int]] = {}
        self.references: list[tuple[str, int, int]] = []

    def define(self, label: str, line: int, col: int) -> None:
        self.defined.setdefault(label, (line, col))

    def scan(self, line: Line) -> None:
        indented = _INDENTED_FOOTNOTE_DEF_RE.match(line.text)
        if indented:
            self.define(indented.group(1), line.number, line.indent + 1)
            return
        for col, label in footnote_references(line.text):
            self.references.append((label, line.number, col))

    def report(self, problems: Problems) -> None:
        used = set()
        for label, line, col in self.references:
            used.add(label)
            if label not in self.defined:
                problems.error(
                    line, col,
                    f"footnote [^{label}] has no note: add a line '[^{label}]: the note' (anywhere in "
                    f"the file), or learners see '[^{label}]' as it is",
                )
        for label, (line, col) in self.defined.items():
            if label not in used:
                problems.warning(
                    line, col,
                    f"footnote [^{label}] is never used: refer to it with [^{label}] in the text, or "
                    "delete the note",
                )


def box_body_problem(lines: list[Line], start: int) -> tuple[int, int, str] | None:
    """Why the text of the box whose ``!!!`` line is ``lines[start]`` will not show inside it, as
    (line, column, message), or None.

    Python-Markdown takes only lines indented by four spaces (more than the ``!!!`` line) into a
    box; text indented less, or written straight under the ``!!!`` line, comes out as an empty box
    followed by an ordinary paragraph.
    """
    base = lines[start].indent
    j = start + 1
    while j < len(lines):
        line = lines[j]
        if line.blank or line.indent >= base + 4:
            j += 1
            continue
        if line.indent > base:
            return (
                line.number, line.indent + 1,
                f"box text must be indented by four spaces under its !!! line (this line has "
                f"{line.indent - base}): otherwise the box is empty and this text shows after it",
            )
        if j == start + 1 and not line.text.lstrip().startswith(("#", "!!!")):
            return (
                line.number, 1,
                "box text must be indented by four spaces under its !!! line: otherwise the box is "
                "empty and this text shows after it",
            )
        return None
    return None


def _check_box_body(lines: list[Line], i: int, problems: Problems) -> None:
    if not _VALID_BOX_RE.match(lines[i].text.strip()):
        return
    problem = box_body_problem(lines, i)
    if problem is not None:
        problems.error(*problem)


def _box_fix(text: str) -> str:
    """How an invalid box line should be written: the title in straight double quotes."""
    parts = _BOX_PARTS_RE.match(text)
    kind = parts.group(1) or "note"
    title = parts.group(2).strip("'\"‘’“” ")
    return f'!!! {kind} "{title}"' if title else f"!!! {kind}"


def _check_line(line: Line, problems: Problems, allow_reflect: bool, seen: dict[str, int],
                prepared: PreparedBody) -> None:
    if line.text.lstrip().startswith("!!!") and not _VALID_BOX_RE.match(line.text.strip()):
        problems.error(
            line.number, line.indent + 1,
            f"this is not a box, so it shows as ordinary text: write {_box_fix(line.text.strip())} "
            "(a title goes in double quotes)",
        )
    box = _BOX_RE.match(line.text)
    if box:
        kind = box.group(1)
        allowed = BOX_KINDS + (("reflect", "summary") if allow_reflect else ())
        if kind not in allowed:
            problems.error(
                line.number, box.start(1) + 1,
                f"unknown box kind '{kind}' (use {', '.join(allowed)})",
            )
    if HEADING_RE.match(line.text):
        for col, _label in footnote_references(line.text):
            problems.error(line.number, col, FOOTNOTE_IN_TITLE)
    if line.text.startswith("#"):
        anchor = _EXPLICIT_ANCHOR_RE.search(line.text)
        if anchor:
            name = anchor.group(1)
            col = anchor.start(1)
            if name in RESERVED_IDS:
                problems.error(line.number, col, f"the anchor #{name} is used by the page layout; choose another")
            elif name in seen:
                problems.error(
                    line.number, col, f"the anchor #{name} is already used on line {seen[name]}"
                )
            else:
                seen[name] = line.number
                prepared.fixed_anchors.add(name)
    for marker in _MARKER_RE.finditer(line.text):
        name = marker.group(1).strip()
        if name not in MARKERS:
            problems.error(
                line.number, marker.start() + 1,
                f"unknown marker [[{name}]] (the only marker is [[{LOCAL_CONTACTS}]])",
            )
        elif line.text.strip() != marker.group(0):
            problems.error(
                line.number, marker.start() + 1,
                f"[[{name}]] must be on a line of its own",
            )


def reserve_fixed(registry: AnchorRegistry, prepared: PreparedBody) -> None:
    for anchor in prepared.fixed_anchors:
        registry.reserve(anchor)
