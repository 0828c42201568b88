"""Staff import in Chromium at phone width, the whole journey: the demo admin uploads a file with
mistakes, reads the row messages, uploads the corrected file and imports it; a new member of
staff then opens the invitation from the mail a real SMTP server received, chooses a password,
signs in and sees their required training. axe-core finds nothing on any of the pages and none
is wider than the screen."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.crawl import PHONE
from tests.browser.html_validation import validate_html
from tests.smtp_server import Inbox, SmtpServer, body, free_port

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs"
NEW_PERSON = "sana.iqbal@northshire-youth.example"
PASSWORD = "a long new password for Sana 2026"


@pytest.fixture
def smtp_for_live_server(live_server):
    """The live server's mail sent to a real SMTP server for this test, then back to the outbox."""
    app = live_server["app"]
    mail_keys = ("MAIL_SMTP_HOST", "MAIL_SMTP_PORT", "MAIL_SMTP_STARTTLS", "MAIL_SMTP_USERNAME", "MAIL_SMTP_PASSWORD")
    before = {key: app.config.get(key) for key in mail_keys}
    server = SmtpServer(free_port(), Inbox())
    server.start()
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=server.port, MAIL_SMTP_STARTTLS=False,
                      MAIL_SMTP_USERNAME="", MAIL_SMTP_PASSWORD="")
    yield server
    app.config.update(before)
    server.stop()


def received_by(server: SmtpServer, address: str, seconds: float = 15):
    """The first message the server received for ``address`` (invitations go after the commit)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.inbox.to(address):
            return server.inbox.to(address)[0]
        time.sleep(0.1)
    raise AssertionError(f"no mail reached {address}; received: {sorted(server.inbox.recipients())}")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_admin_fixes_a_file_imports_it_and_a_new_person_accepts_the_mailed_invitation(
        browser, live_server, axe, tmp_path, smtp_for_live_server):
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

        sana = db.session.scalar(db.select(User).where(User.email == NEW_PERSON))
        assert sana.agency.name == "Northshire Youth Alliance" and sana.password_hash is None
        db.session.remove()

    # The new person, in a browser of their own, follows the link in the mail that arrived.
    invitation = received_by(smtp_for_live_server, NEW_PERSON)
    link = re.search(r"https?://\S+/invitations/[\w-]+", body(invitation)).group(0)
    visitor = browser.new_context(base_url=live_server["url"], viewport=PHONE)
    page = visitor.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(link)
        expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
        page.get_by_label("New password", exact=True).fill(PASSWORD)
        page.get_by_label("Confirm new password").fill(PASSWORD)
        page.get_by_role("button", name="Save password").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password is set")
        sign_in(page, NEW_PERSON, PASSWORD)
        page.goto("/my-training")
        assert "/sign-in" not in page.url
        # Everyone in the demo partnership must take the level 1 course, due from the day they joined.
        main = page.locator("main")
        expect(main).to_contain_text("Recognising and responding to child sexual exploitation")
        expect(main).to_contain_text("Due by")
        axe.assert_clean(page, "new-person-my-training")
        assert fits_the_screen(page)
    finally:
        visitor.close()
