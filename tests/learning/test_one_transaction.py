"""One transaction per request: services never commit, and a lost race rolls back only its own
savepoint, on SQLite as on PostgreSQL."""
from __future__ import annotations

from sqlalchemy import func, select

from modules.learning import progress
from modules.learning.models import Enrolment, ReflectionNote


def _count(db, model) -> int:
    with db.engine.connect() as connection:  # what is committed
        return connection.scalar(select(func.count()).select_from(model))


def test_a_savepoint_holding_the_first_write_does_not_commit_by_itself(db, learner, course_a):
    # start_course's INSERT is the request's first write, inside a savepoint: releasing the
    # savepoint must not commit it (SQLite's driver would, if nothing had opened the transaction).
    result = progress.start_course(learner, course_a.course)
    assert result.created
    assert _count(db, Enrolment) == 0
    db.session.rollback()
    assert _count(db, Enrolment) == 0


def test_a_lost_race_rolls_back_only_its_savepoint(db, learner, course_a, monkeypatch):
    # Another request started the course a moment ago (committed); this one has not seen it yet.
    db.session.add(Enrolment(user_id=learner.id, course_id=course_a.course_id,
                             course_version_id=course_a.id, cycle=1))
    db.session.commit()
    real_latest = progress.latest_enrolment
    calls = []

    def not_seen_yet(user_id, course_id):
        calls.append(course_id)
        return None if len(calls) == 1 else real_latest(user_id, course_id)

    monkeypatch.setattr(progress, "latest_enrolment", not_seen_yet)
    reflection = course_a.module_versions[1].reflections[0]
    progress.save_reflection(learner.id, reflection, "Written before starting.")
    result = progress.start_course(learner, course_a.course)
    db.session.commit()

    assert not result.created and result.enrolment.cycle == 1
    assert _count(db, Enrolment) == 1
    assert _count(db, ReflectionNote) == 1  # the request's other work survived the lost race
