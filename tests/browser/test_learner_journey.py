"""The learner journey in Chromium: each bundled course end to end (the Level 1 course, then the
taxi driver and night-time economy courses, each by a new learner), then a large part of Level 1
with the keyboard alone. axe-core checks every page on the way.

Quiz answers are worked out from the stored question data of the attempt on screen (its id is
in the URL), never hard-coded, so the test keeps working when trainers change the questions.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

COURSE_SLUG = "cse-level-1"
ATTEMPT_RE = re.compile(r"/my-training/attempts/(\d+)/questions/(\d+)")
REFLECTION = "Helen trusted what she saw together, not each sign alone."
# The documents the browser loads from sign-in to the pass that are not content (a section, its
# summary, a decision confirmed, a quiz question, checking answers, results): sign-in, My
# training, the course page, content notes, module-complete pages, quiz start pages, the test's
# detours (a break, a look back at a reflection, a failed first attempt). Content grows with the
# course; this is the navigation a learner pays for on top, and should not grow faster than one
# page and a bit per module.
CONTENT_PAGE_RE = re.compile(r"/sections/\d+(/summary)?(#.*)?$|/attempts/\d+/(questions/\d+|check|results)")
NAVIGATION_BUDGET_PER_MODULE = 1
NAVIGATION_BUDGET_FIXED = 8
COURSES = {
    "cse-level-1": ("learner@example.org", None),
    "cse-taxi-drivers": ("journey-driver@example.org", "licensing"),
    "cse-night-time-economy": ("journey-hotel@example.org", "other"),
}


# Reading the live server's database ----------------------------------------------------------

def _course_modules(app, slug: str = COURSE_SLUG) -> tuple[str, list[dict]]:
    """The course title and its modules in order (slug, kind, title, decision option keys)."""
    from modules.content.models import Course
    from modules.core.extensions import db

    with app.app_context():
        course = db.session.scalar(db.select(Course).where(Course.slug == slug))
        version = course.current_version
        modules = [
            {
                "slug": mv.slug,
                "kind": mv.kind.name,
                "title": mv.title,
                "content_note": bool(mv.content_note),
                "assessment": mv.assessment,
                "decisions": {d.key: [(o["key"], o["correct"]) for o in d.options] for d in mv.decision_points},
            }
            for mv in version.module_versions
        ]
        title = version.title
        db.session.remove()
    return title, modules


def _answer(app, attempt_id: int, number: int, *, right: bool) -> tuple[str, object, list[str]]:
    """(question type, answer, option keys in page order) for question ``number`` of an attempt;
    the answer is checked with Question.mark() first."""
    from modules.core.extensions import db
    from modules.learning.models import QuizAttempt

    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        question = next(q for q in attempt.module_version.questions if q.id == attempt.question_ids[number - 1])
        data = question.data
        if question.type == "rewrite":
            # The author's model answer (checked to be marked right at import) or the sentence as it
            # is (always marked wrong).
            answer = data["model_text"] if right else data["sentence_text"]
        else:
            correct = [o["key"] for o in data["options"] if o["correct"]]
            wrong = [o["key"] for o in data["options"] if not o["correct"]]
            if question.type == "multiple":
                answer = correct if right else wrong[:1]
            else:
                answer = correct[0] if right else wrong[0]
        assert question.mark(answer).correct is right, (question.key, answer)
        options = [o["key"] for o in data.get("options", [])]
        db.session.remove()
    return question.type, answer, options


# The journey with a mouse ---------------------------------------------------------------------

def _take_quiz(page, axe, app, *, right: bool, name: str) -> None:
    """From a quiz's first question page: answer everything, check, submit."""
    while True:
        match = ATTEMPT_RE.search(page.url)
        if match is None:
            break
        attempt_id, number = int(match.group(1)), int(match.group(2))
        qtype, answer, _ = _answer(app, attempt_id, number, right=right)
        axe.assert_clean(page, f"{name}-question-{number}")
        if qtype == "rewrite":
            page.locator("textarea#answer").fill(answer)
        else:
            for key in answer if isinstance(answer, list) else [answer]:
                page.locator(f"input[name=answer][value='{key}']").check()
        page.locator("main form button.govuk-button").click()
        page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Check your answers before you submit"
    assert page.get_by_role("link", name=re.compile("^Change")).count() >= 1
    axe.assert_clean(page, f"{name}-check-answers")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r".*/results$"))
    axe.assert_clean(page, f"{name}-results")


