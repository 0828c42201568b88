"""Applying an import: all or nothing, the same file twice changes nothing, a changed row updates
the person, invitations are issued once and mailed after the commit, one audit event."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from modules.accounts.models import Invitation, Role, User, UserRole
from modules.admin.staff_import.applying import AUDIT_ACTION, PlanHasProblems, apply_plan
from modules.admin.staff_import.checking import preview_file
from modules.admin.staff_import.planning import ImportScope
from modules.core.models import AuditEvent
from modules.notifications.mail import read_outbox
from tests.admin.conftest import csv_bytes

FILE = csv_bytes(
    "Jo Bloggs,jo@example.org,Northshire Police,Child Exploitation Team,DC,2,Learner; Trainer",
    "Sam Okafor,sam@example.org,Northshire Health,,Nurse,1,",
)


def run_import(db, world, data, *, invite=True, actor=None, agency=None):
    scope = ImportScope(actor or world.admin, agency)
    preview = preview_file(data, scope)
    result = apply_plan(preview.plan, scope, file_name="staff.csv", sha256=preview.sha256,
                        source="web", invite=invite, base_url="https://training.example.org")
    db.session.commit()
    return result


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_import_adds_people_with_roles_invitations_and_one_audit_event(app, db, world):
    result = run_import(db, world, FILE)
    assert (result.new, result.updated, result.unchanged, result.invited) == (2, 0, 0, 2)
    jo = db.session.scalar(select(User).where(User.email == "jo@example.org"))
    assert (jo.name, jo.agency_id, jo.team.name, jo.job_title, jo.training_level, jo.password_hash) == (
        "Jo Bloggs", world.police.id, "Child Exploitation Team", "DC", 2, None)
    assert jo.roles == {Role.learner, Role.trainer} and jo.active
    assert count(db, Invitation) == 2
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == AUDIT_ACTION)))
    assert len(events) == 1
    assert events[0].actor_id == world.admin.id
    assert events[0].details["new"] == 2 and len(events[0].details["sha256"]) == 64
    mails = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    assert sorted(m.to for m in mails) == ["jo@example.org", "sam@example.org"]
    assert "https://training.example.org/invitations/" in mails[0].body


def test_the_same_file_twice_changes_nothing_and_sends_no_second_invitation(app, db, world):
    run_import(db, world, FILE)
    before = (count(db, User), count(db, UserRole), count(db, Invitation))
    again = run_import(db, world, FILE)
    assert (again.new, again.updated, again.unchanged, again.invited) == (0, 0, 2, 0)
    assert (count(db, User), count(db, UserRole), count(db, Invitation)) == before
    assert len(read_outbox(app.config["MAIL_OUTBOX_DIR"])) == 2


def test_a_changed_row_updates_that_person_only(db, world):
    run_import(db, world, FILE)
    changed = FILE.replace(b"Jo Bloggs,jo@example.org,Northshire Police,Child Exploitation Team,DC,2,Learner; Trainer",
                           b"Jo Smith,jo@example.org,Northshire Police,,DS,3,Learner")
    result = run_import(db, world, changed)
    assert (result.new, result.updated, result.unchanged, result.invited) == (0, 1, 1, 0)
    db.session.expire_all()
    jo = db.session.scalar(select(User).where(User.email == "jo@example.org"))
    assert (jo.name, jo.job_title, jo.training_level, jo.team.name) == ("Jo Smith", "DS", 3, "Child Exploitation Team")
    assert jo.roles == {Role.learner}


def test_people_not_in_the_file_are_left_alone(db, world, make_user):
    bystander = make_user(agency=world.police, email="stays@example.org", name="Stays Put")
    run_import(db, world, FILE)
    db.session.expire_all()
    assert db.session.get(User, bystander.id).name == "Stays Put"
    assert db.session.get(User, bystander.id).active


def test_without_invitations_no_link_is_issued_or_mailed(app, db, world):
    result = run_import(db, world, FILE, invite=False)
    assert result.invited == 0 and count(db, Invitation) == 0
    assert read_outbox(app.config["MAIL_OUTBOX_DIR"]) == []


def test_a_plan_with_any_problem_is_refused_and_writes_nothing(db, world):
    scope = ImportScope(world.admin, None)
    bad = FILE + b"Bad,not-an-email,Northshire Police,,,1,\r\n"
    preview = preview_file(bad, scope)
    before = count(db, User)
    with pytest.raises(PlanHasProblems):
        apply_plan(preview.plan, scope, file_name="x.csv", sha256="", source="web", invite=True, base_url="")
    db.session.commit()
    assert count(db, User) == before and count(db, AuditEvent) == 0


def big_file(rows: int, bad: dict[int, str]) -> bytes:
    """``rows`` people; the rows numbered in ``bad`` (spreadsheet numbers) replaced."""
    lines = []
    for number in range(2, rows + 2):
        lines.append(bad.get(number, f"Person {number},person{number}@example.org,Northshire Police,"
                                     f"Child Exploitation Team,Officer,{number % 3 + 1},"))
    return csv_bytes(*lines)


def test_twenty_thousand_rows_with_three_bad_ones_list_exactly_those_and_write_nothing(db, world):
    bad = {
        777: "Bad Email,not-an-email,Northshire Police,,,1,",
        12_345: "Bad Level,level@example.org,Northshire Police,,,7,",
        20_001: "Bad Team,team@example.org,Northshire Police,Nowhere,,1,",
    }
    preview = preview_file(big_file(20_000, bad), ImportScope(world.admin, None))
    assert [(p.row, p.column) for p in preview.plan.problems] == [(777, "email"), (12_345, "level"), (20_001, "team")]
    assert count(db, User) == 2  # the admin and the manager: nothing written


def test_twenty_thousand_new_people_are_imported_and_a_second_run_changes_nothing(app, db, world):
    data = big_file(20_000, {})
    first = run_import(db, world, data, invite=False)
    assert first.new == 20_000 and count(db, User) == 20_002
    second = run_import(db, world, data, invite=False)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 20_000)


def test_an_import_made_from_the_instance_folder_is_not_needed(app):
    # The uploads folder comes from the test config, not the project's instance folder.
    assert Path(app.config["SIGHTLINE_IMPORT_DIR"]).name == "imports"
