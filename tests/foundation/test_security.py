import re

import pytest

from modules.core.factory import create_app
from tests.conftest import TEST_PASSWORD, _test_config, build_app


def test_security_headers_and_csp_without_unsafe_inline(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cache-Control"] == "no-store"
    # The one inline script carries this response's nonce.
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)
    assert client.get("/sign-in").headers["Content-Security-Policy"] != csp  # a fresh nonce per response


def test_session_cookie_flags(client, make_user):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.fixture
def strict_app(database_url, tmp_path):
    """An app with CSRF and rate limiting switched on, as in production."""
    config = _test_config(database_url, tmp_path)
    config.update(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True, SIGHTLINE_LOGIN_LIMIT="3 per minute")
    app = build_app(config)
    with app.app_context():
        yield app
        from modules.core.extensions import db
        from tests.conftest import _empty_all_tables

        db.session.remove()
        _empty_all_tables(db)
        db.engine.dispose()


def test_forms_without_csrf_token_are_refused(strict_app):
    client = strict_app.test_client()
    response = client.post("/sign-in", data={"email": "a@example.org", "password": "whatever it is"})
    assert response.status_code == 400
    assert "could not accept that form" in response.get_data(as_text=True)


def test_csrf_token_has_no_one_hour_expiry(strict_app):
    assert strict_app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_sign_in_is_rate_limited(strict_app):
    client = strict_app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    statuses = [
        client.post("/sign-in", data={"csrf_token": token, "email": "x@example.org", "password": "not the password"}).status_code
        for _ in range(4)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    assert "Too many attempts" in client.post("/sign-in", data={"csrf_token": token}).get_data(as_text=True)


def test_dev_outbox_is_absent_in_production(database_url, tmp_path):
    config = _test_config(database_url, tmp_path)
    config["SIGHTLINE_ENV"] = "production"
    app = create_app(config)
    assert app.test_client().get("/dev/outbox/").status_code == 404
