"""The learner's own tables (learner record, quiz attempts) stack into cards on a phone like
content tables: each cell labelled with its column heading, the table's ARIA roles kept."""
from __future__ import annotations

import re

from modules.accounts.models import AgencyKind
from modules.learning import progress
from modules.learning.requirements import set_requirement

LABELS = re.compile(r'role="(?:cell|rowheader)" data-label="([^"]*)"')


def test_the_learner_record_and_the_quiz_attempts_stack_into_labelled_cards(client, sign_in, learner, course_a, db, do):
    for kind in AgencyKind:
        set_requirement(course_a.course, kind)
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    for mv in course_a.module_versions[:3]:
        do.module(enrolment, mv)
    do.quiz(enrolment, course_a.module_versions[3])
    sign_in(learner)
    page = client.get("/my-training/record").get_data(as_text=True)
    assert 'class="govuk-table sl-record sl-table--stack" role="table"' in page
    assert LABELS.findall(page) == ["Course", "Completed", "Valid until", "Score", "Status", "Certificate"]
    assert "sl-scroll-hint--stacked" in page  # the hint to scroll is hidden where the cards are
    page = client.get("/my-training/courses/course-a/modules/assessment/quiz").get_data(as_text=True)
    assert LABELS.findall(page) == ["Attempt", "Submitted", "Score", "Result"]
