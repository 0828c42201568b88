"""Drawing questions, saving answers, marking with Question.mark(), retries."""
from __future__ import annotations

import random

import pytest

from modules.content.models import ModuleKind
from modules.learning import progress, quizzes
from modules.learning.progress import LearningError
from tests.learning.conftest import answer_for
from tests.learning.factories import (
    choice_question,
    make_course_version,
    make_module_version,
    rewrite_question,
)


def _quiz(draw=None, pass_mark=None, questions=None):
    return make_module_version(
        "quiz",
        ModuleKind.quiz,
        draw=draw,
        pass_mark=pass_mark,
        questions=questions or [choice_question(f"q{i}", pool="terms" if i < 6 else "scenarios") for i in range(10)],
    )


def test_draw_everything_when_there_is_no_draw_setting(db):
    quiz = _quiz()
    assert [q.key for q in quizzes.draw_questions(quiz, random.Random(1))] == [f"q{i}" for i in range(10)]


def test_draw_a_number_from_all_questions_in_module_order(db):
    quiz = _quiz(draw=4)
    drawn = quizzes.draw_questions(quiz, random.Random(1))
    assert len(drawn) == 4 and len({q.id for q in drawn}) == 4
    assert [q.position for q in drawn] == sorted(q.position for q in drawn)


def test_draw_per_pool(db):
    quiz = _quiz(draw={"terms": 2, "scenarios": 3})
    for seed in range(20):
        pools = [q.pool for q in quizzes.draw_questions(quiz, random.Random(seed))]
        assert pools.count("terms") == 2 and pools.count("scenarios") == 3


def test_a_pool_smaller_than_its_draw_gives_what_it_has(db):
    quiz = _quiz(draw={"terms": 2, "scenarios": 9})
    pools = [q.pool for q in quizzes.draw_questions(quiz, random.Random(3))]
    assert pools.count("scenarios") == 4


def test_draws_differ_between_attempts(db):
    quiz = _quiz(draw=3)
    draws = {tuple(q.key for q in quizzes.draw_questions(quiz)) for _ in range(30)}
    assert len(draws) > 1


@pytest.fixture
def quiz_course(db, learner):
    quiz = _quiz(draw={"terms": 3, "scenarios": 2})
    version = make_course_version("quiz-course", [quiz], pass_mark=60)
    enrolment = progress.start_course(learner, version.course).enrolment
    db.session.commit()
    return enrolment, quiz


def test_pass_mark_comes_from_the_module_or_else_the_course(db, learner):
    own = _quiz(pass_mark=90)
    version = make_course_version("c", [own], pass_mark=60)
    enrolment = progress.start_course(learner, version.course).enrolment
    db.session.commit()
    assert quizzes.pass_mark_for(own, enrolment) == 90
    inherits = make_module_version("other-quiz", ModuleKind.quiz, questions=[choice_question("x")])
    assert quizzes.pass_mark_for(inherits, enrolment) == 60


def test_an_attempt_is_answered_then_marked(db, quiz_course):
    enrolment, quiz = quiz_course
    attempt = quizzes.start_attempt(enrolment, quiz, rng=random.Random(5))
    db.session.commit()
    assert attempt.number == 1 and attempt.pass_mark == 60 and attempt.total == 5
    # Starting again before submitting resumes the same attempt (no redraw to fish for questions).
    assert quizzes.start_attempt(enrolment, quiz).id == attempt.id

    questions = quizzes.attempt_questions(attempt)
    with pytest.raises(LearningError):
        quizzes.submit_attempt(attempt)  # nothing answered yet
    # Three right, two wrong: 60%, which is the pass mark.
    for i, question in enumerate(questions):
        quizzes.save_answer(attempt, question, answer_for(question, right=i < 3))
    db.session.commit()
    assert quizzes.unanswered(attempt) == []
    # The learner changes their mind about the last one before submitting.
    quizzes.save_answer(attempt, questions[-1], answer_for(questions[-1], right=False))
    db.session.commit()

    result = quizzes.submit_attempt(attempt)
    db.session.commit()
    assert result.submitted_now
    assert (attempt.correct, attempt.score, attempt.passed) == (3, 60, True)
    assert attempt.submitted_at is not None and attempt.started_at <= attempt.submitted_at
    answers = quizzes.answers_by_question(attempt)
    first = answers[questions[0].id]
    assert first.correct is True and first.result["correct"] is True
    assert first.result["explanation_html"] and first.result["source_html"]
    assert any(f["selected"] for f in first.result["feedback"])
    assert answers[questions[4].id].correct is False

    # A second submission changes nothing, and answers can no longer change.
    assert quizzes.submit_attempt(attempt).submitted_now is False
    with pytest.raises(LearningError):
        quizzes.save_answer(attempt, questions[0], answer_for(questions[0], right=False))


