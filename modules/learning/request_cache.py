"""What the learner's pages work out once per request: their enrolments, the module runs that
count, their requirements.

A page asks "which modules of this course are done?" from several places (the loader that checks
the URL, the status, the template's task list, "continue where you left off"); without a memo
each would query again, once per module. The memo lives in the database session's ``info``
(one session per request), and it is forgotten whenever the session writes (a flush, a Core
INSERT/UPDATE/DELETE through the session), commits or rolls back, so a POST that records
progress and then asks again always sees what it has just done.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from modules.core.extensions import db

_KEY = "sightline_learning_memo"
T = TypeVar("T")


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned earlier in this request if nothing was written since."""
    store = db.session().info.setdefault(_KEY, {})
    if key not in store:
        store[key] = compute()
    return store[key]


def recall(key: Hashable):
    """What was remembered under ``key`` in this request (None if nothing, or forgotten)."""
    return db.session().info.get(_KEY, {}).get(key)


def remember(key: Hashable, value) -> None:
    db.session().info.setdefault(_KEY, {})[key] = value


def _forget(session: Session, *_args) -> None:
    session.info.pop(_KEY, None)


def _forget_after_a_write(execute_state) -> None:
    if not execute_state.is_select:
        execute_state.session.info.pop(_KEY, None)


for _name in ("after_flush", "after_commit", "after_soft_rollback"):
    event.listen(Session, _name, _forget)
event.listen(Session, "do_orm_execute", _forget_after_a_write)
