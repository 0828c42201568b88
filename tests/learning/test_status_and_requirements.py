"""Requirement matching and "My training" status, without HTTP."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from modules.accounts.models import AgencyKind, Role
from modules.core.dates import add_months
from modules.learning.requirements import refresher_months_for, required_courses, set_requirement
from modules.learning.status import CourseState, course_status, state_for_expiry, training_overview
from tests.learning.factories import make_course_version, make_module_version

TODAY = date(2026, 11, 25)


# Expiry boundaries ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("expires_on", "state"),
    [
        (TODAY - timedelta(days=1), CourseState.expired),  # expired yesterday
        (TODAY, CourseState.due_soon),  # last valid day
        (TODAY + timedelta(days=59), CourseState.due_soon),
        (TODAY + timedelta(days=60), CourseState.due_soon),  # the window is inclusive
        (TODAY + timedelta(days=61), CourseState.completed),
        (TODAY + timedelta(days=800), CourseState.completed),
    ],
)
def test_state_for_expiry_boundaries(expires_on, state):
    assert state_for_expiry(expires_on, TODAY, window_days=60) is state


def test_the_window_is_configurable():
    assert state_for_expiry(TODAY + timedelta(days=30), TODAY, window_days=14) is CourseState.completed
    assert state_for_expiry(TODAY + timedelta(days=14), TODAY, window_days=14) is CourseState.due_soon


def test_every_state_has_words_and_a_distinct_tag():
    labels = [s.label for s in CourseState]
    assert all(labels) and len(set(labels)) == len(labels)
    assert len({s.tag_class for s in CourseState}) == len(CourseState)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 25), 36, date(2029, 11, 25)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# Requirement matching ------------------------------------------------------------------------

@pytest.fixture
def two_courses(db):
    level1 = make_course_version("level-one", [make_module_version("l1-lesson")], code="L-ONE", refresher_months=36)
    taxi = make_course_version(
        "taxi", [make_module_version("taxi-lesson")], code="TAXI", audience=["licensing"], refresher_months=24
    )
    return level1.course, taxi.course


def test_requirements_match_agency_kind_team_and_level(db, make_agency, make_user, two_courses):
    level1, taxi = two_courses
    licensing = make_agency(name="Licensing", kind=AgencyKind.licensing, teams=("Taxi", "Premises"))
    housing = make_agency(name="Housing", kind=AgencyKind.housing)
    taxi_team = next(t for t in licensing.teams if t.name == "Taxi")
    for kind in AgencyKind:
        set_requirement(level1, kind)
    set_requirement(taxi, AgencyKind.licensing, team=taxi_team)
    set_requirement(level1, AgencyKind.housing, min_training_level=2, refresher_months=12)
    db.session.commit()

    driver = make_user(agency=licensing, level=1)
    driver.team = taxi_team
    premises_officer = make_user(agency=licensing, level=2)
    premises_officer.team = next(t for t in licensing.teams if t.name == "Premises")
    caretaker = make_user(agency=housing, level=1)
    housing_officer = make_user(agency=housing, level=2)
    db.session.commit()

    def codes(user):
        return [r.course.current_version.code for r in required_courses(user)]

    assert codes(driver) == ["L-ONE", "TAXI"]
    assert codes(premises_officer) == ["L-ONE"]  # the taxi requirement is for the Taxi team only
    assert codes(caretaker) == ["L-ONE"]
    # Level 2 housing staff match two requirements for the same course: listed once, the
    # partnership's shorter period applies to them only.
    assert codes(housing_officer) == ["L-ONE"]
    assert refresher_months_for(housing_officer, level1, level1.current_version) == 12
    assert refresher_months_for(caretaker, level1, level1.current_version) == 36
    assert refresher_months_for(driver, taxi, taxi.current_version) == 24


def test_set_requirement_is_idempotent_and_checks_its_values(db, make_agency, two_courses):
    level1, _ = two_courses
    first = set_requirement(level1, AgencyKind.police)
    db.session.commit()
    again = set_requirement(level1, AgencyKind.police, refresher_months=24)
    db.session.commit()
    assert again.id == first.id and again.refresher_months == 24
    with pytest.raises(ValueError):
        set_requirement(level1, AgencyKind.police, min_training_level=4)
    with pytest.raises(ValueError):
        set_requirement(level1, AgencyKind.police, refresher_months=0)
    other = make_agency(name="Schools", kind=AgencyKind.education)
    with pytest.raises(ValueError):
        set_requirement(level1, AgencyKind.police, team=other.teams[0])


# Overview --------------------------------------------------------------------------------------

def test_overview_lists_required_and_optional_courses(db, make_agency, make_user, two_courses):
    level1, taxi = two_courses
    health_only = make_course_version("health", [make_module_version("h-lesson")], code="HEALTH", audience=["health"])
    set_requirement(level1, AgencyKind.licensing)
    db.session.commit()
    driver = make_user(agency=make_agency(name="Lic", kind=AgencyKind.licensing))
    overview = training_overview(driver, today=TODAY)
    assert [s.version.code for s in overview.required] == ["L-ONE"]
    # TAXI is for licensing but not required here: the catalogue offers it; HEALTH is not for them.
    assert [s.version.code for s in overview.optional] == ["TAXI"]
    assert all(s.state is CourseState.not_started for s in overview.required + overview.optional)
    assert overview.required[0].modules_total == 1
    assert health_only.course.id not in {s.course.id for s in overview.optional}


def test_course_status_follows_the_learner(db, learner, course_a, do):
    from modules.learning import progress
    from modules.learning.models import Completion

    course = course_a.course
    status = course_status(learner, course, required=True, today=TODAY)
    assert status.state is CourseState.not_started and status.modules_total == 4

    enrolment = progress.start_course(learner, course).enrolment
    db.session.commit()
    do.module(enrolment, course_a.module_versions[0])
    status = course_status(learner, course, required=True, today=TODAY)
    assert status.state is CourseState.in_progress
    assert (status.modules_done, status.modules_total) == (1, 4)

    for mv in course_a.module_versions[1:3]:
        do.module(enrolment, mv)
    _, created = do.quiz(enrolment, course_a.module_versions[3])
    assert len(created) == 1
    completion = db.session.get(Completion, created[0].id)

    def state_on(day):
        return course_status(learner, course, required=True, today=day).state

    assert state_on(completion.completed_on) is CourseState.completed
    assert state_on(completion.expires_on) is CourseState.due_soon
    assert state_on(completion.expires_on - timedelta(days=60)) is CourseState.due_soon
    assert state_on(completion.expires_on - timedelta(days=61)) is CourseState.completed
    assert state_on(completion.expires_on + timedelta(days=1)) is CourseState.expired
    assert course_status(learner, course, required=True, today=completion.expires_on - timedelta(days=30),
                         window_days=14).state is CourseState.completed


def test_a_course_without_content_is_never_required(db, make_agency, make_user):
    from modules.content.models import Course

    empty = Course(slug="not-imported-yet")
    db.session.add(empty)
    db.session.commit()
    set_requirement(empty, AgencyKind.police)
    db.session.commit()
    officer = make_user(roles=(Role.learner,), agency=make_agency(kind=AgencyKind.police))
    assert required_courses(officer) == []
    assert training_overview(officer, today=TODAY).optional == []


def test_completion_dates_use_the_uk_calendar(db, learner, course_a, do):
    """Just after midnight UK summer time is still the previous day in UTC."""
    from modules.learning import progress

    moment = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London
    enrolment = progress.start_course(learner, course_a.course, now=moment).enrolment
    db.session.commit()
    for mv in course_a.module_versions[:3]:
        do.module(enrolment, mv, now=moment)
    _, created = do.quiz(enrolment, course_a.module_versions[3], now=moment)
    assert created[0].completed_on == date(2026, 7, 1)
    assert created[0].expires_on == date(2029, 7, 1)
