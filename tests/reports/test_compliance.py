"""Compliance figures: states, expiry boundaries, reporting years, past dates, and agreement with
the learner's own "My training" page."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from modules.accounts.models import AgencyKind
from modules.learning.latest import rebuild_latest
from modules.learning.models import LatestCompletion
from modules.learning.status import CourseState, course_status
from modules.reports import queries, services
from modules.reports.periods import Period, ReportingYear, reporting_year_of
from modules.reports.queries import ReportScope
from modules.reports.status import PeopleFilter, ReportStatus, classify
from tests.reports.conftest import complete, start

TODAY = date(2026, 11, 25)


def scope(agency_ids=None, *, today=TODAY, period=None, **kwargs) -> ReportScope:
    return ReportScope(agency_ids=frozenset(agency_ids) if agency_ids is not None else None,
                       period=period or reporting_year_of(today), today=today, **kwargs)


def row_for(board, agency, version):
    return next(r for r in board.rows if r.agency_id == agency.id and r.course_id == version.course_id)


# The rule, on plain values --------------------------------------------------------------------

def _classify(due_on, completed):
    return classify(due_on=due_on, completed=completed, as_at=TODAY, expiring_days=60, due_soon_days=30)


@pytest.mark.parametrize(("offset", "completed", "status"), [
    (-1, True, ReportStatus.expired),  # stopped counting yesterday
    (0, True, ReportStatus.expiring),  # the last day it counts
    (60, True, ReportStatus.expiring),  # the refresher window is inclusive
    (61, True, ReportStatus.compliant),
    (-1, False, ReportStatus.overdue),  # was due yesterday
    (0, False, ReportStatus.due_soon),  # due today: not overdue yet
    (30, False, ReportStatus.due_soon),  # the due-soon window is inclusive
    (31, False, ReportStatus.not_yet_due),
])
def test_classify_at_every_boundary(offset, completed, status):
    assert _classify(TODAY + timedelta(days=offset), completed) is status


# The dashboard ----------------------------------------------------------------------------------

def test_expiry_boundaries_on_the_dashboard(db, world):
    p = world.people
    complete(db, p["alice"], world.l1, on=date(2025, 11, 25), expires_on=TODAY)  # expires today
    complete(db, p["bob"], world.l1, on=date(2025, 11, 24), expires_on=TODAY - timedelta(days=1))  # yesterday
    complete(db, p["carol"], world.l1, on=date(2025, 12, 25), expires_on=TODAY + timedelta(days=60))
    complete(db, world.manager, world.l1, on=date(2025, 12, 26), expires_on=TODAY + timedelta(days=61))
    board = services.dashboard(scope({world.home.id}))
    row = row_for(board, world.home, world.l1)
    assert (row.in_scope, row.compliant, row.expiring, row.expired) == (4, 1, 2, 1)
    assert (row.covered, row.percent) == (3, 75)

    def names(status):
        page = services.people_page(scope({world.home.id}, course_id=world.l1.course_id,
                                          people_filter=PeopleFilter[status]))
        return sorted(p.name for p in page.items)

    assert names("expired") == ["Bob Home"]
    assert names("expiring") == ["Alice Home", "Carol Home"]
    assert names("compliant") == ["Mina Manager"]
    assert names("covered") == ["Alice Home", "Carol Home", "Mina Manager"]
    # The managers' digests link to these two (nobody here is overdue or due soon without a completion).
    assert names("overdue_or_expired") == ["Bob Home"]
    assert names("due_soon_or_expiring") == ["Alice Home", "Carol Home"]


def test_states_split_the_staff_in_scope(db, world):
    p = world.people
    complete(db, p["alice"], world.l1, on=date(2026, 6, 1))  # compliant
    start(db, p["bob"], world.l1, on=date(2026, 10, 1))  # in progress
    db.session.commit()
    complete(db, p["carol"], world.l1, on=date(2024, 6, 1))  # expired in 2025
    start(db, p["carol"], world.l1, on=date(2026, 11, 1))  # refresher under way: still overdue
    db.session.commit()
    p["bob"].started_on = date(2026, 1, 1)  # due 1 April 2026: overdue, though in progress
    world.manager.started_on = date(2026, 9, 1)  # due 30 November: due soon
    db.session.commit()
    board = services.dashboard(scope({world.home.id}))
    l1 = row_for(board, world.home, world.l1)
    assert (l1.in_scope, l1.compliant, l1.expired, l1.overdue, l1.due_soon, l1.not_yet_due) == (4, 1, 1, 1, 1, 0)
    assert l1.in_progress == 1  # Bob; Carol's refresher does not count: she has a completion
    # CSE-L2 is for police staff at level 2 or above: Alice and Carol only (joined today).
    l2 = row_for(board, world.home, world.l2)
    assert (l2.in_scope, l2.not_yet_due) == (2, 2)
    # Completions in the reporting year 2026 to 2027: Alice's only.
    assert (l1.completions, l2.completions) == (1, 0)


def test_deactivated_staff_without_a_leaving_date_are_not_counted(db, world):
    world.people["bob"].active = False
    db.session.commit()
    row = row_for(services.dashboard(scope({world.home.id})), world.home, world.l1)
    assert row.in_scope == 3


def test_a_team_filter_and_a_level_filter(db, world):
    team = world.home.teams[1]  # Exploitation: Bob and Carol
    board = services.dashboard(scope({world.home.id}, team_id=team.id))
    assert row_for(board, world.home, world.l1).in_scope == 2
    board = services.dashboard(scope({world.home.id}, level=2))
    assert [r.course_code for r in board.rows] == ["CSE-L2"]


def test_the_partnership_view_has_every_agency_side_by_side(db, world, make_agency):
    make_agency(name="Quiet Housing", kind=AgencyKind.housing)  # nothing required of housing
    complete(db, world.people["dan"], world.l1, on=date(2026, 5, 1))
    board = services.dashboard(scope(None))
    assert [(a.agency, a.in_scope, a.compliant, a.percent) for a in board.agencies] == [
        ("Home Police", 6, 0, 0), ("Other Health", 3, 1, 33),  # Home: 4 for CSE-L1 + 2 for CSE-L2
        ("Quiet Housing", 0, 0, None),
    ]


# Reporting years -------------------------------------------------------------------------------

def test_reporting_year_boundaries(db, world):
    p = world.people
    complete(db, p["alice"], world.l1, on=date(2026, 3, 31))  # last day of 2025 to 2026
    complete(db, p["bob"], world.l1, on=date(2026, 4, 1))  # first day of 2026 to 2027
    complete(db, p["carol"], world.l1, on=date(2027, 3, 31))  # last day of 2026 to 2027
    complete(db, p["dan"], world.l1, on=date(2027, 4, 1))  # first day of 2027 to 2028
    today = date(2027, 6, 1)
    year_2025 = services.dashboard(scope(None, today=today, period=ReportingYear.starting(2025)))
    year_2026 = services.dashboard(scope(None, today=today, period=ReportingYear.starting(2026)))
    assert year_2025.total_completions == 1
    assert year_2026.total_completions == 2
    months = {m.label: m.count for m in year_2026.months}
    assert months["Apr 2026"] == 1 and months["Mar 2027"] == 1 and sum(months.values()) == 2
    assert list(months)[0] == "Apr 2026" and list(months)[-1] == "Mar 2027"
    assert row_for(year_2026, world.home, world.l1).completions == 2


def test_a_past_year_is_measured_on_its_last_day(db, world):
    p = world.people
    complete(db, p["alice"], world.l1, on=date(2025, 3, 1))  # counts until 1 March 2026
    complete(db, p["bob"], world.l1, on=date(2026, 4, 2))  # after the year: not yet done on 31 March
    today = date(2026, 11, 25)
    past = services.dashboard(scope({world.home.id}, today=today, period=ReportingYear.starting(2025)))
    row = row_for(past, world.home, world.l1)
    # On 31 March 2026: Alice had expired (1 March), Bob had not started, nobody covered.
    assert (row.covered, row.expired, row.not_yet_due) == (0, 1, 3)
    now = row_for(services.dashboard(scope({world.home.id}, today=today)), world.home, world.l1)
    assert (now.covered, now.expired) == (1, 1)


def test_the_past_date_query_agrees_with_the_latest_table(db, world):
    """Both ways of finding the latest completion give the same figures for the same day."""
    p = world.people
    complete(db, p["alice"], world.l1, on=date(2024, 1, 10))
    complete(db, p["alice"], world.l1, on=date(2025, 1, 10))
    complete(db, p["bob"], world.l1, on=date(2026, 2, 1))
    complete(db, p["carol"], world.l2, on=date(2023, 5, 5))
    start(db, p["carol"], world.l1, on=date(2026, 1, 1))
    db.session.commit()
    today = date(2026, 11, 25)
    live = scope(None, today=today)
    # A period ending yesterday uses the window query; measure both on the same day.
    as_window = scope(None, today=today + timedelta(days=1), period=ReportingYear.starting(2026))
    as_window = as_window.but(period=Period(date(2026, 4, 1), today))
    a = sorted(tuple(r) for r in db.session.execute(db.select(queries.person_course_rows(live))))
    b = sorted(tuple(r) for r in db.session.execute(db.select(queries.person_course_rows(as_window))))
    assert a == b and len(a) == 9


# Agreement with "My training" ------------------------------------------------------------------

def test_statuses_match_what_each_learner_sees(db, world, today):
    p = world.people
    complete(db, p["alice"], world.l1, on=today - timedelta(days=400))  # expired
    complete(db, p["alice"], world.l2, on=today - timedelta(days=10))
    start(db, p["bob"], world.l1, on=today - timedelta(days=3))
    complete(db, p["carol"], world.l1, on=today - timedelta(days=365), expires_on=today)  # last day
    complete(db, p["dan"], world.l1, on=today - timedelta(days=200))
    # A refresher taken early with a shorter period: the latest completion (not the longest
    # expiry) is what counts, on My training and here.
    complete(db, p["erin"], world.l1, on=today - timedelta(days=300), months=36)
    complete(db, p["erin"], world.l1, on=today - timedelta(days=100), expires_on=today - timedelta(days=1))
    db.session.commit()
    p["bob"].started_on = today - timedelta(days=100)  # overdue, in progress
    db.session.commit()
    expected_state = {
        CourseState.completed: ReportStatus.compliant, CourseState.due_soon: ReportStatus.expiring,
        CourseState.expired: ReportStatus.expired, CourseState.overdue: ReportStatus.overdue,
        CourseState.in_progress: ReportStatus.not_yet_due, CourseState.not_started: ReportStatus.not_yet_due,
    }
    rows = services.people_values(scope(None, today=today))
    seen = {(r[0], r[6]): r[9] for r in rows}
    users = {u.name: u for u in [*p.values(), world.manager, world.admin]}
    checked = 0
    for (name, code), label in seen.items():
        version = world.l1 if code == "CSE-L1" else world.l2
        status = course_status(users[name], version.course, required=True, today=today)
        assert label == expected_state[status.state].label, (name, code)
        checked += 1
    assert checked == 9
    assert seen[("Erin Other", "CSE-L1")] == "Expired"
    assert seen[("Bob Home", "CSE-L1")] == "Overdue"
    assert seen[("Carol Home", "CSE-L1")] == "Expiring"


def test_the_latest_table_can_be_rebuilt(db, world):
    p = world.people
    complete(db, p["alice"], world.l1, on=date(2025, 1, 1))
    second = complete(db, p["alice"], world.l1, on=date(2026, 1, 1))
    complete(db, p["bob"], world.l2, on=date(2026, 2, 1))
    before = sorted((r.user_id, r.course_id, r.completion_id) for r in db.session.scalars(db.select(LatestCompletion)))
    db.session.execute(db.delete(LatestCompletion))
    assert rebuild_latest() == 2
    db.session.commit()
    after = sorted((r.user_id, r.course_id, r.completion_id) for r in db.session.scalars(db.select(LatestCompletion)))
    assert after == before
    assert (p["alice"].id, world.l1.course_id, second.id) in after


def test_an_older_completion_never_replaces_a_newer_one(db, world):
    from modules.learning.latest import note_completion

    p = world.people
    newer = complete(db, p["alice"], world.l1, on=date(2026, 1, 1))
    older = complete(db, p["alice"], world.l1, on=date(2025, 1, 1))  # recorded later, happened earlier
    note_completion(older)
    db.session.commit()
    latest = db.session.get(LatestCompletion, (p["alice"].id, world.l1.course_id))
    assert latest.completion_id == newer.id


def test_an_export_abandoned_half_way_leaves_the_connection_usable(db, world):
    """A manager who cancels a download closes the stream early; the next query must still work."""
    for name in ("alice", "bob", "carol"):
        complete(db, world.people[name], world.l1, on=date(2026, 5, 1))
    rows = services.completions_values(scope(None))
    first = next(rows)
    assert first[0] in {"Alice Home", "Bob Home", "Carol Home"}
    rows.close()
    assert len(list(services.completions_values(scope(None)))) == 3
    assert db.session.scalar(db.select(db.func.count()).select_from(LatestCompletion)) == 3


def test_the_rebuild_the_past_day_query_and_the_live_table_rank_a_tie_the_same_way(db, world):
    """Two completions at the same moment: the higher id is the latest, for note_completion, for
    the rebuild and for a past day's query (one ranking, learning.latest.latest_completion_ranking)."""
    p = world.people
    first = complete(db, p["alice"], world.l1, on=date(2026, 2, 1))
    second = complete(db, p["alice"], world.l1, on=date(2026, 2, 1), expires_on=date(2026, 12, 1))
    assert first.completed_at == second.completed_at and second.id > first.id
    live = db.session.get(LatestCompletion, (p["alice"].id, world.l1.course_id)).completion_id
    rebuild_latest()
    db.session.commit()
    rebuilt = db.session.get(LatestCompletion, (p["alice"].id, world.l1.course_id)).completion_id
    past = scope(None, today=date(2026, 11, 26)).but(period=Period(date(2026, 4, 1), date(2026, 11, 25)))
    by_day = {r.user_id: r.completion_id for r in db.session.execute(queries.latest_completions(past))}
    assert live == rebuilt == by_day[p["alice"].id] == second.id
