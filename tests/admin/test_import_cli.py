"""``flask users import``: dry run, problems (non-zero exit, nothing written), success."""
from __future__ import annotations

from sqlalchemy import func, select

from modules.accounts.models import Invitation, User
from modules.core.models import AuditEvent
from tests.admin.conftest import csv_bytes

GOOD = csv_bytes("Jo Bloggs,jo@example.org,Northshire Police,,DC,2,",
                 "Sam Okafor,sam@example.org,Northshire Health,,Nurse,1,trainer")


def people(db):
    return db.session.scalar(select(func.count(User.id)))


def write(tmp_path, data, name="staff.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_dry_run_shows_what_would_change_and_writes_nothing(runner, db, world, tmp_path):
    result = runner.invoke(args=["users", "import", write(tmp_path, GOOD), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: 2 new, 0 updated, 0 unchanged. Nothing was written." in result.stdout
    assert people(db) == 2


def test_problems_go_to_stderr_with_row_numbers_and_exit_non_zero(runner, db, world, tmp_path):
    bad = GOOD + b"Bad,not-an-email,Northshire Police,,,5,\r\n"
    result = runner.invoke(args=["users", "import", write(tmp_path, bad)])
    assert result.exit_code != 0
    assert "Row 4 (email): 'not-an-email' is not a valid email address" in result.stderr
    assert "Row 4 (level)" in result.stderr
    assert "2 problems in staff.csv; nothing was imported" in result.stderr
    assert people(db) == 2


def test_a_file_that_is_not_a_csv_is_one_error(runner, db, world, tmp_path):
    result = runner.invoke(args=["users", "import", write(tmp_path, b"PK\x03\x04zip", "staff.xlsx")])
    assert result.exit_code != 0 and "Excel workbook" in result.stderr


def test_an_import_writes_people_invites_them_and_audits_the_command(app, runner, db, world, tmp_path):
    result = runner.invoke(args=["users", "import", write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert "Imported staff.csv: 2 new, 0 updated, 0 unchanged; 2 invitations sent." in result.stdout
    assert "Checking 2 rows" in result.stderr  # the progress bar
    assert people(db) == 4 and db.session.scalar(select(func.count(Invitation.id))) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.imported"))
    assert event.actor_id is None and event.details["source"] == "cli"
    again = runner.invoke(args=["users", "import", write(tmp_path, GOOD)])
    assert "0 new, 0 updated, 2 unchanged; 0 invitations sent" in again.stdout


def test_no_invite_sends_none(runner, db, world, tmp_path):
    result = runner.invoke(args=["users", "import", write(tmp_path, GOOD), "--no-invite"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_agency_option_fills_in_the_agency_and_refuses_other_agencies(runner, db, world, tmp_path):
    data = csv_bytes("Jo,jo@example.org", "Sam,sam@example.org", header="name,email\r\n")
    result = runner.invoke(args=["users", "import", write(tmp_path, data), "--agency", "northshire police"])
    assert result.exit_code == 0, result.output
    assert {u.agency_id for u in db.session.scalars(select(User).where(User.email.like("%o@example.org")))} == {world.police.id}
    mixed = runner.invoke(args=["users", "import", write(tmp_path, GOOD), "--agency", "Northshire Police"])
    assert mixed.exit_code != 0 and "this import is for Northshire Police" in mixed.stderr
    unknown = runner.invoke(args=["users", "import", write(tmp_path, GOOD), "--agency", "Nowhere"])
    assert unknown.exit_code != 0 and "no agency called 'Nowhere'" in unknown.stderr
