"""Sessions end server-side: signing out, lifetimes and timeouts hold for every copy of a cookie."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from modules.accounts.models import Role, UserSession
from modules.accounts.services import set_active
from modules.core.models import utcnow
from tests.conftest import TEST_PASSWORD

PROTECTED = "/my-training"


def _copy_of_cookie(app, source):
    """Another browser holding a copy of ``source``'s session cookie, as a thief would."""
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = source.get_cookie(name)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(name, cookie.value)
    return thief


def _signed_in(client) -> bool:
    status = client.get(PROTECTED).status_code
    assert status in (200, 302)
    return status == 200


def test_signing_out_ends_the_session_for_a_copy_of_its_cookie(app, make_user, sign_in):
    browser = sign_in(make_user(), test_client=app.test_client())
    thief = _copy_of_cookie(app, browser)
    assert _signed_in(thief)
    assert browser.post("/sign-out").status_code == 302
    assert not _signed_in(browser)
    assert not _signed_in(thief)


def test_signing_out_ends_only_this_session(app, make_user, sign_in):
    user = make_user()
    laptop = sign_in(user, test_client=app.test_client())
    phone = sign_in(user, test_client=app.test_client())
    laptop.post("/sign-out")
    assert not _signed_in(laptop)
    assert _signed_in(phone)


def _end_by(how: str, app, db, user, admin, browser, sign_in):
    if how == "sign out":
        browser.post("/sign-out")
    elif how == "sign out everywhere (from another device)":
        sign_in(user, test_client=app.test_client()).post("/account/sign-out-everywhere")
    elif how == "password changed on another device":
        other = sign_in(user, test_client=app.test_client())
        other.post("/account/password", data={"current_password": TEST_PASSWORD, "password": "a brand new passphrase", "confirm": "a brand new passphrase"})
        assert _signed_in(other)
    elif how == "deactivation":
        set_active(user, False, actor=admin)
        db.session.commit()
    else:
        raise AssertionError(how)


ENDINGS = [
    "sign out",
    "sign out everywhere (from another device)",
    "password changed on another device",
    "deactivation",
]


@pytest.mark.parametrize("how", ENDINGS)
def test_every_way_a_session_ends_also_ends_copies_of_its_cookie(app, db, make_user, sign_in, how):
    user = make_user()
    admin = make_user(roles=(Role.partnership_admin,))
    browser = sign_in(user, test_client=app.test_client())
    thief = _copy_of_cookie(app, browser)
    _end_by(how, app, db, user, admin, browser, sign_in)
    assert not _signed_in(browser)
    assert not _signed_in(thief)


def test_the_cookie_holds_no_reusable_secret_in_the_database(app, db, make_user, sign_in):
    """Only a hash of the session token is stored, so a copy of the table is not a set of cookies."""
    browser = sign_in(make_user(), test_client=app.test_client())
    with browser.session_transaction() as session:
        token = session["session_token"]
    stored = db.session.scalars(select(UserSession.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64


# Time limits ---------------------------------------------------------------------------------

class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("modules.accounts.current_session.utcnow", clock)
    return clock


def test_an_active_session_still_ends_at_its_absolute_lifetime(app, make_user, sign_in, clock):
    """Every request used to re-issue the cookie, so a session in use never ended."""
    browser = sign_in(make_user(), test_client=app.test_client())
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    step = timedelta(minutes=app.config["SIGHTLINE_SESSION_IDLE_MINUTES"] - 1)  # never idle
    elapsed = timedelta()
    while elapsed + step < lifetime:
        clock.advance(seconds=step.total_seconds())
        elapsed += step
        assert _signed_in(browser), f"signed out after {elapsed}"
    clock.advance(seconds=(lifetime - elapsed).total_seconds())
    assert not _signed_in(browser)
    page = browser.get("/sign-in").get_data(as_text=True)
    assert f"you signed in more than {lifetime // timedelta(hours=1)} hours ago" in page


def test_the_absolute_lifetime_is_kept_by_the_server_not_the_cookie(app, db, make_user, sign_in):
    """A cookie cannot claim a later sign-in than the server recorded."""
    browser = sign_in(make_user(), test_client=app.test_client())
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    db.session.execute(update(UserSession).values(created_at=utcnow() - lifetime - timedelta(seconds=1)))
    db.session.commit()
    assert not _signed_in(browser)


def test_a_session_ends_after_the_idle_timeout(app, make_user, sign_in, clock):
    browser = sign_in(make_user(), test_client=app.test_client())
    idle = app.config["SIGHTLINE_SESSION_IDLE_MINUTES"]
    clock.advance(minutes=idle - 1)
    assert _signed_in(browser)
    clock.advance(minutes=idle - 1)  # activity just now restarted the count
    assert _signed_in(browser)
    clock.advance(minutes=idle)
    response = browser.get(PROTECTED)
    assert response.status_code == 302 and response.location.startswith("/sign-in")
    page = browser.get("/sign-in").get_data(as_text=True)
    assert f"you had not used Sightline for {idle} minutes" in page
    assert "Sign in to continue." not in page  # one message, not two


def test_a_copied_cookie_idles_out_however_busy_the_original_is(app, make_user, sign_in, clock):
    browser = sign_in(make_user(), test_client=app.test_client())
    thief = _copy_of_cookie(app, browser)
    idle = app.config["SIGHTLINE_SESSION_IDLE_MINUTES"]
    for _ in range(3):
        clock.advance(minutes=idle - 1)
        assert _signed_in(browser)
    assert not _signed_in(thief)


def test_the_cookie_is_not_reissued_on_every_request(app, make_user, sign_in, clock):
    browser = sign_in(make_user(), test_client=app.test_client())
    name = app.config["SESSION_COOKIE_NAME"]

    def sets_cookie(response) -> bool:
        return any(c.startswith(name + "=") for c in response.headers.getlist("Set-Cookie"))

    browser.get(PROTECTED)  # the first page after sign-in stores the new session's CSRF token
    assert not sets_cookie(browser.get(PROTECTED))
    clock.advance(minutes=2)
    assert sets_cookie(browser.get(PROTECTED))  # the last-seen time moves on, once a minute at most
    assert not sets_cookie(browser.get(PROTECTED))


def test_signing_in_again_prunes_the_users_dead_sessions(app, db, make_user, sign_in):
    user = make_user()
    for _ in range(3):
        sign_in(user, test_client=app.test_client()).post("/sign-out")
    sign_in(user, test_client=app.test_client())
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert [row.ended_at for row in rows] == [None]


def test_a_partnership_admin_deactivating_someone_signs_them_out(app, db, make_user, sign_in):
    user = make_user()
    admin = make_user(roles=(Role.partnership_admin,))
    browser = sign_in(user, test_client=app.test_client())
    set_active(user, False, actor=admin)
    db.session.commit()
    assert not _signed_in(browser)
