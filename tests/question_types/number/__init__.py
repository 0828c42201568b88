"""``type=number``: the learner types a whole number; right when it is the one after ``Answer:``.

A test-only type: everything it needs (parsing, reading the answer, marking, a right answer, its
templates and an example question) is in this folder, and nothing outside it knows it exists.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from modules.content.blocks import join
from modules.content.questions.base import (
    InvalidAnswer,
    MarkResult,
    QuestionContext,
    QuestionSource,
    QuestionType,
    UnreadableAnswer,
    register,
)

_ANSWER_RE = re.compile(r"^Answer:\s*(-?\d+)\s*$", re.I)


@register
class Number(QuestionType):
    name = "number"
    label = "Enter a number"

    def parse(self, question: QuestionSource, ctx: QuestionContext) -> dict[str, Any] | None:
        chunks = question.chunks
        at = next((i for i, c in enumerate(chunks) if c.kind == "text" and _ANSWER_RE.match(join(c.lines))), None)
        if at is None:
            ctx.error(question.line, "number question has no answer: add a line 'Answer: 5'")
            return None
        return {
            "prompt_html": ctx.inline(question.heading.text),
            "stem_html": ctx.blocks([c for c in chunks[:at] if c.kind in ("text", "quote")]),
            "answer": int(_ANSWER_RE.match(join(chunks[at].lines)).group(1)),
            "explanation_html": ctx.blocks([c for c in chunks[at + 1:] if c.kind in ("text", "quote")]),
            "source_html": ctx.source_html(question.of_kind("source")),
        }

    def read_answer(self, data: dict[str, Any], form: Mapping[str, list[str]]) -> int:
        text = ((form.get("answer") or [""])[0]).strip()
        if not text:
            raise UnreadableAnswer("Enter a number.")
        if not re.fullmatch(r"-?\d{1,9}", text):
            raise UnreadableAnswer("Enter a whole number, like 5.")
        return int(text)

    def form_data(self, answer: Any) -> dict[str, list[str]]:
        return {"answer": [str(answer)]}

    def mark(self, data: dict[str, Any], answer: Any) -> MarkResult:
        if not isinstance(answer, int) or isinstance(answer, bool):
            raise InvalidAnswer("answer must be a whole number")
        correct = answer == data["answer"]
        return MarkResult(
            correct=correct,
            score=1.0 if correct else 0.0,
            feedback=[] if correct else [{"expected": data["answer"]}],
            explanation_html=data.get("explanation_html", ""),
            source_html=data.get("source_html", ""),
        )

    def example_answer(self, data: dict[str, Any]) -> int:
        return data["answer"]
