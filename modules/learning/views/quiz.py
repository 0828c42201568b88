"""Quizzes: the quiz page, one question per page, "Check your answers", submission and results.

Attempt URLs carry the attempt's id, never a user id; an attempt that is not the signed-in
learner's is a 404.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from modules.content.models import ModuleKind
from modules.core.extensions import db
from modules.core.policies import allow
from modules.learning import next_steps, progress, quizzes
from modules.learning.models import QuizAttempt
from modules.learning.progress import LearningError
from modules.learning.views.blueprint import bp
from modules.learning.views.common import module_context
from modules.learning.views.player import MODULE_URL

ATTEMPT_URL = "/my-training/attempts/<int:attempt_id>"


@bp.get(MODULE_URL + "/quiz")
@allow()
def quiz(course_slug: str, module_slug: str):
    """A quiz's front page: what it covers, the pass mark, past attempts, and Start."""
    ctx = module_context(course_slug, module_slug)
    mv = ctx.module_version
    if mv.kind is not ModuleKind.quiz:
        abort(404)
    run = progress.working_run(ctx.enrolment, mv)
    attempts = [a for a in run.attempts if a.submitted_at is not None] if run is not None else []
    return render_template(
        "learning/quiz.html",
        ctx=ctx,
        course=ctx.course,
        mv=mv,
        run=run,
        attempts=list(reversed(attempts)),
        labels={a.id: quizzes.attempt_label(a, attempts) for a in attempts},
        open_attempt=quizzes.open_attempt(run) if run is not None else None,
        passed=next((a for a in attempts if a.passed and not a.practice), None),
        pass_mark=quizzes.pass_mark_for(mv, ctx.enrolment),
        question_count=quizzes.questions_per_attempt(mv),
    )


@bp.post(MODULE_URL + "/quiz")
@allow()
def start_attempt(course_slug: str, module_slug: str):
    """Start an attempt with a fresh draw of questions (or go back to the unfinished one); after
    a pass, a practice attempt."""
    ctx = module_context(course_slug, module_slug)
    if ctx.module_version.kind is not ModuleKind.quiz:
        abort(404)
    try:
        attempt = quizzes.start_attempt(
            ctx.enrolment, ctx.module_version, practice=request.form.get("practice") == "1"
        )
    except LearningError as exc:
        flash(str(exc), "error")
        return redirect(url_for("learning.quiz", course_slug=course_slug, module_slug=module_slug))
    db.session.commit()
    missing = quizzes.unanswered(attempt)
    if not missing:
        return redirect(url_for("learning.check_answers", attempt_id=attempt.id))
    return redirect(url_for("learning.question", attempt_id=attempt.id, number=missing[0]))


def _attempt_or_404(attempt_id: int) -> QuizAttempt:
    attempt = quizzes.attempt_for_user(attempt_id, current_user.id)
    if attempt is None:
        abort(404)
    return attempt


def _quiz_url(attempt: QuizAttempt) -> str:
    return url_for(
        "learning.quiz", course_slug=attempt.enrolment.course.slug, module_slug=attempt.module_version.slug
    )


@bp.get(ATTEMPT_URL + "/questions/<int:number>")
@allow()
def question(attempt_id: int, number: int):
    """One question of an attempt."""
    attempt = _attempt_or_404(attempt_id)
    if attempt.submitted_at is not None:
        return redirect(url_for("learning.results", attempt_id=attempt.id))
    return _render_question(attempt, number)


@bp.post(ATTEMPT_URL + "/questions/<int:number>")
@allow()
def answer(attempt_id: int, number: int):
    """Keep the answer to one question, then the next question (or the check page)."""
    attempt = _attempt_or_404(attempt_id)
    if attempt.submitted_at is not None:
        flash("You have already submitted this quiz.", "info")
        return redirect(url_for("learning.results", attempt_id=attempt.id))
    questions = quizzes.attempt_questions(attempt)
    if not 1 <= number <= len(questions):
        abort(404)
    question = questions[number - 1]
    form = request.form.to_dict(flat=False)
    try:
        parsed = quizzes.parse_answer(question, form)
    except LearningError as exc:
        return _render_question(attempt, number, error=str(exc), draft=form)
    quizzes.save_answer(attempt, question, parsed)
    db.session.commit()
    if request.form.get("change") == "1" or number == len(questions):
        return redirect(url_for("learning.check_answers", attempt_id=attempt.id))
    return redirect(url_for("learning.question", attempt_id=attempt.id, number=number + 1))


