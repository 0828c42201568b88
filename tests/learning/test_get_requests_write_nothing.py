"""No GET request writes: every GET route, requested by a learner part way through their
training (their course, module, attempt and certificate ids in the URL), sends no INSERT, UPDATE
or DELETE beyond the few exceptions listed in tests/authz_matrix.py.

A GET can be repeated, prefetched or replayed by a browser; whatever must happen when a learner
finishes something happens at the POST that finished it.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from modules.learning import progress, quizzes
from modules.learning.models import Completion, Enrolment
from tests.authz_matrix import GET_WRITES_ALLOWED
from tests.learning.factories import make_course_version
from tests.sql_statements import recorded_statements


def _get_urls(app, values: dict[str, str]) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(r"<(?:[^:<>]+:)?" + name + r">", values.get(name, "1"), url)
        urls.append((rule.endpoint, url))
    return sorted(set(urls))


@pytest.fixture
def learner_under_way(db, learner, course_a, do):
    """Three modules of course-a done, the assessment started; and a second course made only of
    modules already done, started but not completed (the state a GET used to "fix")."""
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    for mv in course_a.module_versions[:3]:
        do.module(enrolment, mv)
    attempt = quizzes.start_attempt(enrolment, course_a.module_versions[3])
    db.session.commit()
    already_done = make_course_version("already-done", course_a.module_versions[:2], code="DONE-1")
    progress.start_course(learner, already_done.course)  # the service alone: nothing completes it
    db.session.commit()
    return {"attempt": attempt, "already_done": already_done}


@pytest.mark.parametrize("course_slug", ["course-a", "already-done"])
def test_no_get_request_writes(app, db, client, sign_in, learner, learner_under_way, course_slug):
    values = {
        "course_slug": course_slug,
        "module_slug": "case-study",
        "slug": "case-study",
        "number": "2",
        "attempt_id": str(learner_under_way["attempt"].id),
        "user_id": str(learner.id),
        "person_id": str(learner.id),
        "agency_id": str(learner.agency_id),
    }
    sign_in(learner)
    completions = db.session.scalar(select(func.count(Completion.id)))
    answered, wrote = 0, []
    for endpoint, url in _get_urls(app, values):
        with recorded_statements(db.engine) as log:
            response = client.get(url)
        answered += response.status_code == 200
        if log.writes_outside(GET_WRITES_ALLOWED.get(endpoint, frozenset())):
            wrote.append(url)
    assert wrote == []
    assert answered > 10  # the learner's pages really were shown, not refused
    assert db.session.scalar(select(func.count(Completion.id))) == completions


def test_the_course_page_no_longer_completes_a_course(db, client, sign_in, learner, learner_under_way):
    sign_in(learner)
    assert client.get("/my-training/courses/already-done").status_code == 200
    enrolment = db.session.scalar(select(Enrolment).where(
        Enrolment.course_id == learner_under_way["already_done"].course_id))
    assert enrolment.completion is None
    # Starting the course (a POST) is where modules that already count complete it.
    client.post("/my-training/courses/already-done/start")
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).completion is not None
