"""Keeping :class:`~modules.learning.models.LatestCompletion` (each person's latest completion of
each course, which the reports' dashboard counts) in step with the completions.

- :func:`note_completion` is called directly by whatever records a completion, in the same
  transaction (:func:`modules.learning.completion.record_completion`; the manual-record service
  until it goes through that too). It is an upsert that only ever moves forward, so two
  completions committed in any order leave the later one.
- :func:`refresh_latest` recomputes one person's row for one course: withdrawing a completion
  calls it directly (:mod:`modules.learning.withdrawal`), since a withdrawn completion can be the
  latest one and only moving forward would leave it counting.
- :func:`rebuild_latest` recomputes the whole table from ``learning_completions`` in one
  statement (after a bulk load, or if anything ever wrote completions some other way).

Withdrawn completions are never anyone's latest.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, delete, func, insert, or_, select

from modules.core.database import dialect_insert
from modules.core.extensions import db
from modules.learning.models import Completion, CompletionSource, LatestCompletion


def note_completion(completion: Completion) -> None:
    """Make ``completion`` the person's latest for its course, unless a later one is there already.

    The caller commits (with the completion itself).
    """
    values = dict(
        user_id=completion.user_id,
        course_id=completion.course_id,
        completion_id=completion.id,
        completed_at=completion.completed_at,
        completed_on=completion.completed_on,
        expires_on=completion.expires_on,
        manual=completion.source is CompletionSource.manual,
    )
    statement = dialect_insert(LatestCompletion).values(**values)
    table = LatestCompletion.__table__
    newer = or_(
        table.c.completed_at < statement.excluded.completed_at,
        and_(
            table.c.completed_at == statement.excluded.completed_at,
            table.c.completion_id < statement.excluded.completion_id,
        ),
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.user_id, table.c.course_id],
            set_={key: statement.excluded[key] for key in values if key not in ("user_id", "course_id")},
            where=newer,
        )
    )


def latest_completion_ranking(*, on_or_before: date | None = None, course_id: int | None = None,
                              user_ids=None):
    """Each person's latest completion of each course that counts, as a subquery ``ranked``.

    Columns: user_id, course_id, completion_id, completed_at, completed_on, expires_on, manual,
    position (1 is the latest). The one definition of "latest": the latest ``completed_at``, the
    higher id breaking a tie (the order :func:`note_completion` moves forward in); withdrawn
    completions never count. :func:`rebuild_latest` keeps position 1 of every completion; the
    reports ask for a past day with ``on_or_before`` (completions recorded on or before it),
    optionally one course and some people (``user_ids``: a subquery or list of ids).
    """
    query = select(
        Completion.user_id,
        Completion.course_id,
        Completion.id.label("completion_id"),
        Completion.completed_at,
        Completion.completed_on,
        Completion.expires_on,
        (Completion.source == CompletionSource.manual).label("manual"),
        func.row_number()
        .over(
            partition_by=(Completion.user_id, Completion.course_id),
            order_by=(Completion.completed_at.desc(), Completion.id.desc()),
        )
        .label("position"),
    ).where(Completion.withdrawn_at.is_(None))
    if on_or_before is not None:
        query = query.where(Completion.completed_on <= on_or_before)
    if course_id is not None:
        query = query.where(Completion.course_id == course_id)
    if user_ids is not None:
        query = query.where(Completion.user_id.in_(user_ids))
    return query.subquery("ranked")


def rebuild_latest() -> int:
    """Recompute every row from the completions (one INSERT ... SELECT). The caller commits.

    :return: the number of rows.
    """
    ranked = latest_completion_ranking()
    db.session.execute(delete(LatestCompletion))
    db.session.execute(
        insert(LatestCompletion).from_select(
            ["user_id", "course_id", "completion_id", "completed_at", "completed_on", "expires_on", "manual"],
            select(
                ranked.c.user_id, ranked.c.course_id, ranked.c.completion_id, ranked.c.completed_at,
                ranked.c.completed_on, ranked.c.expires_on, ranked.c.manual,
            ).where(ranked.c.position == 1),
        )
    )
    return db.session.scalar(select(func.count()).select_from(LatestCompletion))


def refresh_latest(user_id: int, course_id: int) -> None:
    """Recompute the person's row for the course from their completions that still count (none
    left: no row). The caller commits."""
    db.session.execute(
        delete(LatestCompletion).where(LatestCompletion.user_id == user_id, LatestCompletion.course_id == course_id)
    )
    latest = db.session.scalar(
        select(Completion)
        .where(Completion.user_id == user_id, Completion.course_id == course_id, Completion.withdrawn_at.is_(None))
        .order_by(Completion.completed_at.desc(), Completion.id.desc())
        .limit(1)
    )
    if latest is not None:
        note_completion(latest)
