"""Withdrawing a completion that turns out not to be real.

When a partnership admin revokes a certificate because it was issued in error (the person did
not complete the training), the completion it was issued for is withdrawn too. The row is kept,
marked ``withdrawn_at``, so the record of what happened survives; from then on it counts nowhere:

- "My training" and the course page ignore it, so the course shows as still to be done (or the
  state of an earlier completion, if there is one) and starting it begins a new cycle;
- module runs finished before it still do not count towards that new cycle
  (:func:`modules.learning.progress.credit_window` deliberately still sees it as the previous
  completion): the training has to be done again, not merely recorded again;
- reports leave it out (compliance, completions in a period, every export), and the person's
  latest completion of the course is recomputed here, in the same transaction;
- the learner record still lists it, marked as withdrawn.

The first withdrawal stands: a conditional UPDATE ... WHERE withdrawn_at IS NULL, so two at the
same moment change the row once and write one audit event.

A certificate reinstated after such a revocation restores its completion
(:func:`restore_completion`, the inverse): it counts again from its own dates, and reports and
My training see it as before. Module runs are not touched either way.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import update

from modules.accounts.models import User
from modules.core import audit
from modules.core.extensions import db
from modules.core.models import utcnow
from modules.learning.latest import refresh_latest
from modules.learning.models import Completion
from modules.learning.signals import completion_withdrawn


def withdraw_completion(
    completion: Completion, *, actor: User, reason: str, now: datetime | None = None
) -> bool:
    """Mark ``completion`` withdrawn (not committed here) and tell the other areas.

    Audit-logged as ``completion.withdrawn``.

    :return: False when it was withdrawn already (nothing changes).
    """
    result = db.session.execute(
        update(Completion)
        .where(Completion.id == completion.id, Completion.withdrawn_at.is_(None))
        .values(withdrawn_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(completion, ["withdrawn_at"])
    audit.record(
        "completion.withdrawn",
        actor=actor,
        subject=completion,
        agency_id=completion.user.agency_id,
        person_id=completion.user_id,
        course_id=completion.course_id,
        completed_on=completion.completed_on.isoformat(),
        reason=reason,
    )
    refresh_latest(completion.user_id, completion.course_id)
    completion_withdrawn.send(current_app._get_current_object(), completion=completion)
    return True


def restore_completion(
    completion: Completion, *, actor: User, reason: str
) -> bool:
    """Undo :func:`withdraw_completion` (not committed here): the completion counts again, from
    its own completion date to its own expiry, as if it had never been withdrawn. Used when a
    certificate revoked as "issued in error" turns out to be right after all.

    Audit-logged as ``completion.restored``; the person's latest completion of the course is
    recomputed in the same transaction. The first restore stands, as for withdrawal.

    :return: False when it was not withdrawn (nothing changes).
    """
    result = db.session.execute(
        update(Completion)
        .where(Completion.id == completion.id, Completion.withdrawn_at.is_not(None))
        .values(withdrawn_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(completion, ["withdrawn_at"])
    audit.record(
        "completion.restored",
        actor=actor,
        subject=completion,
        agency_id=completion.user.agency_id,
        person_id=completion.user_id,
        course_id=completion.course_id,
        completed_on=completion.completed_on.isoformat(),
        reason=reason,
    )
    refresh_latest(completion.user_id, completion.course_id)
    return True
