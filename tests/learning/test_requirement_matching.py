"""Who a requirement covers is written once: the Python predicate (My training, the dashboard's
groups) and the SQL clause (the reports' lists, required_courses) must agree on every person and
every requirement. Checked exhaustively over a small grid that has every combination that matters:
two agency kinds, people in each team or none, every training level, and requirements for every
kind x team (including another kind's team) x minimum level."""
from __future__ import annotations

import itertools

from sqlalchemy import select

from modules.accounts.models import Agency, AgencyKind, User
from modules.learning.models import TrainingRequirement
from modules.learning.requirements import requirement_applies, requirement_matches_clause
from tests.learning.factories import make_course_version, make_module_version


def _grid(db, make_agency, make_user):
    police = make_agency(name="Police", kind=AgencyKind.police, teams=("P1", "P2"))
    health = make_agency(name="Health", kind=AgencyKind.health, teams=("H1",))
    course = make_course_version("grid", [make_module_version("grid-lesson")]).course
    teams = [None, *police.teams, *health.teams]
    people = []
    for agency in (police, health):
        for team, level in itertools.product([None, *agency.teams], (1, 2, 3)):
            person = make_user(agency=agency, level=level)
            person.team = team
            people.append(person)
    requirements = [
        TrainingRequirement(course=course, agency_kind=kind, team=team, min_training_level=level)
        for kind, team, level in itertools.product(
            (AgencyKind.police, AgencyKind.health, AgencyKind.education), teams, (None, 1, 2, 3)
        )
    ]
    db.session.add_all(requirements)
    db.session.commit()
    return people, requirements


def test_the_python_predicate_and_the_sql_clause_agree_on_every_person_and_requirement(db, make_agency, make_user):
    people, requirements = _grid(db, make_agency, make_user)
    by_python = {(p.id, r.id) for p in people for r in requirements if requirement_applies(r, p)}
    by_sql = set(db.session.execute(
        select(User.id, TrainingRequirement.id)
        .join(Agency, Agency.id == User.agency_id)
        .join(TrainingRequirement, requirement_matches_clause(
            agency_kind=Agency.kind, team_id=User.team_id, training_level=User.training_level
        ))
    ).tuples())
    assert by_sql == by_python
    # The grid is not trivial: some pairs match and most do not.
    assert 0 < len(by_python) < len(people) * len(requirements) / 2


def test_the_clause_with_one_persons_values_agrees_with_the_predicate(db, make_agency, make_user):
    people, requirements = _grid(db, make_agency, make_user)
    for person in people:
        by_sql = set(db.session.scalars(select(TrainingRequirement.id).where(requirement_matches_clause(
            agency_kind=person.agency.kind, team_id=person.team_id, training_level=person.training_level
        ))))
        assert by_sql == {r.id for r in requirements if requirement_applies(r, person)}, person.name
