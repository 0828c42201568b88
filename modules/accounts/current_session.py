"""The signed-in session of the current request: Flask's signed cookie tied to a server-side row.

Signed cookies cannot be revoked, so the cookie carries the token of a ``user_sessions`` row
(``modules.accounts.sessions``) and a request counts as signed in only while:

- the row is live: not ended (sign-out ends this row only; a password change, a reset,
  deactivation or "sign out on every device" end the others) and younger than
  ``SIGHTLINE_SESSION_HOURS`` since sign-in, however busy the session has been;
- the cookie saw a request less than ``SIGHTLINE_SESSION_IDLE_MINUTES`` ago. The time of the last
  request is kept in the signed cookie rather than the row, so no page view writes to the
  database, and a copy of the cookie idles out on its own however much the original is used.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, flash, g, redirect, request, session
from flask_login import login_url, login_user, logout_user

from modules.accounts import sessions
from modules.accounts.models import User
from modules.core.models import utcnow
from modules.core.settings import setting

TOKEN_KEY = "session_token"
SIGNED_IN_KEY = "signed_in_at"
SEEN_KEY = "last_seen_at"
# How this browser proved who it is: "password" (perhaps with a second factor) or "sso" (the
# organisation's identity provider, which applies its own second factor).
METHOD_KEY = "sign_in_method"
# Moving the last-seen time re-issues the cookie; once a minute is precise enough for a timeout
# counted in minutes, and spares a Set-Cookie on every request.
SEEN_RESOLUTION = timedelta(minutes=1)


def _lifetime() -> timedelta:
    return setting("PERMANENT_SESSION_LIFETIME")


def _idle_limit() -> timedelta:
    return timedelta(minutes=setting("SIGHTLINE_SESSION_IDLE_MINUTES"))


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def _moment(stamp) -> datetime:
    return datetime.fromtimestamp(int(stamp), tz=UTC)


def new_session_values(user: User) -> dict:
    """Start a server-side session for ``user`` and return what the cookie must hold for it
    (used by ``begin`` and by the benchmarks, which sign in without a password)."""
    now = utcnow()
    token = sessions.start_session(user, lifetime=_lifetime(), now=now)
    return {TOKEN_KEY: token, SIGNED_IN_KEY: _stamp(now), SEEN_KEY: _stamp(now)}


def begin(user: User, *, method: str = "password") -> None:
    """Sign ``user`` in on this browser with a fresh session (ASVS 7.2.4), remembering how they
    proved who they are (``method``). The caller commits."""
    session.clear()
    session.permanent = True
    session.update(new_session_values(user))
    session[METHOD_KEY] = method
    login_user(user)


def method() -> str | None:
    """How this browser signed in ("password", "password+totp", "sso"), or None when it has not."""
    return session.get(METHOD_KEY)


def end() -> None:
    """Sign this browser out and end its session server-side, so that a copy of the cookie stops
    working too. Other sessions of the same account carry on. The caller commits."""
    sessions.end_session(session.get(TOKEN_KEY), now=utcnow())
    logout_user()
    session.clear()


def token() -> str | None:
    """The token of this browser's session, to keep it when the user ends their other sessions."""
    return session.get(TOKEN_KEY)


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user only while this cookie's session row is live."""
    session_token = session.get(TOKEN_KEY)
    if not session_token:
        return None
    try:
        wanted = int(user_id)
    except (TypeError, ValueError):
        return None
    row = sessions.find_live_session(
        session_token, user_id=wanted, lifetime=_lifetime(), now=utcnow()
    )
    return row.user if row is not None else None


def enforce_time_limits() -> None:
    """Before each request: drop a session past its absolute lifetime or idle for too long, and
    otherwise move its last-seen time on."""
    if TOKEN_KEY not in session:
        return
    now = utcnow()
    service = setting("SIGHTLINE_SERVICE_NAME")
    try:
        signed_in_at, seen_at = _moment(session[SIGNED_IN_KEY]), _moment(session[SEEN_KEY])
    except (KeyError, TypeError, ValueError, OverflowError):
        session.clear()
        return
    if now - signed_in_at >= _lifetime():
        hours = int(_lifetime().total_seconds() // 3600)
        g.session_end_message = (
            f"You have been signed out because you signed in more than {hours} hours ago. "
            "Sign in again to continue."
        )
        session.clear()
    elif now - seen_at >= _idle_limit():
        minutes = setting("SIGHTLINE_SESSION_IDLE_MINUTES")
        g.session_end_message = (
            f"You have been signed out because you had not used {service} for {minutes} minutes. "
            "Sign in again to continue."
        )
        session.clear()
    elif now - seen_at >= SEEN_RESOLUTION:
        session[SEEN_KEY] = _stamp(now)


def ask_to_sign_in():
    """Flask-Login's unauthorized handler: to the sign-in page, saying why the session ended if
    it did (instead of, not as well as, "Sign in to continue")."""
    manager = current_app.login_manager
    message = g.pop("session_end_message", None) or manager.login_message
    flash(message, manager.login_message_category)
    return redirect(login_url(manager.login_view, next_url=request.url))


def init_app(app) -> None:
    from modules.core.extensions import login_manager

    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(ask_to_sign_in)
    app.before_request(enforce_time_limits)
