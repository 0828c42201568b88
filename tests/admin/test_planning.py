"""Every row problem the preview names, with its row number, and what an import would change."""
from __future__ import annotations

from sqlalchemy import func, select

from modules.accounts.models import Role, User
from modules.admin.staff_import.planning import ImportScope, plan_import
from modules.admin.staff_import.reading import read_staff_file
from tests.admin.conftest import csv_bytes


def plan(world, *rows, actor=None, agency=None, header=None):
    data = csv_bytes(*rows) if header is None else csv_bytes(*rows, header=header)
    return plan_import(read_staff_file(data), ImportScope(actor or world.admin, agency))


def problems(result):
    return [(p.row, p.column, p.message) for p in result.problems]


def test_a_clean_file_plans_new_people_with_their_team_level_and_roles(world):
    result = plan(world, "Jo Bloggs,jo@example.org,Northshire Police,child exploitation team,DC,2,Learner; Trainer",
                  "Sam Okafor,SAM@example.org,northshire health,,Nurse,,")
    assert result.ok and result.unchanged == 0 and result.updated == []
    jo, sam = result.new
    assert jo.values["agency_id"] == world.police.id and jo.values["training_level"] == 2
    assert jo.values["team_id"] == world.police.teams[0].id
    assert jo.roles == {Role.learner, Role.trainer}
    assert sam.values["email"] == "sam@example.org" and sam.values["training_level"] == 1
    assert sam.roles == {Role.learner} and sam.values["team_id"] is None


def test_each_problem_names_its_row_and_what_to_do(world):
    result = plan(
        world,
        "Jo,jo@example.org,Nowhere Council,,,1,",  # row 2
        "Sam,sam@example.org,Northshire Police,Traffic,,1,",  # row 3
        "Ann,ann@example.org,Northshire Police,Old Unit,,1,",  # row 4
        "Bob,bob@example.org,Closed Agency,,,1,",  # row 5
        "Cat,not-an-email,Northshire Police,,,1,",  # row 6
        "Dan,dan@example.org,Northshire Police,,,4,",  # row 7
        "Eve,eve@example.org,Northshire Police,,,1,Learner; Wizard",  # row 8
        ",fay@example.org,Northshire Police,,,1,",  # row 9
        "Gus,gus@example.org,,,,1,",  # row 10
    )
    found = problems(result)
    assert [(row, column) for row, column, _ in found] == [
        (2, "agency"), (3, "team"), (4, "team"), (5, "agency"), (6, "email"), (7, "level"),
        (8, "roles"), (9, "name"), (10, "agency")]
    messages = dict(((row, message) for row, _, message in found))
    assert "no agency called 'Nowhere Council'" in messages[2]
    assert "create the team first on the agency page" in messages[3]
    assert "retired" in messages[4] and "retired" in messages[5]
    assert "not a valid email address" in messages[6]
    assert "not 1, 2 or 3" in messages[7]
    assert "no role called 'Wizard'" in messages[8]
    assert result.new == [] or all(p.row not in messages for p in result.new)


def test_a_duplicate_email_names_both_rows(world):
    result = plan(world, "Jo,jo@example.org,Northshire Police,,,1,", "Sam,sam@example.org,Northshire Police,,,1,",
                  "Jo Again,JO@example.org,Northshire Police,,,1,")
    assert [(row, column) for row, column, _ in problems(result)] == [(2, "email"), (4, "email")]
    assert "also on row 4" in result.problems[0].message
    assert "also on row 2" in result.problems[1].message


def test_a_manager_may_import_learners_of_their_own_agency_only(world):
    result = plan(world, "Jo,jo@example.org,,,,1,",
                  "Sam,sam@example.org,Northshire Police,,,1,learner",
                  "Ann,ann@example.org,Northshire Health,,,1,",
                  "Bob,bob@example.org,,,,1,Learner;Manager",
                  actor=world.manager, agency=world.police)
    assert [(row, column) for row, column, _ in problems(result)] == [(4, "agency"), (5, "roles")]
    assert "this import is for Northshire Police" in result.problems[0].message
    assert "cannot give the manager role" in result.problems[1].message
    # Without the agency column at all, every row is the manager's agency.
    result = plan(world, "Jo,jo@example.org", "Sam,sam@example.org", header="name,email\r\n",
                  actor=world.manager, agency=world.police)
    assert result.ok and {p.values["agency_id"] for p in result.new} == {world.police.id}


def test_an_admin_import_without_an_agency_column_is_one_problem(world):
    result = plan(world, "Jo,jo@example.org", header="name,email\r\n")
    assert [(p.row, p.column) for p in result.problems] == [(None, "agency")]


def test_an_existing_person_in_another_agency_must_be_moved_first(world, make_user):
    make_user(agency=world.health, email="nurse@example.org", name="Nina Nurse")
    result = plan(world, "Nina Nurse,nurse@example.org,Northshire Police,,,1,")
    assert "Move them to Northshire Police on their page first" in result.problems[0].message
    assert "Nina Nurse" in result.problems[0].message
    # A manager is told no more than that the address is taken.
    result = plan(world, "Nina Nurse,nurse@example.org,,,,1,", actor=world.manager, agency=world.police)
    assert "already has an account in another agency" in result.problems[0].message
    assert "Nina" not in result.problems[0].message and "Health" not in result.problems[0].message


def test_a_manager_cannot_change_someone_at_or_above_them(world, make_user):
    make_user(roles=(Role.learner, Role.manager), agency=world.police, email="boss@example.org", name="Boss")
    unchanged = plan(world, "Boss,boss@example.org,,,Officer,1,", actor=world.manager, agency=world.police)
    assert unchanged.ok and unchanged.unchanged == 1
    changed = plan(world, "Big Boss,boss@example.org,,,Officer,1,", actor=world.manager, agency=world.police)
    assert "role at or above yours" in changed.problems[0].message


def test_an_admin_cannot_change_their_own_roles_by_import(world):
    result = plan(world, "Alex Admin,admin@example.org,Northshire Health,,Officer,1,learner")
    assert "your own roles" in result.problems[0].message


def test_a_changed_row_lists_each_change_and_blank_cells_keep_values(world, make_user):
    make_user(agency=world.police, email="jo@example.org", name="Jo Bloggs", level=1)
    result = plan(world, "Jo Smith,jo@example.org,Northshire Police,Child Exploitation Team,,3,learner;trainer")
    assert result.ok and len(result.updated) == 1
    update = result.updated[0]
    assert {c.field: (c.old, c.new) for c in update.changes} == {
        "name": ("Jo Bloggs", "Jo Smith"), "team": ("none", "Child Exploitation Team"),
        "level": ("1", "3"), "roles": ("Learner", "Learner, Trainer")}
    assert update.values["job_title"] == "Officer"  # blank in the file: kept


def test_planning_writes_nothing(world, db):
    before = db.session.scalar(select(func.count(User.id)))
    plan(world, "Jo,jo@example.org,Northshire Police,,,1,")
    db.session.rollback()
    assert db.session.scalar(select(func.count(User.id))) == before
