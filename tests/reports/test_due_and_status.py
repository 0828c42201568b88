"""Issue 13's rule (modules/reports/status.py, modules/learning/due.py): due days, the six states at their
boundaries, who is counted (leavers, approval) and people who moved agency. Every case checks the
SQL rows (person_course_rows, what the lists, exports and reminders use), the dashboard's group
counts and, where a learner sees it, My training, against each other."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from modules.accounts.models import Approval
from modules.learning.due import first_due_on
from modules.learning.models import TrainingRequirement
from modules.learning.requirements import required_courses, set_requirement
from modules.learning.status import CourseState, course_status
from modules.reports import queries, services
from modules.reports.periods import Period, reporting_year_of
from modules.reports.queries import ReportScope
from modules.reports.status import ReportStatus
from tests.reports.conftest import complete, read_csv, start

TODAY = date(2026, 11, 25)
STATES = [s.name for s in ReportStatus]


def scope(today=TODAY, *, on=None, **kwargs) -> ReportScope:
    """Measured on ``on`` (default ``today``): a period ending that day."""
    period = Period(date(2026, 4, 1), on) if on is not None else reporting_year_of(today)
    return ReportScope(agency_ids=None, period=period, today=today, **kwargs)


def rows(s: ReportScope) -> dict:
    """(user_id, course_id) -> the person-course row."""
    return {(r.user_id, r.course_id): r for r in db_rows(s)}


def db_rows(s):
    from modules.core.extensions import db

    return db.session.execute(db.select(queries.person_course_rows(s))).all()


def assert_dashboard_agrees_with_rows(s: ReportScope) -> Counter:
    """Every figure of the dashboard equals the count of rows behind it; returns the states."""
    board = services.dashboard(s)
    by_pair = Counter((r.agency_id, r.course_id, r.status) for r in db_rows(s))
    started = Counter((r.agency_id, r.course_id) for r in db_rows(s) if r.started and r.completion_id is None)
    for row in board.rows:
        for state in STATES:
            assert getattr(row, state) == by_pair[(row.agency_id, row.course_id, state)], (row.agency, state)
        assert row.in_scope == sum(by_pair[(row.agency_id, row.course_id, state)] for state in STATES)
        assert row.in_progress == started[(row.agency_id, row.course_id)]
    return Counter(r.status for r in db_rows(s))


def status_of(s, user, version) -> str:
    return rows(s)[(user.id, version.course_id)].status


# Due days ---------------------------------------------------------------------------------------

def test_the_due_day_runs_from_the_later_of_joining_and_the_requirement(db, world):
    p = world.people
    requirement = db.session.scalar(db.select(TrainingRequirement).where(
        TrainingRequirement.course_id == world.l1.course_id, TrainingRequirement.agency_kind == p["bob"].agency.kind))
    requirement.starts_on, requirement.due_within_days = date(2026, 6, 1), 30
    p["alice"].started_on = date(2026, 9, 1)  # joined after the requirement began: 1 October
    p["bob"].started_on = date(2025, 1, 1)  # joined before it: 1 July, not 31 January 2025
    db.session.commit()
    got = rows(scope())
    assert got[(p["alice"].id, world.l1.course_id)].due_on == date(2026, 10, 1)
    assert got[(p["bob"].id, world.l1.course_id)].due_on == date(2026, 7, 1)
    for person in (p["alice"], p["bob"]):
        required = next(r for r in required_courses(person) if r.course.id == world.l1.course_id)
        python = first_due_on(person.started_on, required.requirements)
        assert python == got[(person.id, world.l1.course_id)].due_on
        assert course_status(person, world.l1.course, required=True, today=TODAY).first_due_on == python
    assert_dashboard_agrees_with_rows(scope())


def test_several_requirements_for_one_course_make_it_due_on_the_earliest_day(db, world):
    p = world.people
    response = world.home.teams[0]  # Alice's team
    # Everyone in the police: 90 days from 2020 (long past). Alice's team also, from 1 November,
    # within 10 days; level 2 and above, from 1 October, within 60 days.
    set_requirement(world.l1.course, p["alice"].agency.kind, team=response)
    set_requirement(world.l1.course, p["alice"].agency.kind, min_training_level=2)
    db.session.flush()
    for requirement in db.session.scalars(db.select(TrainingRequirement).where(
            TrainingRequirement.course_id == world.l1.course_id)):
        if requirement.team_id == response.id:
            requirement.starts_on, requirement.due_within_days = date(2026, 11, 1), 10
        elif requirement.min_training_level == 2:
            requirement.starts_on, requirement.due_within_days = date(2026, 10, 1), 60
    for person in (p["alice"], p["carol"], p["bob"]):
        person.started_on = date(2026, 8, 1)
    db.session.commit()
    got = rows(scope())
    assert got[(p["alice"].id, world.l1.course_id)].due_on == date(2026, 10, 30)  # 1 Aug + 90
    p["alice"].started_on = p["carol"].started_on = p["bob"].started_on = date(2026, 10, 20)
    db.session.commit()
    got = rows(scope())
    assert got[(p["alice"].id, world.l1.course_id)].due_on == date(2026, 11, 11)  # her team's: 1 Nov + 10
    assert got[(p["carol"].id, world.l1.course_id)].due_on == date(2026, 12, 19)  # level 2: 20 Oct + 60
    assert got[(p["bob"].id, world.l1.course_id)].due_on == date(2027, 1, 18)  # everyone's: 20 Oct + 90
    assert got[(p["alice"].id, world.l1.course_id)].status == "overdue"
    assert got[(p["carol"].id, world.l1.course_id)].status == "due_soon"
    assert got[(p["bob"].id, world.l1.course_id)].status == "not_yet_due"
    states = assert_dashboard_agrees_with_rows(scope())
    assert {"overdue", "due_soon", "not_yet_due"} <= set(states)


def test_a_requirement_added_later_is_due_from_the_day_it_starts(db, world, make_agency, make_user):
    p = world.people
    p["dan"].started_on = date(2019, 5, 1)  # long-standing staff
    db.session.commit()
    # A new requirement for health staff, starting in the future: not due until 90 days after it.
    set_requirement(world.l2.course, p["dan"].agency.kind)
    db.session.flush()
    added = db.session.scalar(db.select(TrainingRequirement).where(
        TrainingRequirement.course_id == world.l2.course_id, TrainingRequirement.agency_kind == p["dan"].agency.kind))
    added.starts_on = date(2026, 12, 1)
    db.session.commit()
    row = rows(scope())[(p["dan"].id, world.l2.course_id)]
    assert row.due_on == date(2027, 3, 1) and row.status == "not_yet_due"
    assert course_status(p["dan"], world.l2.course, required=True, today=TODAY).first_due_on == date(2027, 3, 1)


def test_with_a_completion_the_refresher_is_due_when_it_expires(db, world):
    alice = world.people["alice"]
    alice.started_on = date(2020, 1, 1)  # long overdue for a first completion, but she has one
    db.session.commit()
    done = complete(db, alice, world.l1, on=date(2026, 3, 1))
    row = rows(scope())[(alice.id, world.l1.course_id)]
    assert row.due_on == done.expires_on == date(2027, 3, 1) and row.status == "compliant"


# Each boundary, in SQL and on the dashboard ---------------------------------------------------------

@pytest.mark.parametrize(("days_to_due", "state"), [
    (-1, "overdue"), (0, "due_soon"), (30, "due_soon"), (31, "not_yet_due"),
])
def test_first_completion_boundaries(db, world, days_to_due, state):
    bob = world.people["bob"]
    # due = started_on + 90 days
    bob.started_on = TODAY + timedelta(days=days_to_due - 90)
    db.session.commit()
    assert status_of(scope(), bob, world.l1) == state
    start(db, bob, world.l1, on=TODAY - timedelta(days=1))  # starting changes the flag, not the state
    db.session.commit()
    row = rows(scope())[(bob.id, world.l1.course_id)]
    assert (row.status, bool(row.started)) == (state, True)
    assert assert_dashboard_agrees_with_rows(scope())[state] >= 1


@pytest.mark.parametrize(("days_to_expiry", "state"), [
    (-1, "expired"), (0, "expiring"), (60, "expiring"), (61, "compliant"),
])
def test_refresher_boundaries(db, world, days_to_expiry, state):
    bob = world.people["bob"]
    complete(db, bob, world.l1, on=date(2026, 1, 1), expires_on=TODAY + timedelta(days=days_to_expiry))
    assert status_of(scope(), bob, world.l1) == state
    assert assert_dashboard_agrees_with_rows(scope())[state] == 1


def test_the_windows_come_from_the_settings(db, world, client, sign_in, app):
    bob = world.people["bob"]
    bob.started_on = TODAY - timedelta(days=80)  # due in 10 days
    db.session.commit()
    assert status_of(scope(due_soon_days=9), bob, world.l1) == "not_yet_due"
    assert status_of(scope(due_soon_days=10), bob, world.l1) == "due_soon"
    app.config["SIGHTLINE_DUE_SOON_DAYS"] = 5
    sign_in(world.manager)
    from modules.core.dates import uk_today

    bob.started_on = uk_today() - timedelta(days=80)
    db.session.commit()
    people = read_csv(client.get(f"/reports/people.csv?course={world.l1.course_id}"))
    assert next(r for r in people if r["Name"] == "Bob Home")["Status"] == "Not yet due"


# Who is counted ------------------------------------------------------------------------------------

def test_a_leaver_is_counted_up_to_their_last_day_and_not_after(db, world, client, sign_in):
    bob = world.people["bob"]
    bob.left_on = date(2026, 11, 20)
    bob.active = False  # deactivated when they left: still counted up to left_on
    db.session.commit()
    assert (bob.id, world.l1.course_id) in rows(scope(on=date(2026, 11, 20)))  # their last day
    assert (bob.id, world.l1.course_id) not in rows(scope(on=date(2026, 11, 21)))  # the day after
    assert (bob.id, world.l1.course_id) not in rows(scope())
    on_last_day = services.dashboard(scope(on=date(2026, 11, 20)))
    after = services.dashboard(scope())
    home_l1 = [(r.agency_id, r.course_id) for r in on_last_day.rows].index((world.home.id, world.l1.course_id))
    assert on_last_day.rows[home_l1].in_scope == after.rows[home_l1].in_scope + 1
    assert_dashboard_agrees_with_rows(scope(on=date(2026, 11, 20)))
    assert_dashboard_agrees_with_rows(scope())


def test_someone_leaving_in_future_is_counted_and_shown_with_their_leaving_day(db, world, client, sign_in):
    from modules.core.dates import uk_today

    bob = world.people["bob"]
    bob.left_on = uk_today() + timedelta(days=10)
    db.session.commit()
    sign_in(world.manager)
    page = client.get("/reports/people").get_data(as_text=True)
    day = bob.left_on
    assert f"Left on {day.day} {day.strftime('%B %Y')}" in page
    rows_csv = read_csv(client.get("/reports/people.csv"))
    assert {r["Left on"] for r in rows_csv if r["Name"] == "Bob Home"} == {day.isoformat()}
    assert {r["Left on"] for r in rows_csv if r["Name"] == "Alice Home"} == {""}


@pytest.mark.parametrize("approval", [Approval.pending, Approval.rejected])
def test_someone_not_approved_is_never_counted(db, world, approval):
    bob = world.people["bob"]
    bob.approval = approval
    db.session.commit()
    complete(db, bob, world.l1, on=date(2026, 5, 1))
    assert not any(user_id == bob.id for user_id, _ in rows(scope()))
    assert not any(user_id == bob.id for user_id, _ in rows(scope(on=date(2026, 6, 1))))
    board = services.dashboard(scope())
    assert next(r for r in board.rows if r.agency_id == world.home.id and r.course_id == world.l1.course_id).in_scope == 3
    assert_dashboard_agrees_with_rows(scope())


# People who moved agency ---------------------------------------------------------------------------

def test_someone_who_moved_counts_where_they_are_now_and_their_completion_shows_where_it_was(
        db, world, client, sign_in):
    from modules.core.dates import uk_today

    bob = world.people["bob"]
    complete(db, bob, world.l1, on=uk_today() - timedelta(days=5))
    bob.agency, bob.team = world.other, None  # moved to the health agency, where CSE-L1 is required too
    db.session.commit()
    board = services.dashboard(ReportScope(agency_ids=None, period=reporting_year_of(uk_today()), today=uk_today()))
    by = {(r.agency_id, r.course_id): r for r in board.rows}
    assert by[(world.other.id, world.l1.course_id)].compliant == 1
    assert by[(world.home.id, world.l1.course_id)].in_scope == 3
    sign_in(world.admin)
    completions = read_csv(client.get("/reports/completions.csv"))
    row = next(r for r in completions if r["Name"] == "Bob Home")
    assert (row["Agency"], row["Completed while in"]) == ("Other Health", "Home Police")
    page = client.get("/reports/completions").get_data(as_text=True)
    assert "Completed while in Home Police" in page
    # Someone who did not move has nothing in the column.
    complete(db, world.people["dan"], world.l1, on=uk_today() - timedelta(days=2))
    completions = read_csv(client.get("/reports/completions.csv"))
    assert next(r for r in completions if r["Name"] == "Dan Other")["Completed while in"] == ""


# My training -----------------------------------------------------------------------------------

def test_my_training_shows_the_due_day_and_overdue(db, world, client, sign_in):
    from modules.core.dates import uk_today

    bob, alice = world.people["bob"], world.people["alice"]
    bob.started_on = uk_today() - timedelta(days=91)  # due yesterday
    db.session.commit()
    assert course_status(bob, world.l1.course, required=True).state is CourseState.overdue
    sign_in(bob)
    page = client.get("/my-training").get_data(as_text=True)
    due = uk_today() - timedelta(days=1)
    assert "Overdue" in page and f"Was due by {due.day} {due.strftime('%B %Y')}" in page
    client.post("/sign-out")
    sign_in(alice)
    page = client.get("/my-training").get_data(as_text=True)
    due = alice.started_on + timedelta(days=90)
    assert f"Due by {due.day} {due.strftime('%B %Y')}" in page and "Overdue" not in page
