"""A trainer opens a module's history, compares its two versions and restores the first, at
tablet and phone width, with axe-core and html-validate on the history, diff and restore pages.

The module is made through the services in a course of its own (the live server is shared: the
bundled courses are never changed here)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.crawl import _OVERFLOW_JS, PHONE
from tests.browser.html_validation import validate_html

pytestmark = pytest.mark.browser

FOLDER = "h4-history-browser"
PATH = f"{FOLDER}/01-history-walkthrough.md"
TABLET = {"width": 768, "height": 1024}
FIRST = """\
---
title: History walkthrough
kind: lesson
minutes: 5
---
Professionals share information to keep children safe.

## What to record {#record}

Write down what you saw and heard, in the words the young person used.
""" + "".join(f"\nParagraph {n} stays the same in both versions.\n" for n in range(1, 16))
SECOND = FIRST.replace("in the words the young person used", "in the exact words the young person used") \
    + "\nA paragraph added in version 2.\n"
COURSE = """\
---
title: History walkthrough course
code: H4-HIST
level: 1
audience: all
cpd_minutes: 5
refresher_months: 12
pass_mark: 50
modules:
  - history-walkthrough
---
A course for the history browser test.
"""


@pytest.fixture(scope="module")
def two_versions(live_server, tmp_path_factory):
    app = live_server["app"]
    root = tmp_path_factory.mktemp("h4-content") / "content"
    (root / FOLDER).mkdir(parents=True)
    (root / FOLDER / "course.md").write_text(COURSE)
    (root / FOLDER / "01-history-walkthrough.md").write_text(FIRST)
    with app.app_context():
        from sqlalchemy import select

        from modules.accounts.models import User
        from modules.authoring.drafts import save_draft
        from modules.authoring.publishing import publish_drafts
        from modules.authoring.workspace import certificates_dir
        from modules.content.checker import check_paths
        from modules.content.importer import import_checked
        from modules.core.extensions import db

        result = check_paths([root], certificates_dir())
        assert result.ok, [str(p) for p in result.errors]
        import_checked(result)
        trainer = db.session.scalar(select(User).where(User.email == "trainer@example.org"))
        save_draft(PATH, expected_revision=0, actor=trainer, text=SECOND)
        assert publish_drafts(FOLDER, actor=trainer, note="Says to use the exact words").published
        db.session.commit()
        db.session.remove()


def _check(page, axe, name, pages, width_name):
    axe.assert_clean(page, f"authoring_history_{name}_{width_name}")
    assert page.evaluate(_OVERFLOW_JS) == [], f"{name} is wider than the screen at {width_name}"
    # As the server sent it, before any script ran (scripts add attributes of their own).
    pages[f"{name} ({width_name})"] = page.last_document.text()


def _keep_documents(page) -> None:
    def seen(response):
        if response.request.is_navigation_request() and response.frame == page.main_frame \
                and response.status < 300:
            page.last_document = response

    page.on("response", seen)


def _trainer_page(browser, live_server, viewport):
    context = browser.new_context(base_url=live_server["url"], viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    _keep_documents(page)
    sign_in(page, "trainer@example.org")
    return context, page


def test_the_history_pages_fit_a_phone(browser, live_server, axe, two_versions, tmp_path):
    context, page = _trainer_page(browser, live_server, PHONE)
    pages: dict[str, str] = {}
    page.goto(f"/authoring/files/{PATH}/history")
    _check(page, axe, "history", pages, "390px")
    page.goto(f"/authoring/files/{PATH}/diff?from=1&to=2")
    expect(page.locator("tr[data-kind=added]").first).to_be_visible()
    _check(page, axe, "diff", pages, "390px")
    page.goto(f"/authoring/files/{PATH}/restore?version=1")
    expect(page.get_by_label("Change note")).to_be_visible()
    _check(page, axe, "restore", pages, "390px")
    context.close()
    assert validate_html(pages, tmp_path) == {}


def test_a_trainer_compares_two_versions_and_restores_the_first(browser, live_server, axe, two_versions,
                                                                 tmp_path):
    context, page = _trainer_page(browser, live_server, TABLET)
    width = "768px"
    pages: dict[str, str] = {}

    page.goto(f"/authoring/files/{PATH}/history")
    expect(page.get_by_role("heading", name="History of History walkthrough")).to_be_visible()
    latest = page.locator(".govuk-summary-card").first
    expect(latest).to_contain_text("Learners get this version")
    expect(latest).to_contain_text("Says to use the exact words")
    _check(page, axe, "history", pages, width)

    # The compare form, by keyboard-reachable controls.
    page.get_by_label("Compare version").select_option(label="Version 1")
    page.get_by_label("with version").select_option(label="Version 2")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Changes from version 1 to version 2")).to_be_visible()
    table = page.get_by_role("region", name=re.compile("Changes from version 1 to version 2"))
    expect(table.locator("tr[data-kind=removed]").first).to_contain_text("Removed")
    expect(table.locator("tr[data-kind=added]").first).to_contain_text("Added")
    expect(table.locator("ins").first).to_contain_text("exact")
    expect(table).to_contain_text("unchanged lines")
    _check(page, axe, "diff", pages, width)

    page.get_by_role("link", name="Back to the history").click()
    page.get_by_role("link", name="Restore version 1").click()
    expect(page.get_by_role("heading", name="Restore version 1 of History walkthrough")).to_be_visible()
    expect(page.get_by_label("Change note")).to_have_value(re.compile(r"Restores version 1"))
    _check(page, axe, "restore", pages, width)

    page.get_by_label("Change note").fill("")
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a change note")
    _check(page, axe, "restore_errors", pages, width)

    page.get_by_label("Change note").fill("Back to the wording agreed with the partnership")
    page.get_by_role("button", name="Restore version 1").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Version 1 is restored as version 3")
    expect(page.locator(".govuk-summary-card").first).to_contain_text("Version 3")
    expect(page.locator(".govuk-summary-card").first).to_contain_text("An earlier version restored")
    _check(page, axe, "history_after_restore", pages, width)
    context.close()

    problems = validate_html(pages, tmp_path)
    assert problems == {}, problems
