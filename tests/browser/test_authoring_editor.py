"""The trainer's editor, with the keyboard only: CodeMirror in place of the textarea, checked as
you type. A postcode and a real-looking name typed into a case study are flagged at their lines
(in the findings list and as diagnostics in the editor); a finding takes the cursor to its line;
fixing the text clears them; the draft is saved with the keyboard. axe-core on the editor page,
and nothing scrolls sideways at tablet width (768 px).

The course is this test's own (published through the services, unique folder and code): the
shared live server's bundled courses are never changed."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import sign_in
from tests.browser.crawl import _OVERFLOW_JS
from tests.browser.html_validation import validate_html

pytestmark = pytest.mark.browser

FOLDER = "h2-editor-keyboard"
PATH = f"{FOLDER}/01-case-study-editor-keyboard.md"
COURSE = """---
title: Editor keyboard test course
code: H2-EDITOR-KB
level: 1
audience: all
cpd_minutes: 5
refresher_months: 12
pass_mark: 50
modules:
  - case-study-editor-keyboard
---
A course made by the editor's browser test.
"""
MODULE = """---
title: "Case study: an evening at the bus station"
kind: case_study
minutes: 5
summary: A made-up story for the editor's test.
content_note: This made-up case study mentions a child who goes missing. Nothing is described in detail.
pseudonyms: [Mia]
---
## What the driver saw

Mia is 14. A bus driver sees her at the bus station late in the evening, three nights running.
The driver writes down what was seen, with the times.
"""
NAME_LINE = "She was seen with Jonathan Whitfield near the station."
POSTCODE_LINE = "He lives at a flat in Leeds LS6 2AB."


def _publish_course(app) -> None:
    from modules.accounts.models import User
    from modules.authoring.models import ContentDraft
    from modules.authoring.publishing import publish_files
    from modules.authoring.workspace import working_files
    from modules.content.models import PublicationOrigin
    from modules.core.extensions import db

    with app.app_context():
        db.session.execute(ContentDraft.__table__.delete().where(ContentDraft.path.startswith(f"{FOLDER}/")))
        files = working_files(FOLDER)
        files[f"{FOLDER}/course.md"] = COURSE.encode()
        files[PATH] = MODULE.encode()
        trainer = db.session.scalar(select(User).where(User.email == "trainer@example.org"))
        outcome = publish_files(files, actor=trainer, note="The editor's browser test", origin=PublicationOrigin.browser)
        assert outcome.published, [str(p) for p in outcome.errors]
        db.session.commit()
        db.session.remove()


def _draft_text(app) -> str | None:
    from modules.authoring.models import ContentDraft
    from modules.core.extensions import db

    with app.app_context():
        draft = db.session.scalar(select(ContentDraft).where(ContentDraft.path == PATH))
        text = draft.text if draft else None
        db.session.remove()
    return text


def _tab_into_editor(page) -> None:
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.classList.contains('cm-content')"):
            return
    raise AssertionError("the editor cannot be reached with Tab")


def _finding(page, text: str):
    return page.locator("#findings .sl-findings__item", has_text=text)


def _replace_current_line(page, text: str) -> None:
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")
    page.keyboard.type(text)


def test_a_trainer_edits_a_case_study_with_the_keyboard_only(page, live_server, axe, tmp_path):
    app = live_server["app"]
    _publish_course(app)
    sign_in(page, "trainer@example.org")
    served = page.goto(f"/authoring/files/{PATH}").text()
    status = page.locator("#sl-live-status")
    expect(status).to_have_text("Checked: no problems found")
    editor = page.locator(".cm-content")
    expect(editor).to_have_attribute("aria-labelledby", re.compile(r"\S"))
    label_id = editor.get_attribute("aria-labelledby")
    expect(page.locator(f"#{label_id}")).to_have_text("Text of the file")
    assert page.locator("#source").is_hidden()
    # The format's structure is visible: the settings' names, the headings.
    expect(page.locator(".cm-line .tok-propertyName", has_text="content_note")).to_have_count(1)
    expect(page.locator(".cm-line .tok-heading", has_text="What the driver saw")).to_have_count(1)
    expect(page.locator(".cm-lineNumbers .cm-gutterElement", has_text="12")).to_have_count(1)
    axe.assert_clean(page, "authoring_editor")

    _tab_into_editor(page)
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(NAME_LINE)
    page.keyboard.press("Enter")
    page.keyboard.type(POSTCODE_LINE)
    name_line, postcode_line = 14, 15  # (the module: 12 lines and an empty 13th; then Enter)

    expect(_finding(page, "Jonathan Whitfield")).to_have_count(1)
    expect(_finding(page, "LS6 2AB")).to_have_count(1)
    assert _finding(page, "Jonathan Whitfield").get_attribute("data-line") == str(name_line)
    assert _finding(page, "LS6 2AB").get_attribute("data-line") == str(postcode_line)
    assert _finding(page, "LS6 2AB").get_attribute("data-severity") == "error"
    expect(_finding(page, "LS6 2AB")).to_contain_text(f"Error Line {postcode_line}, column")
    expect(status).to_have_text(re.compile(r"^Checked: [1-9]\d* errors?, \d+ warnings?$"))
    # The same findings are diagnostics in the editor, underlining the text found.
    expect(page.locator(".cm-lintRange-error", has_text="LS6 2AB")).to_have_count(1)
    expect(page.locator(".cm-lintRange-error", has_text="Whitfield")).to_have_count(1)
    assert "Jonathan Whitfield" in page.locator("#source").input_value()  # kept in step
    axe.assert_clean(page, "authoring_editor_findings")
    # The page as served, with the live preview the script put in it, is valid HTML.
    preview = page.evaluate("document.getElementById('sl-live-preview').innerHTML")
    assert "Jonathan Whitfield" in preview
    empty = re.search(r'(<div [^>]*id="sl-live-preview"[^>]*>)(</div>)', served)
    assert empty, "the editor page has no preview panel"
    with_preview = served[:empty.end(1)] + preview + served[empty.start(2):]
    assert validate_html({"editor": served, "editor_with_preview": with_preview}, tmp_path) == {}

    # Back to the findings (just before the editor), then to the name's line with the keyboard.
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.startswith(f"Line {postcode_line},"), focused
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent").startswith(f"Line {name_line},")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
    expect(page.locator(".cm-activeLine")).to_have_text(NAME_LINE)
    _replace_current_line(page, "She was seen with an older man near the station.")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".cm-activeLine")).to_have_text(POSTCODE_LINE)
    _replace_current_line(page, "He lives at a flat in the town centre.")

    expect(status).to_have_text("Checked: no problems found")
    expect(page.locator("#findings .sl-findings__item")).to_have_count(0)
    expect(page.locator(".cm-lintRange-error")).to_have_count(0)
    expect(page.locator("#sl-live-preview")).to_contain_text("He lives at a flat in the town centre.")

    page.set_viewport_size({"width": 768, "height": 1000})
    assert page.evaluate(_OVERFLOW_JS) == []

    # Tab leaves the editor for the save button; Enter saves the draft.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Save draft"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner, .govuk-panel").first).to_contain_text("draft has been saved")
    saved = _draft_text(app)
    assert saved is not None and "He lives at a flat in the town centre." in saved
    assert "LS6 2AB" not in saved and "Whitfield" not in saved
    expect(status).to_have_text("Checked: no problems found")
