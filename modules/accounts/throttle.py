"""Limits on password guesses (Flask-Limiter), counting failed guesses only (``deduct_when``).

Sign-in has two limits:

- per address (``SIGHTLINE_LOGIN_LIMIT``), against one machine trying many accounts;
- per account (``SIGHTLINE_ACCOUNT_LOGIN_LIMIT``), against many machines trying one account.

A per-account limit alone lets anyone who knows an email address lock its owner out. So a browser
that has signed in to an account keeps a signed "known device" cookie (OWASP's device cookies,
from the Authentication Cheat Sheet), and its attempts at that account are counted in a budget of
their own and skip the per-address limit. Strangers' failures use up only the budgets of devices
the account has never signed in on; the owner on their own device still gets in with the right
password. On a new device
during an attack the owner can reset their password from the email, which makes that browser a
known device. A soft lock rather than a growing delay: a delay makes a worker sleep (so an attacker
can tie up every worker) and still refuses the owner while it runs.

The view calls ``note_failure()`` when a guess was wrong; only those requests are deducted.
"""
from __future__ import annotations

import secrets

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse_many

from modules.accounts.models import User
from modules.accounts.services import find_user_by_email, normalise_email
from modules.core.settings import setting

CURRENT_PASSWORD_LIMIT = "5 per 15 minutes"


def note_failure() -> None:
    """This request guessed a password wrongly: count it against the limits of this view."""
    g.password_guess_failed = True


def failed(response) -> bool:
    """``deduct_when`` for every password limit: deduct only requests that guessed wrongly."""
    return bool(g.get("password_guess_failed"))


def address_limit() -> str:
    return setting("SIGHTLINE_LOGIN_LIMIT")


def account_limit() -> str:
    return setting("SIGHTLINE_ACCOUNT_LOGIN_LIMIT")


def _longest_wait(limit_string: str) -> str:
    """'30 per hour' -> '1 hour': how long at most until a refused visitor may try again."""
    seconds = max(item.get_expiry() for item in parse_many(limit_string))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


# Known devices --------------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="sightline.known-device")


def _cookie_name() -> str:
    return setting("SIGHTLINE_DEVICE_COOKIE_NAME")


def _cookie_seconds() -> int:
    return setting("SIGHTLINE_KNOWN_DEVICE_DAYS") * 86400


def remember_device(response, user: User):
    """Mark this browser as one that has signed in to ``user``'s account (after a sign-in or a
    reset from the emailed link). A fresh nonce each time starts a fresh budget."""
    value = _serializer().dumps({"user": user.id, "nonce": secrets.token_urlsafe(16)})
    response.set_cookie(
        _cookie_name(),
        value,
        max_age=_cookie_seconds(),
        path="/",
        secure=setting("SESSION_COOKIE_SECURE"),
        httponly=True,
        samesite="Lax",
    )
    return response


def _known_device_nonce() -> str | None:
    """The nonce of this browser's known-device cookie, if it belongs to the account being tried."""
    if "known_device_nonce" not in g:
        g.known_device_nonce = None
        raw = request.cookies.get(_cookie_name())
        if raw:
            try:
                data = _serializer().loads(raw, max_age=_cookie_seconds())
            except BadSignature:
                data = None
            if isinstance(data, dict):
                user = find_user_by_email(request.form.get("email", ""))
                if user is not None and data.get("user") == user.id:
                    g.known_device_nonce = str(data.get("nonce"))
    return g.known_device_nonce


def is_known_device() -> bool:
    """Whether this browser has signed in to the account being tried. Such a browser skips the
    per-address limit (someone else on the same office network cannot lock it out either) and is
    held to its own per-account budget instead."""
    return _known_device_nonce() is not None


def sign_in_account_key() -> str:
    """One budget per known device of the account, and one for all its other devices."""
    nonce = _known_device_nonce()
    if nonce:
        return f"sign-in:device:{nonce}"
    return "sign-in:account:" + normalise_email(request.form.get("email", ""))


def sign_in_refused_message() -> str:
    wait = _longest_wait(account_limit())
    if _known_device_nonce():
        return (
            "There have been too many failed attempts to sign in on this device. "
            f"Wait {wait}, then try again, or reset your password."
        )
    return (
        "There have been too many failed attempts to sign in to this account from devices it has "
        "not signed in on before. Sign in on a device you have used before, or reset your "
        f"password: after that, this device can sign in again. Otherwise, wait {wait}."
    )


# The current-password check at /account/password ---------------------------------------------

def current_password_key() -> str:
    if current_user.is_authenticated:
        return f"current-password:{current_user.id}"
    return f"current-password:address:{get_remote_address()}"


def current_password_refused_message() -> str:
    return (
        "You have entered your current password incorrectly too many times. "
        f"Wait {_longest_wait(CURRENT_PASSWORD_LIMIT)}, then try again. If you have forgotten "
        "it, sign out and reset your password."
    )
