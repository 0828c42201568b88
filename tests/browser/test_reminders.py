"""Reminders in Chromium at phone width: an admin retries failed mail on /admin/mail, and a manager
sends a reminder to a filtered report list through its confirmation page; axe-core finds nothing
and neither page is wider than the screen."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server["url"], viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def failed_mail(live_server):
    app = live_server["app"]
    with app.app_context():
        from modules.core.extensions import db
        from modules.notifications.models import MailStatus, OutgoingMail
        from modules.notifications.queue import MAX_ATTEMPTS

        message = OutgoingMail(
            category="reminder", to_address="a.very.long.address.for.a.phone.screen@northshire-police.example.org",
            subject="Your safeguarding training is overdue", body="A reminder.", status=MailStatus.failed,
            attempts=MAX_ATTEMPTS, last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        )
        db.session.add(message)
        db.session.commit()
        mail_id = message.id
        db.session.remove()
    return mail_id


def test_an_admin_sees_failed_mail_and_retries_it_on_a_phone(phone, axe, failed_mail):
    sign_in(phone, "admin@example.org")
    phone.goto("/admin/mail")
    expect(phone.get_by_text("1 message could not be sent")).to_be_visible()
    assert fits_the_screen(phone)
    axe.assert_clean(phone, "admin-mail")
    phone.get_by_role("button", name="Retry the message to a.very.long.address").click()
    # No SMTP server in this test: the retried message goes to the development outbox.
    expect(phone.get_by_text("Trying the message to a.very.long.address")).to_be_visible()
    expect(phone.get_by_text("Nothing is waiting: every message has been sent.")).to_be_visible()
    axe.assert_clean(phone, "admin-mail-empty")


def test_a_manager_sends_a_reminder_to_a_filtered_list_on_a_phone(phone, axe, live_server):
    app = live_server["app"]
    with app.app_context():
        from modules.accounts.models import Agency
        from modules.content.models import Course
        from modules.core.extensions import db

        police = db.session.scalar(db.select(Agency).where(Agency.name == "Northshire Police"))
        course = db.session.scalar(db.select(Course).where(Course.slug == "cse-level-1-awareness")) or \
            db.session.scalars(db.select(Course).order_by(Course.id)).first()
        query = f"agency={police.id}&course={course.id}"
        db.session.remove()
    sign_in(phone, "manager@example.org")
    phone.goto(f"/reports/people?{query}")
    phone.get_by_role("link", name="Send a reminder to the people in this list").click()
    heading = phone.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Send a reminder to these")
    count = int(heading.inner_text().split("these ")[1].split(" ")[0])
    assert count > 0
    assert fits_the_screen(phone)
    axe.assert_clean(phone, "reminders-confirm")
    phone.get_by_role("button", name="Send the reminder").click()
    expect(phone.get_by_text(f"Reminder sent to {count} {'person' if count == 1 else 'people'}")).to_be_visible()
    assert phone.url.endswith(f"/reports/people?{query}")
