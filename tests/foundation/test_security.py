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


def test_session_cookie_flags(app, client, make_user):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) == {app.config["SESSION_COOKIE_NAME"], app.config["SIGHTLINE_DEVICE_COOKIE_NAME"]}
    for cookie in cookies.values():
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Path=/" in cookie


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


LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}
REMOTE = {"REMOTE_ADDR": "203.0.113.9"}
PROXIED = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}


@pytest.mark.parametrize(
    "environment, setting, visitor, visible",
    [
        # Development, the default environment: this machine only, never through a proxy.
        ("development", None, LOOPBACK, True),
        ("development", None, {"REMOTE_ADDR": "::1"}, True),
        ("development", None, REMOTE, False),
        ("development", None, PROXIED, False),
        ("development", None, {"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": "for=203.0.113.9"}, False),
        ("development", "off", LOOPBACK, False),
        ("development", "everyone", REMOTE, True),
        # Testing: only when a test turns it on.
        ("testing", None, LOOPBACK, False),
        ("testing", "loopback", LOOPBACK, True),
        ("testing", "loopback", REMOTE, False),
        # Production: never, whatever the setting says.
        ("production", None, LOOPBACK, False),
        ("production", "everyone", LOOPBACK, False),
    ],
)
def test_development_pages_are_only_for_this_machine_unless_configured(app, environment, setting, visitor, visible):
    """The outbox holds password-reset links: a visitor who can read it can take over any account,
    so every development-only page must fail closed."""
    from modules.core.policies import policy_for_endpoint
    from modules.notifications.mail import read_outbox, send

    send(app.config, to="admin@example.org", subject="Reset your Sightline password", body="a reset link")
    [message] = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    urls = {"outbox.index": "/dev/outbox/", "outbox.show": f"/dev/outbox/{message.name}"}
    development_only = {
        rule.endpoint for rule in app.url_map.iter_rules()
        if (policy := policy_for_endpoint(app, rule.endpoint)) is not None and policy.development_only
    }
    assert development_only == set(urls), "add each development-only page to this test"
    app.config.update(SIGHTLINE_ENV=environment, SIGHTLINE_DEV_OUTBOX=setting)
    client = app.test_client()
    for endpoint, url in urls.items():
        response = client.get(url, environ_base=visitor)
        assert response.status_code == (200 if visible else 404), (endpoint, visitor)
        assert ("Reset your Sightline password" in response.get_data(as_text=True)) is visible


@pytest.fixture
def proxied_app(request, database_url, tmp_path):
    """Rate limits on, behind ``request.param`` trusted proxies (SIGHTLINE_TRUSTED_PROXIES)."""
    config = _test_config(database_url, tmp_path)
    config.update(RATELIMIT_ENABLED=True, SIGHTLINE_LOGIN_LIMIT="2 per minute", SIGHTLINE_TRUSTED_PROXIES=request.param)
    app = build_app(config)
    with app.app_context():
        yield app
        from modules.core.extensions import db
        from tests.conftest import _empty_all_tables

        db.session.remove()
        _empty_all_tables(db)
        db.engine.dispose()


def _failed_sign_in_statuses(client, forwarded_for: str, attempts: int) -> list[int]:
    return [
        client.post(
            "/sign-in",
            data={"email": f"nobody{n}@example.org", "password": "not the password"},
            environ_base={"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": forwarded_for},
        ).status_code
        for n in range(attempts)
    ]


@pytest.mark.parametrize("proxied_app", [1], indirect=True)
def test_behind_a_trusted_proxy_each_visitor_has_their_own_sign_in_limit(proxied_app):
    client = proxied_app.test_client()
    assert _failed_sign_in_statuses(client, "203.0.113.1", 3) == [200, 200, 429]
    # Another visitor behind the same proxy is not refused for the first one's failures.
    assert _failed_sign_in_statuses(client, "203.0.113.2", 1) == [200]


@pytest.mark.parametrize("proxied_app", [0], indirect=True)
def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(proxied_app):
    client = proxied_app.test_client()
    assert _failed_sign_in_statuses(client, "203.0.113.1", 2) == [200, 200]
    # A visitor cannot claim a fresh address for each attempt.
    assert _failed_sign_in_statuses(client, "203.0.113.2", 1) == [429]
