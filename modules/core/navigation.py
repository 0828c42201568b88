"""Service navigation items for the signed-in user (computed here, not in templates)."""
from __future__ import annotations

from flask import request, url_for

from modules.accounts.models import Role

_ITEMS = (
    # (label, endpoint, roles that see it; empty = every signed-in user)
    ("My training", "learning.my_training", ()),
    ("My certificates", "certificates.mine", ()),
    ("Content", "pages.trainer_home", (Role.trainer, Role.partnership_admin)),
    ("My agency", "admin.agency_home", (Role.manager,)),
    ("Partnership", "admin.home", (Role.partnership_admin,)),
    ("Reports", "reports.dashboard", (Role.manager, Role.partnership_admin)),
    ("Audit log", "admin.audit_log", (Role.partnership_admin,)),
    ("Your account", "accounts.account", ()),
)


def _href(user, endpoint: str) -> str:
    # "My agency" points straight at the manager's agency page so it is marked current there.
    if endpoint == "admin.agency_home":
        return url_for("admin.agency", agency_id=user.agency_id)
    return url_for(endpoint)


def navigation_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = [
        {"text": label, "href": _href(user, endpoint)}
        for label, endpoint, roles in _ITEMS
        if not roles or user.roles & set(roles)
    ]
    # The longest matching prefix is the current section (/admin/audit is "Audit log", not "Partnership").
    matches = [i for i in items if request.path == i["href"] or request.path.startswith(i["href"] + "/")]
    if matches:
        max(matches, key=lambda i: len(i["href"]))["active"] = True
    return items
