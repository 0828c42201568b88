"""The authoring pages without JavaScript: a trainer opens a course, edits a module, saves, sees
its findings (each taking them to its line), fixes it and publishes with a change note. At tablet
width (768 px), with axe-core on every page. (Another test drives the editor with its script.)"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.browser.crawl import _OVERFLOW_JS

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1000}
FOLDER = "h1-no-script-course"
MODULE = f"{FOLDER}/01-h1-no-script-lesson.md"


def _create_course(live_server, tmp_path) -> None:
    """A course of our own (the live server is shared: the bundled courses stay as they are)."""
    from modules.content.checker import check_paths
    from modules.content.importer import import_checked
    from modules.core.extensions import db
    from tests.authoring.conftest import ROOT
    from tests.content.conftest import lesson, write_course

    write_course(tmp_path, FOLDER, {"01-h1-no-script-lesson.md": lesson(title="Reading the signs")},
                 code="H1-NOSCRIPT")
    with live_server["app"].app_context():
        result = check_paths([tmp_path], ROOT / "certificates")
        assert result.ok, [str(p) for p in result.errors]
        import_checked(result)
        db.session.remove()


def _check(page, checker, axe, name):
    """Width in the page itself; axe-core (which needs script) on the same HTML in ``checker``,
    a page of the same site with JavaScript on."""
    # (After a click the next document may still be replacing this one: measure the one loaded.)
    page.wait_for_load_state()
    assert page.evaluate(_OVERFLOW_JS) == [], f"{name} is wider than a 768 px screen"
    checker.set_content(page.content())
    axe.assert_clean(checker, f"authoring_{name}")


def test_a_trainer_edits_and_publishes_without_javascript(browser, live_server, axe, tmp_path):
    _create_course(live_server, tmp_path)
    context = browser.new_context(base_url=live_server["url"], viewport=TABLET, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "trainer@example.org")
    scripted = browser.new_context(base_url=live_server["url"], viewport=TABLET)
    checker = scripted.new_page()
    checker.set_default_timeout(10_000)
    checker.goto("/accessibility")  # same origin, so the copied pages' styles load

    page.goto("/trainer")
    page.get_by_role("link", name="change a course or its modules").click()
    _check(page, checker, axe, "home")
    page.get_by_role("link", name="A course", exact=True).first.click()
    expect(page.locator(f'tr[data-path="{MODULE}"]')).to_contain_text("Reading the signs")
    _check(page, checker, axe, "course")
    page.locator(f'tr[data-path="{MODULE}"]').get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit Reading the signs")).to_be_visible()
    expect(page.locator("#findings")).to_contain_text("No problems found")
    _check(page, checker, axe, "editor")

    source = page.locator("#source")
    published = source.input_value()
    broken = published.replace("minutes: 5", "minutes: five")
    assert broken != published
    source.fill(broken)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your draft has been saved")
    error = page.locator('.sl-findings__item[data-severity="error"]').first
    expect(error).to_contain_text("Error")
    line = error.get_attribute("data-line")
    _check(page, checker, axe, "editor_with_findings")
    error.get_by_role("link").click()
    assert page.url.endswith(f"#L{line}")
    target = page.locator(f"#L{line}")
    expect(target).to_be_visible()
    expect(target).to_contain_text("minutes: five")
    page.screenshot(path=str(ARTIFACTS / "authoring_editor_768.png"), full_page=False)

    page.locator("#source").fill(published.replace("Some text.", "Some text, and a little more."))
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#findings")).to_contain_text("No problems found")
    page.get_by_role("link", name="Publish the course's changes").click()
    expect(page.get_by_role("heading", name="Publish changes")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"Changed: {MODULE}")
    _check(page, checker, axe, "publish")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a change note")
    _check(page, checker, axe, "publish_errors")
    page.get_by_label("Change note").fill("Adds a sentence to the first lesson")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Published:")
    expect(page.locator(f'tr[data-path="{MODULE}"]')).to_contain_text("Version 2")
    _check(page, checker, axe, "course_after_publishing")
    scripted.close()
    context.close()
