"""Authorization in one place.

Every view declares who may use it with ``@allow(...)``. A view without a declaration is refused
(fail closed) and the route-matrix test fails, so a new route cannot ship unguarded by accident.
Object-level checks are plain functions below. Which agency's data a manager may see: outside it,
404, so that another agency's records are indistinguishable from ones that do not exist. Whom a
manager may act on (deactivate, record training for): :func:`can_act_on`, the one place that
rule is written; someone visible but out of reach is a 403.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Protocol

from flask import abort, current_app, request
from flask_login import current_user

from modules.core.roles import Role


class User(Protocol):
    """What these rules need of a user (``modules.accounts.models.User`` has it). Core sits
    below the accounts area, so it names the shape, not the model."""

    id: int
    agency_id: int

    @property
    def roles(self) -> frozenset[Role]: ...

    def has_role(self, role: Role) -> bool: ...


@dataclass(frozen=True)
class Policy:
    anonymous: bool = False
    roles: frozenset[Role] = frozenset()  # empty: any signed-in user
    development_only: bool = False

    def describe(self) -> str:
        if self.anonymous:
            return "anyone"
        if not self.roles:
            return "signed in"
        return " or ".join(sorted(r.name for r in self.roles))


def allow(
    *roles: Role, anonymous: bool = False, development_only: bool = False
) -> Callable:
    """Declare and enforce who may call a view.

    ``@allow(anonymous=True)`` public; ``@allow()`` any signed-in user; ``@allow(Role.manager, ...)``
    signed in with at least one of the roles.
    """
    policy = Policy(anonymous=anonymous, roles=frozenset(roles), development_only=development_only)

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            enforce(policy)
            return view(*args, **kwargs)

        guarded.sightline_policy = policy
        return guarded

    return decorator


def _is_loopback(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)  # ::ffff:127.0.0.1 from a dual-stack listener
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def development_pages_visible() -> bool:
    """Whether this request may see development-only pages (the outbox of password-reset links).

    Fail closed: never in production; in development only from this machine unless
    ``SIGHTLINE_DEV_OUTBOX`` says otherwise; in testing only when a test asks for it. A request
    that came through a proxy is not from this machine, even if the proxy is.
    """
    config = current_app.config
    if config["SIGHTLINE_ENV"] == "production":
        return False
    mode = config.get("SIGHTLINE_DEV_OUTBOX") or (
        "loopback" if config["SIGHTLINE_ENV"] == "development" else "off"
    )
    if mode == "everyone":
        return True
    if mode != "loopback":
        return False
    proxied = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    return _is_loopback(request.remote_addr) and not proxied


def enforce(policy: Policy) -> None:
    if policy.development_only and not development_pages_visible():
        abort(404)
    if policy.anonymous:
        return
    if not current_user.is_authenticated:
        # Flask-Login redirects to the sign-in page with ?next=...
        abort(current_app.login_manager.unauthorized())
    if policy.roles and not (current_user.roles & policy.roles):
        abort(403)


def policy_for_endpoint(app, endpoint: str) -> Policy | None:
    view = app.view_functions.get(endpoint)
    return getattr(view, "sightline_policy", None)


def init_app(app) -> None:
    @app.before_request
    def refuse_undeclared_views():
        endpoint = request.endpoint
        if endpoint is None or endpoint == "static":
            return None
        if policy_for_endpoint(app, endpoint) is None:
            app.logger.error("view %s has no @allow policy; refusing", endpoint)
            abort(403)
        return None


# Agency scoping ------------------------------------------------------------------------------

def visible_agency_ids(user: User) -> set[int] | None:
    """The agencies whose people this user may see: None means all (partnership admin)."""
    if user.has_role(Role.partnership_admin):
        return None
    if user.has_role(Role.manager):
        return {user.agency_id}
    return set()


def can_see_agency(user: User, agency_id: int) -> bool:
    visible = visible_agency_ids(user)
    return visible is None or agency_id in visible


def require_agency(user: User, agency_id: int) -> None:
    """:raise 404: when the agency is outside the user's scope."""
    if not can_see_agency(user, agency_id):
        abort(404)


def require_person(user: User, person: User | None) -> User:
    """:raise 404: when the person does not exist or belongs to an agency outside the user's scope."""
    if person is None or not can_see_agency(user, person.agency_id):
        abort(404)
    return person


# Acting on a person -------------------------------------------------------------------------

# How far each role reaches. Trainers write the partnership's training content, which no agency
# manager grants, so they rank with managers: a manager can lock out neither.
ROLE_RANK = {Role.learner: 0, Role.trainer: 1, Role.manager: 1, Role.partnership_admin: 2}


def role_rank(user: User) -> int:
    """The rank of the user's highest role (a learner with no roles ranks as a learner)."""
    return max((ROLE_RANK[role] for role in user.roles), default=0)


def can_act_on(actor: User, target: User) -> bool:
    """Whether ``actor`` may change ``target``'s account or training record.

    ``target`` must be in the actor's agency scope and rank below the actor: a manager acts on
    the learners of their own agency, never on another manager, a trainer or a partnership
    admin. A partnership admin, the highest role, acts on anyone, other admins included
    (someone has to be able to deactivate an admin who leaves). Whether someone may do a given
    thing to themselves is for each action to answer with its own message.
    """
    if not can_see_agency(actor, target.agency_id):
        return False
    if actor.has_role(Role.partnership_admin):
        return True
    return role_rank(target) < role_rank(actor)


def grantable_roles(actor: User) -> frozenset[Role]:
    """The roles ``actor`` may give someone (adding a person, a staff import): a partnership
    admin any role; a manager only ``learner``, since a manager acts on learners alone
    (:func:`can_act_on`) and must not make anyone their equal or above; anyone else none."""
    if actor.has_role(Role.partnership_admin):
        return frozenset(Role)
    if actor.has_role(Role.manager):
        return frozenset({Role.learner})
    return frozenset()


def require_actable(actor: User, person: User | None) -> User:
    """The person, if ``actor`` may act on them (or it is the actor, for the view to answer).

    :raise 404: when the person does not exist or is outside the actor's agency scope.
    :raise 403: when the person is visible but ranks too high (:func:`can_act_on`).
    """
    person = require_person(actor, person)
    if person.id != actor.id and not can_act_on(actor, person):
        abort(403)
    return person
