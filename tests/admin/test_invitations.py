"""Invitations: a new person chooses their first password from a single-use, expiring link."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from modules.accounts import invitations
from modules.accounts.invitation_mail import INVITATION_PATH, invitation_link
from modules.accounts.models import Invitation, Role, User
from modules.accounts.passwords import verify_password
from modules.core.config import ConfigError, load_config
from modules.core.models import AuditEvent, utcnow
from modules.core.templating import uk_date
from modules.notifications.mail import read_outbox

NEW_PASSWORD = "lantern orchard velvet compass"
ADMIN = (Role.learner, Role.partnership_admin)
MANAGER = (Role.learner, Role.manager)


def _choose(client, link_or_token, password=NEW_PASSWORD, confirm=None):
    path = link_or_token if link_or_token.startswith("/") else INVITATION_PATH.format(token=link_or_token)
    return client.post(path, data={"password": password, "confirm": confirm or password})


def _new_person(db, agency, email="new.starter@example.org"):
    person = User(email=email, name="New Starter", agency=agency, password_hash=None)
    person.set_roles({Role.learner})
    db.session.add(person)
    db.session.commit()
    return person


def _issue(db, person, **kwargs):
    [issued] = invitations.issue_invitations([person.id], invited_by=None, **kwargs)
    db.session.commit()
    return issued.token


def _link_in_mail(app, to):
    bodies = [m.body for m in read_outbox(app.config["MAIL_OUTBOX_DIR"]) if m.to == to]
    assert bodies, f"no mail to {to}"
    return re.search(r"https?://\S+(/invitations/\S+)", bodies[0]).group(1)


def test_an_added_person_gets_a_mail_whose_link_sets_their_password_and_lets_them_sign_in(
        app, db, client, make_user, make_agency, sign_in):
    agency = make_agency(name="Northshire Police")
    sign_in(make_user(roles=ADMIN, agency=agency))
    response = client.post(f"/agencies/{agency.id}/people/new", data={
        "name": "Sam Okafor", "email": "Sam.Okafor@Example.org", "team": "", "job_title": "PCSO",
        "level": "2", "send_invitation": "y"})
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "sam.okafor@example.org"))
    assert person.password_hash is None

    path = _link_in_mail(app, "sam.okafor@example.org")
    visitor = app.test_client()
    assert "Choose your password" in visitor.get(path).get_data(as_text=True)
    accepted = _choose(visitor, path)
    assert accepted.status_code == 302 and accepted.location.startswith("/sign-in")
    signed_in = visitor.post("/sign-in", data={"email": "sam.okafor@example.org", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert visitor.get("/my-training").status_code == 200


def test_an_invitation_link_works_once(app, db, make_agency):
    person = _new_person(db, make_agency())
    token = _issue(db, person)
    assert _choose(app.test_client(), token).status_code == 302
    again = app.test_client()
    assert again.get(INVITATION_PATH.format(token=token)).status_code == 410
    page = _choose(again, token, password="another quite long passphrase here")
    assert page.status_code == 410
    assert "Ask your manager to resend your invitation" in page.get_data(as_text=True)
    db.session.expire_all()
    assert verify_password(db.session.get(User, person.id).password_hash, NEW_PASSWORD)


@pytest.mark.parametrize("age_days, works", [(13, True), (14, False), (30, False)])
def test_an_invitation_works_until_it_expires(app, db, make_agency, age_days, works):
    person = _new_person(db, make_agency())
    token = _issue(db, person, valid_for=timedelta(days=14), now=utcnow() - timedelta(days=age_days))
    assert app.test_client().get(INVITATION_PATH.format(token=token)).status_code == (200 if works else 410)
    assert _choose(app.test_client(), token).status_code == (302 if works else 410)
    db.session.expire_all()
    assert (db.session.get(User, person.id).password_hash is not None) is works


def test_a_resend_supersedes_the_earlier_link(app, db, client, make_user, make_agency, sign_in):
    agency = make_agency()
    person = _new_person(db, agency)
    first = _issue(db, person)
    sign_in(make_user(roles=MANAGER, agency=agency))
    assert client.post(f"/people/{person.id}/invitation").status_code == 302
    newest = _link_in_mail(app, person.email)
    assert app.test_client().get(INVITATION_PATH.format(token=first)).status_code == 410
    assert _choose(app.test_client(), first).status_code == 410
    assert _choose(app.test_client(), newest).status_code == 302


def test_an_invitation_of_a_deactivated_person_is_refused_and_reactivation_does_not_revive_it(
        app, db, client, make_user, make_agency, sign_in):
    agency = make_agency()
    person = _new_person(db, agency)
    token = _issue(db, person)
    sign_in(make_user(roles=ADMIN, agency=agency))
    client.post(f"/people/{person.id}/active", data={"active": "0"})
    assert app.test_client().get(INVITATION_PATH.format(token=token)).status_code == 410
    client.post(f"/people/{person.id}/active", data={"active": "1"})
    assert _choose(app.test_client(), token).status_code == 410
    # Nor can one be resent while deactivated.
    client.post(f"/people/{person.id}/active", data={"active": "0"})
    client.post(f"/people/{person.id}/invitation")
    assert db.session.scalar(select(Invitation).where(Invitation.user_id == person.id,
                                                      Invitation.used_at.is_(None),
                                                      Invitation.superseded_at.is_(None))) is None


def test_a_refused_password_keeps_the_invitation_usable(app, db, make_agency):
    person = _new_person(db, make_agency())
    token = _issue(db, person)
    client = app.test_client()
    page = _choose(client, token, password="password1234")
    assert page.status_code == 200
    assert "govuk-error-summary" in page.get_data(as_text=True)
    mismatch = _choose(client, token, password=NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert "The passwords do not match" in mismatch.get_data(as_text=True)
    assert _choose(client, token).status_code == 302


def test_two_requests_racing_with_one_link_cannot_both_use_it(app, db, make_agency):
    person = _new_person(db, make_agency())
    token = _issue(db, person)
    row = invitations.find_valid_invitation(token)
    assert invitations.claim(row) is True
    assert invitations.claim(row) is False


def test_sign_in_refuses_an_account_with_no_password(app, db, client, make_agency):
    person = _new_person(db, make_agency())
    for password in ("", "anything at all here", "None"):
        response = client.post("/sign-in", data={"email": person.email, "password": password})
        assert response.status_code == 200
        assert "govuk-error-summary" in response.get_data(as_text=True)
    assert client.get("/my-training").status_code == 302


def test_the_person_page_says_where_the_invitation_is(app, db, client, make_user, make_agency, sign_in):
    agency = make_agency()
    person = _new_person(db, agency)
    sign_in(make_user(roles=ADMIN, agency=agency))

    def state():
        page = client.get(f"/people/{person.id}").get_data(as_text=True)
        return re.sub(r"\s+", " ", re.search(r'id="invitation-state">(.*?)</p>', page, re.S).group(1)).strip()

    assert state().startswith("Not invited yet")
    _issue(db, person, now=utcnow() - timedelta(days=20), valid_for=timedelta(days=14))
    assert state() == "Invitation expired."
    token = _issue(db, person)
    expected = f"Invited {_uk(utcnow())}, expires {_uk(utcnow() + timedelta(days=14))}."
    assert state() == expected
    _choose(app.test_client(), token)
    assert state() == f"Accepted {_uk(utcnow())}."


def _uk(moment):
    return uk_date(moment)


def test_invitation_days_is_a_setting(tmp_path):
    assert load_config(tmp_path, {})["SIGHTLINE_INVITATION_DAYS"] == 14
    assert load_config(tmp_path, {"SIGHTLINE_INVITATION_DAYS": "7"})["SIGHTLINE_INVITATION_DAYS"] == 7
    for bad in ("0", "-3", "fortnight", "91"):
        with pytest.raises(ConfigError, match="SIGHTLINE_INVITATION_DAYS"):
            load_config(tmp_path, {"SIGHTLINE_INVITATION_DAYS": bad})


def test_the_emailed_link_routes_to_the_invitation_page(app):
    adapter = app.url_map.bind("localhost")
    path = urlsplit(invitation_link("https://training.example.org", "abc-DEF_123")).path
    assert adapter.match(path) == ("accounts.accept_invitation", {"token": "abc-DEF_123"})


def test_the_invitation_period_comes_from_the_setting(app, db, client, make_user, make_agency, sign_in):
    app.config["SIGHTLINE_INVITATION_DAYS"] = 3
    agency = make_agency()
    person = _new_person(db, agency)
    sign_in(make_user(roles=ADMIN, agency=agency))
    client.post(f"/people/{person.id}/invitation")
    row = db.session.scalar(select(Invitation).where(Invitation.user_id == person.id))
    assert timedelta(days=3) - timedelta(minutes=1) < row.expires_at - row.created_at <= timedelta(days=3)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.invited"))
    assert event.subject_id == str(person.id) and event.agency_id == agency.id
