"""Service navigation: a small registry each area adds its own menu entries to at ``init_app``.

Core knows no area's pages; an area says what it offers (``add_menu_item``) and who sees it, and
:func:`navigation_for` (computed here, not in templates) builds the signed-in user's menu in
``order``, marking the current section.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request, url_for

from modules.core.roles import Role

_REGISTRY = "sightline_menu"


@dataclass(frozen=True)
class MenuItem:
    label: str
    endpoint: str
    order: int  # position in the menu, lowest first
    roles: frozenset[Role] = frozenset()  # empty: every signed-in user
    # Where the item points for this user, when it is not simply ``url_for(endpoint)``.
    href: Callable[[object], str] | None = None


def add_menu_item(app, label: str, endpoint: str, *, order: int, roles: tuple[Role, ...] = (),
                  href: Callable[[object], str] | None = None) -> None:
    items = app.extensions.setdefault(_REGISTRY, {})
    # Keyed by endpoint: init_app runs again for every app a test creates.
    items[endpoint] = MenuItem(label, endpoint, order, frozenset(roles), href)


def menu_items(app) -> list[MenuItem]:
    return sorted(app.extensions.get(_REGISTRY, {}).values(), key=lambda item: item.order)


def navigation_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = [
        {"text": item.label, "href": item.href(user) if item.href else url_for(item.endpoint)}
        for item in menu_items(current_app)
        if not item.roles or user.roles & item.roles
    ]
    # The longest matching prefix is the current section (/admin/audit is "Audit log", not "Partnership").
    matches = [i for i in items if request.path == i["href"] or request.path.startswith(i["href"] + "/")]
    if matches:
        max(matches, key=lambda i: len(i["href"]))["active"] = True
    return items


def init_app(app) -> None:
    @app.context_processor
    def service_navigation():
        from flask_login import current_user

        return {"service_navigation": navigation_for(current_user)}
