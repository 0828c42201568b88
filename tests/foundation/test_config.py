import pytest

from modules.core.config import ConfigError, load_config, normalise_database_url


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
        ({"SECRET_KEY": "x" * 40}, "DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_real_settings(tmp_path, environ, message):
    with pytest.raises(ConfigError) as excinfo:
        load_config(tmp_path, environ={"SIGHTLINE_ENV": "production", **environ})
    assert message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)
    assert not (tmp_path / "secret_key").exists()


def test_production_cookies_are_secure_and_host_prefixed(tmp_path):
    config = load_config(
        tmp_path,
        environ={"SIGHTLINE_ENV": "production", "SECRET_KEY": "x" * 40, "DATABASE_URL": "postgres://u:p@db/s"},
    )
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["SIGHTLINE_HSTS"] is True
    assert config["SIGHTLINE_DEV_OUTBOX_VISIBLE"] is False
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
