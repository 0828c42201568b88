"""Adding, editing and moving people: who may, which roles they may give, and what is kept."""
from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import func, select

from modules.accounts.models import AgencyKind, Role, Team, User
from modules.admin import people
from modules.admin.agencies import WorkforceError
from modules.core.dates import uk_today
from modules.core.models import AuditEvent, utcnow
from modules.core.policies import grantable_roles
from modules.notifications.mail import read_outbox
from tests.certificates.factories import make_completion, make_course

ADMIN = (Role.learner, Role.partnership_admin)
MANAGER = (Role.learner, Role.manager)


def _form(**overrides):
    data = {"name": "Priya Shah", "email": "priya.shah@example.org", "team": "", "job_title": "Social worker",
            "level": "2", "send_invitation": "y"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _people(db):
    return db.session.scalar(select(func.count(User.id)))


@pytest.fixture
def agencies(make_agency):
    return make_agency(name="Home Police", teams=("Response", "CSE team")), make_agency(
        name="Other Health", kind=AgencyKind.health, teams=("Ward 4",))


def test_an_admin_adds_a_person_with_a_team_and_roles_and_the_invitation_is_mailed(
        app, db, client, make_user, sign_in, agencies):
    home, _ = agencies
    sign_in(make_user(roles=ADMIN, agency=home))
    team = home.teams[0]
    response = client.post(f"/agencies/{home.id}/people/new",
                           data=_form(team=str(team.id), roles=["manager", "trainer"]))
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "priya.shah@example.org"))
    assert (person.agency_id, person.team_id, person.training_level, person.job_title) == (
        home.id, team.id, 2, "Social worker")
    assert person.roles == {Role.learner, Role.manager, Role.trainer}
    assert person.started_on == uk_today()
    assert [m.to for m in read_outbox(app.config["MAIL_OUTBOX_DIR"])] == ["priya.shah@example.org"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.added")).subject_id == str(person.id)


def test_without_the_invitation_box_no_mail_is_sent(app, db, client, make_user, sign_in, agencies):
    home, _ = agencies
    sign_in(make_user(roles=ADMIN, agency=home))
    assert client.post(f"/agencies/{home.id}/people/new", data=_form(send_invitation=None)).status_code == 302
    assert read_outbox(app.config["MAIL_OUTBOX_DIR"]) == []
    assert "Not invited yet" in client.get(
        f"/people/{db.session.scalar(select(User.id).where(User.email == 'priya.shah@example.org'))}").get_data(as_text=True)


@pytest.mark.parametrize("email", ["taken@example.org", "TAKEN@example.org", "  Taken@Example.ORG "])
def test_a_duplicate_email_is_refused_with_a_clear_message_and_nothing_typed_is_lost(
        db, client, make_user, sign_in, agencies, email):
    home, other = agencies
    make_user(agency=other, email="taken@example.org")
    sign_in(make_user(roles=MANAGER, agency=home))
    before = _people(db)
    page = client.post(f"/agencies/{home.id}/people/new", data=_form(email=email, job_title="Detective constable"))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Someone already has the email address taken@example.org" in text
    assert 'value="Detective constable"' in text and 'value="Priya Shah"' in text
    assert "Other Health" not in text  # whose address it is stays hidden from a manager
    assert _people(db) == before


def test_editing_to_another_persons_email_is_refused(db, client, make_user, sign_in, agencies):
    home, _ = agencies
    make_user(agency=home, email="taken@example.org")
    person = make_user(agency=home)
    sign_in(make_user(roles=ADMIN, agency=home))
    page = client.post(f"/people/{person.id}/edit", data=_form(email="Taken@example.org"))
    assert "Someone already has the email address taken@example.org" in page.get_data(as_text=True)
    assert db.session.get(User, person.id).email != "taken@example.org"


@pytest.mark.parametrize("role", ["manager", "trainer", "partnership_admin"])
def test_a_manager_cannot_grant_a_role_even_by_forging_the_form(db, client, make_user, sign_in, agencies, role):
    home, _ = agencies
    learner = make_user(agency=home)
    sign_in(make_user(roles=MANAGER, agency=home))
    form_page = client.get(f"/agencies/{home.id}/people/new").get_data(as_text=True)
    assert 'name="roles"' not in form_page  # no role is offered to a manager at all
    client.post(f"/agencies/{home.id}/people/new", data=_form(roles=[role]))
    added = db.session.scalar(select(User).where(User.email == "priya.shah@example.org"))
    assert added.roles == {Role.learner}  # the forged role is not a field a manager has
    client.post(f"/people/{learner.id}/edit", data=_form(email=learner.email, roles=[role]))
    assert db.session.get(User, learner.id).roles == {Role.learner}


@pytest.mark.parametrize("role", [Role.manager, Role.trainer, Role.partnership_admin])
def test_the_service_refuses_a_role_the_actor_may_not_grant(db, make_user, agencies, role):
    home, _ = agencies
    manager = make_user(roles=MANAGER, agency=home)
    details = people.PersonDetails(name="A Person", email="a.person@example.org", team_id=None, job_title="",
                                   level=1, roles=frozenset({role}))
    with pytest.raises(WorkforceError, match="You cannot give that role"):
        people.add_person(home, details, actor=manager, today=uk_today())


def test_grantable_roles_is_the_one_rule(make_user, agencies):
    home, _ = agencies
    assert grantable_roles(make_user(roles=ADMIN, agency=home)) == frozenset(Role)
    assert grantable_roles(make_user(roles=MANAGER, agency=home)) == {Role.learner}
    assert grantable_roles(make_user(roles=(Role.learner, Role.trainer), agency=home)) == frozenset()
    assert grantable_roles(make_user(agency=home)) == frozenset()


def test_a_manager_adds_a_learner_to_their_own_agency(db, client, make_user, sign_in, agencies):
    home, _ = agencies
    sign_in(make_user(roles=MANAGER, agency=home))
    assert client.post(f"/agencies/{home.id}/people/new", data=_form()).status_code == 302
    person = db.session.scalar(select(User).where(User.email == "priya.shah@example.org"))
    assert person.agency_id == home.id and person.roles == {Role.learner}


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter the person's full name"),
    ("email", "not-an-email", "Enter an email address in the correct format"),
    ("level", "4", "Select level 1, 2 or 3"),
    ("level", "", "Select the person's training level"),
    ("team", "999999", "Select a team of this agency that is still in use"),
    ("name", "x" * 201, "Full name must be 200 characters or fewer"),
])
def test_bad_input_gets_a_specific_message(db, client, make_user, sign_in, agencies, field, value, message):
    home, _ = agencies
    sign_in(make_user(roles=ADMIN, agency=home))
    page = client.post(f"/agencies/{home.id}/people/new", data=_form(**{field: value}))
    assert page.status_code == 200
    assert message in html.unescape(page.get_data(as_text=True))


