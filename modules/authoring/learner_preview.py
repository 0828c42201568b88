"""A module of the working copy as a learner would get it, for the trainer to try out: the
unsaved version the importer would build from it, questions drawn and marked the same way as in
the player, and nothing written anywhere (no progress, attempt, answer or reflection row).

What the trainer has chosen or answered travels in the page's own forms, never in a table.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from modules.authoring import drafts
from modules.authoring.preview import folder_of
from modules.authoring.workspace import check_folder, materialised, relative_problems, working_files
from modules.content.importer import build_module_version
from modules.content.models import ModuleVersion, Question
from modules.content.problems import Problem
from modules.learning import quizzes
from modules.learning.progress import LearningError
from modules.learning.views.common import anchor_pages


class NotAModule(LookupError):
    """The path is not a module file of the working copy."""


@dataclass
class LearnerPreview:
    path: str
    problems: list[Problem] = field(default_factory=list)
    version: ModuleVersion | None = None  # None: the module cannot be shown yet
    course_title: str = ""
    course_pass_mark: int | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def pass_mark(self) -> int | None:
        """The pass mark learners would need: the module's own, else its course's."""
        if self.version is not None and self.version.pass_mark is not None:
            return self.version.pass_mark
        return self.course_pass_mark


def load(path: str) -> LearnerPreview:
    """The module at ``path`` as it is in the working copy (its draft if any, else published).

    :raise NotAModule: when ``path`` is not a module file that exists now.
    """
    if not path.endswith(".md") or path.endswith("/course.md") or path.count("/") != 1:
        raise NotAModule(path)
    text = drafts.current_text(path)
    if text is None:
        raise NotAModule(path)
    folder = folder_of(path)
    files = working_files(folder, overrides={path: text})
    key = hashlib.sha256(repr(sorted((name, hashlib.sha256(data).hexdigest())
                                     for name, data in files.items())).encode()).hexdigest()
    cached = _recent.get((path, key))
    if cached is None:
        cached = _recent[(path, key)] = _built(path, files)
        while len(_recent) > _RECENT_SIZE:
            _recent.pop(next(iter(_recent)))
    return cached


# Checking the whole folder takes a while and every page of a try at a quiz needs the same
# module: the last few previews are kept, keyed by the exact bytes of the working copy. The
# versions are never added to a session, so sharing them between requests is safe.
_RECENT_SIZE = 8
_recent: dict[tuple[str, str], LearnerPreview] = {}


def _built(path: str, files: dict[str, bytes]) -> LearnerPreview:
    folder = folder_of(path)
    with materialised(files) as root:
        result = check_folder(root)
        target, course_file = (root / path).resolve(), (root / folder / "course.md").resolve()
        parsed = next((m for m in result.modules if m.path.resolve() == target), None)
        course = next((c for c in result.courses if c.path.resolve() == course_file), None)
        problems = [p for p in relative_problems(result.problems, root) if p.path == Path(path)]
    preview = LearnerPreview(path=path, problems=problems)
    if course is not None:
        preview.course_title = course.value("title", "")
        preview.course_pass_mark = course.value("pass_mark")
    if parsed is not None and parsed.value("kind") and parsed.value("title"):
        preview.version = build_module_version(parsed, module=None, number=0)
    return preview


# Sections ------------------------------------------------------------------------------------

_HREF_RE = re.compile(r'href="#([^"]*)"')


def in_page_links(version: ModuleVersion, current: int, section_url: Callable[[int], str]) -> Callable[[str], str]:
    """Rewrites ``#anchor`` links to an anchor on another section's page of the preview."""
    pages = anchor_pages(version)

    def rewrite(match: re.Match) -> str:
        page = pages.get(match.group(1))
        if page is None or page == current:
            return match.group(0)
        return f'href="{section_url(page)}#{match.group(1)}"'

    return lambda html: _HREF_RE.sub(rewrite, html)


def choices_from(form: Mapping[str, str], version: ModuleVersion) -> dict[str, SimpleNamespace]:
    """The decision points answered so far on this page (``chose-<key>`` fields) and the other
    options opened since (``explored-<key>``, one field each), as the player's decision partial
    expects them (``choice.option_key``, ``choice.explored``); unknown keys or options are ignored."""
    chosen = {}
    for decision in version.decision_points:
        keys = {o["key"] for o in decision.options}
        option = form.get(f"chose-{decision.key}")
        if option in keys:
            opened = form.getlist(f"explored-{decision.key}") if hasattr(form, "getlist") else []
            explored = list(dict.fromkeys(k for k in opened if k in keys and k != option))
            chosen[decision.key] = SimpleNamespace(option_key=option, explored=explored)
    return chosen


# Quizzes -------------------------------------------------------------------------------------

@dataclass
class QuizState:
    """The questions drawn (by position in the module) and the answers so far (as form data)."""

    drawn: list[int]
    answers: dict[int, dict[str, list[str]]] = field(default_factory=dict)

    def dumps(self) -> str:
        return json.dumps({"drawn": self.drawn, "answers": {str(k): v for k, v in self.answers.items()}})


def new_quiz(version: ModuleVersion) -> QuizState:
    return QuizState(drawn=[q.position for q in quizzes.draw_questions(version)])


def quiz_state(raw: str, version: ModuleVersion) -> QuizState:
    """The state a page sent back; anything that does not fit this module starts a new draw (the
    module may have been edited since, and a tampered form only spoils the trainer's own try)."""
    positions = {q.position for q in version.questions}
    try:
        data = json.loads(raw)
        drawn = [int(p) for p in data["drawn"]]
        answers = {int(k): {str(f): [str(v) for v in vs] for f, vs in fields.items()}
                   for k, fields in data["answers"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return new_quiz(version)
    if not drawn or not set(drawn) <= positions or not set(answers) <= set(drawn):
        return new_quiz(version)
    return QuizState(drawn=drawn, answers=answers)


def drawn_questions(state: QuizState, version: ModuleVersion) -> list[Question]:
    by_position = {q.position: q for q in version.questions}
    return [by_position[p] for p in state.drawn]


def read_answer(question: Question, form: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """What to keep of the answer to ``question`` (its form data, as the type writes it back).

    :raise LearningError: with the type's message when nothing usable
        was given.
    """
    answer = quizzes.parse_answer(question, form)
    return question.question_type.form_data(answer)


@dataclass
class PreviewResult:
    rows: list[tuple[int, Question, Any]]  # number, question, answer (as the feedback templates read it)
    correct: int
    total: int
    score: int
    pass_mark: int | None

    @property
    def passed(self) -> bool:
        return self.pass_mark is not None and self.score >= self.pass_mark


def mark(state: QuizState, version: ModuleVersion, pass_mark: int | None) -> PreviewResult:
    """Mark every answer as submitting an attempt would (formative questions get feedback but do
    not count), without storing anything."""
    from modules.content.questions import InvalidAnswer, MarkResult

    rows, correct, total = [], 0, 0
    for number, question in enumerate(drawn_questions(state, version), start=1):
        form = state.answers.get(question.position, {})
        try:
            answer = quizzes.parse_answer(question, form)
            result = question.mark(answer)
        except (InvalidAnswer, LearningError):
            answer, result = None, MarkResult(correct=False, score=0.0)
        if not question.data.get("formative"):
            total += 1
            correct += int(result.correct)
        rows.append((number, question, SimpleNamespace(answer=answer, correct=result.correct,
                                                       result=result.to_data())))
    score = (100 * correct // total) if total else 100
    return PreviewResult(rows=rows, correct=correct, total=total, score=score, pass_mark=pass_mark)
