"""Report services: the dashboard, the drill-down lists and their rows for the exports.

Plain functions over a :class:`~modules.reports.queries.ReportScope` (built and agency-scoped by
:mod:`modules.reports.filters`). Each list has one column definition used by its page, its CSV
and its XLSX, so an export holds exactly what the page shows.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text

from modules.accounts.models import Agency, AgencyKind
from modules.content.models import Course, CourseVersion
from modules.core.database import STREAM_BATCH, stream_rows
from modules.core.extensions import db
from modules.core.tabular import Column, Kind
from modules.learning.due import first_due_on
from modules.learning.models import TrainingRequirement
from modules.learning.requirements import requirement_covers
from modules.reports import queries
from modules.reports.charts import ComplianceBar, MonthCount
from modules.reports.queries import ReportScope
from modules.reports.status import ReportStatus, classify

PAGE_SIZE = 100
# Rows fetched from the database at a time while streaming an export, so memory stays flat
# whatever the number of rows.


# The dashboard ------------------------------------------------------------------------------

# The six states, in the order the pages, exports and charts show them.
STATES = ("compliant", "expiring", "expired", "overdue", "due_soon", "not_yet_due")


@dataclass(frozen=True)
class Counts:
    """Person-course pairs by state, plus in progress (started, not completed)."""

    in_scope: int = 0
    compliant: int = 0
    expiring: int = 0
    expired: int = 0
    overdue: int = 0
    due_soon: int = 0
    not_yet_due: int = 0
    in_progress: int = 0
    completions: int = 0
    manual_completions: int = 0

    @property
    def covered(self) -> int:
        """The compliance figure: compliant or expiring (the training still counts)."""
        return self.compliant + self.expiring

    @property
    def percent(self) -> int | None:
        return percent(self.covered, self.in_scope)

    def plus(self, other: Counts) -> Counts:
        return Counts(**{f: getattr(self, f) + getattr(other, f) for f in Counts.__dataclass_fields__})

    def bar(self, label: str) -> ComplianceBar:
        return ComplianceBar(label, **{state: getattr(self, state) for state in STATES})


@dataclass(frozen=True)
class DashboardRow:
    agency_id: int
    agency: str
    course_id: int
    course_code: str
    course_title: str
    course_level: int
    counts: Counts

    def __getattr__(self, name: str):
        # row.covered, row.overdue, ...: the counts read as the row's own figures.
        if name == "counts":
            raise AttributeError(name)
        return getattr(self.counts, name)

    def values(self) -> tuple:
        c = self.counts
        return (self.agency, self.course_code, self.course_title, self.course_level, c.in_scope,
                c.covered, c.percent, *(getattr(c, state) for state in STATES), c.in_progress,
                c.completions, c.manual_completions)


DASHBOARD_COLUMNS = (
    Column("Agency", width=36), Column("Course code", width=14), Column("Course", width=36),
    Column("Level", Kind.integer), Column("Staff in scope", Kind.integer),
    Column("Covered", Kind.integer), Column("% covered", Kind.percent),
    *(Column(ReportStatus[state].label, Kind.integer) for state in STATES),
    Column("In progress", Kind.integer),
    Column("Completions in period", Kind.integer), Column("Of which recorded manually", Kind.integer),
)


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage (half rounds up), or None when there is nobody to count."""
    return None if not whole else (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class AgencyTotal:
    agency_id: int
    agency: str
    counts: Counts

    def __getattr__(self, name: str):
        if name == "counts":
            raise AttributeError(name)
        return getattr(self.counts, name)

    def as_bar(self) -> ComplianceBar:
        return self.counts.bar(self.agency)


@dataclass(frozen=True)
class Dashboard:
    scope: ReportScope
    rows: list[DashboardRow]
    months: list[MonthCount]
    # Every agency in scope by id, so that one with no required training still shows (as zero).
    agency_names: dict[int, str]

    @property
    def agencies(self) -> list[AgencyTotal]:
        """Every agency's figures over all its required courses (person-course pairs)."""
        totals = {agency_id: Counts() for agency_id in self.agency_names}
        names = dict(self.agency_names)
        for row in self.rows:
            totals[row.agency_id] = totals.get(row.agency_id, Counts()).plus(row.counts)
            names.setdefault(row.agency_id, row.agency)
        return sorted((AgencyTotal(i, names[i], c) for i, c in totals.items()), key=lambda t: t.agency)

    @property
    def total(self) -> Counts:
        total = Counts()
        for row in self.rows:
            total = total.plus(row.counts)
        return total

    @property
    def total_completions(self) -> int:
        return sum(m.count for m in self.months)

    def bars(self, *, with_agency: bool) -> list[ComplianceBar]:
        return [
            row.counts.bar(f"{row.agency}: {row.course_code}" if with_agency else f"{row.course_code} {row.course_title}")
            for row in self.rows
            if row.in_scope
        ]


def dashboard(scope: ReportScope) -> Dashboard:
    """The compliance dashboard for ``scope``: one row per agency and required course.

    Counted in groups of staff (agency, team, training level, joined); a course counts for a
    group when the learning area's own rule
    (:func:`modules.learning.requirements.requirement_covers`) requires it of them, and those who
    have not completed it are overdue, due soon or not yet due by the group's due day
    (:func:`modules.learning.due.first_due_on`). Agency/course pairs with completions in the
    period but nobody now required to take the course still appear (with nobody in scope), so
    the completion figures are complete.
    """
    with report_transaction():
        agencies = _agencies_in_scope(scope)
        rule = _RequirementRule(scope)
        floor = rule.earliest_start
        counts: dict[tuple[int, int], dict[str, int]] = {}

        def add(agency_id: int, course_id: int, **values: int) -> None:
            bucket = counts.setdefault((agency_id, course_id), dict.fromkeys(Counts.__dataclass_fields__, 0))
            for key, value in values.items():
                bucket[key] += value

        done: dict[tuple, dict[int, int]] = {}  # (agency, team, level, joined, course) -> bucket -> people
        for group in db.session.execute(queries.pair_groups_query(scope, floor)):
            key = (group.agency_id, group.team_id, group.training_level, group.joined, group.course_id)
            done.setdefault(key, {})[group.bucket] = group.people
        for group in db.session.execute(queries.staff_groups_query(scope, floor)):
            kind = agencies.kinds[group.agency_id]
            for course_id, requirements in rule.required(kind, group.team_id, group.training_level).items():
                buckets = done.get((group.agency_id, group.team_id, group.training_level, group.joined, course_id), {})
                figures = {name: buckets.get(b, 0) for b, name in queries.COMPLETED_BUCKETS.items()}
                completed = sum(figures.values())
                waiting = classify(
                    due_on=first_due_on(group.joined, requirements), completed=False, as_at=scope.as_at,
                    expiring_days=scope.expiring_days, due_soon_days=scope.due_soon_days,
                )
                figures[waiting.name] = group.staff - completed
                add(group.agency_id, course_id, in_scope=group.staff,
                    in_progress=buckets.get(queries.BUCKET_STARTED, 0) - completed, **figures)
        months = _months(scope)
        month_totals = [0] * len(months)
        for row in db.session.execute(queries.period_completions_query(scope, months)):
            add(row.agency_id, row.course_id, completions=row.completions, manual_completions=row.manual)
            for index in range(len(months)):
                month_totals[index] += getattr(row, f"m{index}")
        courses = _courses({course_id for _, course_id in counts})

    rows = []
    for (agency_id, course_id), c in counts.items():
        if course_id not in courses or agency_id not in agencies.names:
            continue  # a course whose content was withdrawn
        code, title, level = courses[course_id]
        rows.append(DashboardRow(
            agency_id=agency_id, agency=agencies.names[agency_id], course_id=course_id, course_code=code,
            course_title=title, course_level=level, counts=Counts(**c),
        ))
    rows.sort(key=lambda r: (r.agency, r.course_code))
    return Dashboard(
        scope=scope, rows=rows, agency_names=agencies.names,
        months=[MonthCount(first.strftime("%b %Y"), total) for first, total in zip(months, month_totals, strict=True)],
    )


@contextmanager
def report_transaction() -> Iterator[None]:
    """Run the dashboard's queries with settings that suit a short analytical read on PostgreSQL.

    PostgreSQL's JIT compiler switches itself on for queries it estimates to be expensive and
    can then spend longer compiling than running (measured here: 2.3 s of compilation for a
    0.5 s query), so it is turned off for this transaction only (``SET LOCAL``).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))
    yield


@dataclass(frozen=True)
class _Agencies:
    names: dict[int, str]
    kinds: dict[int, AgencyKind]


def _agencies_in_scope(scope: ReportScope) -> _Agencies:
    query = select(Agency.id, Agency.name, Agency.kind)
    if scope.agency_ids is not None:
        query = query.where(Agency.id.in_(sorted(scope.agency_ids)))
    if scope.team_id is not None:
        query = query.where(Agency.teams.any(id=scope.team_id))
    rows = db.session.execute(query).all()
    return _Agencies(names={r.id: r.name for r in rows}, kinds={r.id: r.kind for r in rows})


class _RequirementRule:
    """Which courses (with content, matching the scope's course and level filters) are required
    of a group of staff, with the requirements that set when: the learning area's rule applied
    to the group's facts."""

    def __init__(self, scope: ReportScope):
        query = (
            select(TrainingRequirement)
            .join(Course, Course.id == TrainingRequirement.course_id)
            .join(CourseVersion, CourseVersion.id == Course.current_version_id)
            .order_by(TrainingRequirement.id)
        )
        if scope.course_id is not None:
            query = query.where(TrainingRequirement.course_id == scope.course_id)
        if scope.level is not None:
            query = query.where(CourseVersion.level == scope.level)
        self._requirements = list(db.session.scalars(query))
        self._cache: dict[tuple, dict[int, tuple[TrainingRequirement, ...]]] = {}

    @property
    def earliest_start(self) -> date | None:
        """The earliest day any of these requirements began (None: there are none)."""
        return min((r.starts_on for r in self._requirements), default=None)

    def required(self, kind: AgencyKind, team_id: int | None,
                 training_level: int) -> dict[int, tuple[TrainingRequirement, ...]]:
        key = (kind, team_id, training_level)
        if key not in self._cache:
            by_course: dict[int, list[TrainingRequirement]] = {}
            for r in self._requirements:
                if requirement_covers(r, agency_kind=kind, team_id=team_id, training_level=training_level):
                    by_course.setdefault(r.course_id, []).append(r)
            self._cache[key] = {course_id: tuple(reqs) for course_id, reqs in by_course.items()}
        return self._cache[key]


def _months(scope: ReportScope) -> list[date]:
    # A long custom range would make an unreadable chart: show its last three years.
    return scope.period.months()[-36:]


def _courses(ids: set[int]) -> dict[int, tuple[str, str, int]]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Course.id, CourseVersion.code, CourseVersion.title, CourseVersion.level)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .where(Course.id.in_(sorted(ids)))
    )
    return {r.id: (r.code, r.title, r.level) for r in rows}


