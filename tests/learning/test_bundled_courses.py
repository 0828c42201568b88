"""The bundled courses (courses/) with the demo requirements: who must take what, and the Level 1
course completed through the services with the real questions and Question.mark()."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from modules.accounts.models import AgencyKind, User
from modules.learning import progress
from modules.learning.models import TrainingRequirement
from modules.learning.requirements import required_courses, set_requirement

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bundled(db):
    from modules.content.checker import check_paths
    from modules.content.importer import import_checked

    result = check_paths([ROOT / "courses"], ROOT / "certificates")
    assert result.ok, [str(p) for p in result.errors]
    import_checked(result)
    db.session.commit()


def _codes(user):
    return [r.course.current_version.code for r in required_courses(user)]


def test_the_demo_requires_level_1_of_everyone_and_taxi_of_licensing(db, bundled):
    from modules.demo.services import load_demo

    first = load_demo(staff=12)
    assert first.requirements_added == len(AgencyKind) + 1
    learner = db.session.scalar(select(User).where(User.email == "learner@example.org"))
    assert _codes(learner) == ["CSE-L1"]
    for user in db.session.scalars(select(User)):
        expected = ["CSE-L1", "CSE-TAXI"] if user.agency.kind is AgencyKind.licensing else ["CSE-L1"]
        assert _codes(user) == expected, user.email

    # School staff refresh Level 1 every year (KCSIE: safeguarding updates at least annually); the
    # others every 36 months, the course's own period.
    level1_id = required_courses(learner)[0].course.id
    periods = dict(db.session.execute(select(TrainingRequirement.agency_kind, TrainingRequirement.refresher_months)
                                      .where(TrainingRequirement.course_id == level1_id)).all())
    assert periods[AgencyKind.education] == 12 and periods[AgencyKind.police] is None

    # Idempotent, and a period the partnership changed is kept.
    level1 = next(r.course for r in required_courses(learner))
    set_requirement(level1, AgencyKind.housing, refresher_months=24)
    db.session.commit()
    again = load_demo(staff=12)
    assert again.requirements_added == 0 and again.created == 0
    assert db.session.scalar(select(func.count(TrainingRequirement.id))) == len(AgencyKind) + 1
    assert db.session.scalar(
        select(TrainingRequirement.refresher_months).where(TrainingRequirement.agency_kind == AgencyKind.housing)
    ) == 24


def test_the_demo_without_courses_adds_no_requirements(db):
    from modules.demo.services import load_demo

    assert load_demo(staff=6).requirements_added == 0


def test_the_level_1_course_completes_with_the_real_questions(db, bundled, learner, do):
    from modules.content.models import Course, ModuleKind

    course = db.session.scalar(select(Course).where(Course.slug == "cse-level-1"))
    enrolment = progress.start_course(learner, course).enrolment
    db.session.commit()
    created = []
    for mv in enrolment.course_version.module_versions:
        if mv.kind is ModuleKind.quiz:
            attempt, made = do.quiz(enrolment, mv, right=True)
            assert attempt.passed and attempt.score == 100
            created += made
        else:
            created += do.module(enrolment, mv)
    assert len(created) == 1
    completion = created[0]
    assert completion.score == 100 and completion.refresher_months == 36
    assert len(completion.modules) == len(enrolment.course_version.module_versions)

    # The taxi course shares two modules with Level 1: they count there straight away.
    taxi = db.session.scalar(select(Course).where(Course.slug == "cse-taxi-drivers"))
    taxi_enrolment = progress.start_course(learner, taxi).enrolment
    db.session.commit()
    done = {e.module_version.slug for e in progress.module_entries(taxi_enrolment)
            if e.state is progress.ModuleState.completed}
    assert done == {"what-is-cse", "criminal-exploitation"}
