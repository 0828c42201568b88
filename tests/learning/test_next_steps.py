"""Where a learner goes after finishing something: the module-complete page (next module, time
left, or the course completed with its certificate), the next step on a passed quiz's results,
the shared modules already done before Start, and the progress indicator inside a module."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from modules.accounts.models import AgencyKind
from modules.certificates.models import Certificate
from modules.learning import progress
from modules.learning.next_steps import next_module
from modules.learning.progress import ModuleState
from modules.learning.requirements import set_requirement
from tests.learning.factories import make_course_version, make_module_version, standard_modules
from tests.sql_statements import recorded_statements

BASE = "/my-training/courses/course-a"


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def required(db, course_a):
    for kind in AgencyKind:
        set_requirement(course_a.course, kind)
    db.session.commit()
    return course_a


def _finish(client, slug: str, sections: int):
    """Continue through every section of a module, as the learner does; the last response."""
    response = None
    for number in range(1, sections + 1):
        response = client.post(f"{BASE}/modules/{slug}/sections/{number}")
    return response


def _start(client, sign_in, learner):
    sign_in(learner)
    client.post(f"{BASE}/start")


def test_finishing_a_middle_module_offers_the_next_one_and_the_time_left(client, sign_in, learner, required):
    _start(client, sign_in, learner)
    response = _finish(client, "lesson", 2)
    assert response.status_code == 302
    assert response.location.endswith(f"{BASE}/modules/lesson/complete")
    page = _text(client.get(response.location))
    assert "Module complete" in page and "You have completed Lesson" in page
    assert "Next: Case study" in page
    # Each test module is 10 minutes: three of the four are left.
    assert "About 30 minutes left of 40 minutes for this course." in page
    # The case study's content note is shown here, so Continue opens its first section.
    assert "Content note: This case study mentions sexual exploitation." in page
    continue_href = re.search(r'href="([^"]+)"[^>]*>Continue</a>', page).group(1)
    assert continue_href == f"{BASE}/modules/case-study?note=read"
    assert client.get(continue_href).location.endswith(f"{BASE}/modules/case-study/sections/1")
    assert re.search(r'href="/my-training"[^>]*>Take a break</a>', page)
    assert "Your certificate" not in page


def test_the_next_module_skips_what_is_done_and_goes_back_to_one_left_behind(
        client, sign_in, learner, required):
    _start(client, sign_in, learner)
    _finish(client, "lesson", 2)
    # The handbook before the case study: the assessment cannot start yet, so the case study
    # (before it in the course) is next.
    handbook = required.module_versions[2]
    page = _text(client.get(_finish(client, handbook.slug, len(handbook.sections)).location))
    assert "Next: Case study" in page
    assert "About 20 minutes left of 40 minutes" in page


def test_next_module_prefers_the_first_open_module_after_the_current_one(db, learner, required, do):
    enrolment = progress.start_course(learner, required.course).enrolment
    db.session.commit()
    do.module(enrolment, required.module_versions[1])  # the case study first
    entries = progress.module_entries(enrolment)
    assert next_module(entries, 2).module_version.slug == "handbook"
    assert next_module(entries, 3).module_version.slug == "lesson"  # the assessment cannot start yet


def test_the_last_module_before_the_assessment_leads_to_the_assessment(
        client, sign_in, learner, required, db, do):
    enrolment = progress.start_course(learner, required.course).enrolment
    db.session.commit()
    lesson, case, handbook, assessment = required.module_versions
    do.module(enrolment, lesson)
    do.module(enrolment, case)
    sign_in(learner)
    response = _finish(client, handbook.slug, len(handbook.sections))
    page = _text(client.get(response.location))
    assert "Next: Assessment" in page and "About 10 minutes left of 40 minutes" in page
    continue_href = re.search(r'href="([^"]+)"[^>]*>Continue</a>', page).group(1)
    assert continue_href == f"{BASE}/modules/{assessment.slug}"
    assert client.get(continue_href).location.endswith(f"/modules/{assessment.slug}/quiz")


@pytest.fixture
def two_module_course(db, learner):
    """A course with no assessment: a lesson and a handbook, so the module-complete page of the
    handbook is where the course completes."""
    modules = standard_modules("short-")
    version = make_course_version("short", [modules["lesson"], modules["handbook"]], code="SHORT-1")
    set_requirement(version.course, AgencyKind.housing)
    db.session.commit()
    return version


def test_the_module_that_completes_the_course_shows_the_certificate(
        client, sign_in, learner, two_module_course, db):
    sign_in(learner)
    base = "/my-training/courses/short"
    client.post(f"{base}/start")
    lesson, handbook = two_module_course.module_versions
    for number in range(1, len(lesson.sections) + 1):
        client.post(f"{base}/modules/{lesson.slug}/sections/{number}")
    page = _text(client.get(f"{base}/modules/{lesson.slug}/complete"))
    assert f"Next: {handbook.title}" in page and "Your certificate" not in page
    for number in range(1, len(handbook.sections) + 1):
        response = client.post(f"{base}/modules/{handbook.slug}/sections/{number}")
    assert response.location.endswith(f"{base}/modules/{handbook.slug}/complete")
    page = _text(client.get(response.location))
    assert "Course complete" in page and "You have completed Course short" in page
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == learner.id))
    assert "Your certificate is ready" in page and certificate.number in page
    assert re.search(rf'href="/certificates/{certificate.id}/pdf"[^>]*download>Download PDF</a>', page)
    box = page[page.index("sl-certificate-ready"):]
    form = re.search(r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrf_token"', box)
    assert form and form.group(1) == f"/certificates/{certificate.id}/email"
    assert "Email it to me" in page and "Next:" not in page
    # The form is the one the certificates area accepts: it sends the certificate.
    response = client.post(f"/certificates/{certificate.id}/email")
    assert response.status_code == 302 and response.location.endswith("/my-certificates")


def test_without_a_certificate_yet_the_page_says_where_it_will_be(
        client, sign_in, learner, two_module_course, db):
    sign_in(learner)
    base = "/my-training/courses/short"
    client.post(f"{base}/start")
    for mv in two_module_course.module_versions:
        for number in range(1, len(mv.sections) + 1):
            client.post(f"{base}/modules/{mv.slug}/sections/{number}")
    db.session.execute(delete(Certificate))
    db.session.commit()
    page = _text(client.get(f"{base}/modules/{two_module_course.module_versions[-1].slug}/complete"))
    assert "Course complete" in page and "Download PDF" not in page
    assert "Your certificate will be on" in page and 'href="/my-certificates"' in page


def test_the_page_for_a_module_not_completed_sends_the_learner_to_it_and_writes_nothing(
        client, sign_in, learner, required, db):
    _start(client, sign_in, learner)
    client.post(f"{BASE}/modules/lesson/sections/1")  # one section of two read
    from modules.core.extensions import db as database

    with recorded_statements(database.engine) as log:
        response = client.get(f"{BASE}/modules/lesson/complete")
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/modules/lesson")
    assert not log.writes_outside(frozenset())
    run = progress.working_run(progress.latest_enrolment(learner.id, required.course_id), required.module_versions[0])
    assert run.completed_at is None


def test_the_page_before_the_course_is_started_goes_to_the_course(client, sign_in, learner, required):
    sign_in(learner)
    response = client.get(f"{BASE}/modules/lesson/complete")
    assert response.status_code == 302 and response.location.endswith(BASE)


def test_a_passed_quiz_offers_the_next_module(client, sign_in, learner, db, do):
    modules = standard_modules("q-")
    practice = make_module_version(
        "q-practice", modules["quiz"].kind, sections=[("introduction", "Quiz", "<p class=\"govuk-body\">Q.</p>")],
        questions=[q for q in [_question(n) for n in range(2)]], title="Practice quiz",
    )
    version = make_course_version("quizzed", [practice, modules["lesson"], modules["quiz"]], code="QZ-1")
    set_requirement(version.course, AgencyKind.housing)
    db.session.commit()
    enrolment = progress.start_course(learner, version.course).enrolment
    db.session.commit()
    attempt, _ = do.quiz(enrolment, practice)
    sign_in(learner)
    page = _text(client.get(f"/my-training/attempts/{attempt.id}/results"))
    assert "You passed" in page
    assert f"Next: {modules['lesson'].title}" in page
    assert re.search(rf'href="/my-training/courses/quizzed/modules/{modules["lesson"].slug}"[^>]*>Continue</a>', page)
    assert "Your certificate" not in page


def _question(n: int) -> dict:
    from tests.learning.factories import choice_question

    return choice_question(f"q-practice-{n}", correct=0)


def test_the_pass_that_completes_the_course_shows_the_certificate(client, sign_in, learner, required, db, do):
    enrolment = progress.start_course(learner, required.course).enrolment
    db.session.commit()
    for mv in required.module_versions[:3]:
        do.module(enrolment, mv)
    attempt, created = do.quiz(enrolment, required.module_versions[3])
    assert created
    sign_in(learner)
    page = _text(client.get(f"/my-training/attempts/{attempt.id}/results"))
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == learner.id))
    assert "You have completed" in page and "Your certificate is ready" in page
    assert f'href="/certificates/{certificate.id}/pdf"' in page
    assert f'action="/certificates/{certificate.id}/email"' in page
    assert "Next:" not in page


def test_shared_modules_done_in_another_course_show_as_done_before_start(
        client, sign_in, learner, required, db, do):
    enrolment = progress.start_course(learner, required.course).enrolment
    db.session.commit()
    do.module(enrolment, required.module_versions[0])  # the lesson, shared with course-b
    other = make_course_version(
        "course-b", [required.module_versions[0], make_module_version("b-only", title="Only in B")], code="CRS-B")
    set_requirement(other.course, AgencyKind.housing)
    db.session.commit()
    sign_in(learner)
    page = _text(client.get("/my-training/courses/course-b"))
    assert "Start this course" in page
    assert "1 of 2 modules already count as completed" in page
    assert "About 10 minutes left of 20 minutes." in page
    items = re.findall(r'<li class="govuk-task-list__item.*?</li>', page, re.S)
    lesson_item = next(i for i in items if "Lesson" in i)
    assert "Completed" in lesson_item and "Completed in another course" not in lesson_item
    assert "Not started" in next(i for i in items if "Only in B" in i)
    # Before Start the modules cannot be opened, so no item is a link.
    assert "govuk-task-list__link" not in "".join(items)
    # The course page stays a page that only reads: the credit is given at Start.
    assert progress.latest_enrolment(learner.id, other.course_id) is None


def test_entries_before_start_leave_out_modules_done_before_the_refresher_period(db, learner, required, do):
    from datetime import UTC, datetime

    enrolment = progress.start_course(learner, required.course, now=datetime(2019, 1, 1, tzinfo=UTC)).enrolment
    db.session.commit()
    do.module(enrolment, required.module_versions[0], now=datetime(2019, 1, 2, tzinfo=UTC))
    other = make_course_version("course-b", [required.module_versions[0]], code="CRS-B")
    entries = progress.entries_before_start(learner.id, other.course)
    assert [e.state for e in entries] == [ModuleState.not_started]  # 36 months ago and more
    assert progress.entries_before_start(
        learner.id, other.course, now=datetime(2020, 1, 1, tzinfo=UTC))[0].state is ModuleState.completed


def test_a_section_shows_a_progress_bar_with_words(client, sign_in, learner, required):
    _start(client, sign_in, learner)
    client.post(f"{BASE}/modules/lesson/sections/1")
    page = _text(client.get(f"{BASE}/modules/lesson/sections/2"))
    progress_html = re.search(r'<div class="sl-progress">.*?</div>\s*</div>', page, re.S).group(0)
    assert "Section 2 of 2" in progress_html
    assert 'aria-hidden="true"' in progress_html
    steps = re.findall(r'<span class="(sl-progress__step[^"]*)"', progress_html)
    assert steps == ["sl-progress__step sl-progress__step--read", "sl-progress__step sl-progress__step--current"]


def _queries(client, url) -> int:
    from modules.core.extensions import db as database

    with recorded_statements(database.engine) as log:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(log.queries)


def test_the_pages_that_complete_a_course_stay_within_the_learner_query_budget(
        client, sign_in, learner, required, two_module_course, db, do):
    from tests.learning.test_query_budget import BUDGET

    enrolment = progress.start_course(learner, required.course).enrolment
    db.session.commit()
    for mv in required.module_versions[:3]:
        do.module(enrolment, mv)
    attempt, _ = do.quiz(enrolment, required.module_versions[3])
    short = progress.start_course(learner, two_module_course.course).enrolment
    db.session.commit()
    for mv in two_module_course.module_versions:
        do.module(short, mv)
    sign_in(learner)
    client.get("/my-training")  # warm what a running server has cached
    results = f"/my-training/attempts/{attempt.id}/results"
    complete = f"/my-training/courses/short/modules/{two_module_course.module_versions[-1].slug}/complete"
    assert "Your certificate is ready" in _text(client.get(results))
    assert "Your certificate is ready" in _text(client.get(complete))
    assert _queries(client, results) <= BUDGET
    assert _queries(client, complete) <= BUDGET
