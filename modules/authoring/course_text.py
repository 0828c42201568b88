"""Changing the ``modules:`` list of a course.md text, and nothing else in it.

A trainer's course.md may hold comments, quoting and a description they took care over; adding,
removing or moving a module must leave every other byte as it was. The list is found with the
content engine's own front-matter reader, so what is edited is exactly what the checker reads.
A block list (``- id`` lines) is edited line by line, keeping each item's line (and any comment
after it) whole; a flow list (``[a, b]``) is rewritten as a block list, the form docs/authoring.md
shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from modules.content.frontmatter import split_front_matter
from modules.content.problems import Problem, Problems

_INDENT = "  "


class CourseTextError(ValueError):
    """The change cannot be made to this text (the message says why, in plain words)."""


@dataclass
class _List:
    lines: list[str]  # the whole file, split on "\n"
    ids: list[str]
    # Block list: each item's lines (its own line and the comment or blank lines after it).
    chunks: list[list[str]] | None
    first: int = 0  # index in ``lines`` of the first item line (block lists)
    end: int = 0  # index after the last item line (block lists)
    indent: str = _INDENT
    # Flow list or empty value: the character range of the text that is replaced, from the key's end.
    span: tuple[int, int] | None = None


def _windows(edit):
    """Files saved on Windows keep their line endings (the checker reads both alike)."""
    def wrapper(text: str, *args, **kwargs):
        if "\r\n" not in text:
            return edit(text, *args, **kwargs)
        result = edit(text.replace("\r\n", "\n"), *args, **kwargs)
        return result.replace("\n", "\r\n") if isinstance(result, str) else result
    wrapper.__doc__ = edit.__doc__
    return wrapper


@_windows
def module_ids(text: str) -> list[str]:
    """The module ids the course lists, in order."""
    return _read(text).ids


@_windows
def add_module(text: str, ident: str, position: int | None = None) -> str:
    """``ident`` added to the list at ``position`` (from 0; None: at the end)."""
    found = _read(text)
    if ident in found.ids:
        raise CourseTextError(f"the course already lists the module '{ident}'")
    ids = list(found.ids)
    at = len(ids) if position is None else max(0, min(position, len(ids)))
    ids.insert(at, ident)
    return _write(text, found, ids)


@_windows
def remove_module(text: str, ident: str) -> str:
    """``ident`` taken out of the list (a course keeps at least one module)."""
    found = _read(text)
    if ident not in found.ids:
        raise CourseTextError(f"the course does not list the module '{ident}'")
    if len(found.ids) == 1:
        raise CourseTextError(
            f"'{ident}' is the course's only module: a course needs at least one, so add another first"
        )
    return _write(text, found, [i for i in found.ids if i != ident])


@_windows
def move_module(text: str, ident: str, *, by: int | None = None, to: int | None = None) -> str:
    """``ident`` moved ``by`` places (-1: up one) or ``to`` a position (from 0), kept in range."""
    found = _read(text)
    if ident not in found.ids:
        raise CourseTextError(f"the course does not list the module '{ident}'")
    ids = list(found.ids)
    here = ids.index(ident)
    target = here + (by or 0) if to is None else to
    target = max(0, min(target, len(ids) - 1))
    if target == here:
        return text
    ids.insert(target, ids.pop(here))
    return _write(text, found, ids)


def _read(text: str) -> _List:
    found: list[Problem] = []
    front = split_front_matter(text, Problems(Path("course.md"), found))
    if front is None:
        first = found[0] if found else None
        reason = first.message if first else "the settings cannot be read"
        raise CourseTextError(f"course.md cannot be changed until its settings are corrected: {reason}")
    setting = front.get("modules")
    if setting is None:
        raise CourseTextError("course.md has no 'modules:' setting")
    lines = text.split("\n")
    offset = len(lines[0]) + 1  # the YAML starts on the line after the first ---
    node = setting.node
    key_end = _key_end(lines, setting)
    if isinstance(node, yaml.ScalarNode) and node.value == "":
        return _List(lines, [], None, span=(key_end, offset + node.end_mark.index))
    if not isinstance(node, yaml.SequenceNode) or not all(isinstance(i, yaml.ScalarNode) for i in node.value):
        raise CourseTextError("'modules:' must be a list of module ids, one per line starting with '- '")
    ids = [item.value for item in node.value]
    if node.flow_style:
        return _List(lines, ids, None, span=(key_end, offset + node.end_mark.index))
    item_lines = [item.start_mark.line + 1 for item in node.value]
    for index in item_lines:
        if not lines[index].lstrip().startswith("-"):
            raise CourseTextError("write the modules list with one '- id' per line")
    if len(set(item_lines)) != len(item_lines):
        raise CourseTextError("write the modules list with one '- id' per line")
    chunks = [lines[start:stop] for start, stop in zip(item_lines, [*item_lines[1:], item_lines[-1] + 1], strict=True)]
    first_line = lines[item_lines[0]]
    indent = first_line[: len(first_line) - len(first_line.lstrip())]
    return _List(lines, ids, chunks, first=item_lines[0], end=item_lines[-1] + 1, indent=indent)


def _key_end(lines: list[str], setting) -> int:
    """The index in the text just after ``modules:``'s colon."""
    # Setting keeps the key's line and column, not its YAML marks.
    line_start = sum(len(line) + 1 for line in lines[: setting.key_line - 1])
    start = line_start + setting.key_col - 1 + len(setting.key)
    return "\n".join(lines).index(":", start) + 1


def _write(text: str, found: _List, ids: list[str]) -> str:
    if found.chunks is None:
        start, stop = found.span
        block = "".join(f"\n{_INDENT}- {ident}" for ident in ids)
        return text[:start] + block + text[stop:]
    by_id = dict(zip(found.ids, found.chunks, strict=True))
    new_lines: list[str] = []
    for ident in ids:
        new_lines.extend(by_id.get(ident) or [f"{found.indent}- {ident}"])
    return "\n".join([*found.lines[: found.first], *new_lines, *found.lines[found.end:]])
