"""Taking a course through the services: module rules, completion, credit, refreshers, versions."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from modules.learning import completion, progress
from modules.learning.models import Completion, Enrolment
from modules.learning.progress import LearningError, ModuleState
from modules.learning.signals import completion_recorded
from tests.learning.factories import make_course_version, make_module_version, standard_modules

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def recorded():
    """Every completion_recorded signal sent during the test."""
    seen = []

    def receiver(app, completion):
        seen.append(completion.id)

    completion_recorded.connect(receiver)
    yield seen
    completion_recorded.disconnect(receiver)


def _states(enrolment):
    return [e.state for e in progress.module_entries(enrolment)]


def test_a_module_needs_every_section_and_every_decision(db, learner, course_a):
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    case = course_a.module_versions[1]
    run = progress.working_run(enrolment, case, create=True)
    for n in range(1, progress.section_count(case) + 1):
        progress.record_visit(run, n)
    db.session.commit()
    assert completion.after_module_activity(run) == []
    assert run.completed_at is None  # the decision point is not answered yet
    assert _states(enrolment)[1] is ModuleState.in_progress

    with pytest.raises(LearningError):
        progress.choose_option(run, case.decision_points[0], "not-an-option")
    progress.choose_option(run, case.decision_points[0], case.decision_points[0].options[0]["key"])
    db.session.commit()
    completion.after_module_activity(run)
    assert run.completed_at is not None
    assert _states(enrolment)[1] is ModuleState.completed
    # The first answer is the one kept.
    progress.choose_option(run, case.decision_points[0], case.decision_points[0].options[1]["key"])
    db.session.commit()
    assert progress.choice_for(run, case.decision_points[0]).option_key == case.decision_points[0].options[0]["key"]


def test_the_assessment_waits_for_the_other_modules(db, learner, course_a, do):
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    assert _states(enrolment) == [ModuleState.not_started] * 3 + [ModuleState.cannot_start]
    for mv in course_a.module_versions[:3]:
        do.module(enrolment, mv)
    assert _states(enrolment) == [ModuleState.completed] * 3 + [ModuleState.not_started]


def test_completing_the_course_records_versions_score_and_expiry(db, learner, course_a, do, recorded):
    enrolment = progress.start_course(learner, course_a.course, now=T0).enrolment
    db.session.commit()
    for mv in course_a.module_versions[:3]:
        assert do.module(enrolment, mv, now=T0) == []
    attempt, created = do.quiz(enrolment, course_a.module_versions[3], right=False, now=T0)
    assert attempt.passed is False and created == []
    attempt, created = do.quiz(enrolment, course_a.module_versions[3], right=True, now=T0 + timedelta(hours=1))
    assert attempt.passed is True and attempt.number == 2
    assert len(created) == 1
    done = db.session.get(Completion, created[0].id)
    assert done.course_version_id == course_a.id
    assert [m.module_version_id for m in done.modules] == [mv.id for mv in course_a.module_versions]
    assert done.score == 100
    assert done.completed_on.isoformat() == "2026-03-02"
    assert done.expires_on.isoformat() == "2029-03-02"
    assert done.refresher_months == 36
    assert recorded == [done.id]


def test_completion_is_recorded_once_and_the_signal_sent_once(db, learner, course_a, do, recorded):
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    for mv in course_a.module_versions[:3]:
        do.module(enrolment, mv)
    do.quiz(enrolment, course_a.module_versions[3])
    again = completion.complete_course_if_done(enrolment.id)
    assert again.created is False and again.completion is not None
    assert db.session.scalar(select(func.count(Completion.id))) == 1
    assert len(recorded) == 1


def test_a_refresher_adds_a_completion_and_keeps_the_first(db, learner, course_a, do, recorded):
    course = course_a.course
    first_enrolment = progress.start_course(learner, course, now=T0).enrolment
    db.session.commit()
    for mv in course_a.module_versions[:3]:
        do.module(first_enrolment, mv, now=T0)
    _, (first,) = do.quiz(first_enrolment, course_a.module_versions[3], now=T0)
    first_values = (first.id, first.completed_at, first.expires_on, first.score)

    later = T0 + timedelta(days=1000)
    result = progress.start_course(learner, course, now=later)
    db.session.commit()
    refresher = result.enrolment
    assert result.created and refresher.cycle == 2 and not result.is_new_version
    # Modules done for the first completion do not count again: the refresher is done afresh.
    assert _states(refresher) == [ModuleState.not_started] * 3 + [ModuleState.cannot_start]
    for mv in course_a.module_versions[:3]:
        do.module(refresher, mv, now=later)
    _, (second,) = do.quiz(refresher, course_a.module_versions[3], now=later)

    completions = db.session.scalars(select(Completion).order_by(Completion.id)).all()
    assert [c.id for c in completions] == [first_values[0], second.id]
    kept = completions[0]
    assert (kept.id, kept.completed_at, kept.expires_on, kept.score) == first_values
    assert second.completed_at == later and second.expires_on > kept.expires_on
    assert recorded == [first_values[0], second.id]


def test_starting_twice_gives_the_same_enrolment(db, learner, course_a):
    first = progress.start_course(learner, course_a.course)
    db.session.commit()
    second = progress.start_course(learner, course_a.course)
    assert first.created and not second.created
    assert second.enrolment.id == first.enrolment.id


def test_a_shared_module_credits_both_courses(db, learner, do, recorded):
    shared = make_module_version("shared-lesson")
    own_a = make_module_version("own-a")
    own_b = make_module_version("own-b")
    course_one = make_course_version("one", [shared, own_a])
    course_two = make_course_version("two", [own_b, shared])
    one = progress.start_course(learner, course_one.course).enrolment
    two = progress.start_course(learner, course_two.course).enrolment
    db.session.commit()

    do.module(one, own_a)
    do.module(two, own_b)
    assert _states(one) == [ModuleState.not_started, ModuleState.completed]
    # Doing the shared module once, through course one, completes both courses.
    created = do.module(one, shared)
    assert sorted(c.course_id for c in created) == sorted([course_one.course_id, course_two.course_id])
    assert _states(two) == [ModuleState.completed, ModuleState.completed]
    assert len(recorded) == 2


def test_a_module_done_in_another_course_counts_in_a_newer_version(db, learner, do):
    shared_v1 = make_module_version("language")
    course_one = make_course_version("one", [shared_v1])
    one = progress.start_course(learner, course_one.course).enrolment
    db.session.commit()
    do.module(one, shared_v1)
    shared_v2 = make_module_version("language", sections=[("introduction", "New", "<p>Changed.</p>")])
    own = make_module_version("own")
    course_two = make_course_version("two", [own, shared_v2])
    two = progress.start_course(learner, course_two.course).enrolment
    db.session.commit()
    entry = progress.module_entries(two)[1]
    assert entry.state is ModuleState.completed and entry.credited_elsewhere
    assert entry.run.module_version_id == shared_v1.id


def test_a_module_done_long_ago_does_not_count(db, learner, do):
    shared = make_module_version("language")
    course_one = make_course_version("one", [shared])
    course_two = make_course_version("two", [make_module_version("own"), shared], refresher_months=12)
    long_ago = T0 - timedelta(days=800)
    one = progress.start_course(learner, course_one.course, now=long_ago).enrolment
    db.session.commit()
    do.module(one, shared, now=long_ago)
    two = progress.start_course(learner, course_two.course, now=T0).enrolment
    db.session.commit()
    assert progress.module_entries(two)[1].state is ModuleState.not_started


def test_reimport_midway_keeps_the_pinned_version(db, learner, do):
    modules = standard_modules()
    v1 = make_course_version("course", [modules["lesson"], modules["handbook"]])
    enrolment = progress.start_course(learner, v1.course).enrolment
    db.session.commit()
    do.module(enrolment, modules["lesson"])

    # The trainer changes the handbook and re-imports: a new module version and course version.
    handbook_v2 = make_module_version(
        "handbook", sections=[("introduction", "Handbook v2", "<p>New text.</p>")]
    )
    v2 = make_course_version("course", [modules["lesson"], handbook_v2])
    db.session.refresh(enrolment)
    assert enrolment.course_version_id == v1.id
    assert progress.has_newer_version(enrolment)
    entries = progress.module_entries(enrolment)
    assert [e.module_version.id for e in entries] == [modules["lesson"].id, modules["handbook"].id]
    assert progress.find_entry(enrolment, "handbook").module_version.title != "Handbook v2"

    created = do.module(enrolment, modules["handbook"])
    assert len(created) == 1 and created[0].course_version_id == v1.id
    assert [m.module_version_id for m in created[0].modules] == [modules["lesson"].id, modules["handbook"].id]

    # The refresher starts on the new version, and says so.
    result = progress.start_course(learner, v1.course)
    db.session.commit()
    assert result.is_new_version and result.previous_version.id == v1.id
    assert result.enrolment.course_version_id == v2.id


def test_enrolment_cycles_are_unique(db, learner, course_a):
    from sqlalchemy.exc import IntegrityError

    progress.start_course(learner, course_a.course)
    db.session.commit()
    db.session.add(Enrolment(user_id=learner.id, course_id=course_a.course_id, course_version_id=course_a.id, cycle=1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_take_a_break_saves_the_place(db, learner, course_a):
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    case = course_a.module_versions[1]
    run = progress.working_run(enrolment, case, create=True)
    progress.record_visit(run, 1)
    db.session.commit()
    assert run.last_section == 2
    progress.save_place(run, 3)
    db.session.commit()
    assert run.last_section == 3
    assert progress.resume_point(enrolment).module_version.id == case.id


def test_reflections_are_kept_per_learner(db, learner, make_user, course_a):
    case = course_a.module_versions[1]
    reflection = case.reflections[0]
    other = make_user()
    progress.save_reflection(learner.id, reflection, "  My own thoughts.  ")
    progress.save_reflection(other.id, reflection, "Someone else's thoughts.")
    db.session.commit()
    progress.save_reflection(learner.id, reflection, "My changed thoughts.")
    db.session.commit()
    assert progress.reflection_note(learner.id, reflection).text == "My changed thoughts."
    assert progress.reflection_note(other.id, reflection).text == "Someone else's thoughts."
    with pytest.raises(LearningError):
        progress.save_reflection(learner.id, reflection, "   ")
    with pytest.raises(LearningError):
        progress.save_reflection(learner.id, reflection, "x" * (progress.REFLECTION_MAX_LENGTH + 1))
