"""Every foundation page in Chromium: axe-core finds nothing, and it works with the keyboard alone."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

VISITOR_PAGES = ["/", "/sign-in", "/forgotten-password", "/accessibility", "/cookies", "/no-such-page", "/dev/outbox/"]
ACCOUNT_PAGES = {
    "learner@example.org": ["/my-training", "/account", "/account/password", "/admin"],  # /admin: the 403 page
    "trainer@example.org": ["/trainer"],
    "manager@example.org": ["/manager"],
    "admin@example.org": ["/admin", "/admin/audit", "/agencies/1", "/people/1"],
}


@pytest.mark.parametrize("path", VISITOR_PAGES)
def test_visitor_pages_have_no_axe_violations(page, axe, path):
    page.goto(path)
    assert page.title().endswith("– Sightline")
    axe.assert_clean(page, "visitor" + path.replace("/", "_"))


@pytest.mark.parametrize("email", list(ACCOUNT_PAGES))
def test_home_pages_per_role_have_no_axe_violations(page, axe, email):
    sign_in(page, email)
    for path in ACCOUNT_PAGES[email]:
        page.goto(path)
        axe.assert_clean(page, email.split("@")[0] + path.replace("/", "_"))


def test_form_errors_show_an_accessible_error_summary(page, axe):
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Enter your email address" in summary.inner_text()
    assert page.title().startswith("Error: ")
    # GOV.UK Frontend moves focus to the summary so screen reader users hear the errors.
    # (expect() polls from Playwright's own isolated script, which the page's CSP does not block;
    # wait_for_function with a string would need 'unsafe-eval'.)
    expect(summary).to_be_focused()
    axe.assert_clean(page, "sign-in-errors")
    summary.get_by_role("link", name="Enter your email address").click()
    expect(page.locator("#email")).to_be_focused()


def _tab_to(page, predicate_js: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"):
            return
    raise AssertionError(f"could not reach an element matching {predicate_js} with Tab")


def test_sign_in_and_navigate_with_the_keyboard_alone(page):
    page.goto("/")
    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    _tab_to(page, "el.textContent.trim() === 'Sign in' && el.tagName === 'A'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/sign-in$"))
    _tab_to(page, "el.id === 'email'")
    page.keyboard.type("manager@example.org")
    _tab_to(page, "el.id === 'password'")
    page.keyboard.type("sightline-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/agencies/\d+$"))
    assert "Northshire Police" in page.locator("h1").inner_text()
    # Open a person from the staff table, then sign out, all by keyboard.
    _tab_to(page, "el.closest('tbody') !== null && el.tagName === 'A'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/people/\d+$"))
    _tab_to(page, "el.textContent.trim() === 'Sign out'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/sign-in$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")


def test_password_reset_through_the_development_outbox(page, live_server):
    try:
        page.goto("/forgotten-password")
        page.get_by_label("Email address").fill("learner@example.org")
        page.get_by_role("button", name="Send reset link").click()
        assert "Check your email" in page.locator("h1").inner_text()
        open_mail(page, "Reset your Sightline password")
        page.locator("a[href*='/reset-password/']").first.click()
        page.get_by_label("New password", exact=True).fill("a completely new passphrase")
        page.get_by_label("Confirm new password").fill("a completely new passphrase")
        page.get_by_role("button", name="Save password").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password has been changed")
        sign_in(page, "learner@example.org", "a completely new passphrase")
        assert page.url.endswith("/my-training")
    finally:
        # Put the demo password back for the other tests, pass or fail (the policy rightly
        # rejects it from the form: it contains the service's name).
        restore_demo_password(live_server["app"], "learner@example.org")


def open_mail(page, subject: str) -> None:
    """Open the newest message with this subject in the outbox. The server sends the reset email
    after the page has gone to the browser, so the outbox may need a moment to receive it."""
    for _ in range(50):
        page.goto("/dev/outbox/")
        link = page.get_by_role("link", name=subject)
        if link.count():
            link.first.click()
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no message {subject!r} in the outbox")


def restore_demo_password(app, email):
    from sqlalchemy import select

    from modules.accounts.models import User
    from modules.accounts.passwords import hash_password
    from modules.core.extensions import db

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.password_hash = hash_password("sightline-demo")
        db.session.commit()
        db.session.remove()
