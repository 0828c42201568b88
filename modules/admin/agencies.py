"""Agencies, their teams and their managers: what partnership admins change.

Nothing here deletes: a retired agency or team keeps its people and their history for the
reports, and can be brought back. Services add and flush; the view commits.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from modules.accounts.models import Agency, AgencyKind, Role, Team, User, UserRole
from modules.core import audit
from modules.core.extensions import db
from modules.core.models import utcnow


class WorkforceError(ValueError):
    """A change that cannot be made; the message says why and what to do, for the form."""


def _agency_named(name: str) -> Agency | None:
    return db.session.scalar(select(Agency).where(func.lower(Agency.name) == name.strip().lower()))


def _check_agency_name(name: str, *, agency: Agency | None = None) -> None:
    existing = _agency_named(name)
    if existing is not None and existing is not agency:
        raise WorkforceError(f"An agency called {existing.name} already exists")


def create_agency(*, name: str, kind: AgencyKind, actor: User) -> Agency:
    """:raise WorkforceError: an agency of that name (in any case) exists, retired or not."""
    _check_agency_name(name)
    agency = Agency(name=name.strip(), kind=kind)
    db.session.add(agency)
    db.session.flush()
    audit.record("agency.created", actor=actor, subject=agency, agency_id=agency.id, name=agency.name,
                 kind=kind.name)
    return agency


def update_agency(agency: Agency, *, name: str, kind: AgencyKind, actor: User) -> None:
    """Rename an agency or change its kind. :raise WorkforceError: the new name is taken."""
    _check_agency_name(name, agency=agency)
    changes = {}
    if agency.name != name.strip():
        changes["name"] = [agency.name, name.strip()]
        agency.name = name.strip()
    if agency.kind != kind:
        changes["kind"] = [agency.kind.name, kind.name]
        agency.kind = kind
    if changes:
        audit.record("agency.updated", actor=actor, subject=agency, agency_id=agency.id, **changes)


def active_staff_count(agency_id: int) -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.agency_id == agency_id, User.active.is_(True))
    )


def set_agency_retired(agency: Agency, retired: bool, *, actor: User, now: datetime | None = None) -> None:
    """Retire an agency (it leaves the lists of agencies in use) or bring it back.

    :raise WorkforceError: when retiring an agency that still has active accounts: they would
        keep signing in to an agency nobody runs. Move or deactivate them first.
    """
    if (agency.retired_at is not None) == retired:
        return
    if retired:
        active = active_staff_count(agency.id)
        if active:
            raise WorkforceError(
                f"{agency.name} still has {active} active account{'s' if active != 1 else ''}. "
                "Move those people to another agency or deactivate their accounts first"
            )
    agency.retired_at = (now or utcnow()) if retired else None
    audit.record("agency.retired" if retired else "agency.unretired", actor=actor, subject=agency,
                 agency_id=agency.id)


# Teams ----------------------------------------------------------------------------------------

def _check_team_name(agency: Agency, name: str, *, team: Team | None = None) -> None:
    existing = db.session.scalar(
        select(Team).where(Team.agency_id == agency.id, func.lower(Team.name) == name.strip().lower())
    )
    if existing is not None and existing is not team:
        raise WorkforceError(f"{agency.name} already has a team called {existing.name}")


def add_team(agency: Agency, *, name: str, actor: User) -> Team:
    """:raise WorkforceError: the agency already has a team of that name (retired or not)."""
    _check_team_name(agency, name)
    team = Team(agency=agency, name=name.strip())
    db.session.add(team)
    db.session.flush()
    audit.record("team.created", actor=actor, subject=team, agency_id=agency.id, name=team.name)
    return team


def rename_team(team: Team, *, name: str, actor: User) -> None:
    _check_team_name(team.agency, name, team=team)
    if team.name != name.strip():
        audit.record("team.renamed", actor=actor, subject=team, agency_id=team.agency_id,
                     name=[team.name, name.strip()])
        team.name = name.strip()


def set_team_retired(team: Team, retired: bool, *, actor: User, now: datetime | None = None) -> None:
    """A retired team is no longer offered for new or edited people; its members keep it."""
    if (team.retired_at is not None) == retired:
        return
    team.retired_at = (now or utcnow()) if retired else None
    audit.record("team.retired" if retired else "team.unretired", actor=actor, subject=team,
                 agency_id=team.agency_id)


def team_sizes(agency_id: int) -> dict[int, int]:
    return dict(db.session.execute(
        select(User.team_id, func.count(User.id)).where(User.agency_id == agency_id, User.team_id.is_not(None))
        .group_by(User.team_id)
    ).all())


# Managers -------------------------------------------------------------------------------------

def agency_managers(agency_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.agency_id == agency_id, UserRole.role == Role.manager)
        .order_by(User.name)
    ))


def manager_candidates(agency_id: int) -> list[User]:
    """Active people of the agency who are not managers yet."""
    managers = {user.id for user in agency_managers(agency_id)}
    return [
        user for user in db.session.scalars(
            select(User).where(User.agency_id == agency_id, User.active.is_(True)).order_by(User.name)
        )
        if user.id not in managers
    ]


def set_manager(agency: Agency, person: User, manager: bool, *, actor: User) -> None:
    """Give a person of this agency the manager role, or take it away.

    :raise WorkforceError: the person is in another agency, or is deactivated (when granting).
    """
    if person.agency_id != agency.id:
        raise WorkforceError(f"{person.name} is not in {agency.name}")
    if manager and not person.active:
        raise WorkforceError(f"{person.name}'s account is deactivated: reactivate it first")
    if person.has_role(Role.manager) == manager:
        return
    roles = set(person.roles)
    roles = roles | {Role.manager} if manager else roles - {Role.manager}
    person.set_roles(roles)
    audit.record("agency.manager_added" if manager else "agency.manager_removed", actor=actor,
                 subject=person, agency_id=agency.id)
