"""Mail that must not be lost: queued in the caller's transaction, delivered later, retried.

- :func:`enqueue` adds a message to ``outgoing_mail`` in the caller's transaction, so a reminder's
  log row and its mail are committed together or not at all.
- :func:`deliver_pending` sends what is due, a batch at a time over one SMTP connection. Each
  message is first *claimed* with a conditional UPDATE that moves its ``next_attempt_at`` a few
  minutes on, committed before anything is sent: an overlapping run (cron every minute, a slow
  server) finds nothing due and skips it, and if this process dies mid-send the claim lapses and
  the message is tried again. A failure is recorded with its error and retried after a growing
  delay (:data:`RETRY_DELAYS`); after :data:`MAX_ATTEMPTS` the message is marked failed and
  stays on ``/admin/mail`` until someone retries it. Nothing is deleted.

The cost of the claim-then-send order: a crash after the server accepted a message but before
"sent" was committed sends it again when the claim lapses. We prefer a rare duplicate reminder to
a lost one.
"""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from modules.core.extensions import db
from modules.core.models import utcnow
from modules.notifications import mail
from modules.notifications.models import MailStatus, OutgoingMail

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# The delay before the 2nd, 3rd, ... attempt; the 6th failure marks the message failed.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
                timedelta(hours=6))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long a claimed message is left alone by other runs: well over one batch's sending time.
CLAIM_LEASE = timedelta(minutes=10)
# Errors are stored for the admin page; an SMTP reply is short, a traceback is not wanted.
ERROR_LIMIT = 500


@dataclass(frozen=True)
class DeliveryReport:
    """What one run of the sender did."""

    sent: int = 0
    retrying: int = 0  # failed this time, will be tried again
    gave_up: int = 0  # failed for the last time: now on /admin/mail as failed

    @property
    def failed(self) -> int:
        return self.retrying + self.gave_up

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(self.sent + other.sent, self.retrying + other.retrying, self.gave_up + other.gave_up)


def enqueue(*, to: str, subject: str, body: str, category: str, now: datetime | None = None) -> OutgoingMail:
    """Queue a plain-text message in the caller's transaction (the caller commits)."""
    moment = now or utcnow()
    message = OutgoingMail(category=category, to_address=to, subject=subject, body=body,
                           status=MailStatus.pending, attempts=0, created_at=moment, next_attempt_at=moment)
    db.session.add(message)
    return message


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure."""
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def deliver_pending(config: Mapping, *, now: datetime | None = None, only_ids: Sequence[int] | None = None,
                    batch_size: int = BATCH_SIZE) -> DeliveryReport:
    """Send every pending message that is due, ``batch_size`` at a time. Commits as it goes.

    :param only_ids: just these messages (a manager's "send a reminder", right after it commits).
    """
    moment = now or utcnow()
    report = DeliveryReport()
    while True:
        claimed = _claim_batch(moment, only_ids, batch_size)
        if not claimed:
            return report
        report += _send_batch(config, claimed, moment)


def _claim_batch(moment: datetime, only_ids: Sequence[int] | None, batch_size: int) -> list[int]:
    claimed = []
    for mail_id in _due_ids(moment, only_ids, batch_size):
        # Conditional: another run that claimed it first has moved next_attempt_at on.
        result = db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id == mail_id, OutgoingMail.status == MailStatus.pending,
                   OutgoingMail.next_attempt_at <= moment)
            .values(next_attempt_at=moment + CLAIM_LEASE, attempts=OutgoingMail.attempts + 1)
        )
        if result.rowcount == 1:
            claimed.append(mail_id)
    db.session.commit()
    return claimed


def _due_ids(moment: datetime, only_ids: Sequence[int] | None, batch_size: int) -> list[int]:
    due = (
        select(OutgoingMail.id)
        .where(OutgoingMail.status == MailStatus.pending, OutgoingMail.next_attempt_at <= moment)
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        .limit(batch_size)
    )
    if only_ids is not None:
        due = due.where(OutgoingMail.id.in_(list(only_ids)))
    return list(db.session.scalars(due))


def _send_batch(config: Mapping, claimed: list[int], moment: datetime) -> DeliveryReport:
    messages = db.session.scalars(select(OutgoingMail).where(OutgoingMail.id.in_(claimed))
                                  .order_by(OutgoingMail.id)).all()
    report = DeliveryReport()
    done: set[int] = set()
    try:
        with mail.transport(config) as deliver:
            for message in messages:
                try:
                    deliver(mail.build_message(config, to=message.to_address, subject=message.subject,
                                               body=message.body))
                except smtplib.SMTPServerDisconnected:
                    raise  # the connection is gone: every message left fails the same way
                except (OSError, smtplib.SMTPException) as exc:
                    report += _failed(message, exc, moment)  # this message refused, e.g. its address
                else:
                    message.status, message.sent_at, message.last_error = MailStatus.sent, utcnow(), None
                    report += DeliveryReport(sent=1)
                done.add(message.id)
    except (OSError, smtplib.SMTPException) as exc:
        # Could not connect, STARTTLS or sign in, or the connection dropped: the rest of the batch
        # is retried later, each with this error.
        log.warning("mail server: %s", _text(exc))
        for message in messages:
            if message.id not in done:
                report += _failed(message, exc, moment)
    db.session.commit()
    return report


def _text(exc: BaseException) -> str:
    return (f"{type(exc).__name__}: {exc}")[:ERROR_LIMIT]


def _failed(message: OutgoingMail, exc: BaseException, moment: datetime) -> DeliveryReport:
    message.last_error = _text(exc)
    if message.attempts >= MAX_ATTEMPTS:
        message.status = MailStatus.failed
        log.error("mail %s to %s failed %s times, giving up: %s", message.id, message.to_address,
                  message.attempts, message.last_error)
        return DeliveryReport(gave_up=1)
    message.next_attempt_at = moment + retry_delay(message.attempts)
    return DeliveryReport(retrying=1)


def undelivered(limit: int = 200) -> list[OutgoingMail]:
    """Failed then pending messages, oldest first within each, for the admin page."""
    return list(db.session.scalars(
        select(OutgoingMail)
        .where(OutgoingMail.status.in_([MailStatus.failed, MailStatus.pending]))
        .order_by(OutgoingMail.status, OutgoingMail.created_at, OutgoingMail.id)
        .limit(limit)
    ))


def retry(message: OutgoingMail, *, now: datetime | None = None) -> None:
    """Put a message back in the queue to be sent at the next run, with a fresh set of attempts.
    The caller commits."""
    message.status = MailStatus.pending
    message.attempts = 0
    message.next_attempt_at = now or utcnow()
