"""On a 390 px phone: finishing a module offers the next module (Continue, Take a break, the time
left), and the pass that completes the course links the certificate (Download PDF, Email it to
me). axe-core on each page, and no page wider than the screen at 390 px or 320 px."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_learner_journey import ATTEMPT_RE, COURSE_SLUG, _answer, _course_modules

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits(page) -> None:
    """No horizontal scroll at 390 px, nor at 320 px; back to 390 px after."""
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            f"{page.url} is wider than a {width} px screen")
    page.set_viewport_size(PHONE)


def _fresh_learner(app) -> str:
    """A new member of police staff who has started nothing (the demo's own staff all have a
    history now), with the demo password."""
    from modules.accounts.models import Agency, Role, User
    from modules.accounts.passwords import hash_password
    from modules.core.extensions import db
    from modules.demo.data import DEMO_PASSWORD

    with app.app_context():
        police = db.session.scalar(db.select(Agency).where(Agency.name == "Northshire Police"))
        number = db.session.scalar(db.select(db.func.count()).select_from(User))
        user = User(email=f"next-steps-{number}@example.org", name=f"Jordan Vale {number}", agency=police,
                    job_title="Police constable", training_level=1, password_hash=hash_password(DEMO_PASSWORD))
        user.set_roles({Role.learner})
        db.session.add(user)
        db.session.commit()
        email = user.email
        db.session.remove()
    return email


def _every_module_but_the_assessment(app, email: str) -> None:
    """Through the services, as the pages do: the course started and every module before the
    final assessment done (read, with the good choice at each decision point)."""
    from modules.accounts.models import User
    from modules.content.models import Course, ModuleKind
    from modules.core.extensions import db
    from modules.core.models import utcnow
    from modules.learning import completion, progress

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        course = db.session.scalar(db.select(Course).where(Course.slug == COURSE_SLUG))
        start = utcnow() - timedelta(hours=2)
        enrolment = progress.start_course(user, course, now=start).enrolment
        db.session.commit()
        for mv in enrolment.course_version.module_versions:
            if mv.kind is ModuleKind.quiz and mv.assessment:
                continue
            if mv.kind is ModuleKind.quiz:
                from modules.learning import quizzes
                from tests.learning.conftest import answer_for

                attempt = quizzes.start_attempt(enrolment, mv, now=start)
                for question in quizzes.attempt_questions(attempt):
                    quizzes.save_answer(attempt, question, answer_for(question), now=start)
                result = quizzes.submit_attempt(attempt, now=start)
                completion.after_module_activity(result.attempt.progress, now=start)
            else:
                progress.load_module_content(mv)
                run = progress.working_run(enrolment, mv, create=True, now=start)
                for dp in mv.decision_points:
                    good = next(o for o in dp.options if o["correct"])
                    progress.choose_option(run, dp, good["key"], now=start)
                for number in range(1, progress.section_count(mv) + 1):
                    progress.record_visit(run, number, now=start)
                completion.after_module_activity(run, now=start)
            db.session.commit()
        db.session.remove()


def test_finishing_a_module_on_a_phone_offers_the_next_module(page, axe, live_server):
    app = live_server["app"]
    _, modules = _course_modules(app)
    first, second = modules[0], modules[1]
    page.set_viewport_size(PHONE)
    sign_in(page, _fresh_learner(app))
    page.goto(f"/my-training/courses/{COURSE_SLUG}")
    expect(page.locator(".sl-time-left")).to_contain_text(re.compile(r"^About .+ in all\.$"))
    _fits(page)
    page.get_by_role("button", name="Start this course").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Continue to the module").click()
    page.wait_for_load_state()

    # The progress indicator: words and a bar, on a phone.
    expect(page.locator(".sl-progress__text")).to_contain_text(re.compile(r"Section 1 of \d+"))
    expect(page.locator(".sl-progress__step--current")).to_have_count(1)
    axe.assert_clean(page, "phone-section-1")
    _fits(page)
    while True:
        button = page.get_by_role("button", name=re.compile("^(Continue|Finish this module)$"))
        finishing = button.inner_text().strip() == "Finish this module"
        button.click()
        page.wait_for_load_state()
        if finishing:
            break

    assert page.url.endswith(f"/modules/{first['slug']}/complete")
    expect(page.locator(".govuk-panel")).to_contain_text(f"You have completed {first['title']}")
    step = page.locator(".sl-next-step")
    expect(step.locator("h2")).to_have_text(f"Next: {second['title']}")
    expect(step).to_contain_text(re.compile(r"about \d+ minutes"))
    expect(step.locator(".sl-time-left")).to_contain_text(re.compile(r"About .+ left of .+ for this course"))
    expect(step.get_by_role("button", name="Take a break")).to_have_attribute("href", "/my-training")
    axe.assert_clean(page, "phone-module-complete")
    _fits(page)

    # Continue goes straight into the next module (its content note is on this page), never
    # to the course overview.
    step.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_load_state()
    assert re.search(rf"/modules/{second['slug']}/sections/1$", page.url), page.url
    expect(page.locator(".sl-progress__text")).to_contain_text("Section 1 of")


def test_the_pass_that_completes_the_course_links_the_certificate_on_a_phone(page, axe, live_server):
    app = live_server["app"]
    email = _fresh_learner(app)
    _every_module_but_the_assessment(app, email)
    page.set_viewport_size(PHONE)
    sign_in(page, email)
    page.goto(f"/my-training/courses/{COURSE_SLUG}/modules/final-assessment/quiz")
    page.get_by_role("button", name=re.compile("Start the quiz")).click()
    page.wait_for_load_state()
    while (match := ATTEMPT_RE.search(page.url)) is not None:
        qtype, answer, _ = _answer(app, int(match.group(1)), int(match.group(2)), right=True)
        if qtype == "rewrite":
            page.locator("textarea#answer").fill(answer)
        else:
            for key in answer if isinstance(answer, list) else [answer]:
                page.locator(f"input[name=answer][value='{key}']").check()
        page.locator("main form button.govuk-button").click()
        page.wait_for_load_state()
    # The pass completes the course, and the tests render its certificate in the request: on a
    # busy machine that takes longer than a click's usual wait.
    page.get_by_role("button", name="Submit answers").click(no_wait_after=True)
    page.wait_for_url(re.compile(r".*/results$"), timeout=60_000)

    assert "You passed" in page.locator("h1").inner_text()
    box = page.locator(".sl-certificate-ready")
    expect(box.locator("h2")).to_have_text("Your certificate is ready")
    download = box.get_by_role("button", name="Download PDF")
    href = download.get_attribute("href")
    assert re.fullmatch(r"/certificates/\d+/pdf", href)
    axe.assert_clean(page, "phone-results-certificate")
    _fits(page)
    pdf = page.request.get(href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    box.get_by_role("button", name="Email it to me").click()
    page.wait_for_load_state()
    assert page.url.endswith("/my-certificates")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("We have emailed your certificate")