# People behind a figure -----------------------------------------------------------------------

PEOPLE_COLUMNS = (
    Column("Name", width=28), Column("Email address", width=32), Column("Agency", width=36),
    Column("Team", width=26), Column("Training level", Kind.integer), Column("Left on", Kind.date, width=14),
    Column("Course code", width=14), Column("Course", width=36), Column("Course level", Kind.integer),
    Column("Status", width=14), Column("In progress", width=10), Column("Due by", Kind.date, width=14),
    Column("Last completed", Kind.date, width=14), Column("Expires", Kind.date, width=14),
    Column("Recorded manually", width=10),
)


@dataclass(frozen=True)
class PersonRow:
    user_id: int
    name: str
    email: str
    agency: str
    team: str | None
    training_level: int
    left_on: date | None
    course_code: str
    course_title: str
    course_level: int
    status: ReportStatus
    in_progress: bool  # started, not completed
    due_on: date
    completed_on: date | None
    expires_on: date | None
    manual: bool

    def values(self) -> tuple:
        return (self.name, self.email, self.agency, self.team or "No team", self.training_level, self.left_on,
                self.course_code, self.course_title, self.course_level, self.status.label,
                "Yes" if self.in_progress else "No", self.due_on, self.completed_on, self.expires_on,
                "Yes" if self.manual else "No")