def _render_question(attempt: QuizAttempt, number: int, *, error: str | None = None,
                     draft: dict[str, list[str]] | None = None):
    questions = quizzes.attempt_questions(attempt)
    if not 1 <= number <= len(questions):
        abort(404)
    question = questions[number - 1]
    if draft is None:
        draft = quizzes.answer_form(question, quizzes.answers_by_question(attempt).get(question.id))
    return render_template(
        "learning/question.html",
        attempt=attempt,
        course=attempt.enrolment.course,
        mv=attempt.module_version,
        question=question,
        number=number,
        total=len(questions),
        answer_form=draft,
        error=error,
        change=request.values.get("change") == "1",
        quiz_url=_quiz_url(attempt),
    )


@bp.get(ATTEMPT_URL + "/check")
@allow()
def check_answers(attempt_id: int):
    """Every answer of the attempt, with links to change them, before submitting (WCAG 3.3.4)."""
    attempt = _attempt_or_404(attempt_id)
    if attempt.submitted_at is not None:
        return redirect(url_for("learning.results", attempt_id=attempt.id))
    return _render_check(attempt)


def _render_check(attempt: QuizAttempt, *, error: str | None = None):
    answers = quizzes.answers_by_question(attempt)
    rows = [
        (number, question, answers.get(question.id))
        for number, question in enumerate(quizzes.attempt_questions(attempt), start=1)
    ]
    return render_template(
        "learning/check_answers.html",
        attempt=attempt,
        course=attempt.enrolment.course,
        mv=attempt.module_version,
        rows=rows,
        error=error,
        missing=quizzes.unanswered(attempt),
        quiz_url=_quiz_url(attempt),
    )


@bp.post(ATTEMPT_URL + "/check")
@allow()
def submit(attempt_id: int):
    """Submit the attempt: marked once, however many times the button is pressed."""
    attempt = _attempt_or_404(attempt_id)
    if attempt.submitted_at is None:
        try:
            result, completions = quizzes.submit_and_record(attempt)
        except LearningError as exc:
            return _render_check(attempt, error=str(exc))
        db.session.commit()
        if any(c.course_id == attempt.enrolment.course_id for c in completions):
            flash(f"You have completed “{attempt.enrolment.course_version.title}”.", "success")
    return redirect(url_for("learning.results", attempt_id=attempt.id))


@bp.get(ATTEMPT_URL + "/results")
@allow()
def results(attempt_id: int):
    """The score, pass or fail, and feedback on every question."""
    attempt = _attempt_or_404(attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for("learning.check_answers", attempt_id=attempt.id))
    answers = quizzes.answers_by_question(attempt)
    rows = [
        (number, question, answers.get(question.id))
        for number, question in enumerate(quizzes.attempt_questions(attempt), start=1)
    ]
    enrolment = attempt.enrolment
    course_done = enrolment.completion is not None and not enrolment.completion.is_withdrawn
    return render_template(
        "learning/results.html",
        attempt=attempt,
        course=enrolment.course,
        enrolment=enrolment,
        mv=attempt.module_version,
        rows=rows,
        course_done=course_done,
        quiz_url=_quiz_url(attempt),
        can_retry=not attempt.passed and attempt.progress.completed_at is None,
        **_next_step_after(attempt, course_done),
        practice_label=quizzes.attempt_label(attempt, attempt.progress.attempts) if attempt.practice else None,
        revisit=quizzes.what_to_revisit(attempt, rows) if not attempt.passed else [],
    )


def _next_step_after(attempt: QuizAttempt, course_done: bool) -> dict:
    """After a pass: the next module of the course, or the certificate when the course is done."""
    if not attempt.passed or attempt.practice:
        return {"step": None, "certificate": None}
    entries = progress.module_entries(attempt.enrolment)
    position = next((e.position for e in entries if e.module_version.id == attempt.module_version_id), 0)
    completion = attempt.enrolment.completion
    return {
        "step": next_steps.next_step(entries, position),
        "certificate": next_steps.certificate_ready(completion) if course_done else None,
    }
