"""Decision points with the keyboard alone (a poor first choice, the best option said plainly,
another option opened), what to look again at after a failed assessment, and a practice attempt
after the pass. axe-core on every page, and no page wider than a 390 px or 320 px phone.

The learner's earlier modules are done through the services (as the pages would do them): the
journey tests already click through those; here only the pages under test are driven.
"""
from __future__ import annotations

import random
import re

import pytest

from tests.browser.conftest import sign_in
from tests.browser.crawl import _OVERFLOW_JS
from tests.browser.html_validation import validate_html

pytestmark = pytest.mark.browser

COURSE = "cse-level-1"


def _fresh_learner(app) -> str:
    """A demo member of staff with nothing started, enrolled on Level 1 (the last such one, so
    the journey tests, which take the first, are left theirs)."""
    from modules.accounts.models import User
    from modules.content.models import Course
    from modules.core.extensions import db
    from modules.learning import progress
    from modules.learning.models import Enrolment

    with app.app_context():
        started = db.select(Enrolment.user_id)
        user = db.session.scalar(
            db.select(User).where(User.email.like("staff%"), User.id.not_in(started)).order_by(User.id.desc())
        )
        course = db.session.scalar(db.select(Course).where(Course.slug == COURSE))
        progress.start_course(user, course)
        db.session.commit()
        email = user.email
        db.session.remove()
    return email


def _as_learner(app, email: str, work):
    from modules.accounts.models import User
    from modules.content.models import Course
    from modules.core.extensions import db
    from modules.learning import progress

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        course = db.session.scalar(db.select(Course).where(Course.slug == COURSE))
        enrolment = progress.latest_enrolment(user.id, course.id)
        result = work(enrolment)
        db.session.commit()
        db.session.remove()
    return result


def _do_modules(enrolment):
    """Every module but the final assessment, as the pages do them (quizzes passed)."""
    from modules.content.models import ModuleKind
    from modules.learning import completion, progress

    for mv in enrolment.course_version.module_versions:
        if mv.assessment:
            continue
        if mv.kind is ModuleKind.quiz:
            _quiz(enrolment, mv, right=True)
            continue
        run = progress.working_run(enrolment, mv, create=True)
        for dp in mv.decision_points:
            if progress.choice_for(run, dp) is None:
                progress.choose_option(run, dp, next(o["key"] for o in dp.options if o["correct"]))
        for n in range(1, progress.section_count(mv) + 1):
            progress.record_visit(run, n)
        completion.after_module_activity(run)
    return None


def _quiz(enrolment, mv, *, right: bool) -> int:
    from modules.learning import quizzes

    attempt = quizzes.start_attempt(enrolment, mv, rng=random.Random(3))
    for question in quizzes.attempt_questions(attempt):
        data = question.data
        if right:
            answer = question.question_type.example_answer(data)
        elif "sentence_text" in data:
            answer = data["sentence_text"]
        else:
            wrong = [o["key"] for o in data["options"] if not o["correct"]]
            answer = wrong[:1] if question.question_type.many else wrong[0]
        quizzes.save_answer(attempt, question, answer)
    quizzes.submit_and_record(attempt)
    return attempt.id


def _fits(page, name: str) -> None:
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate(_OVERFLOW_JS) == [], f"{name} at {width}px"
    page.set_viewport_size({"width": 1200, "height": 900})


def _valid(page, pages: dict[str, str], tmp_path) -> None:
    """The pages' HTML as the server sent it (fetched again with the page's cookies) is valid."""
    html = {name: page.request.get(url).text() for name, url in pages.items()}
    assert validate_html(html, tmp_path) == {}


