"""The learner record: every completion a learner has, on screen and as a streamed CSV.

Certificates plug in through :func:`register_certificate_link`: the certificates area registers a
function ``(completion) -> (url, text) | None`` and the record shows that link in its
"Certificate" column (template block ``certificate_cell`` in templates/learning/record.html) and
the URL in the CSV.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from modules.core.extensions import db
from modules.core.tabular import Column, Kind, csv_chunks
from modules.learning.models import Completion
from modules.learning.status import CourseState, state_for_expiry

CertificateLink = Callable[[Completion], tuple[str, str] | None]
_EXTENSION_KEY = "sightline_certificate_link"


def register_certificate_link(app, provider: CertificateLink) -> None:
    """Let the certificates area say where a completion's certificate is (or None)."""
    app.extensions[_EXTENSION_KEY] = provider


def certificate_link(completion: Completion) -> tuple[str, str] | None:
    provider = current_app.extensions.get(_EXTENSION_KEY)
    return provider(completion) if provider else None


@dataclass(frozen=True)
class RecordRow:
    completion: Completion
    state: CourseState  # completed, due soon or expired on the day; never not started
    superseded: bool  # a later completion of the same course exists (and counts)

    @property
    def withdrawn(self) -> bool:
        return self.completion.is_withdrawn

    @property
    def status_label(self) -> str:
        if self.withdrawn:
            return "Withdrawn: does not count"
        if self.superseded:
            return "Superseded by a later completion"
        return self.state.label


def learner_record(user_id: int, *, today: date, window_days: int) -> list[RecordRow]:
    """Every completion of the learner, newest first. Older completions of a course stay listed
    (a refresher adds one; it never replaces one) and are marked as superseded. Withdrawn ones
    stay listed too, marked as such; they supersede nothing."""
    completions = db.session.scalars(
        select(Completion)
        .where(Completion.user_id == user_id)
        .options(selectinload(Completion.course_version))
        .order_by(Completion.completed_at.desc(), Completion.id.desc())
    ).all()
    seen: set[int] = set()
    rows = []
    for completion in completions:
        rows.append(RecordRow(
            completion=completion,
            state=state_for_expiry(completion.expires_on, today, window_days),
            superseded=completion.course_id in seen,
        ))
        if not completion.is_withdrawn:
            seen.add(completion.course_id)
    return rows


CSV_COLUMNS = (
    Column("Course code"),
    Column("Course"),
    Column("Course version", Kind.integer),
    Column("Content version"),
    Column("Completed on", Kind.date),
    Column("Expires on", Kind.date),
    Column("Score (%)", Kind.percent),
    Column("Status"),
    Column("CPD minutes", Kind.integer),
    Column("Certificate"),
)


def record_csv(rows: list[RecordRow]) -> Iterator[str]:
    """The record as CSV text in chunks (formula-like text neutralised by the writer)."""
    def values():
        for row in rows:
            completion, version = row.completion, row.completion.course_version
            link = certificate_link(completion)
            yield (
                version.code,
                version.title,
                version.number,
                version.content_hash[:12],
                completion.completed_on,
                completion.expires_on,
                completion.score,
                row.status_label,
                version.cpd_minutes,
                link[0] if link else "",
            )

    return csv_chunks(CSV_COLUMNS, values())
