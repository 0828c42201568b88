"""A learner's reflections are theirs alone: no manager or admin page shows them, and no learner
page shows another learner's data.

Rather than list today's manager and admin pages, the test requests every GET route the app has
(whoever wrote it), with the learner's ids filled into the URL, as the learner's manager and as a
partnership admin, and looks for the reflection's text in every response.
"""
from __future__ import annotations

import re

import pytest

from modules.accounts.models import Role
from modules.learning import progress, quizzes

SECRET = "PRIVATE-REFLECTION-7f3a: I am thinking about my own childhood."


@pytest.fixture
def learner_with_a_reflection(db, learner, course_a):
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    case = course_a.module_versions[1]
    run = progress.working_run(enrolment, case, create=True)
    progress.choose_option(run, case.decision_points[0], case.decision_points[0].options[0]["key"])
    progress.save_reflection(learner.id, case.reflections[0], SECRET)
    progress.record_visit(run, 1)
    db.session.commit()
    attempt = quizzes.start_attempt(enrolment, course_a.module_versions[3])
    db.session.commit()
    return {"enrolment": enrolment, "attempt": attempt}


def _urls(app, values: dict[str, str]) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(r"<(?:[^:<>]+:)?" + name + r">", values.get(name, "1"), url)
        urls.append(url)
    # Places a learner's own data is shown, with the learner's course, module and attempt.
    return sorted(set(urls))


@pytest.mark.parametrize("viewer_role", [Role.manager, Role.partnership_admin])
def test_no_manager_or_admin_page_shows_a_reflection(
    app, client, sign_in, make_user, learner, learner_with_a_reflection, viewer_role
):
    viewer = make_user(roles=(Role.learner, viewer_role), agency=learner.agency)
    values = {
        "agency_id": str(learner.agency_id),
        "user_id": str(learner.id),
        "person_id": str(learner.id),
        "course_slug": "course-a",
        "module_slug": "case-study",
        "slug": "case-study",
        "number": "2",
        "attempt_id": str(learner_with_a_reflection["attempt"].id),
    }
    urls = _urls(app, values)
    assert any(u.startswith("/people/") for u in urls) and any(u.startswith("/my-training/courses/") for u in urls)
    sign_in(viewer)
    looked_at = 0
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            looked_at += 1
        # Bytes: some routes answer with PDFs, spreadsheets or ZIP files.
        assert SECRET.encode() not in response.get_data(), f"{url} shows the learner's reflection"
    assert looked_at > 5
    # The viewer's own view of the case study (they are a learner too) does not show it either.
    assert client.get(f"/my-training/attempts/{learner_with_a_reflection['attempt'].id}/questions/1").status_code == 404


def test_the_learner_does_see_their_own_reflection(client, sign_in, learner, learner_with_a_reflection):
    sign_in(learner)
    page = client.get("/my-training/courses/course-a/modules/case-study/sections/2").get_data(as_text=True)
    assert SECRET.split(":")[0] in page


def test_another_learner_sees_an_empty_reflection(client, sign_in, make_user, learner, learner_with_a_reflection):
    colleague = make_user(roles=(Role.learner,), agency=learner.agency)
    sign_in(colleague)
    client.post("/my-training/courses/course-a/start")
    page = client.get("/my-training/courses/course-a/modules/case-study/sections/2").get_data(as_text=True)
    assert SECRET not in page and "Save my reflection" in page
