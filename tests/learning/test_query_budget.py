"""The learner's hot path stays within a fixed number of SQL queries, however many modules a
course has and however many courses a learner takes.

Thousands of learners reach the same pages in a partnership's deadline week: a page that costs a
query per module (a lazy load, an ``open_run`` look-up) gets slower with every module added and
holds a database connection for longer. Every page below is measured on a course of 13 modules
among several courses, and again on a course of 4 modules: the counts must be within
``BUDGET`` and the same for both sizes.
"""
from __future__ import annotations

import random

import pytest

from modules.accounts.models import AgencyKind
from modules.content.models import ModuleKind
from modules.content.slots import slot_html
from modules.learning import progress, quizzes
from modules.learning.requirements import set_requirement
from tests.learning.conftest import answer_for
from tests.learning.factories import (
    choice_question,
    decision,
    make_course_version,
    make_module_version,
)
from tests.sql_statements import recorded_statements

BUDGET = 8


def _lesson(slug):
    return make_module_version(slug, sections=[
        ("introduction", "Introduction", "<p class=\"govuk-body\">Start.</p>"),
        ("signs", "Signs", "<p class=\"govuk-body\">Signs.</p>"),
    ])


def _case(slug):
    return make_module_version(
        slug, ModuleKind.case_study,
        sections=[
            ("introduction", "Case study", "<p class=\"govuk-body\">A story.</p>"),
            ("month-1", "Month 1", "<p class=\"govuk-body\">Before.</p>" + slot_html(f"decision:{slug}-d")
             + slot_html(f"reflection:{slug}-r")),
            ("month-2", "Month 2", "<p class=\"govuk-body\">After.</p>"),
        ],
        decisions=[decision(f"{slug}-d", "month-1")],
        reflections=[{"key": f"{slug}-r", "section_anchor": "month-1"}],
    )


def _quiz(slug, *, assessment=False):
    return make_module_version(
        slug, ModuleKind.quiz, assessment=assessment,
        sections=[("introduction", "Quiz", "<p class=\"govuk-body\">Questions.</p>")],
        questions=[choice_question(f"{slug}-q{n}", correct=n % 2) for n in range(3)],
    )


def _course(slug, size):
    """A course of ``size`` modules: lessons and case studies, a practice quiz in the middle
    and a final assessment."""
    modules = []
    for n in range(size - 2):
        modules.append((_case if n % 3 == 1 else _lesson)(f"{slug}-m{n + 1}"))
    modules.insert(len(modules) // 2, _quiz(f"{slug}-practice"))
    modules.append(_quiz(f"{slug}-assessment", assessment=True))
    return make_course_version(slug, modules, code=slug.upper())


def _take(db, do, learner, version):
    """Half the course done, a case study under way, a practice quiz failed once and retried."""
    enrolment = progress.start_course(learner, version.course).enrolment
    db.session.commit()
    modules = version.module_versions
    lessons = [mv for mv in modules if mv.kind is not ModuleKind.quiz]
    for mv in lessons[: len(lessons) // 2]:
        do.module(enrolment, mv)
    case = next(mv for mv in lessons[len(lessons) // 2:] if mv.kind is ModuleKind.case_study)
    run = progress.working_run(enrolment, case, create=True)
    progress.record_visit(run, 1)
    db.session.commit()
    practice = next(mv for mv in modules if mv.kind is ModuleKind.quiz and not mv.assessment)
    failed, _ = do.quiz(enrolment, practice, right=False)
    retry = quizzes.start_attempt(enrolment, practice, rng=random.Random(2))
    db.session.commit()
    quizzes.save_answer(retry, quizzes.attempt_questions(retry)[0],
                        answer_for(quizzes.attempt_questions(retry)[0]))
    db.session.commit()
    return {
        "course": f"/my-training/courses/{version.course.slug}",
        "section": f"/my-training/courses/{version.course.slug}/modules/{case.slug}/sections/2",
        "question": f"/my-training/attempts/{retry.id}/questions/2",
        "results": f"/my-training/attempts/{failed.id}/results",
        "module_complete": f"/my-training/courses/{version.course.slug}/modules/{lessons[0].slug}/complete",
    }


@pytest.fixture
def learner_world(db, learner, do):
    """A learner with a 13-module course and a 4-module course under way, a third course done
    and a fourth not started; every course is required."""
    big = _course("big", 13)
    small = _course("small", 4)
    done = _course("done", 4)
    untouched = _course("untouched", 5)
    for version in (big, small, done, untouched):
        set_requirement(version.course, AgencyKind.housing)
    db.session.commit()
    urls = {"big": _take(db, do, learner, big), "small": _take(db, do, learner, small)}
    enrolment = progress.start_course(learner, done.course).enrolment
    db.session.commit()
    for mv in done.module_versions[:-1]:
        do.module(enrolment, mv)
    do.quiz(enrolment, done.module_versions[-1])
    return urls


def _count(app, client, url) -> tuple[int, str]:
    from modules.core.extensions import db

    with recorded_statements(db.engine) as log:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(log.queries), log.describe()


PAGES = ("my_training", "course", "section", "question", "results", "module_complete")


@pytest.mark.parametrize("page", PAGES)
def test_learner_pages_stay_within_the_query_budget(app, client, sign_in, learner, learner_world, page):
    sign_in(learner)
    client.get("/my-training")  # warm anything cached per process, as a running server has
    counts = {}
    for size in ("big", "small"):
        url = "/my-training" if page == "my_training" else learner_world[size][page]
        counts[size] = _count(app, client, url)
    count, statements = counts["big"]
    assert count <= BUDGET, f"{page}: {count} queries (budget {BUDGET}):\n{statements}"
    assert counts["big"][0] == counts["small"][0], (
        f"{page}: {counts['big'][0]} queries with 13 modules, {counts['small'][0]} with 4:\n"
        f"{counts['big'][1]}\n---\n{counts['small'][1]}")
