"""The partnership's own settings, changed by a partnership admin on the settings page and kept
in the database (``partnership_settings``): the support lines shown to learners, the employer's
staff support line, the local contacts for handbooks, and the reporting target and RAG threshold.

Every name is declared here once, with its default. A name nobody has changed reads as its
default (for ``local_contacts``, the optional YAML seed file: ``None`` means "use the file").
Reads are remembered for the rest of the request (``flask.g``), and the first read loads every
setting, so a page that shows the support box and the contacts costs one query in all. Deployment settings (addresses, secrets,
limits) stay in :mod:`modules.core.config`; these are the ones a partnership changes as it runs.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from flask import g, has_app_context
from sqlalchemy import select

from modules.core import audit
from modules.core.extensions import db
from modules.core.models import PartnershipSetting, utcnow


@dataclass(frozen=True)
class Declared:
    default: Any
    label: str


# Support lines: what each is for, the name, a number (shown as a tel: link) and/or a web address.
# The Samaritans line is for the learner's own distress; the others are about children.
DEFAULT_SUPPORT_LINES = [
    {"name": "NSPCC helpline", "for": "if you are worried about a child", "phone": "0808 800 5000", "url": ""},
    {"name": "Childline", "for": "for children and young people", "phone": "0800 1111", "url": ""},
    {"name": "NAPAC", "for": "for adults who were abused as children", "phone": "", "url": "https://napac.org.uk"},
    {"name": "PACE", "for": "for parents and carers of children who are exploited", "phone": "",
     "url": "https://paceuk.info"},
    {"name": "Samaritans", "for": "if this training has upset you, day or night, free", "phone": "116 123",
     "url": ""},
]

DECLARED: dict[str, Declared] = {
    "support_lines": Declared(DEFAULT_SUPPORT_LINES, "Support lines shown to learners"),
    # {"name", "phone", "hours", "url"} of the employer's own staff support (an employee assistance
    # programme, occupational health), or None when the partnership has not given one.
    "employer_support_line": Declared(None, "Your staff support line"),
    # None: the YAML seed file (SIGHTLINE_LOCAL_CONTACTS_FILE); else {"intro", "contacts": [...]}.
    "local_contacts": Declared(None, "Local contacts for the handbooks"),
    "compliance_target_percent": Declared(90, "Compliance target"),
    # Below the target but at or above this is amber; below it is red.
    "compliance_amber_percent": Declared(75, "Amber from"),
    # {"sha256", "content_type"} of the logo in partnership_assets, or None: kept here too so the
    # header that shows it on every page reads it with the other settings, in the same one query.
    "logo": Declared(None, "Logo"),
}

_G_KEY = "sightline_partnership_settings"


def _memo() -> dict[str, Any]:
    if not has_app_context():
        return {}
    return g.setdefault(_G_KEY, {})


def get(name: str) -> Any:
    """The current value of setting ``name`` (a copy: changing it changes nothing).

    :raise KeyError: for a name that is not declared.
    """
    DECLARED[name]
    memo = _memo()
    if name not in memo:
        # Every setting at once (a handful of small rows): a learner page that shows the support
        # box and the contacts then costs one query, within the learner pages' query budgets.
        stored = {row.name: row.value for row in db.session.scalars(select(PartnershipSetting))}
        for known, declared in DECLARED.items():
            memo.setdefault(known, stored.get(known, declared.default))
    return copy.deepcopy(memo[name])


def is_changed(name: str) -> bool:
    """Whether an admin has set ``name`` (else it reads as its default or seed)."""
    DECLARED[name]
    return db.session.get(PartnershipSetting, name) is not None


def put(name: str, value: Any, *, actor, audited: bool = True) -> bool:
    """Set ``name`` to ``value`` (already checked by the caller's form); audited (unless the
    caller records the change in its own words: ``audited=False``); not committed.

    :return: whether anything changed.
    """
    DECLARED[name]
    row = db.session.get(PartnershipSetting, name)
    before = row.value if row is not None else DECLARED[name].default
    if row is not None and before == value:
        return False
    if row is None:
        row = PartnershipSetting(name=name)
        db.session.add(row)
    row.value = value
    row.updated_at = utcnow()
    row.updated_by_id = getattr(actor, "id", None)
    if audited:
        audit.record("settings.changed", actor=actor, setting=name, before=before, after=value)
    _memo().pop(name, None)
    return True


def reset(name: str, *, actor, audited: bool = True) -> bool:
    """Go back to the default (or seed file) for ``name``; audited (see :func:`put`); not committed."""
    DECLARED[name]
    row = db.session.get(PartnershipSetting, name)
    if row is None:
        return False
    if audited:
        audit.record("settings.reset", actor=actor, setting=name, before=row.value)
    db.session.delete(row)
    _memo().pop(name, None)
    return True

