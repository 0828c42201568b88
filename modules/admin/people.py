"""Adding, editing, moving and deactivating one person. Services add and flush; the view commits.

Who may do this to whom is decided by the views with ``modules.core.policies``
(``require_agency``, ``require_actable``); which roles an actor may grant by
``policies.grantable_roles``, applied here so that no form can get round it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError

from modules.accounts import invitations
from modules.accounts import services as account_services
from modules.accounts.invitations import IssuedInvitation
from modules.accounts.models import Agency, Role, Team, User
from modules.admin.agencies import WorkforceError
from modules.core import audit
from modules.core.extensions import db
from modules.core.policies import grantable_roles


@dataclass(frozen=True)
class PersonDetails:
    name: str
    email: str
    team_id: int | None
    job_title: str
    level: int
    roles: frozenset[Role]  # on top of learner, which everyone has


def _check_email_free(email: str, *, person: User | None = None) -> str:
    email = account_services.normalise_email(email)
    existing = account_services.find_user_by_email(email)
    if existing is not None and existing is not person:
        # Saying whose it is would show a manager people outside their agency.
        raise WorkforceError(f"Someone already has the email address {email}. Each person needs their own")
    return email


def _flush_claiming_email(person: User, email: str) -> None:
    """Flush in a savepoint: if another request took the address since the check, the unique
    constraint refuses this one and the person gets the same message, not an error page."""
    try:
        with db.session.begin_nested():
            db.session.add(person)
            db.session.flush()
    except IntegrityError:
        raise WorkforceError(f"Someone already has the email address {email}. Each person needs their own") from None


def _check_team(agency_id: int, team_id: int | None, *, current: int | None = None) -> Team | None:
    if team_id is None:
        return None
    team = db.session.get(Team, team_id)
    if team is None or team.agency_id != agency_id or (team.retired_at is not None and team.id != current):
        raise WorkforceError("Select a team of this agency that is still in use")
    return team


def _roles(actor: User, wanted: frozenset[Role], had: frozenset[Role]) -> set[Role]:
    """The roles a person ends up with: what the actor may grant is as asked, the rest as it was."""
    allowed = grantable_roles(actor)
    if (wanted - had) - allowed:
        raise WorkforceError("You cannot give that role. Ask a partnership admin")
    kept = had - allowed  # roles the actor may not take away either
    return {Role.learner} | kept | (wanted & allowed)


def add_person(agency: Agency, details: PersonDetails, *, actor: User, today: date) -> User:
    """:raise WorkforceError: the email is taken, the team is not the agency's or a role is out of reach."""
    if agency.retired_at is not None:
        raise WorkforceError(f"{agency.name} is retired. Bring it back into use before adding people")
    email = _check_email_free(details.email)
    team = _check_team(agency.id, details.team_id)
    person = User(email=email, name=details.name, agency=agency, team=team, job_title=details.job_title,
                  training_level=details.level, started_on=today, password_hash=None)
    person.set_roles(_roles(actor, details.roles, frozenset()))
    _flush_claiming_email(person, email)
    audit.record("person.added", actor=actor, subject=person, agency_id=agency.id,
                 roles=sorted(r.name for r in person.roles))
    return person


def update_person(person: User, details: PersonDetails, *, actor: User) -> None:
    """Edit the person's details. Acting on oneself keeps one's roles (nobody demotes themselves
    by accident, or promotes themselves).

    :raise WorkforceError: as :func:`add_person`.
    """
    email = _check_email_free(details.email, person=person)
    team = _check_team(person.agency_id, details.team_id, current=person.team_id)
    roles = set(person.roles) if person.id == actor.id else _roles(actor, details.roles, person.roles)
    before = {"name": person.name, "email": person.email, "team_id": person.team_id,
              "job_title": person.job_title, "level": person.training_level,
              "roles": sorted(r.name for r in person.roles)}
    person.name, person.email, person.team = details.name, email, team
    person.job_title, person.training_level = details.job_title, details.level
    person.set_roles(roles)
    after = {"name": person.name, "email": person.email, "team_id": team.id if team else None,
             "job_title": person.job_title, "level": person.training_level,
             "roles": sorted(r.name for r in roles)}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if "email" in changes:
        _flush_claiming_email(person, email)
    if changes:
        audit.record("person.updated", actor=actor, subject=person, agency_id=person.agency_id, **changes)


def move_person(person: User, agency: Agency, team_id: int | None, *, actor: User, today: date) -> None:
    """Move a person to another agency from ``today``. Their completions keep the agency they
    were completed in (``learning_completions.agency_id``), so reports count each where it was
    done; due dates run afresh from the move (``started_on``).

    :raise WorkforceError: the agency is theirs already or retired, or the team is not its own.
    """
    if agency.id == person.agency_id:
        raise WorkforceError(f"{person.name} is already in {agency.name}")
    if agency.retired_at is not None:
        raise WorkforceError(f"{agency.name} is retired. Choose an agency that is still in use")
    team = _check_team(agency.id, team_id)
    previous = person.agency_id
    person.agency, person.team, person.started_on = agency, team, today
    audit.record("person.moved", actor=actor, subject=person, agency_id=agency.id, from_agency_id=previous,
                 to_agency_id=agency.id)
    # The agency the person left sees the move in its own audit trail too.
    audit.record("person.moved", actor=actor, subject=person, agency_id=previous, from_agency_id=previous,
                 to_agency_id=agency.id)


def invite(person: User, *, actor: User, valid_for: timedelta) -> list[IssuedInvitation]:
    """Issue a new invitation (any earlier link stops working), audited; the caller mails it
    after the commit (``invitation_mail.mail_after_commit``)."""
    issued = invitations.issue_invitations([person.id], invited_by=actor, valid_for=valid_for)
    audit.record("person.invited", actor=actor, subject=person, agency_id=person.agency_id,
                 expires_at=issued[0].expires_at.isoformat())
    return issued


def deactivate(person: User, *, left_on: date | None, actor: User, today: date) -> None:
    """Record a leaver: the account is deactivated and its sessions end at once.

    :raise WorkforceError: a leaving date in the future (deactivate on the day instead). One
        before ``started_on`` is allowed: staff imported today may have left last week.
    """
    left_on = left_on or today
    if left_on > today:
        raise WorkforceError("The leaving date must be today or in the past. Deactivate the account on their last day")
    account_services.set_active(person, False, actor=actor, left_on=left_on)
