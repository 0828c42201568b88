"""A partnership admin adds a support line on the settings page, previews it, saves it, and a
learner's module page shows it in the support box. At phone width, with axe-core on each page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.crawl import _OVERFLOW_JS, PHONE

pytestmark = pytest.mark.browser

LINE = "Northshire Staff Wellbeing"
LEARNER = "settings-learner@example.org"
PASSWORD = "lantern kettle harbour saffron"


@pytest.fixture
def learner(live_server):
    """A learner of this test's own, so that starting a course changes no other test's account."""
    from modules.accounts.models import Agency, Role, User
    from modules.accounts.passwords import hash_password
    from modules.core.extensions import db

    with live_server["app"].app_context():
        if db.session.scalar(db.select(User).where(User.email == LEARNER)) is None:
            agency = db.session.scalar(db.select(Agency).where(Agency.name == "Northshire Police"))
            user = User(email=LEARNER, name="Robin Vale", agency=agency, job_title="Police constable",
                        training_level=1, password_hash=hash_password(PASSWORD))
            user.set_roles({Role.learner})
            db.session.add(user)
            db.session.commit()
    return LEARNER


def _check(page, axe, name):
    axe.assert_clean(page, f"settings_{name}")
    assert page.evaluate(_OVERFLOW_JS) == [], f"{name} is wider than a 390 px screen"


@pytest.fixture
def restore_settings(live_server):
    """The live server is shared by the whole session: leave the support lines as they were."""
    yield
    from modules.core import partnership_settings
    from modules.core.extensions import db

    with live_server["app"].app_context():
        partnership_settings.reset("support_lines", actor=None)
        db.session.commit()


def test_an_admin_previews_and_saves_a_support_line_that_learners_then_see(browser, live_server, axe, learner,
                                                                            restore_settings):
    admin = browser.new_context(base_url=live_server["url"], viewport=PHONE)
    page = admin.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "admin@example.org")
    page.goto("/admin")
    page.get_by_role("link", name="Partnership settings").click()
    expect(page.get_by_role("heading", name="Partnership settings")).to_be_visible()
    _check(page, axe, "page")

    new_line = page.locator("fieldset", has_text="New support line").first
    new_line.get_by_label("Name").fill(LINE)
    new_line.get_by_label("Who it is for").fill("for staff of every agency, day or night")
    new_line.get_by_label("Telephone").fill("0114 273 4855")
    page.locator("#support-preview").click()
    preview = page.locator(".sl-settings-preview").first
    expect(preview).to_contain_text(LINE)
    expect(page.get_by_text("Not saved yet")).to_be_visible()
    _check(page, axe, "preview")

    page.locator("#support-save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Support lines shown to learners: saved")
    expect(page.locator(".sl-settings-preview").first).to_contain_text(LINE)
    _check(page, axe, "saved")

    # A wrong number is refused with the error summary, and nothing changes.
    page.locator("fieldset", has_text="New support line").first.get_by_label("Name").fill("Nowhere line")
    page.locator("fieldset", has_text="New support line").first.get_by_label("Telephone").fill("12345")
    page.locator("#support-save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a telephone number that exists")
    _check(page, axe, "errors")
    admin.close()

    learner_context = browser.new_context(base_url=live_server["url"], viewport=PHONE)
    page = learner_context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, learner, PASSWORD)
    page.goto("/my-training/courses/cse-level-1")
    page.get_by_role("button", name="Start this course").click()
    page.wait_for_load_state()
    page.goto("/my-training/courses/cse-level-1/modules/what-is-cse")
    support = page.locator(".sl-support")
    expect(support).to_contain_text(LINE)
    expect(support.get_by_role("link", name="0114 273 4855")).to_have_attribute("href", "tel:+441142734855")
    assert "Nowhere line" not in support.inner_text()
    learner_context.close()
