"""Recording audit events. Callers commit with the change they audit, so both land or neither does."""
from __future__ import annotations

from typing import Any

from modules.core.extensions import db
from modules.core.models import AuditEvent


def record(
    action: str,
    *,
    actor=None,
    subject=None,
    agency_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the current session (not committed here).

    :param action: dotted verb such as ``account.login`` or ``user.deactivated``.
    :param actor: the user who acted, or None for the system / an anonymous visitor.
    :param subject: the model instance acted upon (its class name and primary key are stored).
    """
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        # __class__, not type(): a view may pass current_user, whose type is Werkzeug's LocalProxy.
        subject_type=subject.__class__.__name__ if subject is not None else None,
        subject_id=str(subject.id) if subject is not None and getattr(subject, "id", None) else None,
        agency_id=agency_id,
        details=details,
    )
    db.session.add(event)
    return event
