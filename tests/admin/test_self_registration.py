"""Self-registration: by an agency's code or an allowed email domain, an invitation rather than a
password, the same answer whether or not the address has an account, and a manager's approval."""
from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import select

from modules.accounts import registration
from modules.accounts.invitations import find_valid_invitation
from modules.accounts.models import AgencyKind, Approval, Role, User
from modules.core.models import AuditEvent
from modules.notifications.mail import read_outbox
from tests.conftest import _empty_all_tables, _test_config, build_app


@pytest.fixture
def world(db, make_agency, make_user):
    taxis = make_agency(name="Northshire Licensing", kind=AgencyKind.licensing, teams=("Drivers",))
    taxis.self_registration = True
    taxis.registration_code = "K7RM-4QXD-9TCA"
    taxis.registration_domains = "drivers.example.gov.uk"
    closed = make_agency(name="Eastport Licensing", kind=AgencyKind.licensing, teams=())
    closed.registration_code = "AAAA-BBBB-CCCC"  # a code, but registration is off
    closed.registration_domains = "eastport.example.gov.uk"
    db.session.commit()
    manager = make_user(roles=(Role.learner, Role.manager), agency=taxis, name="Mo Manager")
    other_manager = make_user(roles=(Role.learner, Role.manager), agency=closed, name="Eve Elsewhere")
    admin = make_user(roles=(Role.learner, Role.partnership_admin), agency=closed, name="Ada Admin")
    return {"taxis": taxis, "closed": closed, "manager": manager, "other_manager": other_manager, "admin": admin}


def _register(client, **fields):
    data = {"name": "Riley Driver", "email": "riley@gmail.example", "job_title": "Private hire driver",
            "code": "", "agency": "", **fields}
    response = client.post("/register", data=data)
    page = response.get_data(as_text=True)
    response.close()  # the mail goes when the server closes the response
    return response.status_code, page


def _mail(app):
    return read_outbox(app.config["MAIL_OUTBOX_DIR"])


def _user(db, email):
    return db.session.scalar(select(User).where(User.email == email))


def test_registering_with_the_code_makes_a_pending_account_with_no_password_and_mails_an_invitation(
        app, client, world, db):
    status, page = _register(client, code="k7rm 4qxd 9tca")  # case and spaces do not matter
    assert status == 200 and "Check your email" in page
    person = _user(db, "riley@gmail.example")
    assert person.agency_id == world["taxis"].id and person.approval is Approval.pending
    assert person.password_hash is None and person.roles == {Role.learner} and person.active
    [message] = _mail(app)
    assert message.to == "riley@gmail.example" and "Northshire Licensing" in message.body
    token = re.search(r"/invitations/(\S+)", message.body).group(1)
    assert find_valid_invitation(token).user_id == person.id


def test_registering_by_an_allowed_domain_picks_the_chosen_agency(app, client, world, db):
    status, page = _register(client, email="Sam@Drivers.Example.gov.uk", agency=str(world["taxis"].id))
    assert status == 200 and "Check your email" in page
    assert _user(db, "sam@drivers.example.gov.uk").agency_id == world["taxis"].id


def test_the_only_agency_with_the_domain_needs_no_choosing(app, client, world, db):
    _register(client, email="sam@drivers.example.gov.uk")
    assert _user(db, "sam@drivers.example.gov.uk").agency_id == world["taxis"].id


