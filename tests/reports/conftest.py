"""A small partnership for the report tests: two agencies, two required courses, and helpers that
record enrolments and completions the way the learning services do."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest

from modules.accounts.models import AgencyKind, Role
from modules.content.models import CourseVersion
from modules.core.dates import UK, add_months, uk_today
from modules.learning.latest import note_completion
from modules.learning.models import Completion, Enrolment, TrainingRequirement
from modules.learning.requirements import set_requirement
from tests.learning.factories import make_course_version, make_module_version


@dataclass
class World:
    home: object
    other: object
    manager: object
    admin: object
    l1: object  # course version, level 1, 12 months, required of police and health staff
    l2: object  # course version, level 2, 24 months, police staff at level 2 or more
    people: dict


@pytest.fixture
def world(db, make_agency, make_user) -> World:
    home = make_agency(name="Home Police", kind=AgencyKind.police, teams=("Response", "Exploitation"))
    other = make_agency(name="Other Health", kind=AgencyKind.health, teams=("Wards",))
    l1 = make_course_version("l1", [make_module_version("l1-lesson")], code="CSE-L1", refresher_months=12,
                             title="Awareness")
    l2 = make_course_version("l2", [make_module_version("l2-lesson")], code="CSE-L2", refresher_months=24,
                             title="Targeted")
    # The factory makes level 1 courses; versions are immutable to the ORM, so set it in SQL.
    db.session.execute(db.update(CourseVersion).where(CourseVersion.id == l2.id).values(level=2))
    db.session.expire(l2)
    set_requirement(l1.course, AgencyKind.police)
    set_requirement(l1.course, AgencyKind.health)
    set_requirement(l2.course, AgencyKind.police, min_training_level=2)
    # Requirements in force for years, so due days follow each person's started_on (default
    # today: due 90 days from now, "not yet due", unless a test moves it).
    db.session.execute(db.update(TrainingRequirement).values(starts_on=date(2020, 1, 1)))
    db.session.commit()
    manager = make_user(roles=(Role.learner, Role.manager), agency=home, name="Mina Manager", level=1)
    admin = make_user(roles=(Role.learner, Role.partnership_admin), agency=other, name="Ada Admin")
    people = {
        "alice": make_user(agency=home, name="Alice Home", level=2),
        "bob": make_user(agency=home, name="Bob Home", level=1),
        "carol": make_user(agency=home, name="Carol Home", level=2),
        "dan": make_user(agency=other, name="Dan Other", level=1),
        "erin": make_user(agency=other, name="Erin Other", level=3),
    }
    response, exploitation = home.teams
    people["alice"].team = response
    people["bob"].team = exploitation
    people["carol"].team = exploitation
    db.session.commit()
    return World(home, other, manager, admin, l1, l2, people)


def start(db, user, version, *, on: date) -> Enrolment:
    """An enrolment (the next cycle) started at midday UK time on ``on``."""
    cycle = db.session.scalar(
        db.select(db.func.coalesce(db.func.max(Enrolment.cycle), 0)).where(
            Enrolment.user_id == user.id, Enrolment.course_id == version.course_id
        )
    ) + 1
    enrolment = Enrolment(user_id=user.id, course_id=version.course_id, course_version_id=version.id,
                          cycle=cycle, started_at=datetime.combine(on, time(12), tzinfo=UK))
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def complete(db, user, version, *, on: date, months: int | None = None, expires_on: date | None = None) -> Completion:
    """Start and complete a cycle on ``on`` as modules.learning.completion does (and, like its
    signal receiver, update the latest-completion table)."""
    enrolment = start(db, user, version, on=on)
    months = months or version.refresher_months
    completion = Completion(
        enrolment_id=enrolment.id, user_id=user.id, agency_id=user.agency_id, course_id=version.course_id,
        course_version_id=version.id, completed_at=datetime.combine(on, time(12, 30), tzinfo=UK),
        completed_on=on, expires_on=expires_on or add_months(on, months), refresher_months=months, score=90,
    )
    db.session.add(completion)
    db.session.flush()
    note_completion(completion)
    db.session.commit()
    return completion


def read_csv(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def today() -> date:
    return uk_today()


def days(n: int) -> timedelta:
    return timedelta(days=n)
