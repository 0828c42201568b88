"""Shared parsing, answer reading, marking and templates for questions answered by picking
options from a task list. It registers no type: ``single``, ``multiple``, ``true-false`` and
``better-wording`` extend these classes, and use the templates beside this file."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from modules.content.blocks import item_text
from modules.content.body import option_footnotes_ok
from modules.content.questions.base import (
    InvalidAnswer,
    MarkResult,
    QuestionContext,
    QuestionSource,
    QuestionType,
    UnreadableAnswer,
    short_hash,
    unique_key,
)

NO_CORRECT = "question has no correct answer: mark the right option with [x]"


class ChoiceQuestion(QuestionType):
    """Options as ``- [ ]`` / ``- [x]``, feedback indented under each, then ``> why`` and ``Source:``.

    The form is one ``answer`` field, radios or (``many``) checkboxes with the option keys as values.
    """

    min_options = 2
    # Whether the learner ticks several options (checkboxes, a list of keys) or picks one.
    many = False
    quiz_lints = frozenset({"longest", "position"})

    def parse(self, question: QuestionSource, ctx: QuestionContext) -> dict[str, Any] | None:
        option_chunks = question.of_kind("options")
        if not option_chunks:
            ctx.error(question.line, "question has no options: list them as '- [ ] ...' and '- [x] ...'")
            return None
        ok = True
        for extra in option_chunks[1:]:
            ctx.error(extra.line, "a question's options must be one list, with no text between them")
            ok = False
        for rules in question.of_kind("rules"):
            ctx.error(rules.line,
                      "avoid, expect and correct rules only work in rewrite questions (type=rewrite)")
            ok = False
        chunks = question.chunks
        at = chunks.index(option_chunks[0])
        stem = [c for c in chunks[:at] if c.kind in ("text", "quote")]
        after = [c for c in chunks[at + 1:] if c.kind in ("text", "quote")]

        used: set[str] = set()
        options = []
        for item in option_chunks[0].items:
            text = item_text(item)
            if not text:
                ctx.error(item.line.number, "option has no text")
                ok = False
            if not option_footnotes_ok(item, ctx.problems):
                ok = False
            options.append({
                "key": unique_key("o-" + short_hash(text, 6), used),
                "html": ctx.inline(text),
                "text": ctx.renderer.text(text),
                "correct": item.checked,
                "feedback_html": ctx.block(item.body),
                "line": item.line.number,
            })
        ok = self.check_options(question, options, ctx) and ok
        if not ok:
            return None
        for option in options:
            del option["line"]
        return {
            "prompt_html": ctx.inline(question.heading.text),
            "stem_html": ctx.blocks(stem),
            "options": options,
            "explanation_html": ctx.blocks(after),
            "source_html": ctx.source_html(question.of_kind("source")),
        }

    def check_options(self, question: QuestionSource, options: list[dict], ctx: QuestionContext) -> bool:
        """Type-specific rules about the options; report and return False when they are broken."""
        correct = sum(1 for o in options if o["correct"])
        if correct == 0:
            ctx.error(question.line, NO_CORRECT)
            return False
        if len(options) < self.min_options:
            ctx.error(question.line, f"question needs at least {self.min_options} options")
            return False
        return True

    # Answers --------------------------------------------------------------------------------

    def chosen_in(self, data: dict[str, Any], form: Mapping[str, list[str]]) -> list[str]:
        """The option keys ticked in the form, once each, in the order given; keys the question
        does not have (a stale or tampered form) are left out."""
        keys = {o["key"] for o in data.get("options", [])}
        return [v for v in dict.fromkeys(form.get("answer") or []) if v in keys]

    def form_data(self, answer: Any) -> dict[str, list[str]]:
        return {"answer": list(answer) if isinstance(answer, list) else [answer]}

    # Marking --------------------------------------------------------------------------------

    def selected_keys(self, data: dict[str, Any], answer: Any) -> set[str]:
        keys = {o["key"] for o in data["options"]}
        if isinstance(answer, str):
            chosen = {answer}
        elif isinstance(answer, Iterable):
            chosen = set(answer)
        else:
            raise InvalidAnswer("answer must be an option key or a list of option keys")
        if not all(isinstance(k, str) for k in chosen) or not chosen <= keys:
            raise InvalidAnswer("answer names an option this question does not have")
        return chosen

    def result(self, data: dict[str, Any], chosen: set[str]) -> MarkResult:
        right = {o["key"] for o in data["options"] if o["correct"]}
        correct = chosen == right
        return MarkResult(
            correct=correct,
            score=1.0 if correct else 0.0,
            feedback=[
                {
                    "key": o["key"],
                    "selected": o["key"] in chosen,
                    "correct": o["correct"],
                    "feedback_html": o["feedback_html"],
                }
                for o in data["options"]
            ],
            explanation_html=data.get("explanation_html", ""),
            source_html=data.get("source_html", ""),
        )


class SingleAnswer(ChoiceQuestion):
    """Exactly one option is right; the answer is one option key."""

    # What the "exactly one [x]" message calls a question of this type.
    called = ""

    def check_options(self, question, options, ctx) -> bool:
        if not super().check_options(question, options, ctx):
            return False
        correct = sum(1 for o in options if o["correct"])
        if correct > 1:
            ctx.error(
                question.line,
                f"a {self.called or self.name} question must have exactly one [x] option (found {correct}); "
                "use type=multiple when several are right",
            )
            return False
        return True

    def read_answer(self, data: dict[str, Any], form: Mapping[str, list[str]]) -> str:
        chosen = self.chosen_in(data, form)
        if len(chosen) != 1:
            raise UnreadableAnswer("Select an answer.")
        return chosen[0]

    def mark(self, data: dict[str, Any], answer: Any) -> MarkResult:
        if not isinstance(answer, str):
            raise InvalidAnswer("answer must be one option key")
        return self.result(data, self.selected_keys(data, answer))

    def example_answer(self, data: dict[str, Any]) -> str:
        return next(o["key"] for o in data["options"] if o["correct"])
