"""The compliance states a report counts, and the rule that decides them (issue 13).

For one person and one course they must take, on day D (the report's "measured on" day):

- with a latest completion that counts (never a withdrawn one):
  - **Expired**: its ``expires_on`` is before D;
  - **Expiring**: it counts on D but runs out within ``SIGHTLINE_REFRESHER_WINDOW_DAYS`` (60) of D
    (My training's "refresher due soon");
  - **Compliant**: it counts for longer than that;
- without one, by the due day (:mod:`modules.learning.due`):
  - **Overdue**: the due day is before D, whether or not they have started;
  - **Due soon**: due within ``SIGHTLINE_DUE_SOON_DAYS`` (30) of D;
  - **Not yet due**: later than that.

The six states split the staff in scope exactly, so the columns of the dashboard add up.
**Covered** (the compliance figure) is compliant plus expiring. **In progress** (started on or
before D and not completed) is a separate fact, shown beside the state, not a seventh state.
"""
from __future__ import annotations

from datetime import date

from modules.core.enums import LabelledEnum, TaggedStatus


class ReportStatus(TaggedStatus):
    compliant = ("Compliant", "govuk-tag--green")
    expiring = ("Expiring", "govuk-tag--turquoise")
    expired = ("Expired", "govuk-tag--red")
    overdue = ("Overdue", "govuk-tag--red")
    due_soon = ("Due soon", "govuk-tag--orange")
    not_yet_due = ("Not yet due", "govuk-tag--grey")

    @property
    def covered(self) -> bool:
        return self in COVERED


COVERED = (ReportStatus.compliant, ReportStatus.expiring)


class PeopleFilter(LabelledEnum):
    """What a drill-down list can show: a state, the covered people, or those in progress."""

    compliant = "Compliant"
    expiring = "Expiring"
    expired = "Expired"
    overdue = "Overdue"
    due_soon = "Due soon"
    not_yet_due = "Not yet due"
    covered = "Covered (compliant or expiring)"
    # What the managers' digests link to: everyone who needs chasing now, and everyone soon.
    overdue_or_expired = "Overdue or expired"
    due_soon_or_expiring = "Due soon or expiring"
    in_progress = "In progress (started, not completed)"

    @property
    def statuses(self) -> tuple[ReportStatus, ...] | None:
        """The states this filter keeps (None: in progress, which is not a state)."""
        if self is PeopleFilter.covered:
            return COVERED
        if self is PeopleFilter.overdue_or_expired:
            return (ReportStatus.overdue, ReportStatus.expired)
        if self is PeopleFilter.due_soon_or_expiring:
            return (ReportStatus.due_soon, ReportStatus.expiring)
        if self is PeopleFilter.in_progress:
            return None
        return (ReportStatus[self.name],)


def classify(*, due_on: date | None, completed: bool, as_at: date, expiring_days: int,
             due_soon_days: int) -> ReportStatus:
    """The state of one person and course on ``as_at``.

    :param due_on: the latest completion's ``expires_on`` when ``completed``, else the first
        completion's due day (:func:`modules.learning.due.due_on`).
    """
    days_left = (due_on - as_at).days
    if completed:
        if days_left < 0:
            return ReportStatus.expired
        return ReportStatus.expiring if days_left <= expiring_days else ReportStatus.compliant
    if days_left < 0:
        return ReportStatus.overdue
    return ReportStatus.due_soon if days_left <= due_soon_days else ReportStatus.not_yet_due
