"""Checking a staff file against the database and working out what importing it would change.

Every problem is collected (not just the first), each with its row number and what to do, so
one round of fixes in the spreadsheet is enough. Look-ups are in bulk, whatever the number of
rows: every agency and team in one query each, and existing people by email a few thousand at
a time (one query for 20,000 rows would pass SQLite's limit on bound parameters).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from modules.accounts.models import Agency, Team, User, UserRole
from modules.admin.staff_import.reading import StaffFile
from modules.admin.staff_import.rows import CheckedRow, Problem, check_row
from modules.core.extensions import db
from modules.core.policies import can_act_on, grantable_roles
from modules.core.roles import Role

LOOKUP_CHUNK = 5000


@dataclass(frozen=True)
class ImportScope:
    """Who is importing and into what.

    ``actor`` None is the command line, run by whoever runs the server: it may grant any role
    and change anyone. ``agency`` set: every row goes to that agency (the agency column may be
    left out, and a row naming another agency is a problem); None: each row names its agency.
    """

    actor: User | None
    agency: Agency | None

    @property
    def grantable(self) -> frozenset[Role]:
        return frozenset(Role) if self.actor is None else grantable_roles(self.actor)


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class NewPerson:
    row: int
    values: dict  # users columns
    roles: frozenset[Role]


@dataclass(frozen=True)
class PersonUpdate:
    row: int
    user_id: int
    name: str
    email: str
    changes: tuple[Change, ...]
    values: dict  # name, team_id, job_title, training_level: the new values, changed or not
    roles: frozenset[Role] | None  # set only when the roles change


@dataclass(frozen=True)
class ImportPlan:
    rows: int
    problems: list[Problem]
    new: list[NewPerson] = field(default_factory=list)
    updated: list[PersonUpdate] = field(default_factory=list)
    unchanged: int = 0
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def to_import(self) -> int:
        return len(self.new) + len(self.updated)


@dataclass(frozen=True)
class _Existing:
    """What planning needs of an existing person (the shape ``can_act_on`` reads)."""

    id: int
    email: str
    name: str
    agency_id: int
    team_id: int | None
    job_title: str
    training_level: int
    roles: frozenset[Role]

    def has_role(self, role: Role) -> bool:
        return role in self.roles


def plan_import(staff: StaffFile, scope: ImportScope,
                progress: Callable[[int], None] | None = None) -> ImportPlan:
    """What importing ``staff`` would do, and every problem in the way. Writes nothing."""
    problems: list[Problem] = []
    notes = [staff.encoding_note] if staff.encoding_note else []
    if staff.ignored_headings:
        notes.append("These columns are not used and were ignored: "
                     + ", ".join(f"'{h}'" for h in staff.ignored_headings) + ".")
    if scope.agency is None and "agency" not in staff.columns:
        problems.append(Problem(None, "agency", "The file has no agency column. Add one naming "
                                "each person's agency."))
    if scope.agency is not None and scope.agency.retired_at is not None:
        problems.append(Problem(None, "agency", f"{scope.agency.name} is retired, so nobody can "
                                "be imported into it."))
    checked = [check_row(row, problems) for row in staff.rows]
    if progress:
        progress(len(checked) // 3)
    _flag_duplicate_emails(checked, problems)
    if any(p.row is None for p in problems):  # no agency for any row: said once, not per row
        problems.sort(key=lambda p: (p.row or 0))
        return ImportPlan(len(checked), problems, notes=tuple(notes))
    agencies = {a.name.lower(): a for a in db.session.scalars(select(Agency))}
    teams = {(t.agency_id, t.name.lower()): t for t in db.session.scalars(select(Team))}
    team_names = {t.id: t.name for t in teams.values()}
    agency_names = {a.id: a.name for a in agencies.values()}
    existing = _existing_people([row.email for row in checked if row.email])
    if progress:
        progress(len(checked) // 3)
    new: list[NewPerson] = []
    updated: list[PersonUpdate] = []
    unchanged = 0
    rows_with_problems = {p.row for p in problems}
    grantable = scope.grantable
    for row in checked:
        before = len(problems)
        agency = _row_agency(row, scope, agencies, problems)
        team = _row_team(row, agency, teams, problems) if agency is not None else None
        roles = row.roles
        person = existing.get(row.email)
        if roles is not None and not roles <= grantable:
            not_allowed = ", ".join(sorted(r.label.lower() for r in roles - grantable))
            problems.append(Problem(row.number, "roles", f"You cannot give the {not_allowed} role "
                                    "in an import. Managers import learners only; ask a "
                                    "partnership admin."))
        if person is not None and agency is not None and person.agency_id != agency.id:
            problems.append(Problem(row.number, "email", _other_agency_message(
                row, person, agency, scope, agency_names)))
        if len(problems) > before or agency is None or row.number in rows_with_problems:
            continue
        if person is None:
            new.append(NewPerson(row.number, {
                "name": row.name, "email": row.email, "agency_id": agency.id,
                "team_id": team.id if team else None, "job_title": row.job_title,
                "training_level": row.level or 1,
            }, roles or frozenset({Role.learner})))
            continue
        update = _update_for(row, person, team, team_names)
        if update is None:
            unchanged += 1
        elif scope.actor is not None and person.id == scope.actor.id and update.roles is not None:
            problems.append(Problem(row.number, "roles", "This row would change your own roles. "
                                    "Ask another partnership admin, or leave the roles blank."))
        elif scope.actor is not None and person.id != scope.actor.id and not can_act_on(scope.actor, person):
            problems.append(Problem(row.number, "", f"{person.name} has a role at or above yours, "
                                    "so you cannot change their details. Ask a partnership admin, "
                                    "or remove the row."))
        else:
            updated.append(update)
    if progress:
        progress(len(checked) - 2 * (len(checked) // 3))
    problems.sort(key=lambda p: (p.row or 0))
    return ImportPlan(len(checked), problems, new, updated, unchanged, tuple(notes))


def _flag_duplicate_emails(rows: list[CheckedRow], problems: list[Problem]) -> None:
    seen: dict[str, list[int]] = {}
    for row in rows:
        if row.email:
            seen.setdefault(row.email, []).append(row.number)
    for email, numbers in seen.items():
        if len(numbers) < 2:
            continue
        for number in numbers:
            others = ", ".join(str(n) for n in numbers if n != number)
            problems.append(Problem(number, "email", f"{email} is also on row {others}. Each "
                                    "person must appear once: keep one row and delete the others."))


def _existing_people(emails: list[str]) -> dict[str, _Existing]:
    found: dict[str, _Existing] = {}
    unique = sorted(set(emails))
    for start in range(0, len(unique), LOOKUP_CHUNK):
        chunk = unique[start:start + LOOKUP_CHUNK]
        people = db.session.execute(
            select(User.id, User.email, User.name, User.agency_id, User.team_id, User.job_title,
                   User.training_level).where(User.email.in_(chunk))
        ).all()
        roles: dict[int, set[Role]] = {}
        ids = [p.id for p in people]
        if ids:
            for user_id, role in db.session.execute(
                select(UserRole.user_id, UserRole.role).where(UserRole.user_id.in_(ids))
            ):
                roles.setdefault(user_id, set()).add(role)
        for p in people:
            found[p.email] = _Existing(p.id, p.email, p.name, p.agency_id, p.team_id, p.job_title,
                                       p.training_level, frozenset(roles.get(p.id, ())))
    return found


def _row_agency(row: CheckedRow, scope: ImportScope, agencies: dict[str, Agency],
                problems: list[Problem]) -> Agency | None:
    if scope.agency is not None:
        if row.agency and row.agency.lower() != scope.agency.name.lower():
            problems.append(Problem(row.number, "agency", f"This row is for '{row.agency}', but "
                                    f"this import is for {scope.agency.name}. Remove the row or "
                                    f"change the agency to {scope.agency.name}."))
            return None
        return scope.agency
    if not row.agency:
        problems.append(Problem(row.number, "agency", "The agency is missing. Enter the "
                                "person's agency as it is named on the Partnership page."))
        return None
    agency = agencies.get(row.agency.lower())
    if agency is None:
        problems.append(Problem(row.number, "agency", f"There is no agency called '{row.agency}'. "
                                "Check the name on the Partnership page, or add the agency first."))
        return None
    if agency.retired_at is not None:
        problems.append(Problem(row.number, "agency", f"{agency.name} is retired. Choose a "
                                "current agency."))
        return None
    return agency


def _row_team(row: CheckedRow, agency: Agency, teams: dict, problems: list[Problem]) -> Team | None:
    if not row.team:
        return None
    team = teams.get((agency.id, row.team.lower()))
    if team is None:
        problems.append(Problem(row.number, "team", f"{agency.name} has no team called "
                                f"'{row.team}'. Imports do not create teams: create the team "
                                "first on the agency page, or leave the team blank."))
        return None
    if team.retired_at is not None:
        problems.append(Problem(row.number, "team", f"The team '{team.name}' in {agency.name} is "
                                "retired. Choose a current team or leave the team blank."))
        return None
    return team


def _other_agency_message(row, person: _Existing, agency: Agency, scope: ImportScope,
                          agency_names: dict[int, str]) -> str:
    if scope.actor is not None and not scope.actor.has_role(Role.partnership_admin):
        # A manager may not see other agencies' people: say no more than that the address is taken.
        return (f"{row.email} already has an account in another agency. Ask a partnership admin "
                f"to move them to {agency.name} first, or remove the row.")
    return (f"{row.email} is {person.name}, who is in {agency_names.get(person.agency_id, 'another agency')}. "
            f"Move them to {agency.name} on their page first, or correct the agency.")


def _roles_text(roles: frozenset[Role]) -> str:
    return ", ".join(r.label for r in Role if r in roles)


def _update_for(row: CheckedRow, person: _Existing, team: Team | None,
                team_names: dict[int, str]) -> PersonUpdate | None:
    """The update ``row`` makes to ``person``, or None if nothing changes. A blank optional
    cell keeps the person's value: an import never clears what it was not given."""
    values = {
        "name": row.name,
        "team_id": team.id if team is not None else person.team_id,
        "job_title": row.job_title or person.job_title,
        "training_level": row.level or person.training_level,
    }
    changes = []
    if values["name"] != person.name:
        changes.append(Change("name", person.name, values["name"]))
    if values["team_id"] != person.team_id:
        changes.append(Change("team", team_names.get(person.team_id, "none"), team.name))
    if values["job_title"] != person.job_title:
        changes.append(Change("job title", person.job_title or "none", values["job_title"]))
    if values["training_level"] != person.training_level:
        changes.append(Change("level", str(person.training_level), str(values["training_level"])))
    roles = None
    if row.roles is not None and row.roles != person.roles:
        roles = row.roles
        changes.append(Change("roles", _roles_text(person.roles) or "none", _roles_text(roles)))
    if not changes:
        return None
    return PersonUpdate(row.number, person.id, person.name, person.email, tuple(changes), values, roles)

