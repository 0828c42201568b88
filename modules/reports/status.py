"""The compliance states a report counts, and the rule that decides them.

The rule is "My training"'s (:mod:`modules.learning.status`), seen by a manager: a person's
latest completion of a course decides, whatever they are doing now.

- **Compliant**: the latest completion counts on the day (its ``expires_on`` is that day or later).
  "Refresher due soon" on My training is compliant here; the dashboard shows who expires within
  30, 60 and 90 days instead.
- **Overdue or expired**: there is a completion but it stopped counting (even if a refresher is
  under way: the person is not covered until they finish it).
- **In progress**: never completed, but started.
- **Not started**: never completed and never started.

The four states split the staff in scope exactly, so the columns of the dashboard add up.
"""
from __future__ import annotations

from datetime import date

from modules.core.enums import LabelledEnum, TaggedStatus

EXPIRY_WINDOWS = (30, 60, 90)


class ReportStatus(TaggedStatus):
    compliant = ("Compliant", "govuk-tag--green")
    in_progress = ("In progress", "govuk-tag--light-blue")
    not_started = ("Not started", "govuk-tag--grey")
    overdue = ("Overdue or expired", "govuk-tag--red")


class PeopleFilter(LabelledEnum):
    """What a drill-down list can show: a state, or the compliant people expiring soon."""

    compliant = "Compliant"
    in_progress = "In progress"
    not_started = "Not started"
    overdue = "Overdue or expired"
    expiring_30 = "Compliant, expiring within 30 days"
    expiring_60 = "Compliant, expiring within 60 days"
    expiring_90 = "Compliant, expiring within 90 days"

    @property
    def status(self) -> ReportStatus:
        return ReportStatus[self.name] if self.name in ReportStatus.__members__ else ReportStatus.compliant

    @property
    def window_days(self) -> int | None:
        return int(self.name.split("_")[1]) if self.name.startswith("expiring_") else None


def classify(expires_on: date | None, started: bool, as_at: date) -> ReportStatus:
    """The state of one person and course on ``as_at``.

    :param expires_on: the last day the latest completion counts (None: never completed).
    :param started: whether the person has started the course (any enrolment).
    """
    if expires_on is not None:
        return ReportStatus.compliant if expires_on >= as_at else ReportStatus.overdue
    return ReportStatus.in_progress if started else ReportStatus.not_started


def expires_within(expires_on: date | None, days: int, as_at: date) -> bool:
    """Compliant on ``as_at`` and the last day it counts is at most ``days`` days later."""
    return expires_on is not None and 0 <= (expires_on - as_at).days <= days
