"""A small pattern language over lemmas, for the language guide and the rewrite concepts.

A pattern is items separated by spaces; each item is one or more alternatives joined by ``|``:

- ``put`` matches any form of the word ("put", "puts", "putting"): its lemma, or the word itself;
- ``=dating`` matches only that form (no lemma);
- ``@SELF`` matches any phrase of the class ``SELF`` (classes are patterns too);
- ``#NUM`` matches a number, in digits or words;
- ``work_with`` matches the words "work with" (a phrase as one alternative: ``hard|difficult
  to reach|work_with``);
- an item ending in ``?`` may be left out; ``~3`` skips up to three words (never across the end
  of a sentence).

Quotation marks and brackets between words are ignored; commas are not (only ``~N`` skips them).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from modules.checks.text import Token, lemma

NUMBER_KEY = "#NUM"
# Tokens that matching looks through: quotation marks and brackets.
TRANSPARENT = frozenset("\"“”‘’'()[]/&")


@lru_cache(maxsize=100_000)
def stems(word: str) -> frozenset:
    """The word without a regular inflectional ending ("mixing" -> "mix", "hoping" -> "hope")."""
    found = set()
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            base = word[: -len(ending)]
            found |= {base, base + "e"}
            if len(base) > 3 and base[-1] == base[-2]:  # "chatting" -> "chat"
                found.add(base[:-1])
    return frozenset(found)


@dataclass(frozen=True)
class Test:
    """Matches one token."""

    lemmas: frozenset = frozenset()
    surfaces: frozenset = frozenset()
    number: bool = False

    def __call__(self, token: Token) -> bool:
        if token.kind == "number":
            return self.number or token.lower in self.surfaces
        if token.kind != "word":
            return False
        if token.lemma in self.lemmas or token.lower in self.surfaces:
            return True
        # Where the dictionary lemmatises oddly ("mules" -> "mules", "mixing" -> "mixe",
        # "hanging" -> "hanging"), the regular English endings are tried too.
        # Only for words the dictionary left unchanged: "notes" is "note", never "not".
        return token.lemma == token.lower and bool(self.lemmas) and not self.lemmas.isdisjoint(stems(token.lower))


@dataclass
class Slot:
    tests: list[Test] = field(default_factory=list)  # one-token alternatives
    phrases: list[Pattern] = field(default_factory=list)  # multi-token alternatives (classes)
    optional: bool = False
    gap: int = 0  # a ~N item: skip up to N tokens


@dataclass
class Pattern:
    source: str
    slots: list[Slot]

    def first_keys(self) -> set[str] | None:
        """Lemmas or words a match can start with, or None when it can start anywhere."""
        return _first_keys(self.slots)


Classes = dict[str, list[Pattern]]


class PatternError(ValueError):
    pass


def compile_pattern(source: str, classes: Classes) -> Pattern:
    slots: list[Slot] = []
    for item in source.split():
        if item.startswith("~"):
            if not item[1:].isdigit():
                raise PatternError(f"bad gap {item!r} in {source!r}")
            slots.append(Slot(gap=int(item[1:])))
            continue
        optional = item.endswith("?") and len(item) > 1
        slot = Slot(optional=optional)
        for alternative in (item[:-1] if optional else item).split("|"):
            _add_alternative(slot, alternative, classes, source)
        slots.append(_simplified(slot))
    if not slots or all(s.optional or s.gap for s in slots):
        raise PatternError(f"pattern {source!r} can match nothing")
    return Pattern(source, slots)


def _simplified(slot: Slot) -> Slot:
    """Fold one-word phrases into the slot's own tests, and all its tests into one, so that
    matching a class of 40 words costs one set lookup instead of 40 calls."""
    phrases = []
    tests = list(slot.tests)
    for phrase in slot.phrases:
        only = phrase.slots[0] if len(phrase.slots) == 1 else None
        if only is not None and not only.optional and not only.gap and not only.phrases:
            tests.extend(only.tests)
        else:
            phrases.append(phrase)
    if tests:
        tests = [Test(
            lemmas=frozenset().union(*(t.lemmas for t in tests)),
            surfaces=frozenset().union(*(t.surfaces for t in tests)),
            number=any(t.number for t in tests),
        )]
    return Slot(tests=tests, phrases=phrases, optional=slot.optional, gap=slot.gap)


def _add_alternative(slot: Slot, alternative: str, classes: Classes, source: str) -> None:
    if not alternative:
        raise PatternError(f"empty alternative in {source!r}")
    if alternative.startswith("@"):
        if alternative[1:] not in classes:
            raise PatternError(f"unknown class {alternative!r} in {source!r}")
        slot.phrases.extend(classes[alternative[1:]])
    elif "_" in alternative:
        slot.phrases.append(compile_pattern(alternative.replace("_", " "), classes))
    elif alternative == "#NUM":
        slot.tests.append(Test(number=True))
    elif alternative.startswith("="):
        slot.tests.append(Test(surfaces=frozenset({alternative[1:].lower()})))
    else:
        word = alternative.lower()
        slot.tests.append(Test(lemmas=frozenset({word, lemma(word)}), surfaces=frozenset({word})))


def _first_keys(slots: list[Slot]) -> set[str] | None:
    keys: set[str] = set()
    for slot in slots:
        if slot.gap:
            continue
        for test in slot.tests:
            if test.number:
                keys.add(NUMBER_KEY)
            keys |= test.lemmas | test.surfaces
        for phrase in slot.phrases:
            inner = phrase.first_keys()
            if inner is None:
                return None
            keys |= inner
        if not slot.optional:
            return keys
    return None


def view(tokens: list[Token]) -> list[Token]:
    """The tokens matching runs on: without quotation marks and brackets."""
    return [t for t in tokens if not (t.kind == "punct" and t.text in TRANSPARENT)]


def match_at(pattern: Pattern, tokens: list[Token], start: int) -> int | None:
    """The end (exclusive) of the longest match of ``pattern`` starting at ``start``, or None."""
    return max(_ends(pattern.slots, 0, tokens, start), default=None)


def _ends(slots: list[Slot], j: int, tokens: list[Token], i: int) -> Iterator[int]:
    if j == len(slots):
        yield i
        return
    slot = slots[j]
    if slot.gap:
        k = i
        for _ in range(slot.gap + 1):
            yield from _ends(slots, j + 1, tokens, k)
            if k >= len(tokens) or tokens[k].is_barrier:
                break
            k += 1
        return
    if slot.optional:
        yield from _ends(slots, j + 1, tokens, i)
    if i >= len(tokens):
        return
    token = tokens[i]
    if any(test(token) for test in slot.tests):
        yield from _ends(slots, j + 1, tokens, i + 1)
    for phrase in slot.phrases:
        for end in _ends(phrase.slots, 0, tokens, i):
            if end > i:
                yield from _ends(slots, j + 1, tokens, end)


# Words too common to pick out a pattern's sentences by (see PatternIndex): English function
# words, and words that are everywhere in safeguarding text.
COMMON = frozenset(
    "a an the this that these those to in of for with on at by from and or but as be have do get "
    "go make take she he they it her his him them their its i you we me us my your our not no "
    "can will would could should may might what who which some any there here up out about like "
    "child children young person people adult old older year age sexual abuse exploitation image "
    "own put involve man woman girl boy".split()
) | {NUMBER_KEY}


def token_keys(token: Token) -> set[str]:
    """Everything a test can recognise a token by: lemma, form, regular stems, number."""
    if token.kind == "number":
        return {token.lower, NUMBER_KEY}
    return {token.lemma, token.lower} | (stems(token.lower) if token.lemma == token.lower else set())


class PatternIndex:
    """Patterns indexed by an "anchor": the rarest word every match must contain. A sentence is
    only tried against the patterns whose anchor it contains, and each of those only where the
    pattern can start, so a whole module costs a few thousand set lookups."""

    def __init__(self, items: list[tuple[Pattern, object]]):
        self.by_anchor: dict[str, list[int]] = {}
        self.items = items
        self.firsts: list[set[str] | None] = []
        self.anchors: list[set[str]] = []
        self.lengths: list[int] = []
        for n, (pattern, _value) in enumerate(items):
            self.firsts.append(pattern.first_keys())
            anchors = _anchor_keys(pattern)
            self.anchors.append(anchors)
            self.lengths.append(_max_length(pattern.slots))
            for key in anchors:
                self.by_anchor.setdefault(key, []).append(n)

    def matches(self, tokens: list[Token]) -> Iterator[tuple[int, int, Pattern, object]]:
        """Every (start, end, pattern, value) match in ``tokens`` (a :func:`view`)."""
        keys = [token_keys(t) if t.is_word else set() for t in tokens]
        start = 0
        while start < len(tokens):
            end = start
            while end < len(tokens) and not tokens[end].is_barrier:
                end += 1
            where: dict[int, list[int]] = {}  # pattern -> positions of its anchor
            for i in range(start, end):
                for key in keys[i]:
                    for n in self.by_anchor.get(key, ()):
                        where.setdefault(n, []).append(i)
            for n in sorted(where):
                pattern, value = self.items[n]
                firsts, length = self.firsts[n], self.lengths[n]
                tried: set[int] = set()
                for at in where[n]:
                    for i in range(max(start, at - length + 1), at + 1):
                        if i in tried or not tokens[i].is_word:
                            continue
                        tried.add(i)
                        if firsts is not None and firsts.isdisjoint(keys[i]):
                            continue
                        found = match_at(pattern, tokens, i)
                        if found is not None and found > at:
                            yield i, found, pattern, value
            start = end + 1


def _slot_anchor_keys(slot: Slot) -> set[str] | None:
    """Keys one of which every match of the slot contains (a phrase by its own anchor)."""
    keys: set[str] = set()
    for test in slot.tests:
        keys |= test.lemmas | test.surfaces | ({NUMBER_KEY} if test.number else set())
    for phrase in slot.phrases:
        try:
            keys |= _anchor_keys(phrase)
        except PatternError:
            return None
    return keys


def _max_length(slots: list[Slot]) -> int:
    """The most tokens a match of these slots can span."""
    total = 0
    for slot in slots:
        if slot.gap:
            total += slot.gap
        else:
            total += max([1] + [_max_length(p.slots) for p in slot.phrases])
    return total


def _anchor_keys(pattern: Pattern) -> set[str]:
    """The keys of the slot every match must use that is least likely to occur anywhere: a slot
    of rare words rather than one of "a", "the", "her"."""
    best: set[str] | None = None
    best_score: tuple[int, int, int] = (1 << 30, 1 << 30, 0)
    for slot in pattern.slots:
        if slot.optional or slot.gap:
            continue
        keys = _slot_anchor_keys(slot)
        if keys is None:
            continue
        score = (len(keys & COMMON), len(keys), -sum(map(len, keys)) // len(keys))
        if score < best_score:
            best, best_score = keys, score
    if best is None:
        raise PatternError(f"pattern {pattern.source!r} has no word every match must contain")
    return best


def covers(pattern_list: list[Pattern], tokens: list[Token], start: int, end: int, reach: int = 8) -> bool:
    """Whether any pattern matches a span of ``tokens`` that overlaps ``[start, end)``."""
    for i in range(max(0, start - reach), end):
        for pattern in pattern_list:
            found = match_at(pattern, tokens, i)
            if found is not None and found > start and i < end:
                return True
    return False


