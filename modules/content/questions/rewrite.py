"""``type=rewrite``: the learner rewrites a sentence in their own words, marked by keyword rules.

- ``- avoid "phrase", ...: feedback`` -- each rule whose phrase is left in the answer gives its
  feedback, and the answer is wrong;
- ``- expect "word", "word", ...: feedback`` -- at least one of the words must be used (every
  expect rule must be met), otherwise its feedback is given and the answer is wrong.

Matching ignores capitals, punctuation, apostrophes and extra spaces, and matches whole words:
``"adult"`` does not match "adulthood".
"""
from __future__ import annotations

import re
from typing import Any, Optional

from modules.content.blocks import item_text
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
        for chunk in rule_chunks:
            for item in chunk.items:
                keyword = RULE_RE.match(item.line.text).group(1).lower()
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
        if not expect and ok:
            ctx.error(
                question.line,
                'rewrite question has no expect rule: add - expect "word", "word": feedback',
            )
            ok = False
        if not ok or sentence is None:
            return None
        return {
            "prompt_html": ctx.inline(question.heading.text),
            "stem_html": ctx.blocks(stem),
            "sentence_html": ctx.renderer.inline("\n".join(line.text for line in sentence.lines)),
            "sentence_text": ctx.renderer.text("\n".join(line.text for line in sentence.lines)),
            "avoid": avoid,
            "expect": expect,
            "explanation_html": ctx.blocks(after),
            "source_html": ctx.source_html(question.of_kind("source")),
        }

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
