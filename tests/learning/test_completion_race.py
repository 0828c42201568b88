"""Two requests finishing the same course at the same moment make exactly one completion.

Each thread has its own application context, so its own database session and connection, as two
server workers would (tests/races.py). Runs on SQLite and PostgreSQL (the ``app`` fixture's two databases).
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from modules.learning import completion, progress, quizzes
from modules.learning.models import Completion, QuizAttempt
from modules.learning.signals import completion_recorded
from tests.learning.conftest import answer_for
from tests.races import race as _race

THREADS = 2


@pytest.fixture
def signals():
    seen, lock = [], threading.Lock()

    def receiver(app, completion):
        with lock:
            seen.append(completion.id)

    completion_recorded.connect(receiver)
    yield seen
    completion_recorded.disconnect(receiver)


@pytest.fixture
def ready_to_complete(db, learner, course_a, do):
    """Every module done except the final assessment, whose attempt is answered correctly."""
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    for mv in course_a.module_versions[:3]:
        do.module(enrolment, mv)
    attempt = quizzes.start_attempt(enrolment, course_a.module_versions[3])
    db.session.commit()
    for question in quizzes.attempt_questions(attempt):
        quizzes.save_answer(attempt, question, answer_for(question))
    db.session.commit()
    return enrolment.id, attempt.id


def test_two_simultaneous_completions_make_one(app, db, ready_to_complete, signals, monkeypatch):
    enrolment_id, attempt_id = ready_to_complete
    # Pass the quiz first, so that only the course completion itself is raced.
    quizzes.submit_attempt(db.session.get(QuizAttempt, attempt_id))
    db.session.commit()
    progress.complete_run_if_done(db.session.get(QuizAttempt, attempt_id).progress)
    db.session.commit()

    # Hold both threads after their "is it completed already?" check until both have made it,
    # so that both really try to INSERT: the database must refuse one of them.
    built = threading.Barrier(THREADS)
    real_record = completion._record_online

    def record_together(*args, **kwargs):
        built.wait(timeout=10)
        return real_record(*args, **kwargs)

    def complete_and_commit():
        from modules.core.extensions import db as thread_db

        result = completion.complete_course_if_done(enrolment_id)
        thread_db.session.commit()  # as the view does
        return result.completion.id, result.created

    monkeypatch.setattr(completion, "_record_online", record_together)
    results = _race(app, complete_and_commit)

    db.session.expire_all()
    assert db.session.scalar(select(func.count(Completion.id))) == 1
    only = db.session.scalar(select(Completion.id))
    assert sorted(created for _, created in results) == [False, True]
    assert {completion_id for completion_id, _ in results} == {only}
    assert signals == [only]


def test_a_double_submitted_final_assessment_completes_once(app, db, ready_to_complete, signals):
    enrolment_id, attempt_id = ready_to_complete

    def submit():
        from modules.core.extensions import db as thread_db

        attempt = thread_db.session.get(QuizAttempt, attempt_id)
        result, created = quizzes.submit_and_record(attempt)
        thread_db.session.commit()  # as the view does
        return result.submitted_now, [c.id for c in created]

    results = _race(app, submit)

    db.session.expire_all()
    assert sorted(now for now, _ in results) == [False, True]  # one submission counted
    assert db.session.scalar(select(func.count(Completion.id))) == 1
    completion_id = db.session.scalar(select(Completion.id))
    assert sum(len(created) for _, created in results) == 1
    assert signals == [completion_id]
    attempts = db.session.scalars(select(QuizAttempt)).all()
    assert len(attempts) == 1 and attempts[0].passed is True