def _work_through_module(page, axe, app, module: dict, state: dict, course_slug: str = COURSE_SLUG) -> None:
    """From a module's first page (its content note, unless the page before showed it) to its
    module-complete page."""
    if page.locator("h1").inner_text() == "Before you start":
        axe.assert_clean(page, f"{module['slug']}-content-note")
        page.get_by_role("button", name="Continue to the module").click()
    while True:
        page.wait_for_load_state()
        progress = page.locator(".sl-progress").inner_text()
        number = int(re.search(r"Section (\d+) of (\d+)", progress).group(1))
        axe.assert_clean(page, f"{module['slug']}-section-{number}")
        skip = page.get_by_role("link", name="Skip this part and read a summary")
        if skip.count() and not state.get("skipped"):
            # Once in each course: the hardest part skipped, its summary read instead.
            skip.click()
            page.wait_for_load_state()
            assert page.locator("h1").inner_text().startswith("Summary: ")
            axe.assert_clean(page, f"{module['slug']}-summary-{number}")
            state["skipped"] = True
            page.get_by_role("button", name=re.compile("^(Continue|Finish this module)$")).click()
            page.wait_for_load_state()
            if page.url.endswith("/complete"):
                break
            continue
        for key, options in module["decisions"].items():
            form = page.locator(f"#decision-{key} form")
            if form.count():
                # The first decision the learner meets gets a poor choice, to see its consequence.
                if not state.get("poor_choice_made"):
                    pick = next(k for k, good in options if not good)
                    state["poor_choice_made"] = True
                else:
                    pick = next(k for k, good in options if good)
                form.locator(f"input[value='{pick}']").check()
                form.get_by_role("button", name="Confirm my choice").click()
                page.wait_for_load_state()
                result = page.locator(f"#decision-{key}")
                assert "Your choice" in result.inner_text() and "Practice point" in result.inner_text()
                axe.assert_clean(page, f"{module['slug']}-decision-{key}")
        if not state.get("reflected") and page.locator(".sl-reflection textarea").count():
            # Typed, then the green Continue rather than "Save my reflection" (the obvious tap on
            # a phone): the text is kept, and is there on going back.
            page.locator(".sl-reflection textarea").first.fill(REFLECTION)
            page.get_by_role("button", name=re.compile("^(Continue|Finish this module)$")).click()
            page.wait_for_load_state()
            expect(page.locator(".govuk-notification-banner")).to_contain_text(
                "Your reflection is saved. Only you can see it.")
            page.locator(".govuk-pagination__prev a").click()
            page.wait_for_load_state()
            expect(page.locator(".sl-reflection textarea").first).to_have_value(REFLECTION)
            assert "Saved. Only you can see it." in page.locator(".sl-reflection").first.inner_text()
            axe.assert_clean(page, f"{module['slug']}-reflection-saved")
            state["reflected"] = True
        if module["kind"] == "case_study" and number == 3 and not state.get("had_a_break"):
            page.get_by_role("button", name="Take a break").click()
            page.wait_for_url(re.compile(r".*/my-training$"))
            assert "is saved" in page.locator(".govuk-notification-banner").inner_text()
            axe.assert_clean(page, "my-training-after-a-break")
            page.get_by_role("button", name=re.compile("^Continue where you left off")).click()
            page.wait_for_load_state()
            assert f"Section {number} of" in page.locator(".sl-progress").inner_text()
            state["had_a_break"] = True
        button = page.get_by_role("button", name=re.compile("^(Continue|Finish this module)$"))
        finishing = button.inner_text().strip() == "Finish this module"
        button.click()
        page.wait_for_load_state()
        if finishing:
            break
    assert page.url.endswith(f"/my-training/courses/{course_slug}/modules/{module['slug']}/complete")
    assert "You have completed " + module["title"] in page.locator(".govuk-panel").inner_text()


