import random
import string
import uuid

import pytest

from modules.core.config import ConfigError, load_config, normalise_database_url

# A random key as operators make them, but fixed so the tests do not depend on luck.
RANDOM_KEY = "".join(random.Random(1).choices(string.ascii_letters + string.digits + "-_", k=48))
PRODUCTION = {
    "SIGHTLINE_ENV": "production",
    "SECRET_KEY": RANDOM_KEY,
    "DATABASE_URL": "postgres://u:p@db/s",
    "SIGHTLINE_BASE_URL": "https://training.example.org",
}


def test_development_needs_no_configuration(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'sightline.db'}"
    assert len(config["SECRET_KEY"]) >= 32
    # The generated secret is kept, so sessions survive a restart.
    assert load_config(tmp_path, environ={})["SECRET_KEY"] == config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["WTF_CSRF_TIME_LIMIT"] is None


@pytest.mark.parametrize(
    "environ, message",
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": RANDOM_KEY}, "DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_real_settings(tmp_path, environ, message):
    with pytest.raises(ConfigError) as excinfo:
        load_config(tmp_path, environ={"SIGHTLINE_ENV": "production", **environ})
    assert message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)
    assert not (tmp_path / "secret_key").exists()


def test_production_cookies_are_secure_and_host_prefixed(tmp_path):
    config = load_config(tmp_path, environ=PRODUCTION)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["SIGHTLINE_HSTS"] is True
    assert config["SIGHTLINE_DEVICE_COOKIE_NAME"].startswith("__Host-")
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/s"


def test_unknown_environment_is_rejected(tmp_path):
    with pytest.raises(ConfigError, match="SIGHTLINE_ENV"):
        load_config(tmp_path, environ={"SIGHTLINE_ENV": "staging"})