def test_a_failed_attempt_is_retried_with_a_fresh_draw(db, quiz_course):
    enrolment, quiz = quiz_course
    seen = []
    for seed in range(6):
        attempt = quizzes.start_attempt(enrolment, quiz, rng=random.Random(seed))
        db.session.commit()
        seen.append(tuple(attempt.question_ids))
        for question in quizzes.attempt_questions(attempt):
            quizzes.save_answer(attempt, question, answer_for(question, right=False))
        quizzes.submit_attempt(attempt)
        db.session.commit()
        assert attempt.passed is False and attempt.score == 0
        assert attempt.number == seed + 1
    assert len(set(seen)) > 1


def test_rewrite_answers_get_the_rule_feedback(db, learner):
    quiz = make_module_version("rewrite-quiz", ModuleKind.quiz, questions=[rewrite_question("rw")])
    version = make_course_version("rw", [quiz])
    enrolment = progress.start_course(learner, version.course).enrolment
    db.session.commit()
    attempt = quizzes.start_attempt(enrolment, quiz)
    question = quizzes.attempt_questions(attempt)[0]
    quizzes.save_answer(attempt, question, "Jade keeps putting herself at risk.")
    quizzes.submit_attempt(attempt)
    db.session.commit()
    result = quizzes.answers_by_question(attempt)[question.id].result
    assert result["correct"] is False
    # The language guide names the blaming words, why, and what to write instead; then the
    # question's unmet expect rule.
    assert [f["rule"] for f in result["feedback"]] == ["language", "expect"]
    assert "blames the child" in result["feedback"][0]["feedback_html"]
    assert "may be being groomed" in result["feedback"][0]["feedback_html"]


@pytest.mark.parametrize(
    ("type_", "values", "expected"),
    [
        ("single", ["q-o1"], "q-o1"),
        ("single", ["q-o1", "q-o2"], LearningError),
        ("single", [], LearningError),
        ("single", ["not-an-option"], LearningError),
        ("multiple", ["q-o0", "q-o2", "q-o0"], ["q-o0", "q-o2"]),
        ("multiple", [], LearningError),
        ("rewrite", ["  Adults exploited her.  "], "Adults exploited her."),
        ("rewrite", ["   "], LearningError),
    ],
)
def test_parse_answer(type_, values, expected):
    data = rewrite_question("q") if type_ == "rewrite" else choice_question("q", type=type_)
    from modules.content.models import Question

    question = Question(key="q", type=type_, pool="default", data=data["data"], position=0)
    values = {"answer": values}
    if expected is LearningError:
        with pytest.raises(LearningError):
            quizzes.parse_answer(question, values)
    else:
        assert quizzes.parse_answer(question, values) == expected


def test_an_attempt_belongs_to_its_learner(db, quiz_course, make_user):
    enrolment, quiz = quiz_course
    attempt = quizzes.start_attempt(enrolment, quiz)
    db.session.commit()
    assert quizzes.attempt_for_user(attempt.id, enrolment.user_id).id == attempt.id
    assert quizzes.attempt_for_user(attempt.id, make_user().id) is None
