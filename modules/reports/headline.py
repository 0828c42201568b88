"""One agency's compliance at a glance, for the page a manager lands on (``/agencies/<id>``).

Nothing is counted here that the reports do not already count: the figure is the dashboard's own
(:func:`modules.reports.services.dashboard` over the agency in the current reporting year, as
``/reports?agency=<id>`` shows it), and each person's line in the staff list is their rows of
:func:`modules.reports.queries.person_course_rows`, the rows the people list and its "see who"
links read.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from modules.core.extensions import db
from modules.core.settings import setting
from modules.reports import queries, services
from modules.reports.periods import reporting_year_of
from modules.reports.queries import ReportScope
from modules.reports.services import Counts
from modules.reports.status import PeopleFilter, ReportStatus

# Most urgent first: the order the landing page lists the states in, and how a person's worst
# course is chosen for the staff list.
URGENCY = (ReportStatus.expired, ReportStatus.overdue, ReportStatus.due_soon, ReportStatus.expiring,
           ReportStatus.not_yet_due, ReportStatus.compliant)


def agency_scope(agency_id: int, today: date) -> ReportScope:
    """The scope of ``/reports?agency=<id>`` with no other filter: the current reporting year,
    measured today, with the status windows from the settings (as filters.resolve sets them)."""
    return ReportScope(
        agency_ids=frozenset({agency_id}), period=reporting_year_of(today), today=today,
        expiring_days=setting("SIGHTLINE_REFRESHER_WINDOW_DAYS"), due_soon_days=setting("SIGHTLINE_DUE_SOON_DAYS"),
    )


@dataclass(frozen=True)
class StateFigure:
    """One state's count, and the people-list filter that shows who is behind it."""

    label: str
    count: int
    status: str  # a PeopleFilter name, for ?status=


@dataclass(frozen=True)
class Headline:
    counts: Counts
    as_at: date

    @property
    def figures(self) -> list[StateFigure]:
        """The six states, most urgent first, then in progress (a separate fact)."""
        states = [StateFigure(s.label, getattr(self.counts, s.name), s.name) for s in URGENCY]
        return [*states, StateFigure("In progress", self.counts.in_progress, PeopleFilter.in_progress.name)]


def agency_headline(agency_id: int, today: date) -> Headline:
    scope = agency_scope(agency_id, today)
    board = services.dashboard(scope)
    total = next((a.counts for a in board.agencies if a.agency_id == agency_id), Counts())
    return Headline(total, scope.as_at)


@dataclass(frozen=True)
class StaffTraining:
    """One person's required courses by state, as the people list shows them."""

    states: tuple[tuple[ReportStatus, int], ...]  # most urgent first, only states they have
    in_progress: int

    @property
    def most_urgent(self) -> ReportStatus:
        return self.states[0][0]

    @property
    def courses(self) -> int:
        return sum(n for _, n in self.states)


def staff_training(agency_id: int, today: date) -> dict[int, StaffTraining]:
    """Every counted member of the agency's staff with required training: user id -> their
    states. One query, whatever the number of staff."""
    rows = queries.person_course_rows(agency_scope(agency_id, today))
    by_person: dict[int, Counter] = {}
    in_progress: Counter = Counter()
    for row in db.session.execute(select(rows.c.user_id, rows.c.status, rows.c.started, rows.c.completion_id)):
        by_person.setdefault(row.user_id, Counter())[ReportStatus[row.status]] += 1
        if row.started and row.completion_id is None:
            in_progress[row.user_id] += 1
    return {
        user_id: StaffTraining(tuple((s, counts[s]) for s in URGENCY if counts[s]), in_progress[user_id])
        for user_id, counts in by_person.items()
    }
