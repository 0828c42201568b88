"""The figures shown before a certificate is revoked (registered with the certificates area, see
:mod:`modules.certificates.effects`): the person's state for the course today and their agency's
compliance figure, by the dashboard's own rule, and whether withdrawing the completion changes
either. Read-only: nothing is withdrawn to find out.
"""
from __future__ import annotations

from sqlalchemy import select

from modules.certificates.effects import FigureChange
from modules.certificates.models import Certificate
from modules.core.dates import uk_today
from modules.core.extensions import db
from modules.core.settings import setting
from modules.learning.models import Completion
from modules.reports import queries
from modules.reports.periods import reporting_year_of
from modules.reports.services import dashboard
from modules.reports.status import COVERED, ReportStatus


def revocation_figures(certificate: Certificate) -> FigureChange:
    person = certificate.user
    today = uk_today()
    scope = queries.ReportScope(
        agency_ids=frozenset({person.agency_id}), period=reporting_year_of(today), today=today,
        course_id=certificate.course_id,
        expiring_days=setting("SIGHTLINE_REFRESHER_WINDOW_DAYS"), due_soon_days=setting("SIGHTLINE_DUE_SOON_DAYS"),
    )
    row = next((r for r in dashboard(scope).rows
                if r.agency_id == person.agency_id and r.course_id == certificate.course_id), None)
    rows = queries.person_course_rows(scope)
    mine = db.session.execute(
        select(rows.c.status, rows.c.completion_id)
        .where(rows.c.user_id == person.id, rows.c.course_id == certificate.course_id)
    ).first()
    covered_now = mine is not None and ReportStatus[mine.status] in COVERED
    covered_after, earlier_until = covered_now, None
    if covered_now and mine.completion_id == certificate.completion_id:
        # The latest completion goes: the one before it (if any) decides.
        earlier = db.session.scalar(
            select(Completion.expires_on)
            .where(Completion.user_id == person.id, Completion.course_id == certificate.course_id,
                   Completion.withdrawn_at.is_(None), Completion.id != certificate.completion_id)
            .order_by(Completion.completed_at.desc(), Completion.id.desc())
            .limit(1)
        )
        covered_after = earlier is not None and earlier >= scope.as_at
        earlier_until = earlier if covered_after else None
    return FigureChange(
        person=person.name, agency=person.agency.name, course_title=certificate.course_title,
        counted=mine is not None, covered_now=covered_now, covered_after=covered_after,
        earlier_until=earlier_until,
        covered=row.counts.covered if row else 0, in_scope=row.counts.in_scope if row else 0,
    )