def _tab_to(page, predicate_js: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"):
            return
    raise AssertionError(f"could not reach an element matching {predicate_js} with Tab")


def _press(page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def _first_decision(app):
    from modules.content.models import Course
    from modules.core.extensions import db

    with app.app_context():
        version = db.session.scalar(db.select(Course).where(Course.slug == COURSE)).current_version
        for mv in version.module_versions:
            for dp in mv.decision_points:
                number = next(i for i, s in enumerate(mv.sections, 1) if s.anchor == dp.section_anchor)
                found = (mv.slug, number, dp.key, [(o["key"], o["correct"]) for o in dp.options])
                db.session.remove()
                return found
    raise AssertionError("no decision point in the bundled course")


def test_a_decision_point_with_the_keyboard_alone(page, axe, live_server, tmp_path):
    app = live_server["app"]
    email = _fresh_learner(app)
    slug, number, key, options = _first_decision(app)
    poor = next(i for i, (_, good) in enumerate(options) if not good)
    sign_in(page, email)
    page.goto(f"/my-training/courses/{COURSE}/modules/{slug}/sections/{number}")

    # Tab to the options (the first radio), arrow to a poor one, then confirm with Space.
    _tab_to(page, f"el.name === 'option' && el.id.startsWith('decision-{key}')")
    for _ in range(poor):
        page.keyboard.press("ArrowDown")
    if not page.evaluate("document.activeElement.checked"):
        page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.value") == options[poor][0]
    _tab_to(page, "el.textContent.trim() === 'Confirm my choice'")
    _press(page, "Space")
    assert page.url.endswith(f"#decision-{key}")
    block = page.locator(f"#decision-{key}")
    text = block.inner_text()
    assert "Not the best option" in text and "Think again" not in text
    assert "The best option was" in text and "Practice point: why it was best" in text
    axe.assert_clean(page, "decision-poor-choice")
    _fits(page, "decision-poor-choice")

    # Open another option's consequence: a button per option, reached by Tab, pressed by Enter.
    others = block.locator(".sl-decision__other form")
    if others.count():
        opened = others.first.locator("input[name=option]").get_attribute("value")
        _tab_to(page, "el.textContent.trim().startsWith('See what would have happened')")
        _press(page)
        assert page.url.endswith(f"#decision-{key}-{opened}")
        target = page.locator(f"#decision-{key}-{opened}")
        assert "What would have happened" in target.inner_text()
        assert target.locator("form").count() == 0
        # The page scrolled to it, and Tab carries on from it (it is the focus starting point).
        assert page.evaluate(f"document.getElementById('decision-{key}-{opened}').getBoundingClientRect().top") < 900
        axe.assert_clean(page, "decision-option-opened")

        def kept(enrolment):
            from modules.core.extensions import db
            from modules.learning.models import DecisionChoice, ModuleProgress

            return db.session.execute(
                db.select(DecisionChoice.option_key, DecisionChoice.explored)
                .join(ModuleProgress).where(ModuleProgress.user_id == enrolment.user_id)
            ).one()

        assert tuple(_as_learner(app, email, kept)) == (options[poor][0], [opened])
    _valid(page, {"decision": page.url.split("#")[0]}, tmp_path)


def test_a_failed_assessment_names_what_to_look_again_at_and_practice_follows_a_pass(
        page, axe, live_server, tmp_path):
    app = live_server["app"]
    email = _fresh_learner(app)
    _as_learner(app, email, _do_modules)

    def final(enrolment):
        return next(mv for mv in enrolment.course_version.module_versions if mv.assessment)

    failed = _as_learner(app, email, lambda e: _quiz(e, final(e), right=False))
    sign_in(page, email)
    page.goto(f"/my-training/attempts/{failed}/results")
    look_again = page.locator("#look-again")
    assert "Look again at" in look_again.inner_text()
    links = look_again.locator("a.govuk-link:not([href^='#'])")
    assert links.count() >= 2  # the missed questions come from several modules
    assert re.search(r"\(questions? \d", look_again.inner_text())
    axe.assert_clean(page, "results-look-again")
    _fits(page, "results-look-again")
    heading = look_again.locator("a.govuk-link[href*='/sections/']").last
    href = heading.get_attribute("href")
    title = heading.inner_text()
    heading.click()
    page.wait_for_load_state()
    assert page.url.endswith(href)  # the page of the module that has the heading, at the heading
    if "#" in href:
        assert page.locator(f"#{href.split('#')[1]}").is_visible()
    else:
        assert page.locator("h1").inner_text() == title

    _as_learner(app, email, lambda e: _quiz(e, final(e), right=True))
    page.goto(f"/my-training/courses/{COURSE}/modules/{final_slug(app)}/quiz")
    axe.assert_clean(page, "quiz-after-pass")
    page.get_by_role("button", name="Practise again").click()
    page.wait_for_load_state()
    match = re.search(r"/attempts/(\d+)/questions/1$", page.url)
    assert match, page.url
    assert "(practice)" in page.locator(".govuk-caption-l").inner_text()
    axe.assert_clean(page, "practice-question")

    attempt_id = int(match.group(1))

    def answer_all(enrolment):
        from modules.core.extensions import db
        from modules.learning import quizzes
        from modules.learning.models import QuizAttempt

        attempt = db.session.get(QuizAttempt, attempt_id)
        for question in quizzes.attempt_questions(attempt):
            quizzes.save_answer(attempt, question, question.question_type.example_answer(question.data))

    _as_learner(app, email, answer_all)
    page.goto(f"/my-training/attempts/{match.group(1)}/check")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r".*/results$"))
    assert "Practice: this does not change your record" in page.locator("main").inner_text()
    assert page.locator("h1").inner_text().startswith("Practice result")
    axe.assert_clean(page, "practice-results")
    _fits(page, "practice-results")
    _valid(page, {
        "look-again": f"/my-training/attempts/{failed}/results",
        "practice-results": page.url,
        "quiz-after-practice": f"/my-training/courses/{COURSE}/modules/{final_slug(app)}/quiz",
    }, tmp_path)


def final_slug(app) -> str:
    from modules.content.models import Course
    from modules.core.extensions import db

    with app.app_context():
        version = db.session.scalar(db.select(Course).where(Course.slug == COURSE)).current_version
        slug = next(mv.slug for mv in version.module_versions if mv.assessment)
        db.session.remove()
    return slug
