"""Invitations: a single-use, expiring link for a new member of staff to set their first password.

Imported and added staff get no password at all (hashing 20,000 passwords would take minutes and
nobody would know them); they get an invitation instead. Only a SHA-256 of each token is stored,
as for reset links. Issuing again (a resend) supersedes every earlier open link of that person,
so only the newest one works. Nothing here commits or sends mail: the caller commits, then mails
the links it was given back.
"""
from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from modules.accounts.models import Invitation, User
from modules.core.extensions import db
from modules.core.models import utcnow

DEFAULT_VALID_FOR = timedelta(days=14)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedInvitation:
    user_id: int
    token: str  # the raw token: goes in the link, never stored
    expires_at: datetime


def issue_invitations(
    user_ids: Iterable[int],
    *,
    invited_by: User | None,
    valid_for: timedelta = DEFAULT_VALID_FOR,
    now: datetime | None = None,
) -> list[IssuedInvitation]:
    """Issue one new invitation to each of ``user_ids`` and supersede their open ones.

    Two statements whatever the number of people (one UPDATE, one executemany INSERT), so that
    an import of thousands of staff stays fast. Never commits.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return []
    now = now or utcnow()
    expires_at = now + valid_for
    for chunk in _chunks(ids, 5000):
        db.session.execute(
            update(Invitation)
            .where(
                Invitation.user_id.in_(chunk),
                Invitation.used_at.is_(None),
                Invitation.superseded_at.is_(None),
            )
            .values(superseded_at=now)
        )
    issued = [IssuedInvitation(user_id, secrets.token_urlsafe(32), expires_at) for user_id in ids]
    db.session.execute(
        Invitation.__table__.insert(),
        [
            {
                "user_id": item.user_id,
                "token_hash": token_hash(item.token),
                "invited_by_id": invited_by.id if invited_by is not None else None,
                "created_at": now,
                "expires_at": expires_at,
            }
            for item in issued
        ],
    )
    return issued


def find_valid_invitation(token: str, *, now: datetime | None = None) -> Invitation | None:
    """The invitation for ``token`` if it can still be used: not used, not superseded, not
    expired, and the person's account is active. None otherwise (the caller shows one message
    for every case, so a link reveals nothing about the account)."""
    now = now or utcnow()
    row = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if (
        row is None
        or row.used_at is not None
        or row.superseded_at is not None
        or row.expires_at <= now
        or not row.user.active
    ):
        return None
    return row


def open_invitation(user_id: int) -> Invitation | None:
    """The person's newest invitation not yet used or superseded (it may have expired): what an
    admin sees as "Invited on ..., expires on ..." or "Invitation expired"."""
    return db.session.scalar(
        select(Invitation)
        .where(
            Invitation.user_id == user_id,
            Invitation.used_at.is_(None),
            Invitation.superseded_at.is_(None),
        )
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(1)
    )


def mark_used(invitation: Invitation, *, now: datetime | None = None) -> None:
    invitation.used_at = now or utcnow()


def claim(invitation: Invitation, *, now: datetime | None = None) -> bool:
    """Mark the invitation used if nobody else has in the meantime (one conditional UPDATE, so
    two requests racing with the same link cannot both set a password). False: it was lost."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None), Invitation.superseded_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if claimed:
        mark_used(invitation, now=now)  # the loaded row says what the UPDATE did
    return claimed


def void_open_invitations(user_id: int, *, now: datetime | None = None) -> None:
    """Supersede every open link of this person (on deactivation), so that reactivating the
    account does not bring an old link back to life."""
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.user_id == user_id,
            Invitation.used_at.is_(None),
            Invitation.superseded_at.is_(None),
        )
        .values(superseded_at=now or utcnow())
    )


class InvitationState(enum.Enum):
    none = "Not invited"
    open = "Invited"
    expired = "Invitation expired"
    accepted = "Accepted"


@dataclass(frozen=True)
class InvitationStatus:
    state: InvitationState
    sent_at: datetime | None = None
    expires_at: datetime | None = None
    accepted_at: datetime | None = None


def invitation_status(user_id: int, *, now: datetime | None = None) -> InvitationStatus:
    """What the person page says about the person's invitations: from their newest one."""
    now = now or utcnow()
    newest = db.session.scalar(
        select(Invitation)
        .where(Invitation.user_id == user_id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(1)
    )
    if newest is None:
        return InvitationStatus(InvitationState.none)
    if newest.used_at is not None:
        return InvitationStatus(InvitationState.accepted, newest.created_at, newest.expires_at, newest.used_at)
    if newest.superseded_at is not None or newest.expires_at <= now:
        # Superseded without a newer link: voided when the account was deactivated.
        return InvitationStatus(InvitationState.expired, newest.created_at, newest.expires_at)
    return InvitationStatus(InvitationState.open, newest.created_at, newest.expires_at)


def _chunks(items: list[int], size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
