"""Queries and writes behind the manager and partnership-admin pages."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from modules.accounts.models import Agency, Team, User
from modules.core.extensions import db
from modules.core.models import AuditEvent


@dataclass(frozen=True)
class AgencySummary:
    agency: Agency
    staff: int
    active_staff: int


def agency_summaries(agency_ids: set[int] | None) -> list[AgencySummary]:
    """Agencies in scope (None = all) with staff counts, in one grouped query."""
    staff = func.count(User.id)
    active = func.count(User.id).filter(User.active.is_(True))
    query = (
        select(Agency, staff, active)
        .outerjoin(User, User.agency_id == Agency.id)
        .group_by(Agency.id)
        .order_by(Agency.name)
    )
    if agency_ids is not None:
        query = query.where(Agency.id.in_(agency_ids))
    return [AgencySummary(a, s, act) for a, s, act in db.session.execute(query)]


def agency_staff(agency_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.agency_id == agency_id).outerjoin(Team, User.team_id == Team.id)
            .order_by(User.active.desc(), User.name)
        )
    )


PAGE_SIZE = 50


def audit_page(page: int, agency_ids: set[int] | None = None) -> tuple[list[AuditEvent], bool]:
    """A page of audit events, newest first, and whether there is a next page."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if agency_ids is not None:
        query = query.where(AuditEvent.agency_id.in_(agency_ids))
    rows = list(db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE

