"""The invitation emails of an import, sent after the commit in batches.

Each batch is one job (``enqueue_after_commit``), so 20,000 invitations neither hold up the
response nor go out as 20,000 jobs, and a failure to send one message is logged without stopping
the rest of its batch.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from flask import current_app, render_template
from sqlalchemy import select

from modules.accounts.invitations import IssuedInvitation
from modules.accounts.models import User
from modules.core.extensions import db
from modules.core.jobs import enqueue_after_commit
from modules.notifications import mail

log = logging.getLogger(__name__)

BATCH = 200
ACCEPT_ENDPOINT = "accounts.accept_invitation"


def invitation_url(token: str, base_url: str) -> str:
    """The link in an invitation email: the accept page's URL if that page exists, otherwise
    ``<base_url>/invitations/<token>``, the path it is being built at. The one place to change."""
    if ACCEPT_ENDPOINT in current_app.view_functions:
        path = current_app.url_map.bind("localhost").build(ACCEPT_ENDPOINT, {"token": token})
    else:
        path = f"/invitations/{token}"
    return base_url.rstrip("/") + path


def enqueue_invitation_mail(issued: Sequence[IssuedInvitation], base_url: str) -> None:
    """Queue the emails for ``issued`` to go once the transaction commits, ``BATCH`` a job."""
    items = [(item.user_id, item.token, item.expires_at) for item in issued]
    for start in range(0, len(items), BATCH):
        enqueue_after_commit(send_invitation_batch, items[start:start + BATCH], base_url)


def send_invitation_batch(items: list[tuple[int, str, datetime]], base_url: str) -> None:
    """A job: email each person their invitation link. Runs in its own app context."""
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([i[0] for i in items])))}
    config = current_app.config
    for user_id, token, expires_at in items:
        person = people.get(user_id)
        if person is None:
            continue
        try:
            mail.send(
                config, to=person.email, subject="Set up your Sightline account",
                body=render_template(
                    "admin/email/invitation.txt", person=person,
                    url=invitation_url(token, base_url),
                    expires=expires_at,
                ),
            )
        except Exception:  # noqa: BLE001 - one bad address must not stop the rest of the batch
            log.exception("could not send the invitation to user %s", user_id)
