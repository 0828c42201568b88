"""Writing a checked import plan: new people, updated people, their roles, their invitations and
one audit event, all in the caller's transaction (the view or command commits once).

A few statements whatever the number of rows: one executemany INSERT of people and one of their
roles, one executemany UPDATE, and the invitations (``issue_invitations``). No passwords are
hashed: imported people set their own from the invitation.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select, update

from modules.accounts import invitation_mail
from modules.accounts.invitations import issue_invitations
from modules.accounts.models import User, UserRole
from modules.admin.staff_import.planning import LOOKUP_CHUNK, ImportPlan, ImportScope
from modules.core import audit
from modules.core.dates import uk_today
from modules.core.extensions import db
from modules.core.models import utcnow

AUDIT_ACTION = "staff.imported"


class PlanHasProblems(ValueError):
    """Only a plan without problems may be applied: an import is all or nothing."""


@dataclass(frozen=True)
class ImportResult:
    new: int
    updated: int
    unchanged: int
    invited: int
    audit_event_id: int


def apply_plan(plan: ImportPlan, scope: ImportScope, *, file_name: str, sha256: str, source: str,
               invite: bool, base_url: str) -> ImportResult:
    """Write ``plan``; queue the invitation emails to go after the commit. Never commits.

    :raise PlanHasProblems: if the plan has any problem (nothing is written).
    """
    if not plan.ok:
        raise PlanHasProblems(f"{len(plan.problems)} problems")
    new_ids = _insert_people(plan)
    _update_people(plan)
    invited = 0
    if invite and new_ids:
        issued = issue_invitations(new_ids, invited_by=scope.actor)
        invitation_mail.mail_after_commit(issued, base_url=base_url)
        invited = len(issued)
    event = audit.record(
        AUDIT_ACTION, actor=scope.actor, agency_id=scope.agency.id if scope.agency else None,
        file_name=file_name, sha256=sha256, source=source, rows=plan.rows, new=len(plan.new),
        updated=len(plan.updated), unchanged=plan.unchanged, invited=invited,
    )
    db.session.flush()
    return ImportResult(len(plan.new), len(plan.updated), plan.unchanged, invited, event.id)


def _insert_people(plan: ImportPlan) -> list[int]:
    if not plan.new:
        return []
    # The column defaults worked out once, not once a row (Core calls a callable default per row).
    defaults = {"created_at": utcnow(), "started_on": uk_today(), "active": True}
    db.session.execute(User.__table__.insert(), [{**defaults, **person.values} for person in plan.new])
    emails = [person.values["email"] for person in plan.new]
    ids: dict[str, int] = {}
    for start in range(0, len(emails), LOOKUP_CHUNK):
        chunk = emails[start:start + LOOKUP_CHUNK]
        ids.update(db.session.execute(select(User.email, User.id).where(User.email.in_(chunk))).tuples().all())
    db.session.execute(UserRole.__table__.insert(), [
        {"user_id": ids[person.values["email"]], "role": role}
        for person in plan.new for role in person.roles
    ])
    return [ids[email] for email in emails]


def _update_people(plan: ImportPlan) -> None:
    if not plan.updated:
        return
    users = User.__table__
    db.session.execute(
        update(users).where(users.c.id == bindparam("person_id")).values(
            name=bindparam("new_name"), team_id=bindparam("new_team_id"),
            job_title=bindparam("new_job_title"), training_level=bindparam("new_training_level"),
        ),
        [{"person_id": item.user_id, **{f"new_{key}": value for key, value in item.values.items()}}
         for item in plan.updated],
    )
    role_changes = [item for item in plan.updated if item.roles is not None]
    if not role_changes:
        return
    ids = [item.user_id for item in role_changes]
    for start in range(0, len(ids), LOOKUP_CHUNK):
        db.session.execute(delete(UserRole).where(UserRole.user_id.in_(ids[start:start + LOOKUP_CHUNK])))
    db.session.execute(UserRole.__table__.insert(), [
        {"user_id": item.user_id, "role": role}
        for item in role_changes for role in item.roles
    ])
    # The ORM may hold some of these people (the importer among them): make it reload them.
    db.session.expire_all()
