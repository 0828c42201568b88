"""Agencies, teams, users and their roles."""
from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.dates import uk_today
from modules.core.enums import LabelledEnum
from modules.core.extensions import db
from modules.core.models import UTCDateTime, utcnow
from modules.core.roles import Role  # stored here; other areas may import it from either place


class AgencyKind(LabelledEnum):
    """The agency kinds a partnership works with (architecture note, 'Names used across the product')."""

    social_care = "Children's social care"
    police = "Police"
    health = "Health"
    education = "Education"
    licensing = "Licensing (including taxi and private hire drivers)"
    housing = "Housing"
    youth_voluntary = "Youth and voluntary sector"
    other = "Other"


TRAINING_LEVELS = {
    1: "Level 1: awareness (all staff)",
    2: "Level 2: targeted (regular contact with children)",
    3: "Level 3: specialist (safeguarding practitioners)",
}


def _enum_column(enum_cls):
    # Store the member name (stable, short) rather than the human label, without a native
    # PostgreSQL enum type so that adding a kind later needs no ALTER TYPE.
    return Enum(enum_cls, native_enum=False, length=32, validate_strings=True)


class Approval(LabelledEnum):
    """Whether an account counts: self-registered people wait for a manager's approval."""

    approved = "Approved"
    pending = "Waiting for approval"
    rejected = "Not approved"


class Agency(db.Model):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[AgencyKind] = mapped_column(_enum_column(AgencyKind), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Retired agencies keep their people and history for reports; nothing is deleted.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Self-registration (e.g. licensed drivers, who are on no payroll list): by a code the agency
    # hands out, or by an email address at one of the allowed domains (space separated).
    self_registration: Mapped[bool] = mapped_column(Boolean, default=False)
    registration_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    registration_domains: Mapped[str] = mapped_column(String(500), default="")
    # Whether due-soon and overdue reminders go to this agency's staff at all.
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)

    teams: Mapped[list[Team]] = relationship(
        back_populates="agency", order_by="Team.name", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Agency {self.id} {self.name!r}>"


class Team(db.Model):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("agency_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    agency: Mapped[Agency] = relationship(back_populates="teams")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("training_level BETWEEN 1 AND 3", name="training_level_range"),
        Index("ix_users_agency_team", "agency_id", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased so that look-ups and the unique constraint ignore case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    training_level: Mapped[int] = mapped_column(Integer, default=1)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The day they joined their current agency: due dates run from here (or from the day a
    # requirement first applied, whichever is later). Moving agency resets it.
    started_on: Mapped[date] = mapped_column(Date, default=lambda: uk_today())
    # Leavers: the last day they worked here. They leave the compliance denominator from the next
    # day; their records stay in reports as leavers.
    left_on: Mapped[date | None] = mapped_column(Date)
    approval: Mapped[Approval] = mapped_column(_enum_column(Approval), default=Approval.approved)
    # A manager may stop reminders for one person (e.g. on long-term leave); the learner sees it.
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # The learner's own choice: their certificate is emailed to them when they complete a course.
    email_certificates: Mapped[bool] = mapped_column(Boolean, default=True)

    agency: Mapped[Agency] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # Flask-Login --------------------------------------------------------------------------
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    # Roles ---------------------------------------------------------------------------------
    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def set_roles(self, roles: set[Role]) -> None:
        keep = [row for row in self.role_rows if row.role in roles]
        have = {row.role for row in keep}
        self.role_rows = keep + [UserRole(role=r) for r in sorted(roles - have, key=lambda r: r.name)]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(_enum_column(Role), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class PasswordResetToken(db.Model):
    """A single-use, expiring reset link. Only a hash of the token is stored."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """A single-use, expiring link to set a first password. Only a hash of the token is stored.

    Resending supersedes the earlier links (``superseded_at``), so only the newest one works.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class UserSession(db.Model):
    """One signed-in browser. Signed cookies cannot be revoked, so the cookie carries a random token
    and this row says whether it still counts: signing out ends this row alone.

    Only a SHA-256 of the token is stored, as for reset links, so a copy of the table cannot be
    turned back into working cookies.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The sign-in time: the session's absolute lifetime runs from here however active it is.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
