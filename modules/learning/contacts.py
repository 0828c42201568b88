"""The partnership's local contacts, shown wherever a handbook says ``[[local-contacts]]``.

They come from the partnership settings (``local_contacts``, saved by an admin on the settings
page: ``{"intro": ..., "contacts": [{name, phone, email, hours, notes}, ...]}``, checked with
:func:`parse_contacts`), not from the content, so that one set of courses serves any partnership.
Until an admin saves them, a YAML file is the seed (``SIGHTLINE_LOCAL_CONTACTS_FILE``, default
``instance/local_contacts.yaml``; see docs/local_contacts.example.yaml), read again when it
changes. Without either learners see a safe fallback: ask your safeguarding lead, and call 999
in an emergency; saving an empty list of contacts chooses that fallback on purpose.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from typing import Any

import yaml

from modules.core import partnership_settings
from modules.core.settings import setting

log = logging.getLogger(__name__)

FIELDS = ("name", "phone", "email", "hours", "notes")
_cache: dict[str, tuple[float, LocalContacts]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""
    email: str = ""
    hours: str = ""
    notes: str = ""

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link (digits and a leading +)."""
        return re.sub(r"(?!^\+)[^\d]", "", self.phone.strip())


@dataclass(frozen=True)
class LocalContacts:
    contacts: tuple[Contact, ...]
    intro: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.contacts)


FALLBACK = LocalContacts(contacts=())


def parse_contacts(data: Any) -> LocalContacts:
    """Read the YAML document: ``{intro, contacts: [{name, phone, email, hours, notes}]}`` or a
    bare list of contacts. :raise ValueError: saying what is wrong."""
    intro = ""
    if isinstance(data, dict):
        intro = data.get("intro") or ""
        if not isinstance(intro, str):
            raise ValueError("intro must be text")
        data = data.get("contacts")
    if not isinstance(data, list) or not data:
        raise ValueError("contacts must be a list with at least one contact")
    contacts = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"contact {number} must be a set of fields (name, phone, email, hours, notes)")
        unknown = set(item) - set(FIELDS)
        if unknown:
            raise ValueError(f"contact {number} has unknown fields: {', '.join(sorted(map(str, unknown)))}")
        values = {key: " ".join(str(item[key]).split()) for key in FIELDS if item.get(key) not in (None, "")}
        if not values.get("name"):
            raise ValueError(f"contact {number} has no name")
        contacts.append(Contact(**values))
    return LocalContacts(contacts=tuple(contacts), intro=" ".join(intro.split()))


def load_contacts_file(path: str) -> LocalContacts:
    """The contacts in ``path``; the fallback (and a logged warning) when it is missing or wrong."""
    try:
        with open(path, encoding="utf-8") as handle:
            return parse_contacts(yaml.safe_load(handle))
    except FileNotFoundError:
        return FALLBACK
    except (OSError, yaml.YAMLError, ValueError) as exc:
        log.warning("local contacts file %s not used: %s", path, exc)
        return FALLBACK


def from_setting(value: Any) -> LocalContacts | None:
    """The contacts an admin saved (``value`` of the ``local_contacts`` setting); None when they
    never did, or when what is stored cannot be read (then the file still serves, and a warning
    is logged: the settings page checks with :func:`parse_contacts` before saving)."""
    if value is None:
        return None
    if isinstance(value, dict) and value.get("contacts") == []:
        return FALLBACK
    try:
        return parse_contacts(value)
    except ValueError as exc:
        log.warning("local contacts setting not used: %s", exc)
        return None


def local_contacts(path: str | None = None) -> LocalContacts:
    """The contacts from the partnership settings, else from the seed file
    (``SIGHTLINE_LOCAL_CONTACTS_FILE`` of the current app, or ``path``), re-read only when the
    file changes."""
    if path is None:
        saved = from_setting(partnership_settings.get("local_contacts"))
        if saved is not None:
            return saved
        path = setting("SIGHTLINE_LOCAL_CONTACTS_FILE")
    return _contacts_file(path)


def _contacts_file(path: str) -> LocalContacts:
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return FALLBACK
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1]
    contacts = load_contacts_file(path)
    with _lock:
        _cache[path] = (mtime, contacts)
    return contacts
