""""Send a reminder to these N people": a manager's reminder to the people of a filtered report list.

The people come from the report's own rows for the filters the list was shown with (so the same
agency scope: a manager only ever reaches their own agency), each with the courses the list shows
for them. People Sightline may not mail (see :func:`settings.why_not_mailed`) are listed as not
sent to, with the reason. The sender gets a copy naming who was reminded; the sending is audited.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from sqlalchemy import select

from modules.accounts.models import User
from modules.content.models import Course, CourseVersion
from modules.core import audit
from modules.core.extensions import db
from modules.notifications.queue import enqueue
from modules.reminders.messages import absolute_url
from modules.reminders.settings import why_not_mailed
from modules.reports.queries import ReportScope, people_filter_condition, person_course_rows
from modules.reports.status import ReportStatus

# A reminder to more people than this is a mailing, not a nudge: the page asks for narrower filters.
MAX_RECIPIENTS = 500


class TooManyPeople(Exception):
    """The list has more than MAX_RECIPIENTS people."""


@dataclass(frozen=True)
class CourseLine:
    name: str
    status: str
    link: str


@dataclass(frozen=True)
class Recipient:
    user: User
    courses: tuple[CourseLine, ...]


@dataclass(frozen=True)
class ListReminder:
    recipients: tuple[Recipient, ...]
    not_sent: tuple[tuple[User, str], ...]  # (person, why not)


def plan(scope: ReportScope, sender: User) -> ListReminder:
    """Who a reminder from ``sender`` to the list for ``scope`` would go to, and who it could not
    (the sender is sent a copy rather than a reminder).

    :raise TooManyPeople: more than MAX_RECIPIENTS people in the list.
    """
    rows = person_course_rows(scope)
    pairs = db.session.execute(
        select(rows.c.user_id, rows.c.course_id, rows.c.status).where(people_filter_condition(rows, scope))
    ).all()
    by_user: dict[int, list] = defaultdict(list)
    for pair in pairs:
        by_user[pair.user_id].append(pair)
    if len(by_user) > MAX_RECIPIENTS:
        raise TooManyPeople
    users = db.session.scalars(select(User).where(User.id.in_(list(by_user))).order_by(User.name, User.id)).all()
    courses = {row.id: row for row in db.session.execute(
        select(Course.id, Course.slug, CourseVersion.code, CourseVersion.title)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .where(Course.id.in_({p.course_id for p in pairs}))
    )}
    recipients, not_sent = [], []
    for user in users:
        reason = "is you: you will be sent a copy" if user.id == sender.id else why_not_mailed(user)
        if reason:
            not_sent.append((user, reason))
            continue
        lines = tuple(
            CourseLine(f"{courses[p.course_id].code} {courses[p.course_id].title}", _status_words(p.status),
                       absolute_url("learning.course", course_slug=courses[p.course_id].slug))
            for p in sorted(by_user[user.id], key=lambda p: courses[p.course_id].code)
        )
        recipients.append(Recipient(user, lines))
    return ListReminder(tuple(recipients), tuple(not_sent))


def _status_words(status: str) -> str:
    if status in ReportStatus.__members__:
        return ReportStatus[status].label.lower()
    return status.replace("_", " ")


def send(sender: User, reminder: ListReminder, *, agency_id: int | None, query: str,
         now: datetime) -> list[int]:
    """Queue the reminder to each recipient and the sender's copy; audit it. The caller commits.

    :return: the queued mail ids, to deliver once committed.
    """
    queued = [
        enqueue(to=r.user.email, subject="Reminder: your safeguarding training", category="manual reminder",
                now=now, body=render_template("reminders/email/manual.txt", person=r.user, sender=sender,
                                              courses=r.courses, my_training=absolute_url("learning.my_training")))
        for r in reminder.recipients
    ]
    names = [r.user.name for r in reminder.recipients]
    queued.append(enqueue(
        to=sender.email, subject=f"Copy: your reminder to {len(names)} {'person' if len(names) == 1 else 'people'}",
        category="manual reminder copy", now=now,
        body=render_template("reminders/email/manual_copy.txt", sender=sender, count=len(names), names=names),
    ))
    audit.record("reminders.sent_to_list", actor=sender, agency_id=agency_id, people=len(names),
                 user_ids=[r.user.id for r in reminder.recipients], query=query[:500])
    db.session.flush()
    return [message.id for message in queued]
