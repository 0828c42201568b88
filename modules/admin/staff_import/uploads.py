"""Keeping an uploaded staff file on the server between the preview and "Import".

The file is re-read and re-checked at confirm (the database may have changed in between), so it
must survive the round trip, and it is far too big for the cookie session. Each upload is a file
under ``SIGHTLINE_IMPORT_DIR`` (default ``instance/imports``) named by a random id, beside a
small JSON record of who uploaded it, for which agency, and when. Only the uploader can use it,
for the same agency, within ``KEEP_FOR``; older uploads are deleted whenever a new one arrives.
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
_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


@dataclass(frozen=True)
class StoredUpload:
    upload_id: str
    file_name: str
    data: bytes


def _folder() -> Path:
    folder = Path(current_app.config.get("SIGHTLINE_IMPORT_DIR")
                  or Path(current_app.instance_path) / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(data: bytes, *, file_name: str, user_id: int, agency_id: int | None) -> str:
    """Store ``data``; returns the id the confirm form carries."""
    folder = _folder()
    _prune(folder)
    upload_id = secrets.token_urlsafe(16)
    (folder / f"{upload_id}.csv").write_bytes(data)
    (folder / f"{upload_id}.json").write_text(json.dumps({
        "file_name": file_name, "user_id": user_id, "agency_id": agency_id, "at": time.time(),
    }))
    return upload_id


def load(upload_id: str, *, user_id: int, agency_id: int | None) -> StoredUpload | None:
    """The upload, if it exists, has not expired and is this user's for this agency."""
    if not _ID.match(upload_id or ""):
        return None
    folder = _folder()
    try:
        meta = json.loads((folder / f"{upload_id}.json").read_text())
        data = (folder / f"{upload_id}.csv").read_bytes()
    except (OSError, ValueError):
        return None
    if (meta.get("user_id") != user_id or meta.get("agency_id") != agency_id
            or time.time() - meta.get("at", 0) > KEEP_FOR_SECONDS):
        return None
    return StoredUpload(upload_id, meta.get("file_name", "staff.csv"), data)


def discard(upload_id: str) -> None:
    if _ID.match(upload_id or ""):
        for suffix in (".csv", ".json"):
            (_folder() / f"{upload_id}{suffix}").unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    cutoff = time.time() - KEEP_FOR_SECONDS
    for path in folder.glob("*.json"):
        try:
            expired = path.stat().st_mtime < cutoff
        except OSError:
            continue
        if expired:
            path.unlink(missing_ok=True)
            path.with_suffix(".csv").unlink(missing_ok=True)