def _demo_password_for(app, email: str) -> None:
    """The demo password, whatever an earlier test on the shared server did to it (the password
    reset test changes it and puts it back only when it passes)."""
    from modules.accounts.models import User
    from modules.accounts.passwords import hash_password
    from modules.core.extensions import db
    from modules.demo.data import DEMO_PASSWORD

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        user.password_hash = hash_password(DEMO_PASSWORD)
        db.session.commit()
        db.session.remove()


def _journey_learner(app, email: str, kind: str | None) -> None:
    """``learner@example.org`` for Level 1; for the other courses a new learner of an agency of
    ``kind``, so that nothing done in an earlier journey is already done."""
    from modules.accounts.models import Agency, AgencyKind, Role, User
    from modules.accounts.passwords import hash_password
    from modules.core.extensions import db
    from modules.demo.data import DEMO_PASSWORD

    if kind is None:
        _demo_password_for(app, email)
        return
    with app.app_context():
        if db.session.scalar(db.select(User).where(User.email == email)) is None:
            agency = db.session.scalar(db.select(Agency).where(Agency.kind == AgencyKind[kind]))
            user = User(email=email, name="Journey Learner", agency=agency, job_title="Staff",
                        training_level=1, password_hash=hash_password(DEMO_PASSWORD), active=True)
            user.set_roles({Role.learner})
            db.session.add(user)
            db.session.commit()
        db.session.remove()


def _run_course(page, axe, app, course_slug: str, email: str) -> tuple[str, list[str], int]:
    """Sign in, start the course and work through every module to the pass: the title, every
    document loaded and how many modules there were."""
    title, modules = _course_modules(app, course_slug)
    # Every document the browser loads (a redirect is part of the load it ends in).
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    sign_in(page, email)
    assert page.url.endswith("/my-training")
    if course_slug == COURSE_SLUG:
        assert title in page.locator(".govuk-task-list").first.inner_text()
        assert "Not started" in page.locator(".govuk-task-list").first.inner_text()
        axe.assert_clean(page, "my-training")
        page.get_by_role("link", name=title).click()
    else:
        page.goto(f"/my-training/courses/{course_slug}")
    assert page.locator("h1").inner_text() == title
    axe.assert_clean(page, f"course-page-{course_slug}")
    page.get_by_role("button", name="Start this course").click()
    page.wait_for_load_state()

    state: dict = {}
    for index, module in enumerate(modules):
        if index:
            # The page that ended the module before (module complete, or quiz results) leads
            # straight into this one, with its content note when it has one.
            step = page.locator(".sl-next-step")
            expect(step.locator("h2")).to_have_text(f"Next: {module['title']}")
            if module["content_note"] and module["kind"] != "quiz":
                expect(step).to_contain_text("Content note:")
            expect(step.get_by_role("button", name="Take a break")).to_have_attribute("href", "/my-training")
            step.get_by_role("button", name="Continue", exact=True).click()
            page.wait_for_load_state()
        if module["kind"] != "quiz":
            _work_through_module(page, axe, app, module, state, course_slug)
            axe.assert_clean(page, f"complete-{module['slug']}")
            continue
        # Quizzes: the quiz page (with its content note), then attempts.
        assert page.locator("h1").inner_text() == module["title"]
        axe.assert_clean(page, f"{module['slug']}-quiz-page")
        page.get_by_role("button", name=re.compile("Start the quiz")).click()
        page.wait_for_load_state()
        if module["assessment"]:
            if course_slug == COURSE_SLUG:
                _take_quiz(page, axe, app, right=False, name="final-attempt-1")
                assert page.locator("h1").inner_text() == "You did not pass this time"
                assert page.get_by_text("Incorrect", exact=True).count() >= 1
                page.get_by_role("button", name="Try again with new questions").click()
                page.wait_for_load_state()
            _take_quiz(page, axe, app, right=True, name=f"{module['slug']}-pass")
            assert "You passed" in page.locator("h1").inner_text()
            assert "You have completed" in page.content()
            box = page.locator(".sl-certificate-ready")
            expect(box.locator("h2")).to_have_text("Your certificate is ready")
            expect(box.get_by_role("button", name="Download PDF")).to_have_attribute(
                "href", re.compile(r"^/certificates/\d+/pdf$"))
            expect(box.get_by_role("button", name="Email it to me")).to_be_visible()
        else:
            _take_quiz(page, axe, app, right=True, name=module["slug"])
            assert "You passed" in page.locator("h1").inner_text()
    assert state.get("poor_choice_made") and state.get("skipped"), state
    if course_slug == COURSE_SLUG:
        assert state == {"poor_choice_made": True, "reflected": True, "had_a_break": True, "skipped": True}
    return title, loads, len(modules)


