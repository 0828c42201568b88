"""Searching a handbook's sections (their stored plain text) for the learner's words."""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from modules.content.models import ModuleVersion

MAX_QUERY_LENGTH = 200
SNIPPET_CHARS = 220


@dataclass(frozen=True)
class SearchHit:
    section: int  # section number, from 1
    title: str
    snippet: Markup  # escaped text with the words found in <mark>
    score: int


def search_terms(query: str) -> list[str]:
    """The words to look for: lower case, without duplicates or punctuation."""
    words = re.findall(r"\w[\w'-]*", query[:MAX_QUERY_LENGTH].lower())
    return list(dict.fromkeys(w for w in words if len(w) > 1 or w.isdigit()))


def search_sections(module_version: ModuleVersion, query: str, limit: int = 25) -> list[SearchHit]:
    """Sections containing every word of ``query`` (in the title or the text), best first.

    Matching ignores case and finds words as prefixes ("record" finds "recording"); a match in
    the section title counts more than one in the text.
    """
    terms = search_terms(query)
    if not terms:
        return []
    hits = []
    for number, section in enumerate(module_version.sections, start=1):
        title, text = section.title or "", section.plain_text or ""
        haystack_title, haystack_text = title.lower(), text.lower()
        if not all(_find(haystack_title, t) or _find(haystack_text, t) for t in terms):
            continue
        score = sum(5 * len(_find(haystack_title, t)) + len(_find(haystack_text, t)) for t in terms)
        hits.append(SearchHit(number, title, _snippet(text, terms), score))
    hits.sort(key=lambda h: (-h.score, h.section))
    return hits[:limit]


def _find(haystack: str, term: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(term), haystack)]


def _snippet(text: str, terms: list[str]) -> Markup:
    lower = text.lower()
    positions = [p for t in terms for p in _find(lower, t)]
    start = max(min(positions) - 60, 0) if positions else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(start + SNIPPET_CHARS, len(text))
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = text[start:end]
    pattern = re.compile("|".join(r"(?<!\w)" + re.escape(t) + r"[\w'-]*" for t in terms), re.I)
    out, last = [], 0
    for match in pattern.finditer(piece):
        out.append(escape(piece[last:match.start()]))
        out.append(Markup("<mark>") + escape(match.group(0)) + Markup("</mark>"))
        last = match.end()
    out.append(escape(piece[last:]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return Markup(prefix) + Markup("").join(out) + Markup(suffix)