def test_a_team_of_another_agency_or_a_retired_one_cannot_be_chosen(db, client, make_user, sign_in, agencies):
    home, other = agencies
    retired = home.teams[0]
    retired.retired_at = utcnow()
    db.session.commit()
    sign_in(make_user(roles=ADMIN, agency=home))
    page = client.get(f"/agencies/{home.id}/people/new").get_data(as_text=True)
    assert retired.name not in page and home.teams[1].name in page
    for team in (retired, other.teams[0]):
        response = client.post(f"/agencies/{home.id}/people/new", data=_form(team=str(team.id)))
        assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.email == "priya.shah@example.org")) is None


def test_editing_a_person_saves_and_audits_what_changed(db, client, make_user, sign_in, agencies):
    home, _ = agencies
    person = make_user(agency=home, name="Old Name")
    sign_in(make_user(roles=ADMIN, agency=home))
    team = home.teams[1]
    assert client.post(f"/people/{person.id}/edit", data=_form(
        name="New Name", email="new.name@example.org", team=str(team.id), level="3", roles=["trainer"])).status_code == 302
    person = db.session.get(User, person.id)
    assert (person.name, person.email, person.team_id, person.training_level) == (
        "New Name", "new.name@example.org", team.id, 3)
    assert person.roles == {Role.learner, Role.trainer}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.updated"))
    assert event.details["name"] == ["Old Name", "New Name"]


def test_an_admin_editing_themselves_keeps_their_roles(db, client, make_user, sign_in, agencies):
    home, _ = agencies
    admin = make_user(roles=ADMIN, agency=home)
    sign_in(admin)
    client.post(f"/people/{admin.id}/edit", data=_form(email=admin.email, name="Renamed Admin", roles=[]))
    admin = db.session.get(User, admin.id)
    assert admin.name == "Renamed Admin"
    assert admin.roles == {Role.learner, Role.partnership_admin}


