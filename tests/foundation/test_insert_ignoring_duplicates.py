"""``insert_ignoring_duplicates`` says truly whether it inserted, on both databases: the reminders
claim each reminder with it, and a wrong answer would send nothing (or everything twice)."""
from __future__ import annotations

from modules.accounts.models import Agency, AgencyKind, Team
from modules.core.database import insert_ignoring_duplicates


def test_it_answers_true_for_a_new_row_and_false_for_a_duplicate(app, db):
    agency = Agency(name="Counting Police", kind=AgencyKind.police)
    db.session.add(agency)
    db.session.flush()
    assert insert_ignoring_duplicates(Team, agency_id=agency.id, name="Response") is True
    assert insert_ignoring_duplicates(Team, agency_id=agency.id, name="Response") is False
    assert insert_ignoring_duplicates(Team, agency_id=agency.id, name="Patrol") is True
    assert sorted(t.name for t in db.session.scalars(db.select(Team))) == ["Patrol", "Response"]
