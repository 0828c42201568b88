"""modules.core.jobs: work queued in a transaction runs after it commits, and never if it does not."""
from __future__ import annotations

import logging
import threading

import pytest

from modules.core import jobs
from modules.core.models import AuditEvent


def _event(db, action: str) -> None:
    db.session.add(AuditEvent(action=action, details={}))


def _committed_actions(db) -> list[str]:
    """What another connection sees: only what was committed."""
    with db.engine.connect() as connection:
        return [row.action for row in connection.execute(db.select(AuditEvent.action).order_by(AuditEvent.id))]


def test_a_job_runs_only_after_the_commit_and_sees_what_was_committed(db):
    seen = []
    _event(db, "first")
    jobs.enqueue_after_commit(lambda: seen.append(_committed_actions(db)))
    db.session.flush()
    assert seen == [] and len(jobs.pending_jobs()) == 1  # not at enqueue time, nor at a flush
    db.session.commit()
    assert seen == [["first"]]
    assert jobs.pending_jobs() == []


def test_a_rolled_back_transaction_drops_its_jobs(db):
    seen = []
    _event(db, "never")
    jobs.enqueue_after_commit(seen.append, "ran")
    db.session.rollback()
    db.session.commit()
    assert seen == []


def test_a_rolled_back_savepoint_drops_only_the_jobs_queued_inside_it(db):
    seen = []
    jobs.enqueue_after_commit(seen.append, "outer")
    savepoint = db.session.begin_nested()
    jobs.enqueue_after_commit(seen.append, "inner, rolled back")
    savepoint.rollback()
    with db.session.begin_nested():
        jobs.enqueue_after_commit(seen.append, "inner, released")
    assert seen == []  # releasing a savepoint is not the commit
    db.session.commit()
    assert seen == ["outer", "inner, released"]


def test_a_failing_job_is_logged_and_the_commit_stands(db, caplog):
    def broken():
        raise RuntimeError("render failed")

    _event(db, "kept")
    jobs.enqueue_after_commit(broken)
    with caplog.at_level(logging.ERROR, logger="modules.core.jobs"):
        db.session.commit()
    assert "failed" in caplog.text and "render failed" in caplog.text
    assert _committed_actions(db) == ["kept"]


def test_a_job_has_a_session_of_its_own(db):
    def write():
        _event(db, "by the job")
        db.session.commit()

    _event(db, "by the request")
    jobs.enqueue_after_commit(write)
    db.session.commit()
    assert _committed_actions(db) == ["by the request", "by the job"]


def test_background_jobs_do_not_hold_up_the_commit(app, db):
    app.config["SIGHTLINE_JOBS"] = "thread"
    release, started = threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(timeout=10)

    jobs.enqueue_after_commit(slow)
    db.session.commit()  # returns while the job is still running
    assert started.wait(timeout=10)
    assert not jobs.wait_for_jobs(timeout=0.05)
    release.set()
    assert jobs.wait_for_jobs(timeout=10)


def test_an_unknown_job_engine_is_refused_at_start(tmp_path, capsys):
    from tests.conftest import _test_config, build_app

    config = {**_test_config(f"sqlite:///{tmp_path / 'x.db'}", tmp_path), "SIGHTLINE_JOBS": "celery"}
    with pytest.raises(SystemExit):
        build_app(config)
    assert "SIGHTLINE_JOBS must be one of thread, inline" in capsys.readouterr().err
