"""The results page of a rewrite question: the author's own "- correct:" feedback when the question
has one, the default praise when it has none, and neither for a wrong answer."""
from __future__ import annotations

import random

from modules.content.models import ModuleKind
from modules.learning import progress, quizzes
from tests.learning.conftest import answer_for
from tests.learning.factories import make_course_version, make_module_version, rewrite_question

DEFAULT_PRAISE = "Your version names what the adults did and does not blame the child."
OWN_PRAISE = "Well done: you said who is responsible."


def _results_page(client, sign_in, learner, db, *, right: bool) -> str:
    with_own = rewrite_question("rw-own")
    with_own["data"]["correct_html"] = f'<p class="govuk-body">{OWN_PRAISE}</p>'
    without = rewrite_question("rw-default")
    quiz = make_module_version("rewrite-results", ModuleKind.quiz, questions=[with_own, without])
    version = make_course_version("rewrite-results", [quiz])
    enrolment = progress.start_course(learner, version.course).enrolment
    db.session.commit()
    attempt = quizzes.start_attempt(enrolment, quiz, rng=random.Random(1))
    db.session.commit()
    for question in quizzes.attempt_questions(attempt):
        quizzes.save_answer(attempt, question, answer_for(question, right=right))
    quizzes.submit_attempt(attempt)
    db.session.commit()
    sign_in(learner)
    response = client.get(f"/my-training/attempts/{attempt.id}/results")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_right_rewrite_shows_the_authors_feedback_or_else_the_default(client, sign_in, learner, db):
    page = _results_page(client, sign_in, learner, db, right=True)
    assert page.count(OWN_PRAISE) == 1
    assert page.count(DEFAULT_PRAISE) == 1  # only for the question without its own feedback
    assert page.index(OWN_PRAISE) < page.index(DEFAULT_PRAISE)  # in question order


def test_a_wrong_rewrite_shows_what_to_change_and_no_praise(client, sign_in, learner, db):
    page = _results_page(client, sign_in, learner, db, right=False)
    assert page.count("What to change") == 2
    assert OWN_PRAISE not in page and DEFAULT_PRAISE not in page


def test_the_results_show_the_authors_model_answer_after_a_wrong_answer(client, sign_in, learner, db):
    page = _results_page(client, sign_in, learner, db, right=False)
    assert page.count("A model answer") == 2
    assert page.count("Adults are grooming Jade and exploiting her.") == 2


def test_a_formative_rewrite_is_marked_and_explained_but_not_counted(client, sign_in, learner, db):
    formative = rewrite_question("rw-practice")
    formative["data"]["formative"] = True
    formative["data"]["formative_html"] = '<p class="govuk-body">Wording is hard to mark automatically.</p>'
    counted = rewrite_question("rw-counted")
    quiz = make_module_version("formative-results", ModuleKind.quiz, questions=[formative, counted])
    version = make_course_version("formative-results", [quiz])
    enrolment = progress.start_course(learner, version.course).enrolment
    db.session.commit()
    attempt = quizzes.start_attempt(enrolment, quiz, rng=random.Random(1))
    db.session.commit()
    for question in quizzes.attempt_questions(attempt):
        # Wrong for the formative question, right for the counted one.
        quizzes.save_answer(attempt, question, answer_for(question, right=question.key == "rw-counted"))
    quizzes.submit_attempt(attempt)
    db.session.commit()
    assert (attempt.correct, attempt.total, attempt.score, attempt.passed) == (1, 1, 100, True)
    answers = quizzes.answers_by_question(attempt)
    assert sorted(a.correct for a in answers.values()) == [False, True]  # still marked, with feedback
    sign_in(learner)
    page = client.get(f"/my-training/attempts/{attempt.id}/results").get_data(as_text=True)
    assert "1 out of 1 (100%)" in page
    assert page.count("Practice: not counted in your score") == 1
    assert "Wording is hard to mark automatically." in page