def _navigation(loads: list[str], modules: int) -> list[str]:
    navigation = [url for url in loads if not CONTENT_PAGE_RE.search(url)]
    budget = NAVIGATION_BUDGET_FIXED + NAVIGATION_BUDGET_PER_MODULE * modules
    print(f"{len(loads)} page loads, {len(navigation)} of them navigation (budget {budget}) for {modules} modules")
    assert len(navigation) <= budget, "\n".join(navigation)
    return navigation


@pytest.mark.parametrize("course_slug", ["cse-taxi-drivers", "cse-night-time-economy"])
def test_the_other_bundled_courses_end_to_end(page, axe, live_server, course_slug):
    app = live_server["app"]
    email, kind = COURSES[course_slug]
    _journey_learner(app, email, kind)
    _title, loads, modules = _run_course(page, axe, app, course_slug, email)
    _navigation(loads, modules)


def test_the_level_1_course_end_to_end(page, axe, live_server):
    app = live_server["app"]
    email, kind = COURSES[COURSE_SLUG]
    _journey_learner(app, email, kind)
    title, loads, modules = _run_course(page, axe, app, COURSE_SLUG, email)
    _navigation(loads, modules)

    # My training now shows the course completed, with the date it is valid until.
    from modules.core.dates import add_months, uk_today
    from modules.core.templating import uk_date

    expires = uk_date(add_months(uk_today(), 36))
    page.get_by_role("link", name="My training", exact=True).first.click()
    row = page.locator(".govuk-task-list__item").filter(has_text=title)
    assert "Completed" in row.inner_text() and f"Valid until {expires}" in row.inner_text()
    axe.assert_clean(page, "my-training-completed")

    page.get_by_role("link", name="See every course you have completed").click()
    assert title in page.locator("table").inner_text() and expires in page.locator("table").inner_text()
    axe.assert_clean(page, "learner-record")

    # The handbook's search and print view.
    page.goto(f"/my-training/courses/{COURSE_SLUG}/modules/practice-handbook/search?q=record")
    assert "found for" in page.locator("h2").first.inner_text()
    axe.assert_clean(page, "handbook-search")
    page.goto(f"/my-training/courses/{COURSE_SLUG}/modules/practice-handbook/print")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    axe.assert_clean(page, "handbook-print")


# The keyboard alone ---------------------------------------------------------------------------

