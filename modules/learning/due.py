"""When a required course is due (issue 13): written once, in Python and in SQL side by side.

A person P's first completion of a course is due ``due_within_days`` after the later of the day
P started (``User.started_on``) and the day the requirement first applied
(``TrainingRequirement.starts_on``): nobody is overdue for a requirement that did not exist yet,
or from before they joined. Several requirements for one course: the earliest date wins. Once P
has completed the course, the refresher is due by the completion's ``expires_on`` instead.

:func:`first_due_on` (My training) and :func:`first_due_on_clause` (the reports, the reminders)
are the same rule; tests/learning/test_due_dates.py checks them against each other.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import and_, or_
from sqlalchemy.sql import ColumnElement

from modules.accounts.models import Approval, User
from modules.core.database import add_days, later_of
from modules.learning.models import TrainingRequirement


def first_due_on(started_on: date, requirements: Iterable[TrainingRequirement]) -> date | None:
    """The day the first completion is due, over the matching ``requirements`` (None: none)."""
    dates = [max(started_on, r.starts_on) + timedelta(days=r.due_within_days) for r in requirements]
    return min(dates) if dates else None


def due_on(started_on: date, requirements: Iterable[TrainingRequirement], expires_on: date | None) -> date | None:
    """A completion's ``expires_on`` if there is one (the refresher is due then), else the first
    completion's due day."""
    return expires_on if expires_on is not None else first_due_on(started_on, requirements)


def first_due_on_clause(started_on):
    """The SQL twin of :func:`first_due_on` for one ``TrainingRequirement`` row in the query
    (take ``min()`` of it over a person's matching rows). ``started_on`` is a column or a date."""
    return add_days(later_of(started_on, TrainingRequirement.starts_on), TrainingRequirement.due_within_days)


def counted_on(day: date) -> ColumnElement[bool]:
    """Whether a person is in the compliance denominator on ``day`` (issue 13's rule).

    Approved accounts only (someone waiting for approval is not yet staff), and either still
    here (active, no leaving date) or leaving on ``day`` or later: a leaver counts up to and
    including their last day and not from the day after, whatever the account's state.
    """
    return and_(
        User.approval == Approval.approved,
        or_(and_(User.active.is_(True), User.left_on.is_(None)), User.left_on >= day),
    )