def test_moving_a_person_keeps_where_their_completions_were_done(db, client, make_user, sign_in, agencies):
    home, other = agencies
    person = make_user(agency=home)
    person.team = home.teams[0]
    person.started_on = date(2024, 5, 1)
    completion = make_completion(person, make_course())
    completion.agency_id = home.id  # as record_completion sets it
    db.session.commit()
    sign_in(make_user(roles=ADMIN, agency=other))
    target_team = other.teams[0]
    response = client.post(f"/people/{person.id}/move", data={"agency": str(other.id), "team": str(target_team.id)})
    assert response.status_code == 302
    person = db.session.get(User, person.id)
    assert (person.agency_id, person.team_id, person.started_on) == (other.id, target_team.id, uk_today())
    db.session.refresh(completion)
    assert completion.agency_id == home.id
    moves = db.session.scalars(select(AuditEvent.agency_id).where(AuditEvent.action == "person.moved")).all()
    assert sorted(moves) == sorted([home.id, other.id])


def test_moving_resets_the_team_unless_one_of_the_new_agency_is_chosen(db, client, make_user, sign_in, agencies):
    home, other = agencies
    person = make_user(agency=home)
    person.team = home.teams[0]
    db.session.commit()
    sign_in(make_user(roles=ADMIN, agency=other))
    page = client.post(f"/people/{person.id}/move", data={"agency": str(other.id), "team": str(home.teams[1].id)})
    assert "Select a team of the new agency that is still in use" in page.get_data(as_text=True)
    assert db.session.get(User, person.id).agency_id == home.id
    client.post(f"/people/{person.id}/move", data={"agency": str(other.id), "team": ""})
    person = db.session.get(User, person.id)
    assert (person.agency_id, person.team_id) == (other.id, None)


def test_a_person_cannot_be_moved_to_a_retired_agency(db, client, make_user, sign_in, agencies, make_agency):
    home, _ = agencies
    retired = make_agency(name="Closed Trust")
    retired.retired_at = utcnow()
    db.session.commit()
    person = make_user(agency=home)
    sign_in(make_user(roles=ADMIN, agency=home))
    assert "Closed Trust" not in client.get(f"/people/{person.id}/move").get_data(as_text=True)
    client.post(f"/people/{person.id}/move", data={"agency": str(retired.id)})
    assert db.session.get(User, person.id).agency_id == home.id


def test_people_cannot_be_added_to_a_retired_agency(db, client, make_user, sign_in, agencies):
    home, _ = agencies
    sign_in(make_user(roles=ADMIN, agency=home))
    home.retired_at = utcnow()
    db.session.commit()
    assert "Add a person" not in client.get(f"/agencies/{home.id}").get_data(as_text=True)
    page = client.post(f"/agencies/{home.id}/people/new", data=_form())
    assert "Home Police is retired" in page.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "priya.shah@example.org")) is None


def test_the_pages_offer_only_what_the_user_may_do(db, client, make_user, sign_in, agencies):
    home, _ = agencies
    learner = make_user(agency=home)
    sign_in(make_user(roles=MANAGER, agency=home))
    page = client.get(f"/people/{learner.id}").get_data(as_text=True)
    assert f"/people/{learner.id}/edit" in page
    assert f"/people/{learner.id}/move" not in page  # admins only
    agency_page = client.get(f"/agencies/{home.id}").get_data(as_text=True)
    assert f"/agencies/{home.id}/people/new" in agency_page
    assert f"/agencies/{home.id}/settings" not in agency_page and f"/agencies/{home.id}/teams" not in agency_page
    assert Team  # the model the team pages use


def test_a_team_of_a_third_agency_is_refused_when_moving(db, client, make_user, sign_in, agencies, make_agency):
    home, other = agencies
    third = make_agency(name="Third Trust", teams=("Ward 9",))
    person = make_user(agency=home)
    sign_in(make_user(roles=ADMIN, agency=home))
    page = client.post(f"/people/{person.id}/move", data={"agency": str(other.id), "team": str(third.teams[0].id)})
    assert "Select a team of this agency that is still in use" in page.get_data(as_text=True)
    assert db.session.get(User, person.id).agency_id == home.id
