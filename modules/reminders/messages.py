"""The words of each reminder and digest. Plain text, links to the course or the report, and
nothing about any child or case: these are training reminders, and mail can be read by others."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, has_request_context, render_template, url_for

from modules.core.templating import uk_date
from modules.reminders.candidates import OVERDUE, CourseDue, ManagerDigest, Person
from modules.reports.status import PeopleFilter

# People named under each heading of a digest; the rest are counted and the report lists them.
DIGEST_LIST_LENGTH = 10


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


@contextmanager
def link_context() -> Iterator[None]:
    """Somewhere ``url_for`` works: the current request, or (from the command line) a test request
    context; links are made absolute with SIGHTLINE_BASE_URL, never the request's own host."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context():
        yield


def absolute_url(endpoint: str, **values) -> str:
    return current_app.config["SIGHTLINE_BASE_URL"] + url_for(endpoint, **values)


def _wording(course: CourseDue, *, whose: str = "your") -> str:
    """How a course's state reads in a mail: to the learner ("your refresher") or, in a
    manager's digest, about them (``whose="their"``)."""
    day = uk_date(course.due_on)
    return {
        "due_soon": f"due by {day}",
        "expiring": f"{whose} refresher is due by {day}",
        "overdue": f"was due by {day} and is now overdue",
        "expired": f"{whose} last completion counted until {day}: the refresher is overdue",
    }[course.status]


def learner_reminder(person: Person, courses: list[CourseDue]) -> Message:
    """One learner's reminder about ``courses`` (those not reminded before for their due date)."""
    overdue = [c for c in courses if c.status in OVERDUE]
    due_soon = [c for c in courses if c.status not in OVERDUE]
    groups = [
        {"heading": heading, "courses": [
            {"course": c, "wording": _wording(c), "link": absolute_url("learning.course", course_slug=c.course_slug)}
            for c in items
        ]}
        for heading, items in (("Overdue", overdue), ("Due soon", due_soon)) if items
    ]
    subject = "Your safeguarding training is overdue" if overdue else "Your safeguarding training is due soon"
    body = render_template("reminders/email/reminder.txt", person=person, groups=groups,
                           my_training=absolute_url("learning.my_training"))
    return Message(person.email, subject, body)


def digest(digest: ManagerDigest) -> Message:
    """A manager's weekly summary of their agency's staff with training overdue or due soon."""
    sections = []
    for heading, people, people_filter in (
        (f"Overdue: {_count(digest.overdue)}", digest.overdue, PeopleFilter.overdue_or_expired),
        (f"Due soon: {_count(digest.due_soon)}", digest.due_soon, PeopleFilter.due_soon_or_expiring),
    ):
        if not people:
            continue
        status_filter = people_filter.name
        sections.append({
            "heading": heading,
            "lines": [
                f"{p.name}: " + ", ".join(f"{c.course_name} ({_wording(c, whose='their')})" for c in p.courses)
                for p in people[:DIGEST_LIST_LENGTH]
            ],
            "more": max(0, len(people) - DIGEST_LIST_LENGTH),
            "link": absolute_url("reports.people", agency=digest.agency_id, status=status_filter),
        })
    subject = (f"Training summary for {digest.agency_name}: {len(digest.overdue)} overdue, "
               f"{len(digest.due_soon)} due soon")
    body = render_template("reminders/email/digest.txt", digest=digest, sections=sections)
    return Message(digest.manager.email, subject, body)


def _count(people) -> str:
    return f"{len(people)} {'person' if len(people) == 1 else 'people'}"
