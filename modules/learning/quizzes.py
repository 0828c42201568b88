"""Quiz attempts: a fresh random draw, answers saved page by page, marking on submission.

Reading, storing and marking answers go through the question's type (the folders in
modules.content.questions), so nothing here knows one type from another: an answer is whatever
the type's ``read_answer`` makes of the quiz form, stored as JSON and given back to its ``mark``.
"""
from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from modules.content import version_cache
from modules.content.models import ModuleKind, ModuleVersion, Question
from modules.core.database import insert_ignoring_duplicates
from modules.core.extensions import db
from modules.core.models import utcnow
from modules.learning.models import Enrolment, ModuleProgress, QuizAnswer, QuizAttempt
from modules.learning.progress import LearningError, working_run

_system_random = random.SystemRandom()


# Drawing ------------------------------------------------------------------------------------

def draw_questions(module_version: ModuleVersion, rng: random.Random | None = None) -> list[Question]:
    """The questions for one attempt, per the module's ``draw`` setting, in the module's order.

    ``draw`` None: every question; a number: that many at random from all of them; ``{pool: n}``:
    n at random from each pool. A pool with fewer questions than asked gives all it has.
    """
    rng = rng or _system_random
    questions = list(module_version.questions)
    draw = module_version.draw
    if draw is None:
        chosen = questions
    elif isinstance(draw, int):
        chosen = rng.sample(questions, min(draw, len(questions)))
    elif isinstance(draw, dict):
        chosen = []
        for pool, count in draw.items():
            in_pool = [q for q in questions if q.pool == pool]
            chosen.extend(rng.sample(in_pool, min(int(count), len(in_pool))))
    else:
        raise ValueError(f"unknown draw setting {draw!r}")
    return sorted(chosen, key=lambda q: q.position)


def questions_per_attempt(module_version: ModuleVersion) -> int:
    """How many questions each attempt asks (what the draw setting gives)."""
    questions = list(module_version.questions)
    draw = module_version.draw
    if draw is None:
        return len(questions)
    if isinstance(draw, int):
        return min(draw, len(questions))
    return sum(min(int(n), sum(1 for q in questions if q.pool == pool)) for pool, n in draw.items())


def pass_mark_for(module_version: ModuleVersion, enrolment: Enrolment) -> int:
    """The module's own pass mark, or the course's (of the version the learner is taking)."""
    if module_version.pass_mark is not None:
        return module_version.pass_mark
    return enrolment.course_version.pass_mark


# Attempts -----------------------------------------------------------------------------------

def open_attempt(run: ModuleProgress) -> QuizAttempt | None:
    return next((a for a in reversed(run.attempts) if a.submitted_at is None), None)


def has_passed(run: ModuleProgress | None) -> bool:
    """Whether the run has a pass that counts (practice attempts never do)."""
    return run is not None and any(a.passed and not a.practice for a in run.attempts)


def start_attempt(
    enrolment: Enrolment, module_version: ModuleVersion, *, practice: bool = False,
    rng: random.Random | None = None, now: datetime | None = None,
) -> QuizAttempt:
    """Start an attempt with a fresh draw, or return the unsubmitted one the learner has already.

    Once the quiz is passed every new attempt is a practice attempt, asked for or not: a retake
    must never move the record (a higher score, a later date) after the pass it rests on.
    The caller commits. :raise LearningError: when the module is not a quiz or has no questions,
    or when practice is asked for before a pass (practice would then hide a real attempt).
    """
    if module_version.kind != ModuleKind.quiz:
        raise LearningError("This module is not a quiz.")
    run = working_run(enrolment, module_version, create=True, now=now)
    existing = open_attempt(run)
    if existing is not None:
        return existing
    passed = has_passed(run)
    if practice and not passed:
        raise LearningError("You can practise this quiz once you have passed it.")
    questions = draw_questions(module_version, rng)
    if not questions:
        raise LearningError("This quiz has no questions yet.")
    number = (db.session.scalar(
        select(func.max(QuizAttempt.number)).where(QuizAttempt.progress_id == run.id)
    ) or 0) + 1
    moment = now or utcnow()
    inserted = insert_ignoring_duplicates(
        QuizAttempt,
        progress_id=run.id,
        enrolment_id=enrolment.id,
        user_id=enrolment.user_id,
        module_version_id=module_version.id,
        number=number,
        question_ids=[q.id for q in questions],
        pass_mark=pass_mark_for(module_version, enrolment),
        started_at=moment,
        practice=passed,
    )
    run.last_active_at = moment
    db.session.flush()
    db.session.expire(run, ["attempts"])
    attempt = db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.progress_id == run.id, QuizAttempt.number == number)
    )
    if not inserted and attempt.submitted_at is not None:  # pragma: no cover - needs a triple race
        raise LearningError("Your quiz changed while you were starting it. Try again.")
    return attempt