def _tab_to(page, predicate_js: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"):
            return
    raise AssertionError(f"could not reach an element matching {predicate_js} with Tab")


def _press(page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def _text_is(text: str) -> str:
    return f"el.textContent.trim() === {text!r}"


def _keyboard_learner(app) -> str:
    """A new learner who has not started anything (every demo member of staff has a history)."""
    email = "journey-keyboard@example.org"
    _journey_learner(app, email, "housing")
    return email


def _answer_by_keyboard(page, qtype: str, answer, options: list[str]) -> None:
    if qtype == "rewrite":
        _tab_to(page, "el.id === 'answer'")
        page.keyboard.press("Control+A")
        page.keyboard.type(answer)
    elif qtype == "multiple":
        for key in options:
            _tab_to(page, f"el.value === {key!r}")
            checked = page.evaluate("document.activeElement.checked")
            if checked != (key in answer):
                page.keyboard.press("Space")
    else:
        # Tab reaches the radio group (its checked radio, or the first); arrows move and select.
        _tab_to(page, "el.type === 'radio'")
        current = options.index(page.evaluate("document.activeElement.value"))
        target = options.index(answer)
        if not page.evaluate("document.activeElement.checked") and current == target:
            page.keyboard.press("Space")
        for _ in range(abs(target - current)):
            page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
        assert page.evaluate("document.activeElement.checked && document.activeElement.value") == answer


def test_a_module_a_decision_and_a_quiz_with_the_keyboard_alone(page, live_server):
    app = live_server["app"]
    title, modules = _course_modules(app)
    email = _keyboard_learner(app)

    page.goto("/sign-in")
    _tab_to(page, "el.id === 'email'")
    page.keyboard.type(email)
    _tab_to(page, "el.id === 'password'")
    page.keyboard.type("sightline-demo")
    _press(page)
    assert page.url.endswith("/my-training")

    # My training -> the course -> Start.
    _tab_to(page, _text_is(title) + " && el.tagName === 'A'")
    _press(page)
    _tab_to(page, _text_is("Start this course"))
    _press(page)

    # The first module: its content note, then every section with Continue.
    first = modules[0]
    assert page.locator("h1").inner_text() == "Before you start"
    _tab_to(page, _text_is("Continue to the module"))
    _press(page)
    while True:
        _tab_to(page, "el.tagName === 'BUTTON' && ['Continue', 'Finish this module'].includes(el.textContent.trim())")
        finishing = page.evaluate("document.activeElement.textContent.trim()") == "Finish this module"
        _press(page, "Space" if finishing else "Enter")
        if finishing:
            break
    assert "You have completed " + first["title"] in page.locator(".govuk-panel").inner_text()
    assert page.locator(".sl-next-step h2").inner_text() == f"Next: {modules[1]['title']}"

    # A case study, from the course page: content note, then on to its first decision point,
    # answered with arrows.
    _tab_to(page, _text_is(title) + " && el.closest('.govuk-breadcrumbs') !== null")
    _press(page)
    assert first["title"] in page.locator(".govuk-task-list").inner_text()
    case = next(m for m in modules if m["decisions"])
    _tab_to(page, _text_is(case["title"]) + " && el.tagName === 'A'")
    _press(page)
    _tab_to(page, _text_is("Continue to the module"))
    _press(page)
    key, options = next(iter(case["decisions"].items()))
    while not page.locator(f"#decision-{key} form").count():
        _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Continue'")
        _press(page)
    _tab_to(page, f"el.name === 'option' && el.id.startsWith('decision-{key}')")
    page.keyboard.press("ArrowDown")  # moves to, and selects, the second option
    chosen = page.evaluate("document.activeElement.value")
    assert chosen == options[1][0]
    _tab_to(page, _text_is("Confirm my choice"))
    _press(page, "Space")
    result = page.locator(f"#decision-{key}").inner_text()
    assert "Your choice" in result and "Practice point" in result

    # Back to the course by the breadcrumb, then the language quiz: answer, review, change, submit.
    _tab_to(page, _text_is(title) + " && el.closest('.govuk-breadcrumbs') !== null")
    _press(page)
    quiz = next(m for m in modules if m["kind"] == "quiz")
    _tab_to(page, _text_is(quiz["title"]) + " && el.tagName === 'A'")
    _press(page)
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Start the quiz'")
    _press(page)
    while (match := ATTEMPT_RE.search(page.url)) is not None:
        attempt_id, number = int(match.group(1)), int(match.group(2))
        qtype, answer, options = _answer(app, attempt_id, number, right=True)
        _answer_by_keyboard(page, qtype, answer, options)
        _tab_to(page, "el.tagName === 'BUTTON' && ['Continue', 'Check your answers'].includes(el.textContent.trim())")
        _press(page)
    assert page.locator("h1").inner_text() == "Check your answers before you submit"
    # Change the first answer (to the same right answer) and come back to the check page.
    _tab_to(page, "el.tagName === 'A' && el.textContent.trim().startsWith('Change')")
    _press(page)
    match = ATTEMPT_RE.search(page.url)
    qtype, answer, options = _answer(app, int(match.group(1)), int(match.group(2)), right=True)
    _answer_by_keyboard(page, qtype, answer, options)
    _tab_to(page, _text_is("Save and go back to your answers"))
    _press(page)
    assert page.url.endswith("/check")
    _tab_to(page, _text_is("Submit answers"))
    _press(page)
    assert "You passed" in page.locator("h1").inner_text()
