"""Checks and preparation shared by every Markdown body (modules and course descriptions):
footnote and link definitions gathered for the renderer, fixed anchors reserved, boxes and
``[[markers]]`` checked."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from modules.content.blocks import Line
from modules.content.problems import Problems
from modules.content.rendering import AnchorRegistry
from modules.content.sanitise import RESERVED_IDS

BOX_KINDS = ("note", "tip", "important", "warning")
_BOX_RE = re.compile(r"^\s*!!! ?([\w-]+)")
_FOOTNOTE_DEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:")
_REFERENCE_DEF_RE = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*\S")
_EXPLICIT_ANCHOR_RE = re.compile(r"\{:?[ \t]*[^}\n]*?(?<![\w])#([\w-]+)[^}\n]*\}[ \t]*$")
_MARKER_RE = re.compile(r"\[\[([^\[\]\n]*)\]\]")
LOCAL_CONTACTS = "local-contacts"
MARKERS = (LOCAL_CONTACTS,)


@dataclass
class PreparedBody:
    lines: list[Line]  # definitions blanked out, so line numbers stay true
    footnotes: dict[str, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    fixed_anchors: set[str] = field(default_factory=set)


def prepare_body(lines: list[Line], problems: Problems, *, allow_reflect: bool) -> PreparedBody:
    prepared = PreparedBody(lines=[])
    seen_anchors: dict[str, int] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        footnote = _FOOTNOTE_DEF_RE.match(line.text)
        if footnote:
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
        prepared.lines.append(line)
        i += 1
    return prepared


def _check_line(line: Line, problems: Problems, allow_reflect: bool, seen: dict[str, int],
                prepared: PreparedBody) -> None:
    box = _BOX_RE.match(line.text)
    if box:
        kind = box.group(1)
        allowed = BOX_KINDS + (("reflect",) if allow_reflect else ())
        if kind not in allowed:
            problems.error(
                line.number, box.start(1) + 1,
                f"unknown box kind '{kind}' (use {', '.join(allowed)})",
            )
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
