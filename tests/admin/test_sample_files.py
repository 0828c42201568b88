"""The sample files in docs/ do what docs/admin.md says: against the demo partnership the first
shows one of each common mistake, and the corrected one imports cleanly."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from modules.accounts.models import Role, User
from modules.admin.staff_import.checking import preview_file
from modules.admin.staff_import.planning import ImportScope
from modules.demo.services import load_demo

DOCS = Path(__file__).resolve().parents[2] / "docs"


def demo_admin(db):
    load_demo(staff=12)
    return db.session.scalar(select(User).where(User.email == "admin@example.org"))


def test_the_sample_with_mistakes_shows_each_of_them(db):
    admin = demo_admin(db)
    plan = preview_file((DOCS / "sample-staff-import.csv").read_bytes(), ImportScope(admin, None)).plan
    assert [(p.row, p.column) for p in plan.problems] == [
        (2, "email"), (5, "email"), (6, "team"), (7, "level"), (8, "email"), (9, "agency"), (10, "roles")]
    assert admin.has_role(Role.partnership_admin)


def test_the_corrected_sample_has_no_problems(db):
    admin = demo_admin(db)
    plan = preview_file((DOCS / "sample-staff-import-fixed.csv").read_bytes(), ImportScope(admin, None)).plan
    assert plan.problems == [] and len(plan.new) == 8