def _person_row(row) -> PersonRow:
    return PersonRow(
        user_id=row.user_id, name=row.name, email=row.email, agency=row.agency, team=row.team,
        training_level=row.training_level, left_on=row.left_on, course_code=row.course_code,
        course_title=row.course_title, course_level=row.course_level, status=ReportStatus[row.status],
        in_progress=bool(row.started) and row.completed_on is None, due_on=row.due_on,
        completed_on=row.completed_on, expires_on=row.expires_on, manual=bool(row.manual),
    )


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    number: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def people_page(scope: ReportScope, number: int = 1) -> Page:
    total = db.session.scalar(queries.people_count_query(scope))
    number = min(max(number, 1), max(1, -(-total // PAGE_SIZE)))
    rows = db.session.execute(queries.people_query(scope).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return Page([_person_row(r) for r in rows], total, number)


def people_first(scope: ReportScope, limit: int) -> Page:
    """The first ``limit`` rows of the drill-down list (for the PDF), and how many there are."""
    total = db.session.scalar(queries.people_count_query(scope))
    rows = db.session.execute(queries.people_query(scope).limit(limit))
    return Page([_person_row(r) for r in rows], total, 1, size=limit)


def people_values(scope: ReportScope) -> Iterator[tuple]:
    """Every row of the drill-down list, as export values, streamed from the database."""
    with report_transaction():
        connection = db.session.connection()
        for row in connection.execution_options(yield_per=STREAM_BATCH).execute(queries.people_query(scope)):
            yield _person_row(row).values()


# Completions in the period --------------------------------------------------------------------

COMPLETION_COLUMNS = (
    Column("Name", width=28), Column("Email address", width=32), Column("Agency", width=36),
    Column("Completed while in", width=36), Column("Team", width=26), Column("Course code", width=14), Column("Course", width=36),
    Column("Course level", Kind.integer), Column("Completed", Kind.date, width=14),
    Column("Expires", Kind.date, width=14), Column("Score (%)", Kind.integer),
    Column("Recorded manually", width=10), Column("Left on", Kind.date, width=14),
)


def completions_page(scope: ReportScope, number: int = 1) -> Page:
    total = db.session.scalar(queries.completions_count_query(scope))
    number = min(max(number, 1), max(1, -(-total // PAGE_SIZE)))
    rows = db.session.execute(queries.completions_query(scope).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return Page(list(rows), total, number)


def completions_first(scope: ReportScope, limit: int) -> Page:
    """The first ``limit`` completions in the period, newest first (for the PDF), and how many
    there are."""
    total = db.session.scalar(queries.completions_count_query(scope))
    return Page(list(db.session.execute(queries.completions_query(scope).limit(limit))), total, 1, size=limit)


def completions_values(scope: ReportScope) -> Iterator[Sequence]:
    """Every completion in the period as export values, streamed from the database; rows arrive
    in the export's column order and go out unchanged."""
    with report_transaction():
        yield from stream_rows(queries.completions_query(scope))


def dashboard_values(board: Dashboard) -> Sequence[tuple]:
    return [row.values() for row in board.rows]
