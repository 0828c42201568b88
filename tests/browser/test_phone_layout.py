"""Phones and 400% zoom (issue 15): the handbook's "Who to call" table and local contacts fit a
320 px and a 390 px screen with no sideways scrolling, as cards that screen readers still read
as a table; every number is a tel: link on one line; the support box names Samaritans, and
under a quiz question it is folded away so the question and its button come first."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

COURSE = "/my-training/courses/cse-level-1"
HANDBOOK = f"{COURSE}/modules/practice-handbook"
WHO_TO_CALL = {"tel:+448088005000", "tel:+448001111", "tel:116000", "tel:999", "tel:101", "tel:+448000280285",
               "tel:+44800555111"}

OVERFLOW_JS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Links that break across lines, or reach past the right edge of the screen.
BROKEN_TEL_JS = """() => [...document.querySelectorAll('main a[href^="tel:"]')]
  .filter(a => a.getClientRects().length > 1 || a.getBoundingClientRect().right > innerWidth)
  .map(a => a.textContent)"""


def _learner_with_the_course_started(app) -> str:
    """A demo member of staff with Level 1 started and nothing else done (from the end of the
    list, so the other browser tests' "not started yet" staff are left alone)."""
    from modules.accounts.models import User
    from modules.content.models import Course
    from modules.core.extensions import db
    from modules.learning import progress
    from modules.learning.models import Enrolment

    with app.app_context():
        user = db.session.scalar(
            db.select(User).where(User.email.like("staff%"), User.id.not_in(db.select(Enrolment.user_id)))
            .order_by(User.id.desc())
        )
        course = db.session.scalar(db.select(Course).where(Course.slug == "cse-level-1"))
        progress.start_course(user, course)
        db.session.commit()
        email = user.email
        db.session.remove()
    return email


@pytest.fixture
def phone(browser, live_server, request):
    width = request.param
    context = browser.new_context(base_url=live_server["url"], viewport={"width": width, "height": 800},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, _learner_with_the_course_started(live_server["app"]))
    yield page, width
    context.close()


def _fits(page, name: str) -> None:
    assert page.evaluate(OVERFLOW_JS) <= 0, f"{name} scrolls sideways"
    assert page.evaluate(BROKEN_TEL_JS) == [], f"{name}: telephone numbers break or run off"


@pytest.mark.parametrize("phone", [320, 390], indirect=True)
def test_who_to_call_is_cards_with_tel_links_and_the_support_box_names_samaritans(phone, axe):
    page, width = phone
    page.goto(f"{HANDBOOK}/sections/1")
    page.get_by_role("link", name="Who to call", exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Who to call"
    _fits(page, f"who-to-call-{width}")

    table = page.locator(".sl-content table")
    assert table.locator("thead").bounding_box()["height"] <= 1  # visually hidden, still read out
    assert table.locator("td").first.evaluate("cell => getComputedStyle(cell).display") == "block"
    first = table.locator("tbody td").first
    assert first.evaluate("cell => getComputedStyle(cell, '::before').content").startswith('"Who"')
    # Still a table to assistive technology: rows, cells and column headers.
    assert page.get_by_role("table").count() == 1
    assert page.get_by_role("columnheader").all_inner_texts() == ["Who", "For", "Contact"]
    expect(page.get_by_role("cell", name="Childline", exact=True)).to_be_visible()

    numbers = {link.get_attribute("href") for link in table.locator('a[href^="tel:"]').all()}
    assert numbers == WHO_TO_CALL
    expect(table.get_by_role("link", name="0808 800 5000")).to_be_visible()

    support = page.locator("aside.sl-support")
    expect(support.get_by_text("Samaritans")).to_be_visible()
    assert support.get_by_role("link", name="116 123").get_attribute("href") == "tel:116123"
    axe.assert_clean(page, f"phone-who-to-call-{width}")

    page.get_by_role("link", name="Local contacts", exact=True).first.click()
    page.wait_for_load_state()
    _fits(page, f"local-contacts-{width}")
    assert page.locator(".sl-local-contacts").get_by_role("link", name="999").get_attribute("href") == "tel:999"
    axe.assert_clean(page, f"phone-local-contacts-{width}")


@pytest.mark.parametrize("phone", [320, 390], indirect=True)
def test_under_a_quiz_question_the_support_box_is_folded_away(phone, axe):
    page, width = phone
    page.goto(f"{COURSE}/modules/language-matters/quiz")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/1")
    _fits(page, f"question-{width}")

    summary = page.locator("summary").get_by_text("Support if you need it", exact=True)
    expect(summary).to_be_visible()
    samaritans = page.locator("aside.sl-support").get_by_text("Samaritans")
    expect(samaritans).not_to_be_visible()
    button = page.locator("main form button.govuk-button")
    assert button.bounding_box()["y"] < summary.bounding_box()["y"]
    axe.assert_clean(page, f"phone-question-{width}")

    summary.click()
    expect(samaritans).to_be_visible()
    _fits(page, f"question-support-open-{width}")
    axe.assert_clean(page, f"phone-question-support-open-{width}")
