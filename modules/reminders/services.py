"""``flask reminders send``: claim, queue, deliver. Safe to run every minute, and twice at once.

1. :func:`candidates` chooses who is at a threshold today.
2. For each learner, each course's reminder is *claimed* by inserting its ``reminder_log`` row
   (user, course, kind, due date) with ON CONFLICT DO NOTHING; only the courses this run claimed
   go in the mail, which is queued in ``outgoing_mail`` in the same transaction. Two runs at once
   both try: the database's unique constraint lets one insert each row (PostgreSQL makes the
   second wait for the first's commit, SQLite lets one writer in at a time), so nothing is
   queued twice, and a crash before the commit leaves neither the claim nor the mail. The same
   for digests, once per manager and ISO week, from Monday 8am UK time.
3. Each batch of :data:`BATCH_SIZE` people is its own transaction, so a large partnership never
   holds one long transaction and a failure loses at most one batch's claims (with their mail).
4. :func:`modules.notifications.queue.deliver_pending` sends what is queued and retries what failed.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from modules.core.database import insert_ignoring_duplicates
from modules.core.dates import UK, uk_date_of
from modules.core.extensions import db
from modules.core.models import utcnow
from modules.notifications.queue import DeliveryReport, deliver_pending, enqueue
from modules.reminders import messages
from modules.reminders.candidates import candidates
from modules.reminders.models import DigestLog, ReminderLog

BATCH_SIZE = 500
# Digests go out with the first run of the week from this time on Monday (UK), not at midnight.
DIGEST_FROM = time(8, 0)


@dataclass(frozen=True)
class RunReport:
    reminders: int
    digests: int
    delivery: DeliveryReport

    def summary(self) -> str:
        """One line for cron's log, e.g. "12 reminders, 2 digests queued; 14 sent; 0 failed"."""
        line = (f"{self.reminders} reminder{'s' if self.reminders != 1 else ''}, {self.digests} "
                f"digest{'s' if self.digests != 1 else ''} queued; {self.delivery.sent} sent; "
                f"{self.delivery.failed} failed")
        if self.delivery.failed:
            line += (f" ({self.delivery.retrying} will be retried, {self.delivery.gave_up} gave up: "
                     "see /admin/mail)")
        return line


def send(config: Mapping, *, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> RunReport:
    """Queue today's reminders and this week's digests, then deliver everything pending."""
    moment = now or utcnow()
    with messages.link_context():
        reminders, digests = queue(config, now=moment, batch_size=batch_size)
    return RunReport(reminders, digests, deliver_pending(config, now=moment))


def queue(config: Mapping, *, now: datetime, batch_size: int = BATCH_SIZE) -> tuple[int, int]:
    """Claim and queue; commits each batch. :return: (learner reminders, digests) queued."""
    today = uk_date_of(now)
    found = candidates(
        today,
        due_soon_days=int(config["SIGHTLINE_DUE_SOON_DAYS"]),
        refresher_window_days=int(config["SIGHTLINE_REFRESHER_WINDOW_DAYS"]),
    )
    reminders = 0
    for batch in _batches(found.reminders, batch_size):
        for person in batch:
            fresh = [
                course for course in person.courses
                if insert_ignoring_duplicates(ReminderLog, user_id=person.user_id, course_id=course.course_id,
                                              kind=course.kind, due_on=course.due_on, created_at=now)
            ]
            if fresh:
                _enqueue(messages.learner_reminder(person, fresh), "reminder", now)
                reminders += 1
        db.session.commit()
    digests = 0
    if digest_due(now):
        week = iso_week(now)
        for batch in _batches(found.digests, batch_size):
            for digest in batch:
                if insert_ignoring_duplicates(DigestLog, manager_id=digest.manager.user_id, iso_week=week,
                                              created_at=now):
                    _enqueue(messages.digest(digest), "digest", now)
                    digests += 1
            db.session.commit()
    return reminders, digests


def _enqueue(message: messages.Message, category: str, now: datetime) -> None:
    enqueue(to=message.to, subject=message.subject, body=message.body, category=category, now=now)


def digest_due(now: datetime) -> bool:
    """Whether this week's digests may go: from Monday 8am UK time on (any later run that week
    sends them if that one did not happen)."""
    local = now.astimezone(UK)
    monday = local.date() - timedelta(days=local.weekday())
    return local >= datetime.combine(monday, DIGEST_FROM, tzinfo=UK)


def iso_week(now: datetime) -> str:
    year, week, _ = uk_date_of(now).isocalendar()
    return f"{year}-W{week:02d}"


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
