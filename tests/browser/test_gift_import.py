"""GIFT import in Chromium: from the course page, upload a Moodle export, read the report, add
the quiz as a draft and land in the editor. axe-core and html-validate find nothing on the page
with its report, which fits a phone (390 px) and a tablet (768 px)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in
from tests.browser.html_validation import validate_html

pytestmark = pytest.mark.browser

GIFT = Path(__file__).resolve().parents[1] / "content" / "gift" / "files" / "mixed.gift"
FOLDER = "gift-browser-course"  # a course of this test's own: the bundled ones stay as they are


@pytest.fixture(scope="module")
def own_course(live_server, tmp_path_factory):
    from modules.content.checker import check_paths
    from modules.content.importer import import_checked

    root = tmp_path_factory.mktemp("gift-content")
    folder = root / FOLDER
    folder.mkdir()
    (folder / "course.md").write_text(textwrap.dedent("""\
        ---
        title: GIFT browser course
        code: GIFT-BROWSER
        level: 1
        audience: all
        cpd_minutes: 10
        refresher_months: 12
        pass_mark: 50
        modules:
          - gift-browser-lesson
        ---
        A course for the GIFT import browser test.
        """), encoding="utf-8")
    (folder / "01-gift-browser-lesson.md").write_text(
        "---\ntitle: A lesson\nkind: lesson\nminutes: 5\n---\nSome text for the lesson.\n", encoding="utf-8")
    app = live_server["app"]
    with app.app_context():
        from modules.core.extensions import db

        result = check_paths([folder])
        assert result.ok, [str(p) for p in result.errors]
        import_checked(result)
        db.session.remove()
    return FOLDER


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_trainer_imports_a_gift_file_as_a_draft_quiz(page, axe, own_course, tmp_path):
    sign_in(page, "trainer@example.org")
    page.goto(f"/authoring/courses/{own_course}")
    with page.expect_response(lambda r: r.url.endswith("/gift")) as opened:
        page.get_by_role("link", name="Import questions from a Moodle GIFT file").click()
    page.wait_for_load_state()
    start = opened.value.text()
    assert page.locator("h1").inner_text() == "Import questions from a GIFT file"
    axe.assert_clean(page, "gift_import")

    page.get_by_label("GIFT file").set_input_files(str(GIFT))
    page.get_by_label("Title of the quiz").fill("CSE check from Moodle")
    page.get_by_label("Module id").fill("gift-browser-quiz")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    sent = posted.value.text()  # html-validate reads what the server sent, not the live DOM
    assert "5 questions converted, 4 left out." in page.locator("main").inner_text()
    assert page.locator('[data-left-out="yes"]').count() == 4
    axe.assert_clean(page, "gift_import_report")
    for width in (390, 768):
        page.set_viewport_size({"width": width, "height": 900})
        assert fits(page), f"the report page is wider than {width} px"
    assert validate_html({"gift_import": start, "gift_import_report": sent}, tmp_path) == {}

    page.get_by_role("button", name="Add as a draft module").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/authoring/files/{own_course}/02-gift-browser-quiz.md")
    assert "Added the quiz as a draft: 5 questions, 4 left out." in page.locator("body").inner_text()
