"""Issue 14's journey, in one go, as the demo trainer on a tablet (768 px): create a course and a
case study in the browser, type a real-looking name and a postcode, see both flagged at their
lines while typing, find that the course cannot be published, fix the text, publish with a
change note; the demo learner gets the new case study; then a second version, the history, the
diff between the two, and a restore of the first. axe-core on every page; no page scrolls
sideways; the browser reports no Content-Security-Policy violation (the editor's own styles
included).

The course is this test's own: the shared live server's bundled courses are never changed."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.crawl import _OVERFLOW_JS

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
FOLDER = "journey-late-bus"
MODULE_ID = "case-study-the-late-bus"
NAME_LINE = "Child A was seen with Jonathan Whitfield at the bus stop."
POSTCODE_LINE = "Worker B thought the flat was in Leeds LS6 2AB."
FIXED_LINE = "Child A waited at the bus stop in Town Y after school, three days running."
SECOND_LINE = "Child A waited at the bus station in Town Y after school, three days running."


def _fits(page, name: str) -> None:
    assert page.evaluate(_OVERFLOW_JS) == [], f"{name} scrolls sideways at 768 px"


def _editor_text(page) -> str:
    return page.locator("#source").input_value()  # the editor keeps the textarea in step


def _line_of(text: str, words: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), start=1) if words in line)


def _go_to_end_of_intro(page) -> None:
    """The cursor at the end of the starter's introduction (its last line before "## Part 1")."""
    lines = _editor_text(page).split("\n")
    intro_end = lines.index("## Part 1") - 2  # (a blank line comes between)
    page.locator(".cm-content .cm-line").nth(intro_end).click()
    for _ in range(4):  # End moves to the next wrap point, then to the end of the line
        page.keyboard.press("End")


def _finding(page, words: str):
    return page.locator("#findings .sl-findings__item", has_text=words)


def _publish(page, axe, note: str, name: str) -> None:
    page.goto(f"/authoring/courses/{FOLDER}/publish")
    axe.assert_clean(page, name)
    page.get_by_label("Change note").fill(note)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Published")