@pytest.mark.parametrize(("fields", "message"), [
    ({"code": "ZZZZ-ZZZZ-ZZZZ"}, "That registration code is not right"),
    # The code of an agency that does not take registrations is no code at all.
    ({"code": "AAAA-BBBB-CCCC"}, "That registration code is not right"),
    ({}, "Enter your agency&#39;s registration code, or choose your agency"),
    ({"email": "sam@other.example.org", "agency": "TAXIS"}, "use an email address ending @drivers.example.gov.uk"),
    ({"email": "sam@eastport.example.gov.uk", "agency": "CLOSED"}, "Choose your agency from the list"),
    ({"email": "sam@eastport.example.gov.uk"}, "Enter your agency&#39;s registration code, or choose your agency"),
    ({"email": "not an email"}, "Enter an email address in the correct format"),
    ({"name": "", "code": "K7RM-4QXD-9TCA"}, "Enter your full name"),
    ({"name": "   ", "code": "K7RM-4QXD-9TCA"}, "Enter your full name"),
    ({"job_title": " ", "code": "K7RM-4QXD-9TCA"}, "Enter your job title"),
])
def test_a_registration_that_leads_to_no_open_agency_is_refused_with_what_to_do(app, client, world, db, fields,
                                                                                 message):
    fields = {k: {"TAXIS": str(world["taxis"].id), "CLOSED": str(world["closed"].id)}.get(v, v)
              for k, v in fields.items()}
    status, page = _register(client, **fields)
    assert status == 200 and message in page and "govuk-error-summary" in page
    assert f'value="{fields.get("email", "riley@gmail.example")}"' in page  # nothing typed is lost
    assert db.session.scalar(select(User).where(User.approval == Approval.pending)) is None
    assert _mail(app) == []


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(app, client, world, db, make_user):
    make_user(email="known@example.org", agency=world["closed"], name="Kim Known")
    _, new_page = _register(client, email="new@example.org", code="K7RM-4QXD-9TCA")
    _, known_page = _register(client, email="known@example.org", code="K7RM-4QXD-9TCA")
    def same(page, email):
        return re.sub(r'nonce="[^"]+"', "", page.replace(email, "X"))

    assert same(new_page, "new@example.org") == same(known_page, "known@example.org")
    known = _user(db, "known@example.org")
    assert known.agency_id == world["closed"].id and known.approval is Approval.approved  # untouched
    mails = {m.to: m for m in _mail(app)}
    assert "You already have" in mails["known@example.org"].subject
    assert "/forgotten-password" in mails["known@example.org"].body
    assert "/invitations/" not in mails["known@example.org"].body


def test_registering_again_before_setting_a_password_sends_a_fresh_link_only(app, client, world, db):
    _register(client, code="K7RM-4QXD-9TCA")
    _register(client, code="K7RM-4QXD-9TCA")
    first, second = sorted(_mail(app), key=lambda m: m.sent_at)
    tokens = [re.search(r"/invitations/(\S+)", m.body).group(1) for m in (first, second)]
    assert find_valid_invitation(tokens[0]) is None and find_valid_invitation(tokens[1]) is not None
    assert len(list(db.session.scalars(select(User).where(User.email == "riley@gmail.example")))) == 1


def test_a_pending_person_sees_they_are_waiting_for_approval(app, client, world, db, sign_in, make_user):
    person = make_user(agency=world["taxis"], email="pending@example.org")
    person.approval = Approval.pending
    db.session.commit()
    sign_in(person)
    page = client.get("/my-training").get_data(as_text=True)
    assert "Waiting for your manager&#39;s approval" in page
    person.approval = Approval.approved
    db.session.commit()
    assert "Waiting for your manager" not in client.get("/my-training").get_data(as_text=True)


@pytest.fixture
def pending(world, client, db):
    _register(client, code="K7RM-4QXD-9TCA")
    return _user(db, "riley@gmail.example")


def test_the_manager_approves_a_registration_and_it_is_audited(app, client, world, db, sign_in, pending):
    sign_in(world["manager"])
    page = client.get(f"/agencies/{world['taxis'].id}/approvals").get_data(as_text=True)
    assert "Riley Driver" in page and "riley@gmail.example" in page
    response = client.post(f"/agencies/{world['taxis'].id}/approvals/{pending.id}", data={"decision": "approve"})
    assert response.status_code == 302
    person = _user(db, "riley@gmail.example")
    assert person.approval is Approval.approved and person.active
    after = client.get(f"/agencies/{world['taxis'].id}/approvals").get_data(as_text=True)
    assert "Riley Driver is approved" in after and "riley@gmail.example" not in after
    assert "Nobody is waiting for approval" in after
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.approved"))
    assert event.actor_id == world["manager"].id and event.subject_id == str(person.id)
    # Decided once: a second decision finds nobody waiting.
    again = client.post(f"/agencies/{world['taxis'].id}/approvals/{pending.id}", data={"decision": "reject"})
    assert again.status_code == 404


