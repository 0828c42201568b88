"""Slow work that must wait for the transaction to commit (a PDF to render, later an email).

:func:`enqueue_after_commit` is the one seam: a service calls it inside the request's
transaction, and the job runs only once that transaction has committed. If the transaction rolls
back (or the savepoint the job was queued in does), the job is dropped with it, so a job never
acts on rows that were never committed.

Jobs take plain arguments (ids, not ORM objects), run in an application context of their own
(so a database session of their own, which they commit themselves) and must be safe to run
twice or not at all: whatever they make, something else can make later (``flask certificates
render --pending``, a first download). A job that raises is logged and forgotten.

Two engines, chosen by ``SIGHTLINE_JOBS``:

``thread`` (the default)
    One background thread per process runs the jobs in order, so the response goes out without
    waiting for them. Jobs still queued when the process exits are finished first (the
    executor is joined at exit).
``inline``
    Right after the commit, in the committing thread: what the tests use, so that what a job
    does is there when the request returns.

A real queue (Redis, a jobs table) replaces :func:`_submit` and nothing else.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from modules.core.extensions import db

log = logging.getLogger(__name__)

ENGINES = ("thread", "inline")
_PENDING = "sightline_jobs_pending"


@dataclass(frozen=True)
class Job:
    fn: Callable[..., Any]
    args: tuple
    kwargs: dict = field(default_factory=dict)
    # The savepoint it was queued in (None: the outer transaction), so that rolling that
    # savepoint back drops it.
    savepoint: SessionTransaction | None = None

    @property
    def name(self) -> str:
        return f"{self.fn.__module__}.{self.fn.__qualname__}"


def enqueue_after_commit(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``fn(*args, **kwargs)`` once the current transaction has committed."""
    session = db.session()
    job = Job(fn, args, kwargs, session.get_nested_transaction())
    session.info.setdefault(_PENDING, []).append((current_app._get_current_object(), job))


def pending_jobs() -> list[Job]:
    """The jobs queued in the current transaction (for tests and logging)."""
    return [job for _, job in db.session().info.get(_PENDING, [])]


# Session events --------------------------------------------------------------------------------

def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: its jobs now wait for the outer commit
    for app, job in session.info.pop(_PENDING, []):
        _submit(app, job)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    if not previous.nested:
        session.info.pop(_PENDING, None)
        return
    session.info[_PENDING] = [(app, job) for app, job in pending
                              if not _inside(job.savepoint, previous)]


def _inside(savepoint: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while savepoint is not None:
        if savepoint is ended:
            return True
        savepoint = savepoint.parent
    return False


event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_soft_rollback", _after_soft_rollback)


# Engines ---------------------------------------------------------------------------------------

_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None
_executor_lock = threading.Lock()
_futures: set[Future] = set()


def _submit(app, job: Job) -> None:
    if app.config.get("SIGHTLINE_JOBS") == "inline":
        _run(app, job)
        return
    future = _background().submit(_run, app, job)
    _futures.add(future)
    future.add_done_callback(_futures.discard)


def _background() -> ThreadPoolExecutor:
    """The process's job thread, made on first use (and made again in a forked child: a
    gunicorn worker does not inherit its parent's threads)."""
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sightline-jobs")
            _executor_pid = os.getpid()
            _futures.clear()
        return _executor


def _run(app, job: Job) -> None:
    with app.app_context():
        try:
            job.fn(*job.args, **job.kwargs)
        except Exception:  # noqa: BLE001 - a job must never take down the request or the thread
            log.exception("job %s failed", job.name)
            db.session.rollback()
        finally:
            db.session.remove()


def wait_for_jobs(timeout: float = 30) -> bool:
    """Wait until the background jobs queued so far have run (tests, benchmarks, shutdown).

    :return: False if some were still running after ``timeout`` seconds.
    """
    _, not_done = wait(list(_futures), timeout=timeout)
    return not not_done


def init_app(app) -> None:
    engine = app.config.setdefault(
        "SIGHTLINE_JOBS", os.environ.get("SIGHTLINE_JOBS", "inline" if app.testing else "thread")
    )
    if engine not in ENGINES:
        # The same one-line refusal as modules.core.config, not a traceback.
        sys.stderr.write(f"Sightline cannot start: SIGHTLINE_JOBS must be one of "
                         f"{', '.join(ENGINES)}, got {engine!r}\n")
        raise SystemExit(2)
