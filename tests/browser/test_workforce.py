"""A partnership admin sets up an agency, a team and a person; the person accepts the emailed
invitation, chooses a password and signs in. At phone width, with axe-core on every new page."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.crawl import _OVERFLOW_JS, PHONE

pytestmark = pytest.mark.browser

NEW_PERSON = "jordan.fairley@moorside-youth.example.org"
PASSWORD = "kettle harbour saffron lantern"


def _check(page, axe, name):
    axe.assert_clean(page, f"workforce_{name}")
    assert page.evaluate(_OVERFLOW_JS) == [], f"{name} is wider than a 390 px screen"


def test_an_admin_adds_an_agency_team_and_person_who_accepts_the_invitation(browser, live_server, axe):
    admin = browser.new_context(base_url=live_server["url"], viewport=PHONE)
    page = admin.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "admin@example.org")

    page.goto("/admin")
    page.get_by_role("link", name="Add an agency").click()
    expect(page.get_by_role("button", name="Add agency")).to_be_visible()  # (axe on the new page)
    _check(page, axe, "new_agency")
    page.get_by_role("button", name="Add agency").click()  # nothing filled in: the error summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the agency's name")
    _check(page, axe, "new_agency_errors")
    page.get_by_label("Agency name").fill("Moorside Youth Trust")
    page.get_by_label("Youth and voluntary sector").check()
    page.get_by_role("button", name="Add agency").click()

    expect(page.get_by_role("heading", name="Teams")).to_be_visible()
    page.get_by_label("Team name").fill("Detached youth work")
    page.get_by_role("button", name="Add team").click()
    expect(page.locator(".govuk-table")).to_contain_text("Detached youth work")
    _check(page, axe, "teams")

    page.get_by_role("link", name="Back to Moorside Youth Trust").click()
    page.get_by_role("link", name="Add a person").click()
    _check(page, axe, "add_person")
    page.get_by_label("Full name").fill("Jordan Fairley")
    page.get_by_label("Email address").fill(NEW_PERSON)
    page.get_by_label("Team").select_option(label="Detached youth work")
    page.get_by_label("Job title (optional)").fill("Youth worker")
    page.get_by_label("Level 2: targeted (regular contact with children)").check()
    expect(page.get_by_label("Send an invitation now")).to_be_checked()  # on by default
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("#invitation-state")).to_contain_text("Invited")
    expect(page.locator("#invitation-state")).to_contain_text("expires")
    _check(page, axe, "person")
    admin.close()

    # The new person, in a browser of their own, follows the link in the mail.
    visitor = browser.new_context(base_url=live_server["url"], viewport=PHONE)
    page = visitor.new_page()
    page.set_default_timeout(10_000)
    page.goto("/dev/outbox/")
    page.locator("li", has_text=NEW_PERSON).get_by_role("link").first.click()
    link = re.search(r"/invitations/[\w-]+", page.locator(".sl-email").inner_text()).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    _check(page, axe, "accept_invitation")
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm new password").fill(PASSWORD)
    page.get_by_role("button", name="Save password").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password is set")
    sign_in(page, NEW_PERSON, PASSWORD)
    page.goto("/my-training")
    assert "/sign-in" not in page.url
    # Everyone in the demo partnership must take the level 1 course.
    expect(page.locator("main")).to_contain_text("Recognising and responding to child sexual exploitation")

    # The link is spent: opening it again says what to do.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation link no longer works")
    _check(page, axe, "invitation_invalid")
    visitor.close()
