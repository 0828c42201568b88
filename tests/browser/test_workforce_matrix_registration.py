"""Self-registration and the training matrix in Chromium at phone width (390 px): a driver registers
with the licensing agency's code, follows the invitation in the development outbox, chooses a
password and signs in to a page that says they wait for approval; an admin approves them, then
adds a requirement after previewing its effect. axe-core finds nothing on any of the pages, and
none is wider than the screen.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.crawl import _OVERFLOW_JS, PHONE

pytestmark = pytest.mark.browser

CODE = "K7RM-4QXD-9TCA"
DRIVER = "jo.driver@example.net"


@pytest.fixture(scope="module")
def licensing(live_server):
    """The demo's licensing agency takes registrations by code."""
    app = live_server["app"]
    with app.app_context():
        from modules.accounts.models import Agency
        from modules.core.extensions import db

        agency = db.session.scalar(db.select(Agency).where(Agency.name == "Northshire Council Licensing"))
        agency.self_registration = True
        agency.registration_code = CODE
        db.session.commit()
        agency_id = agency.id
        db.session.remove()
    return agency_id


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server["url"], viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _check(page, axe, name):
    axe.assert_clean(page, name)
    assert page.evaluate(_OVERFLOW_JS) == [], f"{name} is wider than a 390 px screen"


def test_a_driver_registers_with_the_code_and_the_invitation_arrives(phone, axe, licensing):
    page = phone
    page.goto("/sign-in")
    page.get_by_role("link", name="Register for safeguarding training").click()
    _check(page, axe, "register")
    page.get_by_label("Full name").fill("Jo Driver")
    page.get_by_label("Email address").fill(DRIVER)
    page.get_by_label("Job title").fill("Private hire driver")
    page.get_by_label("Registration code").fill("WRONG-CODE")
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("That registration code is not right")
    expect(page.get_by_label("Full name")).to_have_value("Jo Driver")
    _check(page, axe, "register-error")
    page.get_by_label("Registration code").fill(CODE.lower())
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    _check(page, axe, "registration-sent")

    page.goto("/dev/outbox/")
    page.locator("li", has_text=DRIVER).get_by_role("link", name="Set your Sightline password").first.click()
    expect(page.get_by_role("heading", name="Set your Sightline password")).to_be_visible()
    _check(page, axe, "registration-mail")
    body = page.locator("main").inner_text()
    assert DRIVER in body and "Northshire Council Licensing" in body
    link = re.search(r"/invitations/[\w-]{20,}", body).group(0)

    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a driver's own long password 2026")
    page.get_by_label("Confirm new password").fill("a driver's own long password 2026")
    page.get_by_role("button", name="Save password").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password is set")
    sign_in(page, DRIVER, "a driver's own long password 2026")
    page.goto("/my-training")
    assert "/sign-in" not in page.url
    expect(page.locator("body")).to_contain_text("Waiting for your manager's approval")
    _check(page, axe, "pending-my-training")


def test_an_admin_approves_the_driver_then_previews_and_adds_a_requirement(phone, axe, licensing, live_server):
    page = phone
    # A registration of its own, so this test does not depend on the order tests run in.
    page.goto("/register")
    page.get_by_label("Full name").fill("Sam Cabbie")
    page.get_by_label("Email address").fill("sam.cabbie@example.net")
    page.get_by_label("Job title").fill("Hackney carriage driver")
    page.get_by_label("Registration code").fill(CODE)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    sign_in(page, "admin@example.org")
    page.goto(f"/agencies/{licensing}")
    page.get_by_role("link", name="Self-registration settings").click()
    _check(page, axe, "registration-settings")
    page.goto(f"/agencies/{licensing}")
    page.get_by_role("link", name="Registrations waiting for approval").click()
    expect(page.get_by_role("row", name=re.compile("Sam Cabbie"))).to_be_visible()
    _check(page, axe, "approvals")
    page.get_by_role("button", name="Approve Sam Cabbie").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Sam Cabbie is approved")

    page.goto("/admin/training-matrix")  # the menu is folded behind a button at phone width
    _check(page, axe, "training-matrix")
    page.get_by_role("link", name="Add a requirement").click()
    course = page.get_by_label("Course")
    course.select_option(label=course.locator("option", has_text="CSE-L1").first.inner_text().strip())
    page.get_by_label("Agency kind").select_option("licensing")
    page.get_by_label("Training level").select_option("2")
    page.get_by_label("Refresher period in months").fill("0")
    page.get_by_role("button", name="Preview the effect").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("from 1 to 120")
    _check(page, axe, "matrix-error")
    page.get_by_label("Refresher period in months").fill("24")
    page.get_by_role("button", name="Preview the effect").click()
    expect(page.locator("#effect")).to_be_visible()
    _check(page, axe, "matrix-preview")
    page.get_by_role("button", name="Save requirement").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved")
    expect(page.get_by_role("cell", name="24 months")).to_be_visible()
