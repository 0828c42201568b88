"""The language checker: phrases that blame children for their own abuse, from Sightline's
language guide (``language_guide.yaml``), found in any inflection and word order the guide's
patterns allow.

Used on training text by ``content check`` (as warnings) and on learners' rewrite answers by the
quiz marker. What is not reported:

- uses the guide allows (an entry's ``unless`` patterns: "the man she calls her boyfriend",
  "appears consensual", "the agencies agreed a plan");
- phrases right after a negation ("children cannot consent"), for entries where that flips the
  meaning;
- phrases being talked about rather than used ("the term 'child prostitute'", "rather than
  historical abuse");
- reported speech in quotation marks ("she said "he's my boyfriend""), and anything in
  quotation marks when the caller says quoted phrases are deliberate examples;
- in ``strict`` mode (learners' answers) only the first of these apply: quoting a phrase does not
  make it acceptable in an answer.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from modules.checks.findings import Finding, without_overlaps
from modules.checks.patterns import (
    Classes,
    Pattern,
    PatternIndex,
    compile_pattern,
    covers,
    match_at,
    view,
)
from modules.checks.text import LineIndex, Token, tokenize

GUIDE_FILE = Path(__file__).with_name("language_guide.yaml")
_NEGATION_WINDOW = 3
_SPEECH_WINDOW = 5
_NEAR_WINDOW = 5


@dataclass(frozen=True)
class Entry:
    id: str
    use: tuple[str, ...]
    why: str
    source: str
    basis: str
    avoid_sources: tuple[str, ...]
    avoid: tuple[Pattern, ...] = field(compare=False, default=())
    unless: tuple[Pattern, ...] = field(compare=False, default=())
    negatable: bool = True
    quoted_ok: bool = False

    @property
    def instead(self) -> str:
        return "; ".join(self.use)


@dataclass
class Guide:
    entries: list[Entry]
    classes: Classes
    mentions: list[Pattern]
    mentions_near: list[Pattern]
    negations: list[Pattern]
    speech: list[Pattern]
    index: PatternIndex

    def entry(self, ident: str) -> Entry:
        return next(e for e in self.entries if e.id == ident)


class GuideError(ValueError):
    """The guide file is not valid (a test loads it, so this never reaches a learner)."""


def load_guide(path: Path = GUIDE_FILE) -> Guide:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    classes: Classes = {}
    # Classes may use classes defined before them.
    for name, phrases in data["classes"].items():
        classes[name] = [compile_pattern(p, classes) for p in phrases]
    entries: list[Entry] = []
    seen: set[str] = set()
    for raw in data["entries"]:
        ident = raw["id"]
        if ident in seen:
            raise GuideError(f"entry {ident!r} appears twice")
        seen.add(ident)
        for key in ("avoid", "use", "why", "source", "basis"):
            if not raw.get(key):
                raise GuideError(f"entry {ident!r} has no {key}")
        entries.append(Entry(
            id=ident,
            use=tuple(raw["use"]),
            why=raw["why"].strip(),
            source=raw["source"].strip(),
            basis=raw["basis"].strip(),
            avoid_sources=tuple(raw["avoid"]),
            avoid=tuple(compile_pattern(p, classes) for p in raw["avoid"]),
            unless=tuple(compile_pattern(p, classes) for p in raw.get("unless", [])),
            negatable=raw.get("negatable", True),
            quoted_ok=raw.get("quoted_ok", False),
        ))
    mentions = [compile_pattern(p, classes) for p in data["mentions"]]
    mentions_near = [compile_pattern(p, classes) for p in data.get("mentions_near", [])]
    negations = [compile_pattern("@NEG", classes)]
    speech = [compile_pattern("@SPEECH", classes)]
    index = PatternIndex([(pattern, entry) for entry in entries for pattern in entry.avoid])
    return Guide(entries, classes, mentions, mentions_near, negations, speech, index)


@lru_cache(maxsize=1)
def guide() -> Guide:
    """The guide, loaded once per process (about 20 ms)."""
    return load_guide()


def check_language(
    text: str, *, first_line: int = 1, quoted_examples: bool = False, strict: bool = False,
    skip: Iterable[tuple[int, int]] = (), entries: set[str] | None = None,
) -> list[Finding]:
    """Every phrase in ``text`` that the guide says to avoid, in order, without overlaps.

    :param first_line: the file line number of the text's first line (for positions).
    :param quoted_examples: phrases inside quotation marks are deliberate examples, not reported.
    :param strict: for learners' answers: quotation marks never excuse a phrase.
    :param skip: ``(start, end)`` offsets of deliberate examples; nothing inside them is reported.
    :param entries: only these guide entries (ids); all of them when None.
    """
    g = guide()
    tokens = view(tokenize(text))
    lines = LineIndex(text, first_line)
    skip = list(skip)
    found: list[Finding] = []
    for start, end, entry in _widest(g.index.matches(tokens), entries):
        first, last = tokens[start], tokens[end - 1]
        if any(first.start >= s and last.end <= e for s, e in skip):
            continue
        if _excused(g, entry, tokens, start, end, text, quoted_examples=quoted_examples, strict=strict):
            continue
        line, column = lines.position(first.start)
        found.append(Finding(
            start=first.start, end=last.end, kind=entry.id, text=text[first.start:last.end],
            line=line, column=column, why=entry.why, instead=entry.instead, checker="language",
            source=entry.source,
        ))
    return without_overlaps(_dedupe(found))


def _widest(matches, entries: set[str] | None) -> list[tuple[int, int, Entry]]:
    """Each entry's matches, leaving out those inside a longer match of the same entry (so that
    "child prostitute" is judged as a whole, never "prostitute" on its own)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    by_id: dict[str, Entry] = {}
    for start, end, _pattern, entry in matches:
        if entries is None or entry.id in entries:
            spans.setdefault(entry.id, []).append((start, end))
            by_id[entry.id] = entry
    result = []
    for ident, found in spans.items():
        for start, end in set(found):
            if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in found):
                result.append((start, end, by_id[ident]))
    return sorted(result, key=lambda m: (m[0], m[1]))