def test_a_trainer_writes_checks_publishes_and_restores_a_case_study(browser, live_server, axe):
    violations: list[str] = []
    trainer = browser.new_context(base_url=live_server["url"], viewport=TABLET)
    page = trainer.new_page()
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, "trainer@example.org")

    # A new course, then a case study in it, from the starters.
    page.goto("/authoring/")
    axe.assert_clean(page, "journey_authoring_home")
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Course title").fill("The late bus: a journey test course")
    page.get_by_label("Course folder name").fill(FOLDER)
    page.get_by_label("Course code").fill("JOURNEY-BUS")
    page.get_by_label("Level 1: awareness (all staff)").check()
    page.get_by_label("The refresher period in months").fill("36")
    page.get_by_label("The pass mark as a percentage").fill("80")
    page.get_by_label("The CPD time in minutes").fill("30")
    axe.assert_clean(page, "journey_new_course")
    page.get_by_role("button", name="Create course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The late bus: a journey test course")
    _fits(page, "the course page")
    page.get_by_role("link", name="New module").click()
    page.get_by_label("Case study").check()
    page.get_by_label("Module title").fill("Case study: the late bus")
    page.get_by_label("Module id").fill(MODULE_ID)
    axe.assert_clean(page, "journey_new_module")
    page.get_by_role("button", name="Create module").click()
    expect(page).to_have_url(re.compile(rf"/authoring/files/{FOLDER}/\d+-{MODULE_ID}\.md$"))
    editor_url = page.url

    # The editor: a real-looking name and a postcode, flagged at their lines while typing.
    expect(page.locator("#sl-live-status")).to_have_text("Checked: no problems found")
    box = page.locator(".cm-content").bounding_box()
    assert box and box["width"] > 400, "the editor is not laid out (are its styles blocked?)"
    _go_to_end_of_intro(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type(NAME_LINE)
    page.keyboard.press("Enter")
    page.keyboard.type(POSTCODE_LINE)
    expect(_finding(page, "LS6 2AB")).to_have_count(1)
    expect(_finding(page, "Jonathan Whitfield")).to_have_count(1)
    text = _editor_text(page)
    assert _finding(page, "Jonathan Whitfield").get_attribute("data-line") == str(_line_of(text, "Jonathan Whitfield"))
    assert _finding(page, "LS6 2AB").get_attribute("data-line") == str(_line_of(text, "LS6 2AB"))
    assert _finding(page, "LS6 2AB").get_attribute("data-severity") == "error"
    expect(page.locator(".cm-lintRange-error", has_text="LS6 2AB")).to_have_count(1)
    axe.assert_clean(page, "journey_editor_findings")
    _fits(page, "the editor")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")

    # A case study with personal data cannot be published: the errors are listed, no button.
    page.goto(f"/authoring/courses/{FOLDER}/publish")
    expect(page.locator("#errors")).to_contain_text("stop")
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("LS6 2AB")
    axe.assert_clean(page, "journey_publish_blocked")

    # Fixed in the editor (the two lines replaced), saved, published with a change note.
    page.goto(editor_url)  # the editor again, with the saved draft
    expect(page.locator("#sl-live-status")).to_have_text(re.compile(r"^Checked: [1-9]"))
    page.locator(".cm-content .cm-line", has_text="LS6 2AB").click()
    for _ in range(4):
        page.keyboard.press("End")
    for _ in range(2):
        page.keyboard.press("Shift+ArrowUp")
    for _ in range(4):
        page.keyboard.press("Shift+End")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Shift+Home")
    page.keyboard.type(FIXED_LINE)
    expect(page.locator("#sl-live-status")).to_have_text(re.compile(r"^Checked: (no problems found|0 errors)"))
    assert "LS6 2AB" not in _editor_text(page) and "Whitfield" not in _editor_text(page)
    page.get_by_role("button", name="Save draft").click()
    # The case study first in the course (the starter lesson made with the course comes second).
    page.goto(f"/authoring/courses/{FOLDER}")
    page.get_by_role("button", name="Move up Case study: the late bus").click()
    expect(page.locator("tbody tr").nth(1)).to_contain_text("Case study: the late bus")
    axe.assert_clean(page, "journey_course_page")
    _publish(page, axe, "A new case study: the late bus", "journey_publish")

    # The demo learner gets the case study as published.
    learner = browser.new_context(base_url=live_server["url"], viewport=TABLET)
    learner_page = learner.new_page()
    sign_in(learner_page, "learner@example.org")
    learner_page.goto(f"/my-training/courses/{FOLDER}")
    learner_page.get_by_role("button", name="Start this course").click()  # into the first module
    expect(learner_page.locator("main")).to_contain_text("Case study: the late bus")
    learner_page.get_by_role("button", name="Continue to the module").click()
    expect(learner_page.locator("main")).to_contain_text(FIXED_LINE)
    learner.close()

    # A second version, then the history, the diff and a restore of the first.
    page.goto(editor_url)
    expect(page.locator("#sl-live-status")).to_have_text(re.compile(r"^Checked:"))
    page.locator(".cm-content .cm-line", has_text="bus stop in Town Y").click()
    for _ in range(4):
        page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Shift+Home")
    page.keyboard.type(SECOND_LINE)
    expect(page.locator("#sl-live-status")).to_have_text(re.compile(r"^Checked: (no problems found|0 errors)"))
    page.get_by_role("button", name="Save draft").click()
    _publish(page, axe, "Says where Child A waited", "journey_publish_second")

    page.goto(editor_url)
    page.get_by_role("link", name=re.compile("^History")).first.click()
    axe.assert_clean(page, "journey_history")
    _fits(page, "the history")
    expect(page.locator("main")).to_contain_text("Says where Child A waited")
    expect(page.locator("main")).to_contain_text("A new case study: the late bus")
    page.get_by_label("Compare version").select_option(label="Version 1")
    page.get_by_label("with version").select_option(label="Version 2")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Changes from version 1 to version 2")).to_be_visible()
    diff = page.get_by_role("region", name=re.compile("Changes from version 1 to version 2"))
    expect(diff).to_contain_text("Removed")
    expect(diff).to_contain_text("Added")
    expect(diff.locator("del")).to_contain_text(["stop"])
    expect(diff.locator("ins")).to_contain_text(["station"])
    axe.assert_clean(page, "journey_diff")
    page.get_by_role("link", name="Back to the history").click()
    page.get_by_role("link", name="Restore version 1").click()
    axe.assert_clean(page, "journey_restore")
    page.get_by_label("Change note").fill("Back to the first wording")
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.locator("main")).to_contain_text("Back to the first wording")
    expect(page.locator("main")).to_contain_text("Version 3")
    page.goto(editor_url)
    assert FIXED_LINE in _editor_text(page) and SECOND_LINE not in _editor_text(page)

    assert violations == [], violations
    trainer.close()
