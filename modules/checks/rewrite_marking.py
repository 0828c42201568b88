"""Marking a learner's rewrite of a sentence, by meaning rather than by exact words.

An answer is right when it is

1. a sentence (not a list of keywords), of a sensible length;
2. about the child in the question: it keeps their name or age;
3. free of anything the language guide says to avoid (and of the question's own ``avoid``
   phrases), matched in any inflection and word order the guide allows;
4. saying what the author asked for: every ``expect`` rule (a word of its family, in any
   inflection: "groomed" accepts "grooming", "adult" accepts "men") and every ``concept`` rule
   (one of the named concepts in ``rewrite_concepts.yaml``, such as the adults as the actors).

Each failure comes back as feedback saying which words and why, with the guide's alternative.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from modules.checks.language import check_language, guide
from modules.checks.names import name_lists
from modules.checks.patterns import Pattern, Test, compile_pattern, match_at, view
from modules.checks.personal_data import find_personal_data
from modules.checks.text import Token, is_english_word, lemma, tokenize

CONCEPTS_FILE = Path(__file__).with_name("rewrite_concepts.yaml")
MIN_WORDS = 4
# Words that hold a sentence together; a list of keywords has almost none.
FUNCTION_WORDS = frozenset(
    "the a an is are was were be been being has have had may might could can will would should "
    "to of by at in on for with from and but or that who which she he they her him them his their "
    "it this there not as into about after before when where because so than then being herself "
    "himself themselves".split()
)
_AGE_RE = re.compile(r"\b(1[0-7]|[4-9])\b")


@dataclass
class Concept:
    name: str
    label: str
    patterns: list[Pattern]


@dataclass
class Concepts:
    concepts: dict[str, Concept]
    families: list[frozenset]

    def family(self, word: str) -> frozenset:
        """Lemmas accepted for ``word`` in an expect rule: its own, and its family's."""
        base = {word.lower(), lemma(word.lower())}
        for group in self.families:
            if base & group:
                return frozenset(base | group)
        return frozenset(base)


@lru_cache(maxsize=1)
def concepts() -> Concepts:
    data = yaml.safe_load(CONCEPTS_FILE.read_text(encoding="utf-8"))
    classes = dict(guide().classes)
    for name, phrases in data["classes"].items():
        classes[name] = [compile_pattern(p, classes) for p in phrases]
    families = [frozenset({w.lower() for w in group} | {lemma(w.lower()) for w in group}) for group in data["families"]]
    found = {
        name: Concept(name, spec["label"], [compile_pattern(p, classes) for p in spec["patterns"]])
        for name, spec in data["concepts"].items()
    }
    return Concepts(found, families)


def concept_names() -> list[str]:
    return sorted(concepts().concepts)


# Parsing help -----------------------------------------------------------------------------------

def derived_keep(sentence: str) -> list[str]:
    """What identifies the child in a sentence to rewrite: the names and the age in it."""
    keep: list[str] = []
    first = name_lists().first
    for m in re.finditer(r"\b[A-Z][a-z]+(?:['’]s)?\b", sentence):
        word = re.sub(r"['’]s$", "", m.group(0))
        if word in first or not is_english_word(word.lower()):
            if word not in keep:
                keep.append(word)
    for m in _AGE_RE.finditer(sentence):
        if m.group(1) not in keep:
            keep.append(m.group(1))
    return keep


def expected_words_in_sentence(data: dict[str, Any]) -> list[str]:
    """``expect`` words the sentence already contains (copying it would meet that rule)."""
    tokens = _tokens(data.get("sentence_text", ""))
    found = []
    for rule in data.get("expect", []):
        for phrase in rule["phrases"]:
            if _phrase_matches(phrase, tokens, family=False):
                found.append(phrase)
    return found


# Marking ----------------------------------------------------------------------------------------

@dataclass
class Marked:
    correct: bool
    feedback: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)