def _dedupe(found: list[Finding]) -> list[Finding]:
    seen: set[tuple[int, int]] = set()
    result = []
    for finding in found:
        if (finding.start, finding.end) not in seen:
            seen.add((finding.start, finding.end))
            result.append(finding)
    return result


def _excused(g: Guide, entry: Entry, tokens: list[Token], start: int, end: int, text: str, *,
             quoted_examples: bool, strict: bool) -> bool:
    if entry.unless and covers(list(entry.unless), tokens, start, end):
        return True
    if entry.negatable and _negated(g, tokens, start):
        return True
    if _mentioned(g, tokens, start):
        return True
    if strict:
        return False
    quote = _quote_of(tokens, start, end)
    if not quote:
        return False
    return quoted_examples or entry.quoted_ok or _reported_speech(g, tokens, start, end, quote)


def _negated(g: Guide, tokens: list[Token], start: int) -> bool:
    i, words = start - 1, 0
    while i >= 0 and words < _NEGATION_WINDOW:
        token = tokens[i]
        if token.is_barrier or token.text == ",":
            return False
        if token.is_word:
            words += 1
            if any(match_at(p, tokens, i) == i + 1 for p in g.negations):
                return True
        i -= 1
    return False


def _mentioned(g: Guide, tokens: list[Token], start: int) -> bool:
    """Whether a mention cue ends right before ``start`` ("the term X"), or a little before it
    in the same sentence ("rather than saying that X")."""
    for i in range(max(0, start - 4), start):
        for pattern in g.mentions:
            if match_at(pattern, tokens, i) == start:
                return True
    first = start
    for _ in range(_NEAR_WINDOW + 3):
        if first == 0 or tokens[first - 1].is_barrier:
            break
        first -= 1
    for i in range(first, start):
        for pattern in g.mentions_near:
            end = match_at(pattern, tokens, i)
            between = sum(1 for t in tokens[end:start] if t.is_word and not t.lower.startswith("'")) if end else 0
            if end is not None and end <= start and between <= _NEAR_WINDOW:
                return True
    return False


def _quote_of(tokens: list[Token], start: int, end: int) -> int:
    """The quotation the phrase is in: wholly, or in part (for 'older "boyfriend"', the quoted
    word is the one the phrase turns on)."""
    ids = [t.quote for t in tokens[start:end] if t.quote]
    return ids[0] if ids else 0


def _reported_speech(g: Guide, tokens: list[Token], start: int, end: int, quote: int) -> bool:
    """A quotation introduced or followed by a verb of speaking ("she said, "…"", ""…", he wrote")."""
    first = start
    while first > 0 and tokens[first - 1].quote == quote:
        first -= 1
    last = end
    while last < len(tokens) and tokens[last].quote == quote:
        last += 1
    for i in range(max(0, first - _SPEECH_WINDOW), first):
        if any(match_at(p, tokens, i) == i + 1 for p in g.speech) and not any(
            t.is_barrier for t in tokens[i:first]
        ):
            return True
    for i in range(last, min(len(tokens), last + 3)):
        if tokens[i].is_barrier and tokens[i].text != ",":
            break
        if any(match_at(p, tokens, i) == i + 1 for p in g.speech):
            return True
    return False
