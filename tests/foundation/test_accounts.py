import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from modules.accounts.models import PasswordResetToken, Role
from modules.accounts.services import set_active
from modules.core.models import AuditEvent, utcnow
from modules.notifications.mail import read_outbox
from tests.conftest import TEST_PASSWORD


def test_sign_in_and_out(client, make_user):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/my-training").status_code == 200
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert client.get("/my-training").status_code == 302


def test_wrong_password_gives_one_message_for_both_fields(client, make_user, db):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": "wrong password here"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Enter a correct email address and password" in page
    assert "There is a problem" in page  # the error summary
    assert "<title>Error: Sign in" in page
    unknown = client.post("/sign-in", data={"email": "nobody@example.org", "password": "wrong password here"})
    assert "Enter a correct email address and password" in unknown.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("account.login_failed") == 1


def test_empty_form_names_each_missing_field(client):
    page = client.post("/sign-in", data={}).get_data(as_text=True)
    assert "Enter your email address" in page
    assert "Enter your password" in page
    assert 'href="#email"' in page and 'href="#password"' in page


def test_deactivated_user_cannot_sign_in(client, make_user):
    user = make_user(active=False)
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert client.get("/my-training").status_code == 302


def test_next_parameter_only_allows_local_paths(client, make_user):
    user = make_user()
    response = client.post("/sign-in?next=https://evil.example/", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.location == "/"
    client.post("/sign-out")
    response = client.post("/sign-in?next=//evil.example/x", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.location == "/"
    client.post("/sign-out")
    response = client.post("/sign-in?next=/account", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.location == "/account"


def test_deactivation_ends_existing_sessions(app, db, make_user, sign_in):
    user = make_user()
    admin = make_user(roles=(Role.partnership_admin,))
    other_device = sign_in(user, test_client=app.test_client())
    assert other_device.get("/my-training").status_code == 200
    set_active(user, False, actor=admin)
    db.session.commit()
    assert other_device.get("/my-training").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, db, make_user, sign_in):
    user = make_user()
    this_device = sign_in(user, test_client=app.test_client())
    other_device = sign_in(user, test_client=app.test_client())
    response = this_device.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert this_device.get("/my-training").status_code == 200
    assert other_device.get("/my-training").status_code == 302
    fresh = app.test_client()
    assert fresh.post("/sign-in", data={"email": user.email, "password": "a brand new passphrase"}).status_code == 302


def test_password_change_rejects_weak_password_with_reason(client, make_user, sign_in):
    user = make_user()
    sign_in(user)
    page = client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "password": "password1234", "confirm": "password1234"},
    ).get_data(as_text=True)
    assert "most commonly used passwords" in page


def test_sign_out_everywhere(app, make_user, sign_in):
    user = make_user()
    a = sign_in(user, test_client=app.test_client())
    b = sign_in(user, test_client=app.test_client())
    assert a.post("/account/sign-out-everywhere").status_code == 302
    assert a.get("/my-training").status_code == 302
    assert b.get("/my-training").status_code == 302


def _request_reset(client, email: str) -> str:
    """Ask for a reset link and return the page. The response is closed, as a server does once it
    has sent it, which is when the reset email goes."""
    response = client.post("/forgotten-password", data={"email": email})
    page = response.get_data(as_text=True)
    response.close()
    return page


def _reset_link(app) -> str:
    [message] = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    return re.search(r"http://\S+/reset-password/\S+", message.body).group(0)


def _reset_path(app) -> str:
    return "/reset-password/" + _reset_link(app).rsplit("/", 1)[1]


def test_password_reset_by_email_link_works_once(app, client, make_user, db):
    user = make_user()
    page = _request_reset(client, user.email)
    assert "Check your email" in page
    link = _reset_link(app)
    path = link.split("localhost", 1)[1] if "localhost" in link else "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "my new long passphrase", "confirm": "my new long passphrase"})
    assert response.status_code == 302
    assert client.get(path).status_code == 410  # used
    assert client.post("/sign-in", data={"email": user.email, "password": "my new long passphrase"}).status_code == 302


def test_password_reset_link_expires(app, client, make_user, db):
    user = make_user()
    _request_reset(client, user.email)
    link = _reset_link(app)
    token_row = db.session.scalar(select(PasswordResetToken))
    token_row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    path = "/reset-password/" + link.rsplit("/", 1)[1]
    assert client.get(path).status_code == 410


def test_password_reset_does_not_reveal_whether_an_account_exists(app, client, make_user):
    make_user(email="known@example.org")
    known = _request_reset(client, "known@example.org")
    unknown = _request_reset(client, "unknown@example.org")
    def normalise(page, email):
        return re.sub(r'nonce="[^"]+"', "", page).replace(email, "X")

    assert normalise(known, "known@example.org") == normalise(unknown, "unknown@example.org")
    assert len(read_outbox(app.config["MAIL_OUTBOX_DIR"])) == 1


def test_weak_password_on_reset_keeps_the_link_usable(app, client, make_user):
    user = make_user()
    _request_reset(client, user.email)
    path = _reset_path(app)
    page = client.post(path, data={"password": "short", "confirm": "short"}).get_data(as_text=True)
    assert "12 characters or more" in page
    assert client.get(path).status_code == 200


def test_mismatched_confirmation(app, client, make_user):
    user = make_user()
    _request_reset(client, user.email)
    path = _reset_path(app)
    page = client.post(path, data={"password": "one long passphrase", "confirm": "another long passphrase"}).get_data(as_text=True)
    assert "The passwords do not match" in page


