"""One person's training record as a manager sees it.

The course states come from :func:`modules.learning.status.training_overview` and the history from
:func:`modules.learning.record.learner_record`, the very functions behind the person's own
"My training" and learner record pages, so a manager and the learner always see the same thing.
Reflections are never read here: they are private to the learner.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from modules.accounts.models import User
from modules.content.models import CourseVersion
from modules.core.config import DEFAULTS
from modules.learning.manual import manual_records_for
from modules.learning.models import Completion, ManualCompletion
from modules.learning.record import RecordRow, learner_record
from modules.learning.status import DEFAULT_WINDOW_DAYS, CourseStatus, training_overview
from modules.reports.status import ReportStatus, classify


@dataclass(frozen=True)
class HistoryEntry:
    row: RecordRow  # the learner record's row: the completion, its state, whether superseded
    manual: ManualCompletion | None

    @property
    def completion(self) -> Completion:
        return self.row.completion

    @property
    def version(self) -> CourseVersion:
        return self.row.completion.course_version


@dataclass(frozen=True)
class RequiredEntry:
    status: CourseStatus  # as on the person's "My training"
    report_status: ReportStatus  # the dashboard's state for the same course


@dataclass(frozen=True)
class PersonRecord:
    required: list[RequiredEntry]
    optional: list[CourseStatus]
    history: list[HistoryEntry]


def person_record(person: User, today: date, *, window_days: int = DEFAULT_WINDOW_DAYS,
                  due_soon_days: int = DEFAULTS["SIGHTLINE_DUE_SOON_DAYS"]) -> PersonRecord:
    """The person's required courses (as on their My training page) and every completion (their
    learner record), with the evidence of any recorded manually."""
    overview = training_overview(person, today=today, window_days=window_days)
    manual = manual_records_for(person.id)
    return PersonRecord(
        required=[
            RequiredEntry(
                status=s,
                report_status=classify(due_on=s.due_on, completed=s.completion is not None, as_at=today,
                                       expiring_days=window_days, due_soon_days=due_soon_days),
            )
            for s in overview.required
        ],
        optional=overview.optional,
        history=[
            HistoryEntry(row, manual.get(row.completion.id))
            for row in learner_record(person.id, today=today, window_days=window_days)
        ],
    )
