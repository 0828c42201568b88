"""The annual summary for a board: compliance now against the same day a year before, the
partnership's figure beside each agency, the target and RAG rating from the partnership settings,
and completions in the year by course and by mode.

Plain functions over dashboards (:func:`modules.reports.services.dashboard`); the view decides
which dashboards the viewer may see (a manager's summary never reads another agency).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from modules.core import partnership_settings
from modules.core.dates import add_months
from modules.reports.periods import Period
from modules.reports.queries import ReportScope
from modules.reports.services import Counts, Dashboard

GREEN, AMBER, RED = "Green", "Amber", "Red"


def same_day_a_year_before(day: date) -> date:
    """29 February 2028 becomes 28 February 2027."""
    return add_months(day, -12)


def previous_scope(scope: ReportScope) -> ReportScope:
    """The same filters measured on the same day of the year before.

    The period ends on that day (not on the previous 31 March): the dashboard measures a past
    period on its last day, from the completions themselves, so this is the figure the board
    would have seen had it asked a year ago.
    """
    as_at = same_day_a_year_before(scope.as_at)
    return scope.but(period=Period(same_day_a_year_before(scope.period.start), as_at))


def partnership_scope(scope: ReportScope) -> ReportScope:
    """The same course filters over every agency (for the partnership's figure)."""
    return scope.but(agency_ids=None, team_id=None)


def rag(percent: int | None, *, target: int, amber: int) -> str | None:
    """Green at or above the target, amber at or above the amber threshold, red below; None when
    nobody is in scope."""
    if percent is None:
        return None
    if percent >= target:
        return GREEN
    if percent >= amber:
        return AMBER
    return RED


@dataclass(frozen=True)
class Trend:
    now: int | None
    before: int | None

    @property
    def points(self) -> int | None:
        return None if self.now is None or self.before is None else self.now - self.before

    @property
    def sign(self) -> str:
        """An arrow that says the direction without colour (and the words say it again)."""
        points = self.points
        if points is None:
            return "–"
        return "↑" if points > 0 else "↓" if points < 0 else "→"

    @property
    def words(self) -> str:
        points = self.points
        if self.now is None:
            return "Nobody in scope now"
        if points is None:
            return "No figure a year before"
        if points == 0:
            return "No change"
        unit = "point" if abs(points) == 1 else "points"
        return f"Up {points} {unit}" if points > 0 else f"Down {-points} {unit}"


@dataclass(frozen=True)
class AgencyLine:
    agency: str
    now: Counts
    before: Counts
    rating: str | None

    @property
    def trend(self) -> Trend:
        return Trend(self.now.percent, self.before.percent)


@dataclass(frozen=True)
class CourseLine:
    code: str
    title: str
    level: int
    online: int
    manual: int

    @property
    def total(self) -> int:
        return self.online + self.manual


@dataclass(frozen=True)
class AnnualSummary:
    as_at: date
    before_as_at: date
    target: int
    amber: int
    agencies: list[AgencyLine]
    # The whole partnership (every agency, the same course filters); None for a manager, whose
    # summary reads nothing outside their own agency.
    partnership: AgencyLine | None
    courses: list[CourseLine]

    @property
    def completions(self) -> CourseLine:
        return CourseLine("", "All courses", 0, sum(c.online for c in self.courses),
                          sum(c.manual for c in self.courses))


def targets() -> tuple[int, int]:
    """(target, amber) percentages from the partnership settings; amber is never above target."""
    target = int(partnership_settings.get("compliance_target_percent"))
    amber = int(partnership_settings.get("compliance_amber_percent"))
    return target, min(amber, target)


def annual_summary(now: Dashboard, before: Dashboard, *, partnership_now: Dashboard | None,
                   partnership_before: Dashboard | None) -> AnnualSummary:
    """The board summary from this year's dashboard and the one measured a year before (and the
    partnership's two when the viewer may see them)."""
    target, amber = targets()
    before_by_agency = {a.agency_id: a.counts for a in before.agencies}
    agencies = [
        AgencyLine(a.agency, a.counts, before_by_agency.get(a.agency_id, Counts()),
                   rag(a.counts.percent, target=target, amber=amber))
        for a in now.agencies
    ]
    partnership = None
    if partnership_now is not None and partnership_before is not None:
        total = partnership_now.total
        partnership = AgencyLine("Partnership", total, partnership_before.total,
                                 rag(total.percent, target=target, amber=amber))
    by_course: dict[int, CourseLine] = {}
    for row in now.rows:
        line = by_course.get(row.course_id) or CourseLine(row.course_code, row.course_title, row.course_level, 0, 0)
        by_course[row.course_id] = CourseLine(
            line.code, line.title, line.level,
            line.online + row.completions - row.manual_completions, line.manual + row.manual_completions,
        )
    return AnnualSummary(
        as_at=now.scope.as_at, before_as_at=before.scope.as_at, target=target, amber=amber,
        agencies=agencies, partnership=partnership,
        courses=sorted((c for c in by_course.values() if c.total), key=lambda c: (c.level, c.code)),
    )