def test_rejecting_a_registration_deactivates_the_account(app, client, world, db, sign_in, pending):
    sign_in(world["admin"])
    response = client.post(f"/agencies/{world['taxis'].id}/approvals/{pending.id}", data={"decision": "reject"})
    assert response.status_code == 302
    person = _user(db, "riley@gmail.example")
    assert person.approval is Approval.rejected and not person.active
    [invitation_mail] = _mail(app)
    token = re.search(r"/invitations/(\S+)", invitation_mail.body).group(1)
    assert find_valid_invitation(token) is None  # the link dies with the account
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(person.id))))
    assert {"account.self_registered", "account.rejected", "account.deactivated"} <= actions


def test_only_the_agencys_managers_and_admins_decide(app, client, world, db, sign_in, pending, make_user):
    url = f"/agencies/{world['taxis'].id}/approvals/{pending.id}"
    sign_in(world["other_manager"])
    assert client.get(f"/agencies/{world['taxis'].id}/approvals").status_code == 404
    assert client.post(url, data={"decision": "approve"}).status_code == 404
    # Through their own agency's address the person is not theirs either.
    assert client.post(f"/agencies/{world['closed'].id}/approvals/{pending.id}",
                       data={"decision": "approve"}).status_code == 404
    learner_client = app.test_client()
    sign_in(make_user(agency=world["taxis"]), test_client=learner_client)
    assert learner_client.post(url, data={"decision": "approve"}).status_code == 403
    assert client.post(url, data={"decision": "maybe"}).status_code == 404
    assert _user(db, "riley@gmail.example").approval is Approval.pending


def test_settings_turn_registration_on_with_a_code_and_check_the_domains(app, client, world, db, sign_in):
    sign_in(world["other_manager"])
    url = f"/agencies/{world['closed'].id}/registration"
    world["closed"].registration_code = None
    db.session.commit()
    bad = client.post(url, data={"self_registration": "y", "registration_domains": "eastport.example.gov.uk, bad_domain"})
    assert bad.status_code == 200 and "bad_domain is not an email domain" in bad.get_data(as_text=True)
    assert not db.session.get(type(world["closed"]), world["closed"].id).self_registration
    good = client.post(url, data={"self_registration": "y",
                                  "registration_domains": "@Eastport.example.gov.uk  taxis.example.org,eastport.example.gov.uk"})
    assert good.status_code == 302
    agency = db.session.get(type(world["closed"]), world["closed"].id)
    assert agency.self_registration
    assert agency.registration_domains == "eastport.example.gov.uk taxis.example.org"
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", agency.registration_code)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "agency.registration_changed"))
    assert event.details["after"]["domains"] == ["eastport.example.gov.uk", "taxis.example.org"]


def test_a_new_code_replaces_the_old_one_at_once(app, client, world, db, sign_in):
    sign_in(world["manager"])
    assert client.post(f"/agencies/{world['taxis'].id}/registration/code").status_code == 302
    code = db.session.get(type(world["taxis"]), world["taxis"].id).registration_code
    assert code != "K7RM-4QXD-9TCA"
    client.post("/sign-out")
    _, page = _register(client, code="K7RM-4QXD-9TCA")
    assert "That registration code is not right" in page
    _, page = _register(client, code=code)
    assert "Check your email" in page


def test_codes_are_human_friendly_and_differ():
    codes = {registration.generate_code(random.Random(n)) for n in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[346789ABCDEFGHJKMNPQRTUVWXY]{4}(-[346789ABCDEFGHJKMNPQRTUVWXY]{4}){2}", code)
        assert registration.normalise_code(code.lower().replace("-", " ")) == code


@pytest.mark.parametrize("text", ["localhost", "-bad.example.org", "exa mple", "bad..example.org", "1.2.3.4",
                                  "under_score.example.org", "name@example.org"])
def test_what_is_not_an_email_domain_is_refused_by_name(text):
    with pytest.raises(ValueError, match="is not an email domain"):
        registration.parse_domains(f"good.example.org {text}")


@pytest.fixture
def limited_app(database_url, tmp_path):
    config = _test_config(database_url, tmp_path)
    config.update(RATELIMIT_ENABLED=True)
    app = build_app(config)
    with app.app_context():
        from modules.core.extensions import db

        yield app
        db.session.remove()
        _empty_all_tables(db)
        db.engine.dispose()


def test_registration_is_rate_limited(limited_app):
    client = limited_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    statuses = [_register(client, code=f"WRONG-{n}")[0] for n in range(6)]
    assert statuses == [200] * 5 + [429]
    other = limited_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.45"
    assert _register(other, code="WRONG")[0] == 200
