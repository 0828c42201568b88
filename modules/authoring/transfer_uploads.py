"""Keeping an uploaded ZIP on the server between "Check the folder" and "Publish the folder".

Asking the trainer to choose the file again on confirm could publish a different file from the
one they checked; and a ZIP (up to the upload limit) is far too big for the cookie session. So each
upload is a file under ``instance/authoring-imports`` named by a random token, beside a small JSON
record of who uploaded it and when. Only the uploader can use it, within ``KEEP_FOR_SECONDS``;
it is deleted once published, and older uploads whenever a new one arrives. The ZIP is read and
checked again on confirm (the site may have changed in between).
"""
from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

KEEP_FOR_SECONDS = 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class StoredZip:
    token: str
    file_name: str
    data: bytes


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "authoring-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(data: bytes, *, file_name: str, user_id: int) -> str:
    folder = _folder()
    _prune(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.zip").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"file_name": file_name, "user_id": user_id,
                                                      "at": time.time()}))
    return token


def load(token: str, *, user_id: int) -> StoredZip | None:
    """The upload, if it exists, has not expired and is this user's."""
    if not _TOKEN.match(token or ""):
        return None
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}.zip").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id or time.time() - meta.get("at", 0) > KEEP_FOR_SECONDS:
        return None
    return StoredZip(token, meta.get("file_name", "folder.zip"), data)


def discard(token: str) -> None:
    if _TOKEN.match(token or ""):
        for suffix in (".zip", ".json"):
            (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    cutoff = time.time() - KEEP_FOR_SECONDS
    for path in folder.glob("*.json"):
        try:
            expired = path.stat().st_mtime < cutoff
        except OSError:
            continue
        if expired:
            path.unlink(missing_ok=True)
            path.with_suffix(".zip").unlink(missing_ok=True)
