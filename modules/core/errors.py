"""Error pages in the site's own style."""
from __future__ import annotations

from flask import render_template
from werkzeug.exceptions import HTTPException

from modules.core.extensions import db

TEMPLATES = {403: "errors/403.html", 404: "errors/404.html", 429: "errors/429.html"}


def _specific_message(exc: HTTPException) -> str | None:
    """The message a rate limit gave for itself (Flask-Limiter's error_message), if any; without
    one its description is only the limit ("10 per 1 minute"), which is not for visitors."""
    limit = getattr(exc, "limit", None)
    if limit is not None and getattr(limit, "error_message", None):
        return exc.description
    return None


def init_app(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code in TEMPLATES:
            return render_template(TEMPLATES[exc.code], error=exc, message=_specific_message(exc)), exc.code
        if exc.code == 400:
            return render_template("errors/400.html", error=exc), 400
        return exc

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return render_template("errors/500.html"), 500
