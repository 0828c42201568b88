"""Self-registration, for staff on no payroll list (licensed taxi and private hire drivers, say).

An agency lets people register by a code it hands out, or by an email address at one of its
allowed domains. A registration makes an account with no password, waiting for a manager's
approval, and an invitation: following the emailed link proves the mailbox before any password
exists. Whether the email already has an account never changes the answer on screen (someone
who has one is mailed instead). Nothing here commits or sends mail; the caller commits, then
mails what it is given back.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import select

from modules.accounts.invitations import IssuedInvitation, issue_invitations
from modules.accounts.models import Agency, Approval, Role, User
from modules.accounts.services import find_user_by_email, normalise_email, set_active
from modules.core import audit
from modules.core.extensions import db

# No 0/O, 1/I/L, 5/S or 2/Z: a code read out over the phone or copied from a letter.
CODE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4

_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class RegistrationRefused(ValueError):
    """The code or address does not lead to an agency that takes registrations. ``field`` says
    which answer to correct."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def generate_code(rng: secrets.SystemRandom | None = None) -> str:
    """A random, human-friendly code such as ``K7RM-4QXD-9TCA`` (about 57 bits)."""
    rng = rng or secrets.SystemRandom()
    return "-".join(
        "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)
    )


def normalise_code(text: str) -> str:
    """What someone typed, in the stored form: case, spaces and dashes do not matter."""
    letters = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    return "-".join(letters[i : i + CODE_GROUP_LENGTH] for i in range(0, len(letters), CODE_GROUP_LENGTH))


def parse_domains(text: str) -> list[str]:
    """Allowed email domains from space or comma separated text, lower-cased, without a leading
    ``@``, each once, in the order given.

    :raise ValueError: naming the first entry that is not a domain name.
    """
    domains: list[str] = []
    for entry in re.split(r"[\s,;]+", text or ""):
        domain = entry.strip().lower().removeprefix("@").rstrip(".")
        if not entry.strip():
            continue
        labels = domain.split(".")
        if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels) or labels[-1].isdigit():
            raise ValueError(f"{entry.strip()} is not an email domain. Enter domains like drivers.example.gov.uk")
        if domain not in domains:
            domains.append(domain)
    return domains


def agency_domains(agency: Agency) -> list[str]:
    return (agency.registration_domains or "").split()


def update_settings(agency: Agency, *, enabled: bool, domains: list[str], actor: User) -> None:
    """Turn self-registration on or off and set the allowed domains; turning it on for the first
    time gives the agency a code. Audited with what changed."""
    before = {"self_registration": agency.self_registration, "domains": agency_domains(agency)}
    agency.self_registration = enabled
    agency.registration_domains = " ".join(domains)
    if enabled and not agency.registration_code:
        agency.registration_code = generate_code()
    after = {"self_registration": enabled, "domains": domains}
    if before != after:
        audit.record("agency.registration_changed", actor=actor, subject=agency, agency_id=agency.id,
                     before=before, after=after)


def regenerate_code(agency: Agency, *, actor: User) -> str:
    """A new registration code; the old one stops working at once."""
    agency.registration_code = generate_code()
    audit.record("agency.registration_code_changed", actor=actor, subject=agency, agency_id=agency.id)
    return agency.registration_code


def agencies_open_by_domain() -> list[Agency]:
    """The agencies someone may choose on the registration form: those taking registrations by
    an email domain."""
    return list(db.session.scalars(
        select(Agency)
        .where(Agency.self_registration.is_(True), Agency.retired_at.is_(None), Agency.registration_domains != "")
        .order_by(Agency.name)
    ))


def find_agency(*, code: str, agency_id: int | None, email: str) -> Agency:
    """The agency a registration is for: by its code, else the agency chosen (or the only one
    whose domains match), whose domains must include the email's.

    :raise RegistrationRefused: with the answer to correct and what to do.
    """
    if code.strip():
        agency = db.session.scalar(select(Agency).where(
            Agency.registration_code == normalise_code(code), Agency.self_registration.is_(True),
            Agency.retired_at.is_(None)))
        if agency is None:
            raise RegistrationRefused("code", "That registration code is not right. Check it with the person who gave "
                                              "it to you, or leave it blank and choose your agency")
        return agency
    domain = normalise_email(email).rpartition("@")[2]
    open_agencies = agencies_open_by_domain()
    if agency_id is None:
        matching = [a for a in open_agencies if domain in agency_domains(a)]
        if len(matching) == 1:
            return matching[0]
        raise RegistrationRefused("code", "Enter your agency's registration code, or choose your agency")
    agency = next((a for a in open_agencies if a.id == agency_id), None)
    if agency is None:
        raise RegistrationRefused("agency", "Choose your agency from the list")
    if domain not in agency_domains(agency):
        allowed = " or ".join(f"@{d}" for d in agency_domains(agency))
        raise RegistrationRefused("email", f"To register with {agency.name} without a code, use an email address "
                                           f"ending {allowed}, or enter the registration code you were given")
    return agency


class Outcome(Enum):
    invited = "invited"  # a new account, or one still waiting: mail the invitation
    existing = "existing"  # an account that can sign in: mail "you already have an account"
    nothing = "nothing"  # a deactivated account: nobody to mail


@dataclass(frozen=True)
class Registration:
    outcome: Outcome
    user: User | None
    invitation: IssuedInvitation | None = None


def register(*, name: str, email: str, job_title: str, agency: Agency) -> Registration:
    """Register someone for ``agency``: an account waiting for approval, with no password, and
    an invitation to set one. An email that already has an account changes nothing about it.
    """
    email = normalise_email(email)
    existing = find_user_by_email(email)
    if existing is not None:
        if not existing.active:
            return Registration(Outcome.nothing, existing)
        if existing.password_hash is None:
            # Registered (or invited) before and never set a password: a fresh link.
            return Registration(Outcome.invited, existing, issue_invitations([existing.id], invited_by=None)[0])
        return Registration(Outcome.existing, existing)
    user = User(email=email, name=name.strip(), job_title=job_title.strip(), agency=agency, training_level=1,
                password_hash=None, approval=Approval.pending)
    user.set_roles({Role.learner})
    db.session.add(user)
    db.session.flush()
    audit.record("account.self_registered", actor=None, subject=user, agency_id=agency.id)
    return Registration(Outcome.invited, user, issue_invitations([user.id], invited_by=None)[0])


def pending_people(agency_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.agency_id == agency_id, User.approval == Approval.pending, User.active.is_(True))
        .order_by(User.created_at, User.id)
    ))


def approve(person: User, *, actor: User) -> None:
    """From now on they count in the figures; what they did while waiting counts too."""
    person.approval = Approval.approved
    audit.record("account.approved", actor=actor, subject=person, agency_id=person.agency_id)


def reject(person: User, *, actor: User) -> None:
    """Not one of the agency's staff: the account is deactivated (signed out everywhere) and kept,
    so the same address cannot register again without someone noticing."""
    person.approval = Approval.rejected
    set_active(person, False, actor=actor)
    audit.record("account.rejected", actor=actor, subject=person, agency_id=person.agency_id)
