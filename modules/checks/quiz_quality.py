"""Quiz quality lint: patterns in how questions are written that let a learner score without
knowing the answer. Each returns warnings with the numbers, for ``content check``.

- the right option is the longest in most of a quiz's questions (learners learn to pick it);
- the right option is always in the same position;
- a "tick all that apply" question has exactly one wrong option (tick all but the odd one out);
- the good option of every decision point in a module is its longest, or in the same place;
- feedback that only says right or wrong ("No.", "It is true.") instead of why;
- a question that cites the course itself as its source, or has none when the others do.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Below this many questions, "most" and "always" say little.
MIN_QUESTIONS = 3
# From this many single-answer questions, one position holding more than SKEWED of the right
# answers is a pattern a learner can use.
MIN_FOR_SKEW = 5
SKEWED = 0.6
# Feedback with fewer words than this once "Correct." / "No." is taken off says nothing of why.
MIN_FEEDBACK_WORDS = 4
_TAG = re.compile(r"<[^>]+>")
_VERDICT = re.compile(
    r"^\W*(?:correct|incorrect|right|wrong|yes|no|not quite|true|false|it is (?:true|false)|"
    r"that is (?:right|wrong|correct|incorrect))\b[\s.,:;!-]*", re.I)
_SELF_CITED = re.compile(r"\b(?:this (?:course|module|quiz)|sightline|the course)\b", re.I)


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
        positions = [next(i for i, o in enumerate(q.data["options"]) if o["correct"]) for q in single]
        common = max(set(positions), key=positions.count)
        if len(set(positions)) == 1:
            warnings.append(LintWarning(
                single[0].line,
                f"the right option is option {common + 1} in all {len(single)} single-answer "
                "questions: vary where the right option comes",
            ))
        elif len(single) >= MIN_FOR_SKEW and positions.count(common) > SKEWED * len(single):
            warnings.append(LintWarning(
                single[0].line,
                f"the right option is option {common + 1} in {positions.count(common)} of {len(single)} "
                "single-answer questions: vary where the right option comes",
            ))
    warnings += _lint_feedback(questions) + _lint_sources(questions)
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


def _plain(html: str) -> str:
    return " ".join(_TAG.sub(" ", html or "").split())


def _lint_feedback(questions: list[Any]) -> list[LintWarning]:
    warnings = []
    for q in questions:
        if "longest" not in q.lints:
            continue
        bare = [i + 1 for i, o in enumerate(q.data["options"])
                if len(_VERDICT.sub("", _plain(o.get("feedback_html", ""))).split()) < MIN_FEEDBACK_WORDS]
        if bare:
            which = ", ".join(str(n) for n in bare)
            warnings.append(LintWarning(
                q.line,
                f"the feedback on option{'s' if len(bare) > 1 else ''} {which} does not say why "
                "(\"No.\" or \"It is true.\" teaches nothing): say why each option is right or wrong",
            ))
    return warnings


def _lint_sources(questions: list[Any]) -> list[LintWarning]:
    warnings = []
    sourced = [q for q in questions if _plain(q.data.get("source_html", ""))]
    for q in questions:
        source = _plain(q.data.get("source_html", ""))
        if source and _SELF_CITED.search(source):
            warnings.append(LintWarning(
                q.line, f"the source '{source}' is the training itself: name the guidance or research "
                        "the answer comes from (publisher, title, year)"))
        elif not source and sourced:
            warnings.append(LintWarning(
                q.line, "this question has no Source: line (the others have): say where the answer "
                        "comes from"))
    return warnings


def lint_decisions(decisions: Iterable[Any]) -> list[LintWarning]:
    decisions = [d for d in decisions if len(d.options) >= 2]
    if len(decisions) < 2:
        return []
    warnings = []
    longest = [d for d in decisions if _correct_is_longest(d.options)]
    if len(longest) == len(decisions):
        warnings.append(LintWarning(
            None,
            f"the good option is the longest in all {len(decisions)} decision points: learners can "
            "pick it by length; give the other options the same detail",
        ))
    positions = {next((i for i, o in enumerate(d.options) if o["correct"]), -1) for d in decisions}
    if len(decisions) >= MIN_QUESTIONS and len(positions) == 1:
        warnings.append(LintWarning(
            None,
            f"the good option is option {positions.pop() + 1} in all {len(decisions)} decision points: "
            "vary where it comes",
        ))
    return warnings
