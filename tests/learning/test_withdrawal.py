"""A withdrawn completion: the course has to be done again, in a new cycle, with fresh module runs."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from modules.accounts.models import Role
from modules.core.models import AuditEvent
from modules.learning import progress, status
from modules.learning.models import Completion
from modules.learning.progress import ModuleState
from modules.learning.withdrawal import withdraw_completion


@pytest.fixture
def completed(app, db, learner, course_a, do):
    app.config["SIGHTLINE_CERTIFICATE_RENDER_ON_ISSUE"] = False
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    for mv in course_a.module_versions[:3]:
        do.module(enrolment, mv)
    _, (completion,) = do.quiz(enrolment, course_a.module_versions[3])
    return completion


def test_after_a_withdrawal_the_course_is_taken_again_from_the_start(db, learner, course_a, completed, make_user):
    admin = make_user(roles=(Role.learner, Role.partnership_admin))
    assert status.course_status(learner, course_a.course, required=False).state.name == "completed"
    assert withdraw_completion(completed, actor=admin, reason="Issued in error") is True
    db.session.commit()

    state = status.course_status(learner, course_a.course, required=False)
    assert state.state.name == "not_started" and state.completion is None
    assert state.withdrawn.id == completed.id
    result = progress.start_course(learner, course_a.course)
    db.session.commit()
    assert result.created and result.after_withdrawal and result.enrolment.cycle == 2
    # The runs behind the withdrawn completion do not count again.
    assert [e.state for e in progress.module_entries(result.enrolment)] == \
        [ModuleState.not_started] * 3 + [ModuleState.cannot_start]


def test_a_completion_is_withdrawn_once(db, learner, completed, make_user):
    admin = make_user(roles=(Role.learner, Role.partnership_admin))
    assert withdraw_completion(completed, actor=admin, reason="first") is True
    assert withdraw_completion(completed, actor=admin, reason="second") is False
    db.session.commit()
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "completion.withdrawn")) == 1
    assert db.session.scalar(select(func.count(Completion.id))) == 1  # kept, never deleted


def test_an_old_results_page_no_longer_says_the_course_is_complete(db, client, sign_in, learner, completed):
    from modules.learning.models import QuizAttempt

    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.passed.is_(True)))
    sign_in(learner)
    assert "You have completed" in client.get(f"/my-training/attempts/{attempt.id}/results").get_data(as_text=True)
    withdraw_completion(completed, actor=learner, reason="test")
    db.session.commit()
    assert "You have completed" not in client.get(f"/my-training/attempts/{attempt.id}/results").get_data(as_text=True)
