"""Refuse a request whose text carries control characters, before any view reads it.

PostgreSQL cannot hold NUL in a text value (psycopg raises "A string literal cannot contain NUL
(0x00) characters"), so a NUL in any field or query parameter, even on the sign-in page, was a
500 there and silently stored on SQLite. No other C0 or C1 control character is something a
person types either. Tab, line feed and carriage return are what text areas send and stay.
One check here, on the path, the query string, the form and upload names, covers every route,
including those added later.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from flask import request
from werkzeug.exceptions import BadRequest

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class UnacceptableCharacters(BadRequest):
    """A 400 shown with its own page: what was wrong and that nothing was saved."""

    template = "errors/400_characters.html"
    description = "The request contained control characters, such as a null byte."


def has_control_characters(texts: Iterable[str]) -> bool:
    return any(_CONTROL.search(text) for text in texts)


def _request_texts() -> Iterable[str]:
    yield request.path
    for source in (request.args, request.form):
        for key, value in source.items(multi=True):
            yield key
            yield value
    for key, upload in request.files.items(multi=True):
        yield key
        yield upload.filename or ""


def init_app(app) -> None:
    @app.before_request
    def refuse_control_characters():
        if has_control_characters(_request_texts()):
            raise UnacceptableCharacters()
