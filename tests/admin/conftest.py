"""A small partnership for the staff import tests: two agencies with teams, a retired agency and
a retired team, a partnership admin and a manager."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from modules.accounts.models import Agency, AgencyKind, Role, Team, User
from modules.core.models import utcnow


@dataclass
class World:
    police: Agency
    health: Agency
    retired: Agency
    admin: User
    manager: User


@pytest.fixture
def world(db, make_user):
    police = Agency(name="Northshire Police", kind=AgencyKind.police,
                    teams=[Team(name="Child Exploitation Team"), Team(name="Old Unit", retired_at=utcnow())])
    health = Agency(name="Northshire Health", kind=AgencyKind.health, teams=[Team(name="Emergency Department")])
    retired = Agency(name="Closed Agency", kind=AgencyKind.other, retired_at=utcnow())
    db.session.add_all([police, health, retired])
    db.session.commit()
    admin = make_user(roles=(Role.learner, Role.partnership_admin), agency=health,
                      email="admin@example.org", name="Alex Admin")
    manager = make_user(roles=(Role.learner, Role.manager), agency=police,
                        email="manager@example.org", name="Chris Manager")
    return World(police, health, retired, admin, manager)


HEADER = "name,email,agency,team,job title,level,roles\r\n"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "".join(row + "\r\n" for row in rows)).encode(encoding)
