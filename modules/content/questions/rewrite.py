"""``type=rewrite``: the learner rewrites a sentence in their own words, marked by keyword rules.

- ``- avoid "phrase", ...: feedback`` -- each rule whose phrase is left in the answer gives its
  feedback, and the answer is wrong;
- ``- expect "word", "word", ...: feedback`` -- at least one of the words must be used (every
  expect rule must be met), otherwise its feedback is given and the answer is wrong;
- ``- correct: feedback`` (optional, once) -- shown when the answer breaks no rule, instead of the
  default praise (stored as ``correct_html`` only when written).

Every ``avoid`` phrase must be in the sentence to rewrite, so that copying it out unchanged is
marked wrong.

Matching ignores capitals, punctuation, apostrophes and extra spaces, and matches whole words:
``"adult"`` does not match "adulthood".
"""
from __future__ import annotations

import re
from typing import Any, Optional

from modules.content.blocks import ListItem, item_text
from modules.content.questions.base import (
    RULE_RE,
    InvalidAnswer,
    MarkResult,
    QuestionContext,
    QuestionSource,
    QuestionType,
    register,
)

_PHRASES_RE = re.compile(r'^((?:\s*["“”][^"“”]+["“”]\s*,?)+)\s*:\s*(.+)$', re.S)
_PHRASE_RE = re.compile(r'["“”]([^"“”]+)["“”]')
MAX_ANSWER = 5000


def normalise(text: str) -> str:
    """Lower case words separated by single spaces, padded, for whole-word matching."""
    text = text.lower().replace("’", "").replace("‘", "").replace("'", "")
    return " " + " ".join(re.findall(r"\w+", text)) + " "


def contains(normalised_answer: str, phrase: str) -> bool:
    wanted = normalise(phrase)
    return wanted.strip() != "" and wanted in normalised_answer


@register
class Rewrite(QuestionType):
    name = "rewrite"
    label = "Rewrite the sentence"

    def default_for(self, question: QuestionSource) -> bool:
        return bool(question.of_kind("rules")) and not question.of_kind("options")

    def parse(self, question: QuestionSource, ctx: QuestionContext) -> Optional[dict[str, Any]]:
        ok = True
        for options in question.of_kind("options"):
            ctx.error(options.line, "rewrite questions have no options: give avoid and expect rules")
            ok = False
        rule_chunks = question.of_kind("rules")
        chunks = question.chunks
        first_rules = chunks.index(rule_chunks[0]) if rule_chunks else len(chunks)
        before = [c for c in chunks[:first_rules] if c.kind in ("text", "quote")]
        after = [c for c in chunks[first_rules:] if c.kind in ("text", "quote")]
        quotes = [c for c in before if c.kind == "quote"]
        if not quotes:
            ctx.error(question.line, "rewrite question needs the sentence to rewrite, as a quote ('> ...')")
            ok = False
        sentence = quotes[0] if quotes else None
        stem = [c for c in before if c is not sentence]

        avoid: list[dict[str, Any]] = []
        expect: list[dict[str, Any]] = []
        avoid_items: list[tuple[ListItem, dict[str, Any]]] = []
        correct_html: Optional[str] = None
        for chunk in rule_chunks:
            for item in chunk.items:
                keyword = RULE_RE.match(item.line.text).group(1).lower()
                if keyword == "correct":
                    feedback = item_text(item).lstrip(":").strip()
                    if correct_html is not None:
                        ctx.error(
                            item.line.number,
                            "a rewrite question may have only one '- correct:' line: join them into one",
                        )
                        ok = False
                    elif not feedback:
                        ctx.error(
                            item.line.number,
                            "'- correct:' has no text: after the colon, write what a right answer did well",
                        )
                        ok = False
                    else:
                        correct_html = ctx.renderer.block(feedback).html
                    continue
                parsed = _PHRASES_RE.match(item_text(item))
                if not parsed:
                    ctx.error(
                        item.line.number,
                        f'cannot read this rule: write it as - {keyword} "phrase": feedback',
                    )
                    ok = False
                    continue
                rule = {
                    "phrases": [p.strip() for p in _PHRASE_RE.findall(parsed.group(1)) if p.strip()],
                    "feedback_html": ctx.inline(parsed.group(2).strip()),
                }
                (avoid if keyword == "avoid" else expect).append(rule)
                if keyword == "avoid":
                    avoid_items.append((item, rule))
        if not expect and ok:
            ctx.error(
                question.line,
                'rewrite question has no expect rule: add - expect "word", "word": feedback',
            )
            ok = False
        if sentence is None:
            return None
        data = {
            "prompt_html": ctx.inline(question.heading.text),
            "stem_html": ctx.blocks(stem),
            "sentence_html": ctx.renderer.inline("\n".join(line.text for line in sentence.lines)),
            "sentence_text": ctx.renderer.text("\n".join(line.text for line in sentence.lines)),
            "avoid": avoid,
            "expect": expect,
            "explanation_html": ctx.blocks(after),
            "source_html": ctx.source_html(question.of_kind("source")),
        }
        if not _avoid_phrases_in_sentence(data["sentence_text"], avoid_items, ctx) or not ok:
            return None
        if correct_html is not None:
            # Only when written, so that questions without one keep exactly the data they had.
            data["correct_html"] = correct_html
        return data

    def mark(self, data: dict[str, Any], answer: Any) -> MarkResult:
        if not isinstance(answer, str):
            raise InvalidAnswer("answer must be text")
        text = normalise(answer[:MAX_ANSWER])
        feedback = []
        for rule in data["avoid"]:
            left = [p for p in rule["phrases"] if contains(text, p)]
            if left:
                feedback.append({"rule": "avoid", "phrases": left, "feedback_html": rule["feedback_html"]})
        for rule in data["expect"]:
            if not any(contains(text, word) for word in rule["phrases"]):
                feedback.append(
                    {"rule": "expect", "phrases": rule["phrases"], "feedback_html": rule["feedback_html"]}
                )
        correct = not feedback
        return MarkResult(
            correct=correct,
            score=1.0 if correct else 0.0,
            feedback=feedback,
            explanation_html=data.get("explanation_html", ""),
            source_html=data.get("source_html", ""),
        )


def _avoid_phrases_in_sentence(sentence_text: str, avoid_items, ctx: QuestionContext) -> bool:
    """Report every ``avoid`` phrase that is not in the sentence (matched as answers are, so
    capitals, punctuation and straight or curly quotes do not count): such a rule cannot catch a
    learner who copies the sentence out unchanged."""
    sentence = normalise(sentence_text)
    ok = True
    for item, rule in avoid_items:
        for phrase in rule["phrases"]:
            if contains(sentence, phrase):
                continue
            line, col = _phrase_position(item, phrase)
            ctx.error(
                line,
                f'avoid phrase "{phrase}" is not in the sentence to rewrite: use the words as the '
                "sentence has them, so that copying the sentence unchanged is marked wrong",
                col,
            )
            ok = False
    return ok


def _phrase_position(item: ListItem, phrase: str) -> tuple[int, int]:
    """Line and column (of the opening quote) of ``phrase`` in a rule as written."""
    for line in item.source:
        at = line.text.find(phrase)
        if at > 0:
            return line.number, at
    return item.line.number, 1
