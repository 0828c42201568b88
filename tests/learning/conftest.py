"""Fixtures for the learner journey: a small course built directly in the database, a learner,
and helpers that do a module the way the pages do (through the services)."""
from __future__ import annotations

import random

import pytest

from modules.accounts.models import AgencyKind, Role
from tests.learning.factories import make_course_version, standard_modules


@pytest.fixture
def course_a(db):
    """Course "course-a": lesson, case study, handbook, assessment (pass mark 80, 36 months)."""
    modules = standard_modules()
    return make_course_version(
        "course-a", [modules["lesson"], modules["case"], modules["handbook"], modules["quiz"]],
        code="CRS-A",
    )


@pytest.fixture
def learner(make_agency, make_user):
    agency = make_agency(name="Northshire Homes", kind=AgencyKind.housing, teams=("Tenancy Support",))
    return make_user(roles=(Role.learner,), agency=agency, email="learner@example.org", name="Sam Learner")


@pytest.fixture
def do(db):
    """Helpers that act as the learner through the services (committing like the views)."""
    from modules.learning import completion, progress, quizzes

    class Doer:
        def module(self, enrolment, module_version, *, choose_correct=True, now=None):
            """Read every section and answer every decision point; returns new completions."""
            run = progress.working_run(enrolment, module_version, create=True, now=now)
            for dp in module_version.decision_points:
                option = next(o for o in dp.options if o["correct"] == choose_correct)
                progress.choose_option(run, dp, option["key"], now=now)
            for n in range(1, progress.section_count(module_version) + 1):
                progress.record_visit(run, n, now=now)
            created = completion.after_module_activity(run, now=now)
            db.session.commit()
            return created

        def quiz(self, enrolment, module_version, *, right=True, now=None, seed=1):
            """Start an attempt, answer every question right (or wrong), submit."""
            attempt = quizzes.start_attempt(enrolment, module_version, rng=random.Random(seed), now=now)
            db.session.commit()
            for question in quizzes.attempt_questions(attempt):
                quizzes.save_answer(attempt, question, answer_for(question, right=right), now=now)
            db.session.commit()
            result = quizzes.submit_attempt(attempt, now=now)
            created = completion.after_module_activity(result.attempt.progress, now=now)
            db.session.commit()
            return result.attempt, created

    return Doer()


def answer_for(question, *, right: bool = True):
    """The right answer to a question (its type's example answer), or a wrong one worked out from
    its stored data."""
    data = question.data
    if right:
        return question.question_type.example_answer(data)
    if "sentence_text" in data:
        return data["sentence_text"]  # a rewrite: the original sentence is always marked wrong
    correct = [o["key"] for o in data["options"] if o["correct"]]
    wrong = [o["key"] for o in data["options"] if not o["correct"]]
    if question.question_type.many:
        return wrong[:1] or correct[:-1]
    return wrong[0]
