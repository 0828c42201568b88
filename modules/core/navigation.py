"""Service navigation items for the signed-in user (computed here, not in templates)."""
from __future__ import annotations

from flask import request, url_for

from modules.accounts.models import Role

_ITEMS = (
    # (label, endpoint, roles that see it; empty = every signed-in user)
    ("My training", "pages.learner_home", ()),
    ("Content", "pages.trainer_home", (Role.trainer, Role.partnership_admin)),
    ("My agency", "admin.agency_home", (Role.manager,)),
    ("Partnership", "admin.home", (Role.partnership_admin,)),
    ("Audit log", "admin.audit_log", (Role.partnership_admin,)),
    ("Your account", "accounts.account", ()),
)


def navigation_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for label, endpoint, roles in _ITEMS:
        if roles and not (user.roles & set(roles)):
            continue
        href = url_for(endpoint)
        items.append({"text": label, "href": href, "active": request.path.startswith(href) and href != "/"})
    return items