def mark_rewrite(data: dict[str, Any], answer: str) -> Marked:
    tokens = _tokens(answer)
    words = [t for t in tokens if t.is_word]
    feedback: list[dict[str, Any]] = []
    child = _child_words(data)

    sentence_words = len([t for t in _tokens(data.get("sentence_text", "")) if t.is_word])
    function = sum(1 for t in words if t.lower in FUNCTION_WORDS)
    if len(words) < MIN_WORDS or function < 1 or function * 6 < len(words):
        feedback.append(_feedback(
            "sentence", [],
            f"Write a full sentence about {child}, as you would in a record: a list of words is not a rewrite.",
        ))
    elif len(words) > max(60, 4 * sentence_words):
        feedback.append(_feedback(
            "length", [], f"Keep to a sentence or two about {child}, as you would write it in the record.",
        ))
    keep = data.get("keep") or derived_keep(data.get("sentence_text", ""))
    if keep and not any(_kept(item, answer) for item in keep):
        feedback.append(_feedback(
            "keep", keep,
            data.get("keep_feedback") or f"Keep {child}'s name or age, so that the record is still about this child.",
        ))
    for finding in check_language(answer, strict=True):
        feedback.append({
            "rule": "language", "phrases": [finding.text], "entry": finding.kind,
            "feedback_html": str(escape(f"“{finding.text}”: {finding.why} Instead: {finding.instead}.")),
        })
    reported = {_plain(p) for f in feedback for p in f["phrases"]}
    for rule in data.get("avoid", []):
        left = [p for p in rule["phrases"] if _phrase_matches(p, tokens, family=False)]
        if left and not {_plain(p) for p in left} <= reported:
            feedback.append({"rule": "avoid", "phrases": left, "feedback_html": rule["feedback_html"]})
    for rule in data.get("expect", []):
        if not any(_phrase_matches(p, tokens, family=True) for p in rule["phrases"]):
            feedback.append({"rule": "expect", "phrases": rule["phrases"], "feedback_html": rule["feedback_html"]})
    view_tokens = view(tokens)
    for rule in data.get("concepts", []):
        if not any(_concept_in(name, view_tokens) for name in rule["names"]):
            feedback.append({"rule": "concept", "phrases": rule["names"], "feedback_html": rule["feedback_html"]})
    notes = [
        {"rule": "personal_data", "phrases": [f.text],
         "feedback_html": str(escape(f"“{f.text}” looks like {f.label}: never write real personal details in training."))}
        for f in find_personal_data(answer, pseudonyms=keep + list(data.get("pseudonyms", [])))
        if f.kind != "date"
    ]
    return Marked(correct=not feedback, feedback=feedback, notes=notes)


def _plain(text: str) -> str:
    return " ".join(t.lower for t in _tokens(text) if t.is_word)


def _feedback(rule: str, phrases: list[str], text: str) -> dict[str, Any]:
    return {"rule": rule, "phrases": phrases, "feedback_html": str(escape(text))}


def _child_words(data: dict[str, Any]) -> str:
    keep = data.get("keep") or derived_keep(data.get("sentence_text", ""))
    names = [k for k in keep if not k.isdigit()]
    return names[0] if names else "the child"


def _kept(item: str, answer: str) -> bool:
    if item.isdigit():
        words = {"10": "ten", "11": "eleven", "12": "twelve", "13": "thirteen", "14": "fourteen",
                 "15": "fifteen", "16": "sixteen", "17": "seventeen"}
        return bool(re.search(rf"(?<!\d){item}(?!\d)", answer)) or (
            item in words and re.search(rf"\b{words[item]}\b", answer, re.I) is not None)
    return re.search(rf"(?<![\w]){re.escape(item)}(?![\w])", answer, re.I) is not None


@lru_cache(maxsize=4096)
def _tokens_cached(text: str) -> tuple[Token, ...]:
    return tuple(tokenize(text))


def _tokens(text: str) -> list[Token]:
    return list(_tokens_cached(text))


def _phrase_matches(phrase: str, tokens: list[Token], *, family: bool) -> bool:
    pattern = _phrase_pattern(phrase, family)
    seq = view(tokens)
    return any(match_at(pattern, seq, i) is not None for i in range(len(seq)) if seq[i].is_word)


@lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str, family: bool) -> Pattern:
    """An expect or avoid phrase as a pattern: each word in any inflection (and, for expect
    words, any word of its family); hyphens and apostrophes count as spaces."""
    words = [t.lower for t in tokenize(phrase) if t.is_word]
    if not words:
        raise ValueError(f"phrase {phrase!r} has no words")
    pattern = compile_pattern(" ".join("=" + w if w.startswith("'") else w for w in words), {})
    if family and len(words) == 1:
        group = concepts().family(words[0])
        pattern.slots[0].tests = [Test(lemmas=group, surfaces=group)]
    return pattern


def _concept_in(name: str, tokens: list[Token]) -> bool:
    concept = concepts().concepts[name]
    return any(
        match_at(pattern, tokens, i) is not None
        for i in range(len(tokens)) if tokens[i].is_word
        for pattern in concept.patterns
    )


