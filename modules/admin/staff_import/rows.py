"""Checks on one row of a staff file that need no database: a name, a valid email address, a
level from 1 to 3, roles that exist. What the database decides (agency, team, an existing
person) is for :mod:`planning`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from modules.accounts.models import TRAINING_LEVELS
from modules.admin.staff_import.reading import SourceRow
from modules.core.input_guard import has_control_characters
from modules.core.roles import Role

MAX_LENGTHS = {"name": 200, "email": 254, "job_title": 200, "team": 200, "agency": 200}
# Roles are one cell: separated by ";", "," or "|" (a role's name has none of them), so
# "Learner; Manager" and "learner|manager" both work, whatever separates the cells.
ROLE_SEPARATORS = re.compile(r"[;,|]")
_LEVEL = re.compile(r"^(?:level|l)?\s*(\d+)$", re.IGNORECASE)


def _role_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch not in " _-")


ROLE_NAMES = {**{_role_key(r.name): r for r in Role}, **{_role_key(r.label): r for r in Role},
              "admin": Role.partnership_admin}
ROLE_LIST = ", ".join(r.label.lower() for r in Role)


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: about the whole file
    column: str  # what the person would look at, e.g. "email"; "" for the whole row
    message: str  # what is wrong and what to do


@dataclass(frozen=True)
class CheckedRow:
    number: int
    name: str
    email: str  # lower-cased, as users.email is stored
    agency: str
    team: str
    job_title: str
    level: int | None  # None: blank (1 for a new person, unchanged for an existing one)
    roles: frozenset[Role] | None  # None: blank (learner for a new person, unchanged otherwise)


def check_row(row: SourceRow, problems: list[Problem]) -> CheckedRow:
    """The row's values, normalised; appends what is wrong with it to ``problems``."""
    cells = row.cells

    def problem(column: str, message: str) -> None:
        problems.append(Problem(row.number, column, message))

    for column, limit in MAX_LENGTHS.items():
        if len(cells.get(column, "")) > limit:
            problem(column.replace("_", " "), f"The {column.replace('_', ' ')} is longer than "
                    f"{limit} characters. Shorten it.")
    if has_control_characters(cells.values()):
        problem("", "The row contains a control character (such as a null byte). Retype the row.")
    name = cells.get("name", "")
    if not name:
        problem("name", "The name is missing. Enter the person's full name.")
    email = _check_email(cells.get("email", ""), problem)
    return CheckedRow(
        number=row.number, name=name, email=email, agency=cells.get("agency", ""),
        team=cells.get("team", ""), job_title=cells.get("job_title", ""),
        level=_check_level(cells.get("level", ""), problem),
        roles=_check_roles(cells.get("roles", ""), problem),
    )


# A plain ASCII local part (dot-atom, as RFC 5322 has it), which email-validator accepts as it is.
_PLAIN_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


@lru_cache(maxsize=4096)
def _domain_is_valid(domain: str) -> bool:
    try:
        validate_email(f"a@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def email_is_valid(text: str) -> bool:
    """email-validator's verdict, fast for a staff list: checking the domain is most of its work
    (about 0.2 ms an address), and a file has a handful of domains for thousands of people, so
    a plain local part is checked here and each domain once."""
    local, at, domain = text.rpartition("@")
    if at and len(local) <= 64 and len(text) <= 254 and _PLAIN_LOCAL.match(local):
        return _domain_is_valid(domain)
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _check_email(text: str, problem) -> str:
    if not text:
        problem("email", "The email address is missing. Enter the person's work email address.")
        return ""
    if not email_is_valid(text):
        problem("email", f"'{text}' is not a valid email address. Enter it in the form "
                "name@example.org.")
    return text.lower()


def _check_level(text: str, problem) -> int | None:
    if not text:
        return None
    match = _LEVEL.match(text.strip())
    level = int(match.group(1)) if match and match.group(1).isascii() else None
    if level not in TRAINING_LEVELS:
        problem("level", f"The level '{text}' is not 1, 2 or 3. Enter 1 (awareness), "
                "2 (targeted) or 3 (specialist).")
        return None
    return level


def _check_roles(text: str, problem) -> frozenset[Role] | None:
    if not text:
        return None
    roles = {Role.learner}  # everyone has the training their agency requires
    for part in ROLE_SEPARATORS.split(text):
        if not part.strip():
            continue
        role = ROLE_NAMES.get(_role_key(part))
        if role is None:
            problem("roles", f"There is no role called '{part.strip()}'. Use {ROLE_LIST}, "
                    "separated by semicolons.")
        else:
            roles.add(role)
    return frozenset(roles)
