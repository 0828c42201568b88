"""Practice attempts after a pass (marked and shown, never part of the record) and, after a
fail, the modules to look again at."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from modules.accounts.models import AgencyKind
from modules.content.models import ModuleKind
from modules.core.extensions import db as _db
from modules.learning import progress, quizzes
from modules.learning.models import QuizAttempt
from modules.learning.progress import LearningError
from modules.learning.requirements import set_requirement
from tests.learning.conftest import answer_for
from tests.learning.factories import choice_question, make_course_version, make_module_version

BASE = "/my-training/courses/course-a"
QUIZ = f"{BASE}/modules/assessment/quiz"
# Everything the record, the certificate and the reports are made from.
RECORD_TABLES = ("learning_completions", "learning_completion_modules", "report_latest_completions",
                 "certificates")


def _record_rows():
    tables = _db.metadata.tables
    rows = {name: sorted(map(tuple, _db.session.execute(select(tables[name])).all()), key=repr)
            for name in RECORD_TABLES}
    runs = tables["learning_module_progress"]
    # (A run's last_active_at moves with practice: it is where "continue" goes, not the record.)
    rows["module completed"] = sorted(map(tuple, _db.session.execute(select(runs.c.id, runs.c.completed_at))))
    return rows


@pytest.fixture
def passed(db, do, learner, course_a):
    """The learner has done course-a, passing the assessment with 100%."""
    set_requirement(course_a.course, AgencyKind.housing)
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    for mv in course_a.module_versions[:-1]:
        do.module(enrolment, mv)
    attempt, created = do.quiz(enrolment, course_a.module_versions[-1])
    assert attempt.passed and created
    return enrolment


def _take(client, db, *, right: bool, practice: bool = True) -> tuple[int, str]:
    response = client.post(QUIZ, data={"practice": "1"} if practice else {})
    attempt_id = int(re.search(r"/attempts/(\d+)/questions/1$", response.location).group(1))
    attempt = db.session.get(QuizAttempt, attempt_id)
    for number, question in enumerate(quizzes.attempt_questions(attempt), start=1):
        answer = answer_for(question, right=right)
        client.post(f"/my-training/attempts/{attempt_id}/questions/{number}",
                    data={"answer": answer if isinstance(answer, list) else [answer]})
    assert "This is practice: it does not change your record" in client.get(
        f"/my-training/attempts/{attempt_id}/check").get_data(as_text=True)
    response = client.post(f"/my-training/attempts/{attempt_id}/check")
    assert response.location.endswith(f"/my-training/attempts/{attempt_id}/results")
    return attempt_id, client.get(response.location).get_data(as_text=True)


def test_practice_is_refused_before_a_pass(db, learner, course_a, do):
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    quiz = course_a.module_versions[-1]
    with pytest.raises(LearningError, match="once you have passed"):
        quizzes.start_attempt(enrolment, quiz, practice=True)
    do.quiz(enrolment, quiz, right=False)
    with pytest.raises(LearningError, match="once you have passed"):
        quizzes.start_attempt(enrolment, quiz, practice=True)


def test_practice_refused_through_the_page_before_a_pass(client, sign_in, learner, revisit_course, db):
    sign_in(learner)
    url = "/my-training/courses/course-r/modules/check/quiz"
    response = client.post(url, data={"practice": "1"})
    assert response.status_code == 302 and response.location.endswith(url)
    assert db.session.scalar(select(QuizAttempt.id)) is None
    assert "once you have passed it" in client.get(url).get_data(as_text=True)


def test_practice_after_a_pass_changes_no_record_certificate_or_report_row(client, sign_in, learner, passed, db):
    before = _record_rows()
    assert before["learning_completions"] and before["certificates"] and before["report_latest_completions"]
    sign_in(learner)
    page = client.get(QUIZ).get_data(as_text=True)
    assert "Practise again" in page and "do not change your record" in page

    failed_id, page = _take(client, db, right=False)
    assert "Practice: this does not change your record" in page
    assert "You did not pass" not in page and "You passed" not in page
    assert "Practise again" in page
    perfect_id, page = _take(client, db, right=True)
    assert "Practice: this does not change your record" in page and "reached the pass mark" in page
    assert "You have completed" not in page  # no completion flash, nothing new

    db.session.expire_all()
    assert _record_rows() == before
    attempts = db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.number)).all()
    assert [(a.practice, a.passed) for a in attempts] == [(False, True), (True, False), (True, True)]
    page = client.get(QUIZ).get_data(as_text=True)
    assert "Attempt 1" in page and "Practice 1" in page and "Practice 2" in page
    assert "Attempt 2" not in page and "Attempt 3" not in page  # practice is not counted as attempts
    # The pass shown is still the real one, not the later practice.
    assert f"/my-training/attempts/{attempts[0].id}/results" in page.split("Your attempts")[0]


def test_any_new_attempt_after_a_pass_is_practice(db, passed):
    quiz = passed.course_version.module_versions[-1]
    attempt = quizzes.start_attempt(passed, quiz)  # not asked for as practice
    db.session.commit()
    assert attempt.practice is True


def test_a_practice_score_never_becomes_the_record_score(db, do, learner, passed):
    """A module shared with another course: a practice attempt scoring higher after the pass
    must not become the score recorded when the second course completes."""
    quiz = passed.course_version.module_versions[-1]
    run = progress.working_run(passed, quiz)
    real = next(a for a in run.attempts if not a.practice)
    real.score = 80  # the real pass was 80%
    db.session.commit()
    do.quiz(passed, quiz, right=True)  # practice, 100%
    other = make_course_version("course-b", [quiz], code="CRS-B")
    set_requirement(other.course, AgencyKind.housing)
    second = progress.start_course(learner, other.course).enrolment
    db.session.commit()
    from modules.learning.completion import complete_course_if_done

    result = complete_course_if_done(second.id)
    db.session.commit()
    assert result.completion is not None and result.completion.score == 80


# What to look again at ---------------------------------------------------------------------

@pytest.fixture
def revisit_course(db, learner):
    signs = make_module_version(
        "signs", title="Signs and indicators",
        sections=[("introduction", "Signs", "<p class=\"govuk-body\">Signs.</p>"),
                  ("missing", "Missing episodes", "<p class=\"govuk-body\">Missing.</p>")],
    )
    questions = [choice_question(f"rq{n}") for n in range(4)]
    questions[0]["data"]["revisit"] = {"module": "signs", "anchor": "missing"}
    questions[1]["data"]["revisit"] = {"module": "signs", "anchor": "missing"}
    questions[2]["data"]["revisit"] = {"module": "not-in-this-course", "anchor": ""}
    quiz = make_module_version("check", ModuleKind.quiz, title="Knowledge check", questions=questions)
    # More modules than the quiz names: the page must not cost a query per module.
    extra = [make_module_version(f"extra-{n}") for n in range(6)]
    version = make_course_version("course-r", [signs, *extra, quiz], pass_mark=80)
    set_requirement(version.course, AgencyKind.housing)
    enrolment = progress.start_course(learner, version.course).enrolment
    db.session.commit()
    return enrolment, signs, quiz


def test_a_fail_names_the_modules_of_the_questions_missed_with_links(client, sign_in, learner, revisit_course, do):
    enrolment, signs, quiz = revisit_course
    attempt, _ = do.quiz(enrolment, quiz, right=False)
    sign_in(learner)
    page = client.get(f"/my-training/attempts/{attempt.id}/results").get_data(as_text=True)
    assert "Look again at" in page
    look_again = page.split('id="look-again"')[1].split("</div>")[0]
    module = "/my-training/courses/course-r/modules/signs"
    assert re.search(rf'<a class="govuk-link" href="{module}/sections/1">Signs and indicators</a> \(questions '
                     r'<a class="govuk-link" href="#question-1">1</a> and '
                     r'<a class="govuk-link" href="#question-2">2</a>\):\s*'
                     rf'<a class="govuk-link" href="{module}/sections/2">Missing episodes</a>', look_again)
    # Questions naming no module of this course point at their own feedback on this page.
    assert re.search(r'the feedback on questions <a class="govuk-link" href="#question-3">3</a> and '
                     r'<a class="govuk-link" href="#question-4">4</a> below', look_again)


def test_a_pass_has_nothing_to_look_again_at(client, sign_in, learner, revisit_course, do):
    enrolment, signs, quiz = revisit_course
    attempt, _ = do.quiz(enrolment, quiz, right=True)
    sign_in(learner)
    page = client.get(f"/my-training/attempts/{attempt.id}/results").get_data(as_text=True)
    assert "Look again at" not in page


def test_what_to_revisit_skips_questions_answered_right_and_formative_ones(db, revisit_course, do):
    enrolment, signs, quiz = revisit_course
    attempt = quizzes.start_attempt(enrolment, quiz)
    db.session.commit()
    questions = quizzes.attempt_questions(attempt)
    for question in questions:
        quizzes.save_answer(attempt, question, answer_for(question, right=question.key in ("rq0", "rq3")))
    quizzes.submit_attempt(attempt)
    db.session.commit()
    answers = quizzes.answers_by_question(attempt)
    rows = [(n, q, answers.get(q.id)) for n, q in enumerate(questions, start=1)]
    topics = quizzes.what_to_revisit(attempt, rows)
    assert [(t.module_slug, t.numbers, len(t.parts)) for t in topics] == [("signs", (2,), 1), ("check", (3,), 0)]
    assert [(p.title, p.section, p.anchor) for p in topics[0].parts] == [("Missing episodes", 2, "")]


# Query budgets -----------------------------------------------------------------------------

def _queries(client, url) -> tuple[int, str]:
    from tests.sql_statements import recorded_statements

    with recorded_statements(_db.engine) as log:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(log.queries), log.describe()


def test_look_again_and_practice_pages_stay_within_the_learner_query_budget(
        client, sign_in, learner, revisit_course, do):
    from tests.learning.test_query_budget import BUDGET

    enrolment, signs, quiz = revisit_course
    do.module(enrolment, signs)
    failed, _ = do.quiz(enrolment, quiz, right=False)
    do.quiz(enrolment, quiz, right=True)
    practice, _ = do.quiz(enrolment, quiz, right=False)
    assert practice.practice
    sign_in(learner)
    client.get("/my-training")  # warm what a running server has cached
    for url in (f"/my-training/attempts/{failed.id}/results", f"/my-training/attempts/{practice.id}/results",
                "/my-training/courses/course-r/modules/check/quiz"):
        count, statements = _queries(client, url)
        assert count <= BUDGET, f"{url}: {count} queries (budget {BUDGET}):\n{statements}"
