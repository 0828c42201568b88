"""Configuration from the environment.

Development needs no configuration at all: SQLite and a generated secret live in `instance/`.
Production (`SIGHTLINE_ENV=production`) refuses to start unless the operator has supplied the
settings that must never fall back to a default.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Mapping


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the message is one line an operator can act on."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def normalise_database_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` forms hosting providers hand out, use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _development_secret(instance_path: Path) -> str:
    """A per-checkout secret kept in instance/, so sessions survive restarts but no secret is shipped."""
    instance_path.mkdir(parents=True, exist_ok=True)
    secret_file = instance_path / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(48))
        secret_file.chmod(0o600)
    return secret_file.read_text().strip()


def load_config(instance_path: Path, environ: dict[str, str] | None = None) -> dict:
    """Build the Flask config mapping from environment variables.

    :raise ConfigError: in production when SECRET_KEY or DATABASE_URL is missing or weak.
    """
    env = os.environ if environ is None else environ
    environment = env.get("SIGHTLINE_ENV", "development").strip().lower()
    if environment not in {"development", "production", "testing"}:
        raise ConfigError(
            f"SIGHTLINE_ENV must be development, production or testing, got {environment!r}"
        )
    production = environment == "production"

    secret_key = env.get("SECRET_KEY", "")
    database_url = env.get("DATABASE_URL", "")
    if production:
        if len(secret_key) < 32:
            raise ConfigError(
                "SIGHTLINE_ENV=production needs SECRET_KEY set to a random value of at least 32 "
                "characters (e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if not database_url:
            raise ConfigError(
                "SIGHTLINE_ENV=production needs DATABASE_URL (e.g. postgresql://user:pass@host/sightline)"
            )
    if not secret_key:
        secret_key = _development_secret(instance_path)
    if not database_url:
        database_url = f"sqlite:///{instance_path / 'sightline.db'}"

    base_url = env.get("SIGHTLINE_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    secure_cookies = production or _bool(env.get("SIGHTLINE_SECURE_COOKIES"))

    return {
        "SIGHTLINE_ENV": environment,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SIGHTLINE_BASE_URL": base_url,
        "SIGHTLINE_PARTNERSHIP_NAME": env.get(
            "SIGHTLINE_PARTNERSHIP_NAME", "Northshire Safeguarding Children Partnership"
        ),
        "SIGHTLINE_SERVICE_NAME": env.get("SIGHTLINE_SERVICE_NAME", "Sightline"),
        "SIGHTLINE_SUPPORT_EMAIL": env.get("SIGHTLINE_SUPPORT_EMAIL", "training@example.org"),
        # Mail: SMTP when a host is configured; otherwise every message lands in instance/outbox.
        "MAIL_SMTP_HOST": env.get("SMTP_HOST", ""),
        "MAIL_SMTP_PORT": _int(env, "SMTP_PORT", 587),
        "MAIL_SMTP_USERNAME": env.get("SMTP_USERNAME", ""),
        "MAIL_SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "MAIL_SMTP_STARTTLS": _bool(env.get("SMTP_STARTTLS"), default=True),
        "MAIL_FROM": env.get("MAIL_FROM", "Sightline <no-reply@example.org>"),
        "MAIL_OUTBOX_DIR": str(instance_path / "outbox"),
        # Sessions: cookies are HttpOnly and SameSite=Lax always, Secure (and __Host-) in production.
        "SESSION_COOKIE_NAME": "__Host-sightline" if secure_cookies else "sightline",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_int(env, "SIGHTLINE_SESSION_HOURS", 12)),
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # A learner may read a module for well over an hour before submitting a quiz; the
        # session lifetime bounds the token instead of Flask-WTF's one-hour default.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": production,
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SIGHTLINE_LOGIN_LIMIT": env.get("SIGHTLINE_LOGIN_LIMIT", "10 per minute;50 per hour"),
        "SIGHTLINE_PASSWORD_RESET_HOURS": _int(env, "SIGHTLINE_PASSWORD_RESET_HOURS", 2),
        "SIGHTLINE_HSTS": production,
        "SIGHTLINE_DEV_OUTBOX_VISIBLE": not production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    }
