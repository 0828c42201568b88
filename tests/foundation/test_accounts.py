import re
from datetime import timedelta

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


def _reset_link(app) -> str:
    [message] = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    return re.search(r"http://\S+/reset-password/\S+", message.body).group(0)


def test_password_reset_by_email_link_works_once(app, client, make_user, db):
    user = make_user()
    page = client.post("/forgotten-password", data={"email": user.email}).get_data(as_text=True)
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
    client.post("/forgotten-password", data={"email": user.email})
    link = _reset_link(app)
    token_row = db.session.scalar(select(PasswordResetToken))
    token_row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    path = "/reset-password/" + link.rsplit("/", 1)[1]
    assert client.get(path).status_code == 410


def test_password_reset_does_not_reveal_whether_an_account_exists(app, client, make_user):
    make_user(email="known@example.org")
    known = client.post("/forgotten-password", data={"email": "known@example.org"}).get_data(as_text=True)
    unknown = client.post("/forgotten-password", data={"email": "unknown@example.org"}).get_data(as_text=True)
    def normalise(page, email):
        return re.sub(r'nonce="[^"]+"', "", page).replace(email, "X")

    assert normalise(known, "known@example.org") == normalise(unknown, "unknown@example.org")
    assert len(read_outbox(app.config["MAIL_OUTBOX_DIR"])) == 1


def test_weak_password_on_reset_keeps_the_link_usable(app, client, make_user):
    user = make_user()
    client.post("/forgotten-password", data={"email": user.email})
    path = "/reset-password/" + _reset_link(app).rsplit("/", 1)[1]
    page = client.post(path, data={"password": "short", "confirm": "short"}).get_data(as_text=True)
    assert "12 characters or more" in page
    assert client.get(path).status_code == 200


def test_mismatched_confirmation(app, client, make_user):
    user = make_user()
    client.post("/forgotten-password", data={"email": user.email})
    path = "/reset-password/" + _reset_link(app).rsplit("/", 1)[1]
    page = client.post(path, data={"password": "one long passphrase", "confirm": "another long passphrase"}).get_data(as_text=True)
    assert "The passwords do not match" in page
