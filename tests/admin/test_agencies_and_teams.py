"""Agencies, teams and agency managers, run by partnership admins. Nothing is deleted."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from modules.accounts.models import Agency, AgencyKind, Role, Team, User
from modules.core.models import AuditEvent

ADMIN = (Role.learner, Role.partnership_admin)


@pytest.fixture
def admin_client(client, make_user, make_agency, sign_in):
    sign_in(make_user(roles=ADMIN, agency=make_agency(name="Partnership Office")))
    return client


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_an_admin_creates_an_agency_and_is_taken_to_its_teams(db, admin_client):
    response = admin_client.post("/admin/agencies/new", data={"name": " Northshire Fire ", "kind": "other"})
    agency = db.session.scalar(select(Agency).where(Agency.name == "Northshire Fire"))
    assert agency.kind == AgencyKind.other
    assert response.location == f"/agencies/{agency.id}/teams"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "agency.created")).agency_id == agency.id


@pytest.mark.parametrize("name", ["Partnership Office", "partnership office", "  PARTNERSHIP OFFICE"])
def test_a_second_agency_of_the_same_name_is_refused_by_name(db, admin_client, name):
    page = admin_client.post("/admin/agencies/new", data={"name": name, "kind": "police"})
    assert page.status_code == 200
    assert "An agency called Partnership Office already exists" in _text(page)
    assert db.session.scalar(select(func.count(Agency.id))) == 1


@pytest.mark.parametrize("data, message", [
    ({"name": "", "kind": "police"}, "Enter the agency's name"),
    ({"name": "A", "kind": ""}, "Select the kind of agency"),
    ({"name": "A", "kind": "fire_brigade"}, "Select the kind of agency from the list"),
    ({"name": "x" * 201, "kind": "police"}, "Agency name must be 200 characters or fewer"),
])
def test_bad_agency_input_gets_a_specific_message(admin_client, data, message):
    page = admin_client.post("/admin/agencies/new", data=data)
    assert page.status_code == 200 and message in _text(page)


def test_renaming_and_changing_the_kind_of_an_agency(db, admin_client, make_agency):
    agency = make_agency(name="Old Name")
    admin_client.post(f"/agencies/{agency.id}/settings", data={"name": "New Name", "kind": "health"})
    agency = db.session.get(Agency, agency.id)
    assert (agency.name, agency.kind) == ("New Name", AgencyKind.health)
    page = admin_client.post(f"/agencies/{agency.id}/settings", data={"name": "Partnership Office", "kind": "health"})
    assert "An agency called Partnership Office already exists" in _text(page)
    # Its own name, in another case, is not a clash.
    admin_client.post(f"/agencies/{agency.id}/settings", data={"name": "NEW NAME", "kind": "health"})
    assert db.session.get(Agency, agency.id).name == "NEW NAME"


def test_an_agency_with_active_accounts_cannot_be_retired(db, admin_client, make_agency, make_user):
    agency = make_agency(name="Closing Trust")
    person = make_user(agency=agency)
    admin_client.post(f"/agencies/{agency.id}/retirement", data={"retire": "1"})
    assert db.session.get(Agency, agency.id).retired_at is None
    assert "Closing Trust still has 1 active account" in _text(admin_client.get(f"/agencies/{agency.id}/settings"))
    admin_client.post(f"/people/{person.id}/active", data={"active": "0"})
    admin_client.post(f"/agencies/{agency.id}/retirement", data={"retire": "1"})
    assert db.session.get(Agency, agency.id).retired_at is not None
    # Listed apart, and its people are kept.
    home = _text(admin_client.get("/admin"))
    in_use, _, retired = home.partition("Retired agencies")
    assert "Closing Trust" in retired and "Closing Trust" not in in_use.partition("in use")[2]
    assert db.session.get(User, person.id) is not None
    admin_client.post(f"/agencies/{agency.id}/retirement", data={"retire": "0"})
    assert db.session.get(Agency, agency.id).retired_at is None


def test_teams_are_added_renamed_and_retired_without_losing_their_people(db, admin_client, make_agency, make_user):
    agency = make_agency(name="Northshire Police", teams=("Response",))
    admin_client.post(f"/agencies/{agency.id}/teams", data={"name": "Missing from home"})
    team = db.session.scalar(select(Team).where(Team.name == "Missing from home"))
    page = admin_client.post(f"/agencies/{agency.id}/teams", data={"name": "response"})
    assert "Northshire Police already has a team called Response" in _text(page)
    admin_client.post(f"/teams/{team.id}/edit", data={"name": "Missing persons"})
    assert db.session.get(Team, team.id).name == "Missing persons"
    member = make_user(agency=agency)
    member.team_id = team.id
    db.session.commit()
    admin_client.post(f"/teams/{team.id}/retirement", data={"retire": "1"})
    assert db.session.get(Team, team.id).retired_at is not None
    assert db.session.get(User, member.id).team_id == team.id
    assert "Retired" in _text(admin_client.get(f"/agencies/{agency.id}/teams"))


def test_an_admin_assigns_and_removes_an_agency_manager(db, admin_client, make_agency, make_user):
    agency = make_agency(name="Northshire Police")
    person = make_user(agency=agency, name="Dana Price")
    outsider = make_user(agency=make_agency(name="Elsewhere"))
    page = _text(admin_client.get(f"/agencies/{agency.id}/managers"))
    assert "Dana Price" in page and outsider.name not in page
    admin_client.post(f"/agencies/{agency.id}/managers", data={"person": str(person.id)})
    assert db.session.get(User, person.id).has_role(Role.manager)
    # Someone of another agency is not a choice, even by a forged form.
    admin_client.post(f"/agencies/{agency.id}/managers", data={"person": str(outsider.id)})
    assert not db.session.get(User, outsider.id).has_role(Role.manager)
    admin_client.post(f"/agencies/{agency.id}/managers", data={"remove": str(person.id)})
    person = db.session.get(User, person.id)
    assert not person.has_role(Role.manager) and person.has_role(Role.learner)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(person.id))).all()
    assert {"agency.manager_added", "agency.manager_removed"} <= set(actions)


def test_removing_a_manager_of_another_agency_through_this_one_is_refused(db, admin_client, make_agency, make_user):
    agency = make_agency(name="Northshire Police")
    elsewhere_manager = make_user(agency=make_agency(name="Elsewhere"), roles=(Role.learner, Role.manager))
    admin_client.post(f"/agencies/{agency.id}/managers", data={"remove": str(elsewhere_manager.id)})
    assert db.session.get(User, elsewhere_manager.id).has_role(Role.manager)
