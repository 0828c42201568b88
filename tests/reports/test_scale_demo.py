"""The scale demo (`flask demo --staff N --completions M`) at a small size, on both databases."""
from __future__ import annotations

from sqlalchemy import func, select

from modules.accounts.models import Agency, User
from modules.learning.latest import rebuild_latest
from modules.learning.models import Completion, Enrolment, LatestCompletion
from modules.reports import services
from modules.reports.periods import reporting_year_of
from modules.reports.queries import ReportScope


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_scale_demo_builds_a_varied_partnership_and_tops_up_on_a_second_run(db, runner, today):
    result = runner.invoke(args=["demo", "--staff", "400", "--completions", "4000"])
    assert result.exit_code == 0, result.output
    assert "Partnership at scale" in result.output
    assert _count(db, User) == 400
    completions = _count(db, Completion)
    assert 3900 <= completions <= 4100
    assert _count(db, Enrolment) > completions  # some people are part way through
    # Agencies of very different sizes.
    sizes = sorted(db.session.execute(
        select(func.count(User.id)).join(Agency, Agency.id == User.agency_id).group_by(Agency.id)
    ).scalars())
    assert sizes[-1] >= 10 * max(sizes[0], 1)
    # The latest-completion table was rebuilt after the bulk load.
    before = sorted(db.session.execute(select(LatestCompletion.user_id, LatestCompletion.course_id,
                                              LatestCompletion.completion_id)).all())
    rebuild_latest()
    after = sorted(db.session.execute(select(LatestCompletion.user_id, LatestCompletion.course_id,
                                             LatestCompletion.completion_id)).all())
    assert before == after and len(after) > 0
    # Every state is represented on the dashboard.
    board = services.dashboard(ReportScope(agency_ids=None, period=reporting_year_of(today), today=today))
    totals = {key: sum(getattr(r, key) for r in board.rows)
              for key in ("compliant", "expiring", "expired", "overdue", "due_soon", "not_yet_due", "in_progress",
                          "completions")}
    assert all(totals.values()), totals

    again = runner.invoke(args=["demo", "--staff", "400", "--completions", "4000"])
    assert again.exit_code == 0, again.output
    assert _count(db, User) == 400 and _count(db, Completion) == completions