def attempt_questions(attempt: QuizAttempt) -> list[Question]:
    """The attempt's questions, in the order they are asked."""
    by_id = {q.id: q for q in attempt.module_version.questions}
    return [by_id[qid] for qid in attempt.question_ids if qid in by_id]


def answers_by_question(attempt: QuizAttempt) -> dict[int, QuizAnswer]:
    return {a.question_id: a for a in attempt.answers}


def parse_answer(question: Question, form: Mapping[str, list[str]]) -> Any:
    """Turn the submitted quiz form (field name to its list of values) into the answer
    :meth:`Question.mark` expects, as the question's type reads it.

    :raise LearningError: with the type's message to show when nothing usable was given.
    """
    from modules.content.questions import UnreadableAnswer

    try:
        return question.question_type.read_answer(question.data, form)
    except UnreadableAnswer as exc:
        raise LearningError(str(exc)) from None


def answer_form(question: Question, answer: QuizAnswer | None) -> dict[str, list[str]]:
    """What the question's form fields hold for a saved answer (nothing when there is none)."""
    return {} if answer is None else question.question_type.form_data(answer.answer)


def save_answer(attempt: QuizAttempt, question: Question, answer: Any, *,
                now: datetime | None = None) -> None:
    """Keep the learner's answer to one question until they submit (they may change it).

    :raise LearningError: when the attempt was already submitted.
    """
    if attempt.submitted_at is not None:
        raise LearningError("You have already submitted this quiz.")
    if question.id not in attempt.question_ids:
        raise LearningError("That question is not part of this attempt.")
    existing = answers_by_question(attempt).get(question.id)
    moment = now or utcnow()
    if existing is None:
        if insert_ignoring_duplicates(
            QuizAnswer, attempt_id=attempt.id, question_id=question.id, answer=answer, answered_at=moment
        ):
            db.session.expire(attempt, ["answers"])
            return
        db.session.expire(attempt, ["answers"])
        existing = answers_by_question(attempt)[question.id]
    existing.answer = answer
    existing.answered_at = moment


def unanswered(attempt: QuizAttempt) -> list[int]:
    """Question numbers (from 1) the learner has not answered yet."""
    answered = answers_by_question(attempt)
    return [n for n, qid in enumerate(attempt.question_ids, start=1) if qid not in answered]


@dataclass(frozen=True)
class SubmitResult:
    attempt: QuizAttempt
    submitted_now: bool  # False when another request had already submitted it


def submit_attempt(attempt: QuizAttempt, *, now: datetime | None = None) -> SubmitResult:
    """Mark every answer and record the score. Only the first of two simultaneous submissions
    counts (a conditional UPDATE); the second sees the first one's result. The caller commits.

    :raise LearningError: when a question has no answer.
    """
    if attempt.submitted_at is not None:
        return SubmitResult(attempt, submitted_now=False)
    missing = unanswered(attempt)
    if missing:
        raise LearningError("Answer every question before you submit.")
    answers = answers_by_question(attempt)
    marks = {qid: _mark(question, answers[question.id].answer)
             for qid, question in ((q.id, q) for q in attempt_questions(attempt))}
    # Formative questions are marked and get feedback, but do not count towards the score.
    counted = attempt.counted_question_ids
    correct = sum(1 for qid in counted if marks[qid].correct)
    total = len(counted)
    score = math.floor(100 * correct / total) if total else 100
    claimed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=now or utcnow(), correct=correct, score=score, passed=score >= attempt.pass_mark)
    ).rowcount == 1
    if claimed:
        for qid, result in marks.items():
            answer = answers[qid]
            answer.correct = result.correct
            answer.result = result.to_data()
    db.session.flush()
    db.session.refresh(attempt)
    return SubmitResult(attempt, submitted_now=claimed)


def _mark(question: Question, answer: Any):
    from modules.content.questions import InvalidAnswer

    try:
        return question.mark(answer)
    except InvalidAnswer:
        # The answer no longer fits the question (it cannot change within a version, so this is
        # only ever a tampered form): mark it wrong rather than fail.
        from modules.content.questions import MarkResult

        return MarkResult(correct=False, score=0.0)


