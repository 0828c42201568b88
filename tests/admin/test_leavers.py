"""Leavers: deactivating records a leaving date and signs the person out at once."""
from __future__ import annotations

import html
from datetime import timedelta

import pytest

from modules.accounts.models import Role, User
from modules.core.dates import uk_today
from modules.core.models import AuditEvent
from modules.core.templating import uk_date

ADMIN = (Role.learner, Role.partnership_admin)
MANAGER = (Role.learner, Role.manager)


def _date_boxes(day):
    return {"left_on": [str(day.day), str(day.month), str(day.year)]}


@pytest.mark.parametrize("actor_roles", [MANAGER, ADMIN], ids=["manager", "admin"])
def test_deactivating_a_leaver_records_the_date_and_signs_them_out_of_an_open_session(
        app, db, client, make_user, make_agency, sign_in, actor_roles):
    agency = make_agency()
    leaver = make_user(agency=agency)
    leavers_browser = sign_in(leaver, test_client=app.test_client())
    assert leavers_browser.get("/my-training").status_code == 200
    sign_in(make_user(roles=actor_roles, agency=agency))
    last_day = uk_today() - timedelta(days=3)
    response = client.post(f"/people/{leaver.id}/active", data={"active": "0", **_date_boxes(last_day)})
    assert response.status_code == 302
    leaver = db.session.get(User, leaver.id)
    assert (leaver.active, leaver.left_on) == (False, last_day)
    # The leaver's open session ends with the deactivation: their next request is sent to sign in.
    after = leavers_browser.get("/my-training")
    assert after.status_code == 302 and after.location.startswith("/sign-in")
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "account.deactivated"))
    assert event.details == {"left_on": last_day.isoformat()}


def test_the_leaving_date_defaults_to_today(db, client, make_user, make_agency, sign_in):
    agency = make_agency()
    leaver = make_user(agency=agency)
    sign_in(make_user(roles=ADMIN, agency=agency))
    client.post(f"/people/{leaver.id}/active", data={"active": "0"})
    assert db.session.get(User, leaver.id).left_on == uk_today()


@pytest.mark.parametrize("boxes, message", [
    (lambda: _date_boxes(uk_today() + timedelta(days=1)), "The leaving date must be today or in the past"),
    (lambda: {"left_on": ["31", "2", "2026"]}, "Leaving date must be a real date"),
    (lambda: {"left_on": ["3", "", "2026"]}, "Leaving date must be a real date"),
    (lambda: {"left_on": ["1", "1", "1850"]}, "Leaving date must be between"),
])
def test_a_bad_leaving_date_is_refused_and_the_account_stays_active(
        db, client, make_user, make_agency, sign_in, boxes, message):
    agency = make_agency()
    leaver = make_user(agency=agency)
    sign_in(make_user(roles=ADMIN, agency=agency))
    page = client.post(f"/people/{leaver.id}/active", data={"active": "0", **boxes()})
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert message in text and "govuk-error-summary" in text
    leaver = db.session.get(User, leaver.id)
    assert (leaver.active, leaver.left_on) == (True, None)


def test_reactivating_clears_the_leaving_date(db, client, make_user, make_agency, sign_in):
    agency = make_agency()
    leaver = make_user(agency=agency)
    sign_in(make_user(roles=ADMIN, agency=agency))
    client.post(f"/people/{leaver.id}/active", data={"active": "0"})
    client.post(f"/people/{leaver.id}/active", data={"active": "1"})
    leaver = db.session.get(User, leaver.id)
    assert (leaver.active, leaver.left_on) == (True, None)


def test_the_person_and_agency_pages_say_when_they_left(db, client, make_user, make_agency, sign_in):
    agency = make_agency()
    leaver = make_user(agency=agency)
    sign_in(make_user(roles=MANAGER, agency=agency))
    last_day = uk_today() - timedelta(days=10)
    client.post(f"/people/{leaver.id}/active", data={"active": "0", **_date_boxes(last_day)})
    expected = f"Left on {uk_date(last_day)}"
    assert expected in client.get(f"/people/{leaver.id}").get_data(as_text=True)
    assert expected in client.get(f"/agencies/{agency.id}").get_data(as_text=True)
