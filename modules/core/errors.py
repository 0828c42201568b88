"""Error pages in the site's own style."""
from __future__ import annotations

from flask import make_response, render_template
from werkzeug.exceptions import HTTPException

from modules.core.extensions import db

TEMPLATES = {
    400: "errors/400.html", 403: "errors/403.html", 404: "errors/404.html", 413: "errors/413.html",
    429: "errors/429.html",
}


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
        if exc.code is None or exc.code < 400:
            return exc  # a routing redirect (a missing trailing slash), not an error
        # An exception may name its own page (modules.core.input_guard's does).
        template = getattr(exc, "template", None) or TEMPLATES.get(exc.code, "errors/other.html")
        response = make_response(render_template(template, error=exc, message=_specific_message(exc)), exc.code)
        # Keep what the exception says about the response, such as a 405's Allow header.
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return render_template("errors/500.html"), 500
