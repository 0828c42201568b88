"""How long a module takes, estimated from what is in it, for ``content check`` to compare with
its ``minutes:`` (printed as CPD time on certificates, so it must be honest).

The rates are deliberately plain, so that an author can work them out: reading at 180 words a
minute (careful reading of unfamiliar, sensitive material, below the 200-250 of everyday prose),
a minute and a half to weigh each decision point, two minutes to write each reflection, and a
minute for each quiz question a learner answers (reading it, answering and reading its feedback).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

WORDS_PER_MINUTE = 180
DECISION_MINUTES = 1.5
REFLECTION_MINUTES = 2.0
QUESTION_MINUTES = 1.0
# ``minutes:`` further than this factor from the estimate (either way), and by more than SLACK
# minutes (a five-minute difference is rounding, whatever the factor), is reported.
TOLERANCE = 1.5
SLACK = 5
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Estimate:
    minutes: int
    words: int
    decisions: int
    reflections: int
    questions: int

    def explained(self) -> str:
        parts = [f"{self.words:,} words at {WORDS_PER_MINUTE} a minute"] if self.words else []
        for count, one in ((self.decisions, "decision point"), (self.reflections, "reflection"),
                           (self.questions, "question")):
            if count:
                parts.append(f"{count} {one}{'s' if count != 1 else ''}")
        return ", ".join(parts)


def _words(html: str) -> int:
    return len(_WORD.findall(_TAG.sub(" ", html or "")))


def drawn_questions(draw: Any, total: int) -> int:
    if isinstance(draw, int):
        return min(draw, total)
    if isinstance(draw, dict):
        return min(sum(draw.values()), total)
    return total


def estimate(module: Any) -> Estimate:
    """``module`` is a parsed module (sections, decision_points, reflections, questions)."""
    if module.header.kind == "quiz":
        questions = drawn_questions(module.value("draw"), len(module.questions))
        return Estimate(max(1, math.ceil(questions * QUESTION_MINUTES)), 0, 0, 0, questions)
    words = sum(_words(s.html) for s in module.sections)
    for d in module.decision_points:
        # The options, one consequence (the one chosen; more if explored) and the practice point.
        consequences = [_words(o["consequence_html"]) for o in d.options]
        words += _words(d.prompt_html) + _words(d.intro_html) + _words(d.practice_point_html)
        words += sum(_words(o["html"]) for o in d.options) + max(consequences, default=0)
    minutes = (words / WORDS_PER_MINUTE + len(module.decision_points) * DECISION_MINUTES
               + len(module.reflections) * REFLECTION_MINUTES)
    return Estimate(max(1, round(minutes)), words, len(module.decision_points), len(module.reflections), 0)


def far_from(stated: int, estimated: int) -> bool:
    factor = stated > estimated * TOLERANCE or stated * TOLERANCE < estimated
    return factor and abs(stated - estimated) > SLACK
