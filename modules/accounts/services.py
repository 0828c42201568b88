"""Account operations: sign-in, password changes and resets, deactivation. No request objects here."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from modules.accounts import invitations, sessions
from modules.accounts.models import PasswordResetToken, User
from modules.accounts.passwords import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from modules.core import audit
from modules.core.dates import uk_today
from modules.core.extensions import db
from modules.core.models import utcnow


class PasswordRejected(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None. Constant work whether or not the email exists."""
    user = find_user_by_email(email)
    if user is None:
        verify_password(DUMMY_HASH, password)
        return None
    if not user.password_hash:
        # Invited, no password chosen yet: refused like a wrong password, in the same time.
        verify_password(DUMMY_HASH, password)
        audit.record("account.login_failed", actor=None, subject=user, agency_id=user.agency_id)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        audit.record("account.login_failed", actor=None, subject=user, agency_id=user.agency_id)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record("account.login", actor=user, subject=user, agency_id=user.agency_id)
    return user


class WrongCurrentPassword(ValueError):
    """The current password given to confirm a change is not the account's password."""


def set_password(
    user: User,
    new_password: str,
    *,
    actor: User | None = None,
    keep_session: str | None = None,
) -> None:
    """Set a new password after checking the policy; end every session of this user except
    ``keep_session`` (the token of the session making the change, if it stays signed in), and void
    every outstanding reset link, which was issued for the old password.

    :raise PasswordRejected: with the reasons, when the password breaks the policy.
    """
    problems = password_problems(new_password, email=user.email, name=user.name)
    if problems:
        raise PasswordRejected(problems)
    user.password_hash = hash_password(new_password)
    sessions.end_sessions(user, keep_token=keep_session)
    _void_reset_links(user)
    audit.record(
        "account.password_changed", actor=actor or user, subject=user, agency_id=user.agency_id
    )


def change_password(
    user: User, *, current_password: str, new_password: str, keep_session: str | None
) -> None:
    """The signed-in user changes their own password, proving they know the current one.

    :raise WrongCurrentPassword: before anything else is checked.
    :raise PasswordRejected: when the new password breaks the policy.
    """
    if not verify_password(user.password_hash, current_password):
        raise WrongCurrentPassword()
    set_password(user, new_password, keep_session=keep_session)


def set_active(user: User, active: bool, *, actor: User, left_on: date | None = None) -> None:
    """Deactivate (or reactivate) an account; deactivation ends all of the user's sessions, reset
    links and invitations at once, so reactivation does not bring any of them back.

    Deactivating records ``left_on``, the leaving date (the last day they worked here; None:
    today); reactivating clears it. Reports count a leaver out of the compliance figures from the
    day after.
    """
    if user.active == active:
        return
    user.active = active
    if active:
        user.left_on = None
    else:
        user.left_on = left_on or uk_today()
        sessions.end_sessions(user)
        _void_reset_links(user)
        invitations.void_open_invitations(user.id)
    details = {} if active else {"left_on": user.left_on.isoformat()}
    audit.record(
        "account.reactivated" if active else "account.deactivated",
        actor=actor,
        subject=user,
        agency_id=user.agency_id,
        **details,
    )


def set_certificate_email(user: User, wanted: bool) -> bool:
    """The learner's own choice to be emailed their certificates on completion; audited when it
    changes. Never commits.

    :return: whether it changed.
    """
    if user.email_certificates == wanted:
        return False
    user.email_certificates = wanted
    audit.record("account.certificate_email_changed", actor=user, subject=user,
                 agency_id=user.agency_id, email_certificates=wanted)
    return True


def end_all_sessions(user: User, *, actor: User) -> None:
    """End every session (sign out on every device) and every outstanding reset link, since
    whoever could use the account may also have asked for one."""
    sessions.end_sessions(user)
    _void_reset_links(user)
    audit.record("account.sessions_ended", actor=actor, subject=user, agency_id=user.agency_id)


def _void_reset_links(user: User) -> None:
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedResetToken:
    user: User
    token: str
    expires_at: datetime


def issue_password_reset(email: str, *, valid_for: timedelta) -> IssuedResetToken | None:
    """Create a reset token for an active account with this email; None when there is no such account.

    The caller must answer the visitor identically in both cases so that accounts cannot be enumerated.
    """
    user = find_user_by_email(email)
    if user is None or not user.active:
        return None
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + valid_for
    db.session.add(PasswordResetToken(user=user, token_hash=_token_hash(token), expires_at=expires_at))
    audit.record("account.password_reset_requested", subject=user, agency_id=user.agency_id)
    return IssuedResetToken(user=user, token=token, expires_at=expires_at)


def find_valid_reset(token: str) -> PasswordResetToken | None:
    row = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow() or not row.user.active:
        return None
    return row


def complete_password_reset(token: str, new_password: str) -> User | None:
    """Use a reset token once. Returns the user, or None when the link is invalid, used or expired.

    Every session of the user ends, and every outstanding link (this one included) dies with it.

    :raise PasswordRejected: when the new password breaks the policy (the token stays unused).
    """
    row = find_valid_reset(token)
    if row is None:
        return None
    set_password(row.user, new_password)
    return row.user


def accept_invitation(token: str, new_password: str) -> User | None:
    """Use an invitation once to set the person's first password. Returns the user, or None when
    the link is unknown, used, superseded, expired or the account is deactivated.

    :raise PasswordRejected: when the password breaks the policy (the invitation stays unused).
    """
    invitation = invitations.find_valid_invitation(token)
    if invitation is None:
        return None
    user = invitation.user
    problems = password_problems(new_password, email=user.email, name=user.name)
    if problems:
        raise PasswordRejected(problems)
    if not invitations.claim(invitation):
        return None
    set_password(user, new_password)
    audit.record("account.invitation_accepted", actor=user, subject=user, agency_id=user.agency_id)
    return user
