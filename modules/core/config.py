"""Configuration from the environment.

Development needs no configuration at all: SQLite and a generated secret live in `instance/`.
Production (`SIGHTLINE_ENV=production`) refuses to start unless the operator has supplied the
settings that must never fall back to a default.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

# Defaults of the settings that areas read at request time through modules.core.settings.setting,
# declared once: load_config reads each from the environment with these as the fallback.
DEFAULTS = {
    # How many days before a completion runs out it counts as "expiring" (refresher due soon).
    "SIGHTLINE_REFRESHER_WINDOW_DAYS": 60,
    # How many days before a first completion is due it counts as "due soon".
    "SIGHTLINE_DUE_SOON_DAYS": 30,
}


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


def _positive_int(
    env: Mapping[str, str], name: str, default: int, *, minimum: int = 1, maximum: int = 1_000_000
) -> int:
    value = _int(env, name, default)
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name} must be a whole number from {minimum} to {maximum}, got {value}")
    return value


def _rate_limit(env: Mapping[str, str], name: str, default: str) -> str:
    """A Flask-Limiter rate string, checked now so that a typo stops the start, not every sign-in."""
    from limits import parse_many

    value = env.get(name) or default
    try:
        parse_many(value)
    except ValueError as exc:
        raise ConfigError(
            f"{name} must be a rate limit such as '10 per minute;50 per hour', got {value!r}"
        ) from exc
    return value


# zxcvbn's estimate below which a secret key is a pattern, not a random value: 10^20 guesses.
# Random keys of 32 hex or urlsafe characters score over 10^28 (measured on thousands); 32
# identical characters, 'abcd' eight times or a keyboard walk score under 10^5.
SECRET_KEY_MIN_GUESSES_LOG10 = 20
SECRET_KEY_ADVICE = "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"


def _secret_key_problem(secret_key: str) -> str | None:
    if len(secret_key) < 32:
        return (
            "SIGHTLINE_ENV=production needs SECRET_KEY set to a random value of at least 32 "
            f"characters {SECRET_KEY_ADVICE}"
        )
    from zxcvbn import zxcvbn

    if zxcvbn(secret_key[:72])["guesses_log10"] < SECRET_KEY_MIN_GUESSES_LOG10:
        return (
            "SECRET_KEY is a guessable pattern (repeated characters, a sequence or words), not a "
            f"random value; generate one {SECRET_KEY_ADVICE}"
        )
    return None


def _base_url_problem(base_url: str) -> str | None:
    if not base_url:
        return (
            "SIGHTLINE_ENV=production needs SIGHTLINE_BASE_URL, the public https address printed "
            "in emailed links and certificates (e.g. https://training.example.org)"
        )
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname:
        return (
            "SIGHTLINE_BASE_URL must be an https address such as https://training.example.org, "
            f"got {base_url!r}"
        )
    return None


DEV_OUTBOX_MODES = ("off", "loopback", "everyone")


def _dev_outbox(env: Mapping[str, str], production: bool) -> str | None:
    """Who may read /dev/outbox: None leaves it to the environment (see policies.py)."""
    raw = env.get("SIGHTLINE_DEV_OUTBOX", "").strip().lower()
    if not raw:
        return None
    if raw not in DEV_OUTBOX_MODES:
        raise ConfigError(f"SIGHTLINE_DEV_OUTBOX must be off, loopback or everyone, got {raw!r}")
    if production and raw != "off":
        raise ConfigError(
            "SIGHTLINE_DEV_OUTBOX must be off in production: the outbox shows password-reset links"
        )
    return raw


def _workers(env: Mapping[str, str]) -> tuple[str, int]:
    """How many worker processes will serve the app, and which setting said so."""
    for name in ("SIGHTLINE_WORKERS", "WEB_CONCURRENCY"):
        if env.get(name):
            return name, _positive_int(env, name, 1)
    return "SIGHTLINE_WORKERS", 1


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

    :raise ConfigError: when a setting is malformed, and in production when SECRET_KEY,
        DATABASE_URL or SIGHTLINE_BASE_URL is missing or unsafe, or per-process rate limits would be
        multiplied by several workers.
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
    base_url = env.get("SIGHTLINE_BASE_URL", "").strip().rstrip("/")
    rate_limit_storage = env.get("RATELIMIT_STORAGE_URI", "memory://")
    workers_setting, workers = _workers(env)
    if production:
        problem = _secret_key_problem(secret_key)
        if problem:
            raise ConfigError(problem)
        if not database_url:
            raise ConfigError(
                "SIGHTLINE_ENV=production needs DATABASE_URL (e.g. postgresql://user:pass@host/sightline)"
            )
        problem = _base_url_problem(base_url)
        if problem:
            raise ConfigError(problem)
        if workers > 1 and rate_limit_storage.startswith("memory://"):
            raise ConfigError(
                f"{workers_setting}={workers} with RATELIMIT_STORAGE_URI=memory:// would let each worker "
                f"count on its own, multiplying every rate limit by {workers}; set RATELIMIT_STORAGE_URI "
                "to a shared store (e.g. redis://localhost:6379)"
            )
    if not secret_key:
        secret_key = _development_secret(instance_path)
    if not database_url:
        database_url = f"sqlite:///{instance_path / 'sightline.db'}"
    if not base_url:
        base_url = "http://127.0.0.1:5000"

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
        # A CA certificate (PEM) to trust for STARTTLS, for a relay with a private CA.
        "MAIL_SMTP_CA_FILE": env.get("SMTP_CA_FILE", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "Sightline <no-reply@example.org>"),
        "MAIL_OUTBOX_DIR": str(instance_path / "outbox"),
        # Sessions: cookies are HttpOnly and SameSite=Lax always, Secure (and __Host-) in production.
        "SESSION_COOKIE_NAME": "__Host-sightline" if secure_cookies else "sightline",
        # The known-device cookie (accounts/throttle.py): as long as browsers keep any cookie (400
        # days), which covers a learner who signs in only for a yearly refresher.
        "SIGHTLINE_DEVICE_COOKIE_NAME": "__Host-sightline-device" if secure_cookies else "sightline-device",
        "SIGHTLINE_KNOWN_DEVICE_DAYS": 400,
        "SESSION_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # An absolute lifetime from sign-in (accounts/current_session.py), not a sliding one: the
        # cookie is re-issued only when the session changes, not on every request.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_positive_int(env, "SIGHTLINE_SESSION_HOURS", 12)),
        "SESSION_REFRESH_EACH_REQUEST": False,
        # NIST SP 800-63B's inactivity limit at AAL2 (and ASVS's at level 2).
        "SIGHTLINE_SESSION_IDLE_MINUTES": _positive_int(env, "SIGHTLINE_SESSION_IDLE_MINUTES", 30),
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # A learner may read a module for well over an hour before submitting a quiz; the
        # session lifetime bounds the token instead of Flask-WTF's one-hour default.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": production,
        "RATELIMIT_STORAGE_URI": rate_limit_storage,
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SIGHTLINE_LOGIN_LIMIT": _rate_limit(env, "SIGHTLINE_LOGIN_LIMIT", "10 per minute;50 per hour"),
        "SIGHTLINE_ACCOUNT_LOGIN_LIMIT": _rate_limit(env, "SIGHTLINE_ACCOUNT_LOGIN_LIMIT", "30 per hour"),
        # Reminders a manager may send to a report list (modules.reminders.manual).
        "SIGHTLINE_LIST_REMINDER_LIMIT": _rate_limit(env, "SIGHTLINE_LIST_REMINDER_LIMIT", "5 per hour"),
        # Behind a TLS proxy every request comes from the proxy; trusting this many hops of
        # X-Forwarded-For/-Proto gives rate limits the visitor's address (factory.py).
        "SIGHTLINE_TRUSTED_PROXIES": _positive_int(env, "SIGHTLINE_TRUSTED_PROXIES", 0, minimum=0),
        "SIGHTLINE_WORKERS": workers,
        "SIGHTLINE_PASSWORD_RESET_HOURS": _positive_int(env, "SIGHTLINE_PASSWORD_RESET_HOURS", 2),
        # The largest request body Werkzeug reads at all: a bigger upload is refused with a 413
        # page before it is spooled to disk (the staff import itself takes 5 MB files).
        "MAX_CONTENT_LENGTH": _positive_int(env, "SIGHTLINE_MAX_UPLOAD_MB", 10, maximum=1024) * 1024 * 1024,
        # How long an emailed invitation to set a first password works (a resend starts again).
        "SIGHTLINE_INVITATION_DAYS": _positive_int(env, "SIGHTLINE_INVITATION_DAYS", 14, maximum=90),
        **{name: _positive_int(env, name, DEFAULTS[name], minimum=0, maximum=3650)
           for name in ("SIGHTLINE_REFRESHER_WINDOW_DAYS", "SIGHTLINE_DUE_SOON_DAYS")},
        "SIGHTLINE_HSTS": production,
        "SIGHTLINE_DEV_OUTBOX": _dev_outbox(env, production),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    }
