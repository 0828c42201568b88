"""Files people download: one response for every export, learner record and certificate.

Every download holds personal data (names, training records, certificates), so each one:

- says ``Cache-Control: private, no-store``: neither a shared cache nor the browser's keeps a
  copy (pages get ``no-store`` from modules.core.security, which only looks at HTML);
- is kept out of search engines (``X-Robots-Tag``), like the pages about people;
- names the file in ``Content-Disposition`` with RFC 6266's ``filename*``, so accented names
  survive, and an ASCII fallback for old clients;
- is sent with its Content-Type exactly as given: Flask would append a second
  ``charset=utf-8`` to a ``text/*`` *mimetype* that already has one.
"""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from flask import Response

Body = bytes | str | Iterable[bytes] | Iterable[str]


def attachment(filename: str) -> str:
    """A Content-Disposition value that keeps accented names, with an ASCII fallback."""
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def download_response(body: Body, *, filename: str, content_type: str, length: int | None = None) -> Response:
    """The response for a file download.

    :param body: the bytes, or an iterable of chunks for a streamed file (wrap it in
        ``stream_with_context`` when it reads the database).
    :param content_type: the full Content-Type, for example ``text/csv; charset=utf-8``.
    :param length: the exact size of a streamed body, when known (for a progress bar).
    """
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = attachment(filename)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    if length is not None:
        response.headers["Content-Length"] = str(length)
    return response
