"""A readable comparison of two texts of a file, for trainers rather than programmers: lines
removed and added (with the words that changed inside a changed line), both sides' line numbers,
and long unchanged stretches folded into one "12 unchanged lines" row.

Python's difflib is enough: texts are a few thousand lines at most, and ``autojunk`` is off so
that blank lines and list markers, which Markdown repeats a lot, are still matched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

SAME, ADDED, REMOVED = "same", "added", "removed"
MIN_FOLD = 3
# Words, runs of spaces and single punctuation marks: a changed comma shows as one mark, not as
# the whole word around it.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool = False  # the words added (on an added line) or removed (on a removed line)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # SAME, ADDED or REMOVED
    old_number: int | None
    new_number: int | None
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass(frozen=True)
class Fold:
    """Unchanged lines not shown."""

    count: int
    old_start: int  # the first hidden line, in the older text


@dataclass
class FileDiff:
    rows: list[DiffLine | Fold] = field(default_factory=list)
    added: int = 0
    removed: int = 0

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed)


def diff_texts(old: str, new: str, *, context: int = 3) -> FileDiff:
    """The changes from ``old`` to ``new``, with ``context`` unchanged lines kept around each."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    diff = FileDiff()
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            _equal(diff, old_lines, i1, i2, j1, context=context,
                   first=index == 0, last=index == len(opcodes) - 1)
            continue
        removed, added = old_lines[i1:i2], new_lines[j1:j2]
        pairs = min(len(removed), len(added)) if tag == "replace" else 0
        words = [_word_diff(removed[k], added[k]) for k in range(pairs)]
        for k, line in enumerate(removed):
            segments = words[k][0] if k < pairs else (Segment(line),)
            diff.rows.append(DiffLine(REMOVED, i1 + k + 1, None, segments))
        for k, line in enumerate(added):
            segments = words[k][1] if k < pairs else (Segment(line),)
            diff.rows.append(DiffLine(ADDED, None, j1 + k + 1, segments))
        diff.removed += len(removed)
        diff.added += len(added)
    return diff


def _equal(diff: FileDiff, lines: list[str], i1: int, i2: int, j1: int, *, context: int,
           first: bool, last: bool) -> None:
    """An unchanged stretch: kept in full when short, else only its edges next to changes."""
    count = i2 - i1
    keep_before = 0 if first else context  # lines after the change above
    keep_after = 0 if last else context  # lines before the change below
    # Folding one or two lines would hide them behind a row as long as they are.
    if count - keep_before - keep_after < MIN_FOLD:
        keep_before, keep_after = count, 0
    offset = j1 - i1
    for i in range(i1, i1 + keep_before):
        diff.rows.append(DiffLine(SAME, i + 1, i + offset + 1, (Segment(lines[i]),)))
    hidden = count - keep_before - keep_after
    if hidden > 0:
        start = i1 + keep_before
        diff.rows.append(Fold(hidden, start + 1))
    for i in range(i2 - keep_after, i2):
        diff.rows.append(DiffLine(SAME, i + 1, i + offset + 1, (Segment(lines[i]),)))


def _word_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """The two sides of a changed line, with the words that differ marked."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(left, "".join(a[i1:i2]), False)
            _append(right, "".join(b[j1:j2]), False)
        else:
            _append(left, "".join(a[i1:i2]), True)
            _append(right, "".join(b[j1:j2]), True)
    return tuple(left) or (Segment(""),), tuple(right) or (Segment(""),)


def _append(segments: list[Segment], text: str, changed: bool) -> None:
    if not text:
        return
    if segments and segments[-1].changed == changed:
        segments[-1] = Segment(segments[-1].text + text, changed)
    else:
        segments.append(Segment(text, changed))