def attempt_for_user(attempt_id: int, user_id: int) -> QuizAttempt | None:
    """The attempt, only if it belongs to ``user_id`` (anyone else gets None, i.e. a 404), with
    what the quiz pages show of it loaded in the same query (its questions and answers: one each)."""
    enrolment = joinedload(QuizAttempt.enrolment)
    return db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.id == attempt_id, QuizAttempt.user_id == user_id)
        .options(
            joinedload(QuizAttempt.module_version).joinedload(ModuleVersion.module),
            joinedload(QuizAttempt.module_version).selectinload(ModuleVersion.questions),
            joinedload(QuizAttempt.progress),
            selectinload(QuizAttempt.answers),
            enrolment.joinedload(Enrolment.course),
            enrolment.joinedload(Enrolment.course_version),
            enrolment.joinedload(Enrolment.completion),
        )
    )


def submit_and_record(attempt: QuizAttempt, *, now: datetime | None = None):
    """What "Submit answers" does: mark the attempt, then complete the module and every course
    it finishes (see :func:`modules.learning.completion.after_module_activity`). Never commits:
    the view commits all of it at once. Safe when the same submission arrives twice at once.

    :return: ``(SubmitResult, [completions created by this call])``.
    """
    from modules.learning.completion import after_module_activity

    result = submit_attempt(attempt, now=now)
    if result.attempt.practice:
        return result, []  # practice is marked and shown, and changes nothing else
    created = after_module_activity(result.attempt.progress, now=now)
    return result, created


def attempt_label(attempt: QuizAttempt, attempts: list[QuizAttempt]) -> str:
    """"Attempt 2" for an attempt that counts, "Practice 1" for a practice one: practice comes
    after the pass, so counting it as attempt 4 would suggest the learner needed four tries."""
    if not attempt.practice:
        return f"Attempt {sum(1 for a in attempts if not a.practice and a.number <= attempt.number)}"
    return f"Practice {sum(1 for a in attempts if a.practice and a.number <= attempt.number)}"


# What to look again at after a fail ----------------------------------------------------------

@dataclass(frozen=True)
class RevisitPart:
    """One heading of a module that missed questions name (``revisit=module.md#anchor``)."""

    title: str
    section: int  # the page of the module it is on
    anchor: str  # a heading inside that page, or "" for the page itself


@dataclass(frozen=True)
class RevisitTopic:
    """A module the missed questions cover, with their numbers and the headings they name."""

    title: str
    module_slug: str
    kind: ModuleKind  # a quiz opens at its front page, other modules at their first section
    numbers: tuple[int, ...]
    parts: tuple[RevisitPart, ...]  # none for the quiz itself: its feedback is what to reread


def what_to_revisit(attempt: QuizAttempt, rows) -> list[RevisitTopic]:
    """The modules of the questions the learner got wrong, in the order first missed.

    A question's ``revisit=`` setting names the module (and perhaps the heading) it tests; a
    question without one, or whose module is not in the course the learner is taking, is put
    with the quiz itself. ``rows`` is what the results page lists: ``(number, question, answer)``.
    """
    quiz = attempt.module_version
    missed = [(number, question) for number, question, answer in rows
              if not (answer is not None and answer.correct)
              and not question.data.get("formative")]  # not counted, so not why they did not pass
    modules_here = {}
    if any(q.data.get("revisit") for _, q in missed):
        # From the version cache: the course's modules and their sections cost no query on a
        # running server, however many modules the course has.
        course_version = version_cache.course_version(attempt.enrolment.course_version_id)
        modules_here = {mv.slug: mv for mv in course_version.module_versions}
    numbers: dict[str, list[int]] = {}
    anchors: dict[str, list[str]] = {}
    for number, question in missed:
        target = question.data.get("revisit") or {}
        slug, anchor = target.get("module", ""), target.get("anchor", "")
        if slug not in modules_here or slug == quiz.slug:
            slug, anchor = quiz.slug, ""
        numbers.setdefault(slug, []).append(number)
        if anchor and anchor not in anchors.setdefault(slug, []):
            anchors[slug].append(anchor)
    topics = []
    for slug, in_module in numbers.items():
        mv = modules_here.get(slug, quiz)
        parts = []
        if anchors.get(slug):
            version_cache.load_module_content(mv)
        for anchor in anchors.get(slug, []):
            for position, section in enumerate(mv.sections, start=1):
                if anchor == section.anchor:  # the page's own heading: its top, no #fragment
                    parts.append(RevisitPart(section.title, position, ""))
                    break
                if anchor in (section.anchors or []):
                    parts.append(RevisitPart(section.title, position, anchor))
                    break
        topics.append(RevisitTopic(mv.title, slug, mv.kind, tuple(in_module), tuple(parts)))
    return topics
