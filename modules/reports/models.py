"""The reports area's additions to the learning area's tables.

Manual records (:class:`~modules.learning.models.ManualCompletion`) and each person's latest
completion (:class:`~modules.learning.models.LatestCompletion`) belong with the completions, in
:mod:`modules.learning`. The dashboard reads the latest completions from that cache; reports
for a past date read the completions themselves.
"""
from __future__ import annotations

from sqlalchemy import Index, text

from modules.learning.models import Completion, Enrolment

# Indexes the reports need on the learning area's tables (created by the reports' migrations).
# The dashboard counts people who started a course but never completed it from each person's
# first cycle (cycle 1), and completions in a period by date. Only completions that still count
# (not withdrawn) are in the second index: every report query asks for exactly those, and a
# partial index keeps the index-only scan that a filter on a column outside it would lose.
Index(
    "ix_report_enrolments_first_cycle",
    Enrolment.user_id,
    Enrolment.course_id,
    Enrolment.started_at,
    sqlite_where=text("cycle = 1"),
    postgresql_where=text("cycle = 1"),
)
Index(
    "ix_report_completions_completed_on",
    Completion.completed_on,
    Completion.user_id,
    Completion.course_id,
    Completion.id,
    sqlite_where=text("withdrawn_at IS NULL"),
    postgresql_where=text("withdrawn_at IS NULL"),
)
