"""Quiz quality lint: patterns in how questions are written that let a learner score without
knowing the answer. Each returns warnings with the numbers, for ``content check``.

- the right option is the longest in most of a quiz's questions (learners learn to pick it);
- the right option is always in the same position;
- a "tick all that apply" question has exactly one wrong option (tick all but the odd one out);
- the good option of every decision point in a module is its longest.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Below this many questions, "most" and "always" say little.
MIN_QUESTIONS = 3
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class LintWarning:
    line: int | None
    message: str


def _length(option: dict[str, Any]) -> int:
    text = option.get("text") or _TAG.sub("", option.get("html", ""))
    return len(" ".join(text.split()))


def _correct_is_longest(options: list[dict[str, Any]]) -> bool:
    """Whether a right option is strictly longer than every wrong one."""
    right = [_length(o) for o in options if o["correct"]]
    wrong = [_length(o) for o in options if not o["correct"]]
    return bool(right and wrong) and max(right) > max(wrong)


def lint_questions(questions: Iterable[Any]) -> list[LintWarning]:
    """Questions have ``lints``, the names of the lints their type is subject to ("longest",
    "position", "one-wrong"), ``data["options"]`` for those, and ``line``."""
    questions = list(questions)
    warnings: list[LintWarning] = []
    choice = [q for q in questions if "longest" in q.lints and len(q.data["options"]) >= 2]
    if len(choice) >= MIN_QUESTIONS:
        longest = [q for q in choice if _correct_is_longest(q.data["options"])]
        if len(longest) * 2 > len(choice):
            warnings.append(LintWarning(
                choice[0].line,
                f"the right option is the longest in {len(longest)} of {len(choice)} choice questions: "
                "learners can score by picking the longest; make some wrong options as long and "
                "detailed as the right one",
            ))
    single = [q for q in questions if "position" in q.lints and len(q.data["options"]) >= 2]
    if len(single) >= MIN_QUESTIONS:
        positions = {next(i for i, o in enumerate(q.data["options"]) if o["correct"]) for q in single}
        if len(positions) == 1:
            warnings.append(LintWarning(
                single[0].line,
                f"the right option is option {positions.pop() + 1} in all {len(single)} single-answer "
                "questions: vary where the right option comes",
            ))
    for q in questions:
        if "one-wrong" in q.lints:
            wrong = sum(1 for o in q.data["options"] if not o["correct"])
            if wrong == 1:
                warnings.append(LintWarning(
                    q.line,
                    f"this \"tick all that apply\" question has {len(q.data['options'])} options and only "
                    "one wrong one: spotting the odd one out gives the answer; add wrong options",
                ))
    return warnings


def lint_decisions(decisions: Iterable[Any]) -> list[LintWarning]:
    decisions = [d for d in decisions if len(d.options) >= 2]
    if len(decisions) < 2:
        return []
    longest = [d for d in decisions if _correct_is_longest(d.options)]
    if len(longest) == len(decisions):
        return [LintWarning(
            None,
            f"the good option is the longest in all {len(decisions)} decision points: learners can "
            "pick it by length; give the other options the same detail",
        )]
    return []