def test_bad_number_names_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="SMTP_PORT"):
        load_config(tmp_path, environ={"SMTP_PORT": "twenty-five"})


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgres://a/b", "postgresql+psycopg://a/b"),
        ("postgresql://a/b", "postgresql+psycopg://a/b"),
        ("postgresql+psycopg://a/b", "postgresql+psycopg://a/b"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_use_psycopg3(given, expected):
    assert normalise_database_url(given) == expected


def test_app_exits_with_one_line_in_production_without_settings(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import app"],
        env={"SIGHTLINE_ENV": "production", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]),
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("Sightline cannot start: SIGHTLINE_ENV=production needs SECRET_KEY")


def _refusal(tmp_path, **changes) -> str:
    environ = {key: value for key, value in {**PRODUCTION, **changes}.items() if value is not None}
    with pytest.raises(ConfigError) as excinfo:
        load_config(tmp_path, environ=environ)
    message = str(excinfo.value)
    assert "\n" not in message
    return message


def test_a_complete_production_configuration_starts(tmp_path):
    config = load_config(tmp_path, environ=PRODUCTION)
    assert config["SIGHTLINE_BASE_URL"] == "https://training.example.org"


@pytest.mark.parametrize(
    "base_url",
    [None, "", "http://training.example.org", "training.example.org", "https://", "ftp://training.example.org"],
)
def test_production_needs_an_https_base_url(tmp_path, base_url):
    """Without one, every emailed link and certificate QR code pointed at http://127.0.0.1:5000."""
    assert "SIGHTLINE_BASE_URL" in _refusal(tmp_path, SIGHTLINE_BASE_URL=base_url)


@pytest.mark.parametrize(
    "secret_key",
    [
        "x" * 32,
        "x" * 64,
        "abcd" * 8,
        "0123456789" * 4,
        "abcdefghijklmnopqrstuvwxyz012345",
        "changeme" * 4,
        "qwertyuiopasdfghjklzxcvbnm123456",
        "passwordpasswordpasswordpassword",
    ],
)
def test_production_refuses_a_guessable_secret_key(tmp_path, secret_key):
    message = _refusal(tmp_path, SECRET_KEY=secret_key)
    assert "SECRET_KEY" in message and "random" in message


def _keys():
    rng = random.Random(2026)
    hex_digits, urlsafe = "0123456789abcdef", string.ascii_letters + string.digits + "-_"
    for _ in range(20):
        yield "".join(rng.choices(hex_digits, k=32))  # secrets.token_hex(16)
        yield "".join(rng.choices(hex_digits, k=64))  # secrets.token_hex(32), Flask's advice
        yield "".join(rng.choices(urlsafe, k=43))  # secrets.token_urlsafe(32)
        yield "".join(rng.choices(urlsafe, k=64))  # secrets.token_urlsafe(48), our advice
        yield uuid.UUID(int=rng.getrandbits(128), version=4).hex


def test_production_accepts_keys_made_the_usual_random_ways(tmp_path):
    refused = []
    for key in _keys():
        try:
            load_config(tmp_path, environ={**PRODUCTION, "SECRET_KEY": key})
        except ConfigError:
            refused.append(key)
    assert refused == []


@pytest.mark.parametrize(
    "name, value",
    [
        ("SIGHTLINE_SESSION_HOURS", "-1"),
        ("SIGHTLINE_SESSION_HOURS", "0"),
        ("SIGHTLINE_SESSION_IDLE_MINUTES", "-5"),
        ("SIGHTLINE_SESSION_IDLE_MINUTES", "0"),
        ("SIGHTLINE_PASSWORD_RESET_HOURS", "0"),
        ("SIGHTLINE_TRUSTED_PROXIES", "-1"),
        ("SIGHTLINE_SESSION_HOURS", "99999999999"),
        ("SIGHTLINE_LOGIN_LIMIT", "ten a minute"),
        ("SIGHTLINE_ACCOUNT_LOGIN_LIMIT", "30 per fortnight"),
        ("SIGHTLINE_DEV_OUTBOX", "yes please"),
    ],
)
@pytest.mark.parametrize("environment", ["development", "production"])
def test_impossible_values_are_refused_in_every_environment(tmp_path, environment, name, value):
    environ = {**PRODUCTION, "SIGHTLINE_ENV": environment, name: value}
    with pytest.raises(ConfigError) as excinfo:
        load_config(tmp_path, environ=environ)
    assert name in str(excinfo.value) and "\n" not in str(excinfo.value)


def test_session_settings_become_an_absolute_lifetime_and_an_idle_limit(tmp_path):
    config = load_config(tmp_path, environ={"SIGHTLINE_SESSION_HOURS": "8", "SIGHTLINE_SESSION_IDLE_MINUTES": "20"})
    assert config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 8 * 3600
    assert config["SIGHTLINE_SESSION_IDLE_MINUTES"] == 20
    # The cookie is not re-issued on every request, so activity cannot keep extending it.
    assert config["SESSION_REFRESH_EACH_REQUEST"] is False
    defaults = load_config(tmp_path, environ={})
    assert defaults["PERMANENT_SESSION_LIFETIME"].total_seconds() == 12 * 3600
    assert defaults["SIGHTLINE_SESSION_IDLE_MINUTES"] == 30


@pytest.mark.parametrize("setting", ["SIGHTLINE_WORKERS", "WEB_CONCURRENCY"])
def test_production_refuses_per_process_rate_limits_with_several_workers(tmp_path, setting):
    message = _refusal(tmp_path, **{setting: "4"})
    assert f"{setting}=4" in message and "RATELIMIT_STORAGE_URI" in message
    shared = load_config(tmp_path, environ={**PRODUCTION, setting: "4", "RATELIMIT_STORAGE_URI": "redis://cache:6379"})
    assert shared["SIGHTLINE_WORKERS"] == 4
    assert load_config(tmp_path, environ={**PRODUCTION, setting: "1"})["SIGHTLINE_WORKERS"] == 1


def test_trusted_proxies_are_off_unless_configured(tmp_path):
    assert load_config(tmp_path, environ={})["SIGHTLINE_TRUSTED_PROXIES"] == 0
    assert load_config(tmp_path, environ={"SIGHTLINE_TRUSTED_PROXIES": "2"})["SIGHTLINE_TRUSTED_PROXIES"] == 2


@pytest.mark.parametrize("mode", ["loopback", "everyone"])
def test_production_refuses_to_show_the_development_outbox(tmp_path, mode):
    assert "SIGHTLINE_DEV_OUTBOX" in _refusal(tmp_path, SIGHTLINE_DEV_OUTBOX=mode)


def test_the_development_outbox_is_left_to_the_environment_unless_set(tmp_path):
    assert load_config(tmp_path, environ={})["SIGHTLINE_DEV_OUTBOX"] is None
    assert load_config(tmp_path, environ={"SIGHTLINE_DEV_OUTBOX": "Off"})["SIGHTLINE_DEV_OUTBOX"] == "off"
    assert load_config(tmp_path, environ=PRODUCTION | {"SIGHTLINE_DEV_OUTBOX": "off"})["SIGHTLINE_DEV_OUTBOX"] == "off"


def test_the_status_windows_have_their_declared_defaults_and_refuse_nonsense(tmp_path):
    from modules.core.config import DEFAULTS

    config = load_config(tmp_path, environ={})
    assert config["SIGHTLINE_REFRESHER_WINDOW_DAYS"] == DEFAULTS["SIGHTLINE_REFRESHER_WINDOW_DAYS"] == 60
    assert config["SIGHTLINE_DUE_SOON_DAYS"] == DEFAULTS["SIGHTLINE_DUE_SOON_DAYS"] == 30
    assert load_config(tmp_path, environ={"SIGHTLINE_DUE_SOON_DAYS": "0"})["SIGHTLINE_DUE_SOON_DAYS"] == 0
    for bad in ("-1", "soon", "5000"):
        with pytest.raises(ConfigError, match="SIGHTLINE_DUE_SOON_DAYS"):
            load_config(tmp_path, environ={"SIGHTLINE_DUE_SOON_DAYS": bad})


def test_setting_reads_the_current_apps_value_and_refuses_an_unknown_name(app):
    from modules.core.settings import setting

    app.config["SIGHTLINE_DUE_SOON_DAYS"] = 12
    assert setting("SIGHTLINE_DUE_SOON_DAYS") == 12
    with pytest.raises(KeyError):
        setting("SIGHTLINE_DUE_SOON_DAY")  # a typo fails loudly rather than falling back
