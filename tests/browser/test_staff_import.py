"""Staff import in Chromium at phone width: the demo admin uploads a file with mistakes, reads
the row messages, uploads the corrected file, imports it and sees the result; axe-core finds
nothing on any of the pages and none is wider than the screen."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.crawl import PHONE
from tests.browser.html_validation import validate_html

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_admin_fixes_a_file_from_the_row_messages_and_imports_it(browser, live_server, axe, tmp_path):
    context = browser.new_context(base_url=live_server["url"], viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # The HTML the server sent for each page (the preview pages answer a POST, so the crawl in
    # test_every_page.py cannot reach them), for html-validate.
    sent = {}

    def keep_html(response):
        if response.request.resource_type == "document" and "/import" in response.url and response.status == 200:
            sent[f"{response.request.method} {response.url} #{len(sent)}"] = response.text()

    page.on("response", keep_html)
    try:
        sign_in(page, "admin@example.org")
        page.goto("/admin")
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("link", name="Import staff").click()
        expect(page.get_by_role("heading", name="Import staff")).to_be_visible()
        axe.assert_clean(page, "import-start")
        assert fits_the_screen(page)

        page.get_by_label("Staff list (CSV file)").set_input_files(str(DOCS / "sample-staff-import.csv"))
        page.get_by_role("button", name="Check the file").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("There are 7 problems in sample-staff-import.csv")
        problems = page.get_by_role("region", name="Problems to fix, table")
        expect(problems).to_contain_text("Northshire Homes has no team called 'Rough Sleeping Outreach'")
        expect(problems).to_contain_text("create the team first on the agency page")
        expect(problems).to_contain_text("The level '4' is not 1, 2 or 3")
        expect(problems).to_contain_text("There is no agency called 'Northshire Youth Allianse'")
        row_6 = problems.get_by_role("row").filter(has_text="Rough Sleeping Outreach")
        expect(row_6.get_by_role("cell").first).to_have_text("6")
        expect(page.get_by_role("button", name="Import")).to_have_count(0)
        axe.assert_clean(page, "import-preview-problems")
        assert fits_the_screen(page)

        page.get_by_label("Staff list (CSV file)").set_input_files(str(DOCS / "sample-staff-import-fixed.csv"))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", name="What will change")).to_be_visible()
        expect(page.get_by_label("Send invitations now")).to_be_checked()
        axe.assert_clean(page, "import-preview-ready")
        assert fits_the_screen(page)
        page.get_by_role("button", name="Import 8 people").click()

        expect(page.get_by_role("heading", name="Staff imported")).to_be_visible()
        expect(page.locator(".govuk-summary-list")).to_contain_text("8 being sent by email")
        axe.assert_clean(page, "import-result")
        assert fits_the_screen(page)
    finally:
        context.close()
    assert len(sent) == 4, list(sent)
    assert validate_html(sent, tmp_path) == {}
    with live_server["app"].app_context():
        from modules.accounts.models import User
        from modules.core.extensions import db

        sana = db.session.scalar(db.select(User).where(User.email == "sana.iqbal@northshire-youth.example"))
        assert sana.agency.name == "Northshire Youth Alliance" and sana.password_hash is None
        db.session.remove()
