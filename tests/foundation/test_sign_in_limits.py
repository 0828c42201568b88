"""Password guessing limits count failures only, and never let strangers lock an owner out of a
device they have signed in on before (modules/accounts/throttle.py)."""
from __future__ import annotations

import re

import pytest

from modules.notifications.mail import read_outbox
from tests.conftest import TEST_PASSWORD, _empty_all_tables, _test_config, build_app

ACCOUNT_LIMIT = 3


@pytest.fixture
def app(database_url, tmp_path):
    """This module's app has rate limits on (CSRF off, to keep the requests short): a small
    per-account budget and a per-address one that the tests only reach on purpose. It replaces
    conftest's ``app``, so ``make_user`` and the rest use it."""
    config = _test_config(database_url, tmp_path)
    config.update(
        RATELIMIT_ENABLED=True,
        SIGHTLINE_LOGIN_LIMIT="5 per minute",
        SIGHTLINE_ACCOUNT_LOGIN_LIMIT=f"{ACCOUNT_LIMIT} per hour",
    )
    app = build_app(config)
    with app.app_context():
        from modules.core.extensions import db

        yield app
        db.session.remove()
        _empty_all_tables(db)
        db.engine.dispose()


@pytest.fixture
def owner(make_user):
    return make_user(email="owner@example.org")


def browser(app, address: str = "192.0.2.10"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(client, password: str, email: str = "owner@example.org"):
    return client.post("/sign-in", data={"email": email, "password": password})


def lock_for_new_devices(app, email: str = "owner@example.org") -> None:
    """Strangers on many addresses use up the account's budget for devices it has not used."""
    for n in range(ACCOUNT_LIMIT):
        assert attempt(browser(app, f"198.51.100.{n + 1}"), "a wrong guess", email).status_code == 200
    assert attempt(browser(app, "198.51.100.99"), "a wrong guess", email).status_code == 429


def test_successful_sign_ins_do_not_use_up_any_limit(app, owner):
    client = browser(app)
    for _ in range(ACCOUNT_LIMIT + 5):  # more than both the account's and the address's budget
        assert attempt(client, TEST_PASSWORD).status_code == 302
        client.post("/sign-out")


def test_strangers_failures_do_not_lock_the_owner_out_of_their_own_device(app, owner):
    laptop = browser(app)
    assert attempt(laptop, TEST_PASSWORD).status_code == 302
    laptop.post("/sign-out")
    lock_for_new_devices(app)
    assert attempt(laptop, TEST_PASSWORD).status_code == 302


def test_failures_from_the_owners_own_network_do_not_lock_out_their_device(app, owner):
    shared_address = "192.0.2.10"  # an office behind one address
    laptop = browser(app, shared_address)
    assert attempt(laptop, TEST_PASSWORD).status_code == 302
    laptop.post("/sign-out")
    intruder = browser(app, shared_address)
    for n in range(6):
        attempt(intruder, "a wrong guess", f"person{n}@example.org")
    assert attempt(intruder, "a wrong guess", "person9@example.org").status_code == 429
    assert attempt(laptop, TEST_PASSWORD).status_code == 302


def test_a_new_device_is_told_why_and_how_to_get_in(app, owner):
    lock_for_new_devices(app)
    response = attempt(browser(app), TEST_PASSWORD)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "too many failed attempts to sign in to this account from devices" in page
    assert "reset your password" in page and "wait 1 hour" in page


def test_a_reset_from_the_emailed_link_lets_that_browser_sign_in(app, owner):
    lock_for_new_devices(app)
    new_phone = browser(app, "203.0.113.50")
    response = new_phone.post("/forgotten-password", data={"email": owner.email})
    response.close()
    [message] = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    path = "/reset-password/" + re.search(r"/reset-password/(\S+)", message.body).group(1)
    new_password = "a brand new passphrase"
    assert new_phone.post(path, data={"password": new_password, "confirm": new_password}).status_code == 302
    assert attempt(new_phone, new_password).status_code == 302


def test_a_known_device_has_a_budget_of_its_own(app, owner):
    laptop = browser(app)
    assert attempt(laptop, TEST_PASSWORD).status_code == 302
    laptop.post("/sign-out")
    for _ in range(ACCOUNT_LIMIT):
        assert attempt(laptop, "a wrong guess").status_code == 200
    response = attempt(laptop, TEST_PASSWORD)
    assert response.status_code == 429
    assert "too many failed attempts to sign in on this device" in response.get_data(as_text=True)
    # The device's own failures did not touch the budget other devices share.
    assert attempt(browser(app, "203.0.113.7"), TEST_PASSWORD).status_code == 302


def test_a_device_known_to_another_account_is_a_new_device_here(app, owner, make_user):
    colleague = make_user(email="colleague@example.org")
    attackers_browser = browser(app)
    assert attempt(attackers_browser, TEST_PASSWORD, colleague.email).status_code == 302
    attackers_browser.post("/sign-out")
    lock_for_new_devices(app)
    assert attempt(attackers_browser, "another wrong guess").status_code == 429


def test_a_forged_device_cookie_is_a_new_device(app, owner):
    lock_for_new_devices(app)
    forger = browser(app)
    forger.set_cookie(app.config["SIGHTLINE_DEVICE_COOKIE_NAME"], f'{{"user": {owner.id}, "nonce": "x"}}')
    assert attempt(forger, TEST_PASSWORD).status_code == 429


def test_the_address_limit_counts_failures_from_one_address_across_accounts(app, owner):
    client = browser(app, "203.0.113.99")
    statuses = [attempt(client, "a wrong guess", f"person{n}@example.org").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]


# The current-password check at /account/password ---------------------------------------------

def _change(client, current: str, new: str = "a brand new passphrase"):
    return client.post("/account/password", data={"current_password": current, "password": new, "confirm": new})


def test_guessing_the_current_password_is_limited_with_a_clear_message(app, owner):
    client = browser(app)
    assert attempt(client, TEST_PASSWORD).status_code == 302
    for _ in range(5):
        page = _change(client, "a wrong guess").get_data(as_text=True)
        assert "Your current password is not correct" in page
    response = _change(client, TEST_PASSWORD)
    assert response.status_code == 429
    assert "entered your current password incorrectly too many times" in response.get_data(as_text=True)
    assert "Wait 15 minutes" in response.get_data(as_text=True)


def test_only_wrong_current_passwords_count(app, owner):
    client = browser(app)
    assert attempt(client, TEST_PASSWORD).status_code == 302
    for _ in range(6):  # right current password, but a new one the policy refuses
        page = _change(client, TEST_PASSWORD, new="password1234").get_data(as_text=True)
        assert "most commonly used passwords" in page
    assert _change(client, TEST_PASSWORD).status_code == 302