def test_the_reset_email_is_sent_after_the_response_not_during_it(app, client, make_user):
    """Sending inside the request made a known address answer about twice as slowly as an unknown
    one. The page must be complete before anything is sent; the server sends when it closes it."""
    make_user(email="known@example.org")
    response = client.post("/forgotten-password", data={"email": "known@example.org"}, buffered=False)
    assert "Check your email" in response.get_data(as_text=True)
    assert read_outbox(app.config["MAIL_OUTBOX_DIR"]) == []
    response.close()
    [message] = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    assert message.to == "known@example.org"


def test_a_failure_to_send_the_reset_email_does_not_reach_the_visitor(app, client, make_user, monkeypatch, caplog):
    make_user(email="known@example.org")

    def refuse(*args, **kwargs):
        raise OSError("mail server unreachable")

    monkeypatch.setattr("modules.notifications.mail._send_smtp", refuse)
    app.config["MAIL_SMTP_HOST"] = "smtp.example.org"
    response = client.post("/forgotten-password", data={"email": "known@example.org"})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    response.close()  # the server sends now, and can only log the failure
    assert "could not send 'Reset your Sightline password'" in caplog.text


def _change_password(client, new_password: str):
    return client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "password": new_password, "confirm": new_password},
    )


def _ending_by(how: str, app, db, user, admin, sign_in):
    """Ends the user's access in one of the ways that must also void their reset links."""
    if how == "password change":
        assert _change_password(sign_in(user, test_client=app.test_client()), "a brand new passphrase").status_code == 302
    elif how == "sign out everywhere":
        assert sign_in(user, test_client=app.test_client()).post("/account/sign-out-everywhere").status_code == 302
    elif how == "deactivation and reactivation":
        set_active(user, False, actor=admin)
        db.session.commit()
        set_active(user, True, actor=admin)
        db.session.commit()
    elif how == "another reset":
        browser = app.test_client()
        _request_reset(browser, user.email)
        newest = read_outbox(app.config["MAIL_OUTBOX_DIR"])[0]
        path = "/reset-password/" + re.search(r"/reset-password/(\S+)", newest.body).group(1)
        assert browser.post(path, data={"password": "another new passphrase", "confirm": "another new passphrase"}).status_code == 302
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["password change", "sign out everywhere", "deactivation and reactivation", "another reset"])
def test_reset_links_issued_before_the_account_was_secured_stop_working(app, db, client, make_user, sign_in, how):
    user = make_user()
    admin = make_user(roles=(Role.partnership_admin,))
    _request_reset(client, user.email)
    stale = _reset_path(app)
    assert client.get(stale).status_code == 200
    _ending_by(how, app, db, user, admin, sign_in)
    assert client.get(stale).status_code == 410
    response = client.post(stale, data={"password": "an attacker's passphrase", "confirm": "an attacker's passphrase"})
    assert response.status_code == 410
    assert app.test_client().post("/sign-in", data={"email": user.email, "password": "an attacker's passphrase"}).status_code == 200


# Unrelated words, more than 256 characters of them, so that any prefix is a strong passphrase.
LONG_PASSPHRASE = (
    "violet harbour lanterns drift past seventeen marmalade canyons while crimson otters debate "
    "the quiet arithmetic of thunder beneath a borrowed umbrella near the old railway signal box "
    "where nobody remembers which ferry carried the brass trombone to the lighthouse keeper's niece"
)
assert len(LONG_PASSPHRASE) > 257


def _set_new_password(app, client, user, sign_in, path: str, password: str):
    if path == "change password":
        sign_in(user)
        return _change_password(client, password)
    _request_reset(client, user.email)
    return client.post(_reset_path(app), data={"password": password, "confirm": password})


NEW_PASSWORD_PATHS = ["change password", "reset"]


@pytest.mark.parametrize("length", [12, 72, 73, 100, 255, 256])
@pytest.mark.parametrize("path", NEW_PASSWORD_PATHS)
def test_every_length_the_policy_allows_is_accepted_on_every_path(app, client, make_user, sign_in, path, length):
    """zxcvbn refuses more than 72 characters; the policy allows 256 and recommends passphrases."""
    user = make_user()
    password = LONG_PASSPHRASE[:length] if length > 12 else "plum otter 7"
    response = _set_new_password(app, client, user, sign_in, path, password)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    fresh = app.test_client()
    assert fresh.post("/sign-in", data={"email": user.email, "password": password}).status_code == 302


@pytest.mark.parametrize("path", NEW_PASSWORD_PATHS)
def test_a_password_over_the_limit_is_refused_with_a_reason(app, client, make_user, sign_in, path):
    user = make_user()
    response = _set_new_password(app, client, user, sign_in, path, LONG_PASSPHRASE[:257])
    assert response.status_code == 200
    assert "256 characters or fewer" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "action, request_path, data",
    [
        ("account.password_changed", "/account/password",
         {"current_password": TEST_PASSWORD, "password": "a brand new passphrase", "confirm": "a brand new passphrase"}),
        ("account.sessions_ended", "/account/sign-out-everywhere", {}),
    ],
)
def test_audit_events_from_your_own_account_name_you_as_the_subject(client, db, make_user, sign_in, action, request_path, data):
    """Views pass current_user, a proxy: the log recorded its type, "LocalProxy", not "User"."""
    user = make_user()
    sign_in(user)
    assert client.post(request_path, data=data).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == action))
    assert (event.subject_type, event.subject_id, event.actor_id) == ("User", str(user.id), user.id)
