"""Words of a text for the checks: tokens with their offsets, lemmas, sentence barriers and
quotation marks, and the line and column of any offset.

Lemmas come from simplemma (a maintained, dependency-free lemmatiser with an English dictionary
built from Wiktionary and other open data): "putting" -> "put", "consented" -> "consent",
"men" -> "man", "chose" -> "choose". It runs on single words, without a tagger, which is what
makes it fast enough to check a whole module on every keystroke of an editor (about half a
microsecond a word once a word has been seen). Each word is looked up once per process.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma

# Word characters: letters (with accents), digits; apostrophes inside a word are kept so that
# clitics can be split off below ("she's" -> "she", "'s"; "doesn't" -> "does", "not").
_TOKEN_RE = re.compile(
    r"[0-9]+(?:[.,:][0-9]+)*(?:st|nd|rd|th)?"  # numbers (and ordinals)
    r"|[^\W\d_]+(?:['’][^\W\d_]+)*"  # words
    r"|[.!?;:,()\[\]\"“”‘’'&/]"  # punctuation the checks look at
    r"|\n[ \t]*\n"  # a blank line: a paragraph ends
    r"|\n[ \t]*(?:[-*+>#|]|\d+[.)](?=[ \t]))"  # a new list item, quote, heading or table row
)
_CLITICS = {"'s": "be", "n't": "not", "'re": "be", "'m": "be", "'ve": "have", "'ll": "will", "'d": "would"}
_NEGATED = {"can": "can", "ca": "can", "wo": "will", "sha": "shall"}
SENTENCE_END = frozenset(".!?;:")
# Number words, so that "twenty-two year old" is an age like "22 year old".
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety".split()
)


@dataclass(slots=True)
class Token:
    text: str  # as written
    lower: str
    lemma: str
    start: int
    end: int
    kind: str  # "word", "number", "punct", "break"
    quote: int = 0  # id of the quotation the token is in (0: none)

    @property
    def is_word(self) -> bool:
        return self.kind in ("word", "number")

    @property
    def is_barrier(self) -> bool:
        """Ends a sentence or a block: no phrase runs across it."""
        return self.kind == "break" or (self.kind == "punct" and self.text in SENTENCE_END)


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The lemma of a lower-case word (the word itself when the dictionary does not know it)."""
    found = simplemma.lemmatize(word, lang="en")
    return found.lower() if found else word


@lru_cache(maxsize=50_000)
def is_english_word(word: str) -> bool:
    """Whether the dictionary knows ``word`` (lower case) as an English word."""
    return simplemma.is_known(word, lang="en")


def tokenize(text: str) -> list[Token]:
    """Every word, number and meaningful punctuation mark of ``text`` with offsets, and the
    quotation each is in (straight or curly double quotes, and single quotes used as quotes)."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text):
        raw, start = match.group(0), match.start()
        first = raw[0]
        if first == "\n":
            tokens.append(Token(raw, "\n", "\n", start, match.end(), "break"))
        elif first.isdigit():
            tokens.append(Token(raw, raw.lower(), raw.lower(), start, match.end(), "number"))
        elif first.isalpha():
            _add_word(tokens, raw, start)
        else:
            tokens.append(Token(raw, raw, raw, start, match.end(), "punct"))
    _mark_quotes(tokens, text)
    return tokens


def _add_word(tokens: list[Token], raw: str, start: int) -> None:
    word = raw.replace("’", "'")
    lower = word.lower()
    if "'" not in lower:
        tokens.append(_word(raw, lower, start, start + len(raw)))
        return
    for clitic, clitic_lemma in _CLITICS.items():
        if lower.endswith(clitic) and len(lower) > len(clitic):
            base = lower[: -len(clitic)]
            if clitic == "n't":
                base = _NEGATED.get(base, base)
            cut = start + len(raw) - len(clitic)
            tokens.append(_word(raw[: len(raw) - len(clitic)], base, start, cut))
            tokens.append(Token(raw[-len(clitic):], clitic, clitic_lemma, cut, start + len(raw), "word"))
            return
    tokens.append(_word(raw, lower, start, start + len(raw)))


def _word(raw: str, lower: str, start: int, end: int) -> Token:
    if lower == "cannot":
        return Token(raw, lower, "not", start, end, "word")
    if lower in NUMBER_WORDS:
        return Token(raw, lower, lower, start, end, "number")
    return Token(raw, lower, lemma(lower), start, end, "word")


def _mark_quotes(tokens: list[Token], text: str) -> None:
    """Give the tokens inside each quotation the quotation's id. A straight ' counts as a quote
    mark only at a word's edge (so "girls' " and "don't" stay words); quotes end at a paragraph."""
    current, next_id, opener = 0, 1, ""
    for token in tokens:
        if token.kind == "break":
            current, opener = 0, ""
        if token.kind != "punct" or token.text not in "\"“”‘’'":
            token.quote = current
            continue
        mark = token.text
        before = text[token.start - 1] if token.start > 0 else " "
        after = text[token.end] if token.end < len(text) else " "
        if mark in "'’‘":
            opening = (mark in "'‘") and not before.isalnum() and after.isalnum()
            closing = (mark in "'’") and before.isalnum() and not after.isalnum() and opener in ("'", "‘")
            if current == 0 and opening:
                current, opener, next_id = next_id, mark, next_id + 1
            elif current and closing:
                current, opener = 0, ""
            continue
        if current == 0 and mark in "\"“":
            current, opener, next_id = next_id, mark, next_id + 1
        elif current and (mark in "\"”") and opener in ("\"", "“"):
            current, opener = 0, ""


class LineIndex:
    """Line and column (from 1) of offsets in a text, with the text's first line numbered
    ``first_line``."""

    def __init__(self, text: str, first_line: int = 1):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.first_line = first_line

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1


