"""Emailing invitations, once the transaction that issued them has committed.

The raw tokens exist only in memory (the table keeps their hashes), so they travel to the job as
its arguments. The job loads the people again in its own session: a link is mailed only to
someone who exists once the issue has committed. A message that cannot be sent is logged and the
others still go; the person page then shows the invitation as sent, and a resend issues a new one.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import select

from modules.accounts.invitations import IssuedInvitation
from modules.accounts.models import User
from modules.core.extensions import db
from modules.core.jobs import enqueue_after_commit
from modules.notifications import mail

log = logging.getLogger(__name__)

# The accept page's path (accounts.accept_invitation). Written here rather than built with
# url_for because the job and the import command have no request to build it from;
# tests/accounts/test_invitations.py checks that it routes to that page.
INVITATION_PATH = "/invitations/{token}"


def valid_for(config: Mapping) -> timedelta:
    """How long a new invitation works (``SIGHTLINE_INVITATION_DAYS``)."""
    return timedelta(days=config["SIGHTLINE_INVITATION_DAYS"])


def invitation_link(base_url: str, token: str) -> str:
    return base_url + INVITATION_PATH.format(token=token)


# Invitations per job: a staff import of 20,000 people neither holds up its response nor becomes
# 20,000 jobs.
BATCH = 200


def mail_after_commit(issued: Sequence[IssuedInvitation], *, base_url: str | None = None) -> None:
    """Queue the emails of ``issued`` to go once the current transaction commits, ``BATCH`` a job.

    :param base_url: the site's address for the links (default ``SIGHTLINE_BASE_URL``).
    """
    items = [(i.user_id, i.token, i.expires_at) for i in issued]
    for start in range(0, len(items), BATCH):
        enqueue_after_commit(send_invitations, items[start:start + BATCH], base_url)


def send_invitations(items: Sequence[tuple[int, str, datetime]], base_url: str | None = None) -> None:
    """Send each invitation email (a job: runs in its own application context)."""
    config = current_app.config
    base_url = (base_url or config["SIGHTLINE_BASE_URL"]).rstrip("/")
    people = {
        user.id: user
        for user in db.session.scalars(select(User).where(User.id.in_([user_id for user_id, _, _ in items])))
    }
    for user_id, token, expires_at in items:
        person = people.get(user_id)
        if person is None or not person.active:
            continue
        try:
            mail.send(
                config,
                to=person.email,
                subject=f"Set up your {config['SIGHTLINE_SERVICE_NAME']} account",
                body=render_template(
                    "accounts/email/invitation.txt",
                    person=person,
                    link=invitation_link(base_url, token),
                    expires_at=expires_at,
                ),
            )
        except Exception:  # noqa: BLE001 - one address that fails must not stop the others
            log.exception("could not send the invitation of user %s", user_id)
