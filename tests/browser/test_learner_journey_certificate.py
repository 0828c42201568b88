"""Where the learner journey ends: the certificate.

Runs after tests/browser/test_learner_journey.py (file order), whose learner completes the Level 1
course in the browser; the completion signal has issued the certificate by then. Run on its own,
the fixture records that completion directly (through the same signal) so the test still stands.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in
from tests.certificates.certificate_helpers import decode_qr_codes, pdf_text

pytestmark = pytest.mark.browser

COURSE_SLUG = "cse-level-1"
LEARNER = "learner@example.org"


@pytest.fixture(scope="module")
def journey_certificate(live_server):
    app = live_server["app"]
    with app.app_context():
        from modules.accounts.models import User
        from modules.certificates.models import Certificate
        from modules.content.models import Course
        from modules.core.extensions import db
        from modules.learning.models import Completion
        from modules.learning.signals import completion_recorded

        learner = db.session.scalar(db.select(User).where(User.email == LEARNER))
        course = db.session.scalar(db.select(Course).where(Course.slug == COURSE_SLUG))
        completion = db.session.scalar(
            db.select(Completion).where(Completion.user_id == learner.id,
                                        Completion.course_id == course.id)
            .order_by(Completion.id.desc())
        )
        if completion is None:  # the journey test did not run first
            from modules.core.dates import uk_today
            from tests.certificates.factories import make_completion

            completion = make_completion(learner, course.current_version, completed_on=uk_today())
            completion_recorded.send(app, completion=completion)
            db.session.commit()
        certificate = db.session.scalar(
            db.select(Certificate).where(Certificate.completion_id == completion.id))
        assert certificate is not None, "completing the course issued no certificate"
        result = {
            "id": certificate.id, "number": certificate.number, "code": certificate.verification_code,
            "name": learner.name, "title": certificate.course_title, "code_and_level": certificate.course_code,
            "completed_on": completion.completed_on, "expires_on": completion.expires_on,
        }
        db.session.remove()
    return result


def test_the_journey_ends_with_a_certificate_anyone_can_check(page, axe, live_server, journey_certificate,
                                                              tmp_path, browser):
    from modules.core.templating import uk_date

    cert = journey_certificate
    code = "-".join(cert["code"][i:i + 4] for i in range(0, 16, 4))
    sign_in(page, LEARNER)

    # From the learner record, as a learner finds it after finishing the course.
    page.goto("/my-training/record")
    link = page.get_by_role("link", name=f"Download certificate {cert['number']}")
    with page.expect_download() as download:
        link.click()
    pdf = Path(download.value.path()).read_bytes()
    text = pdf_text(pdf)
    for expected in (cert["name"], cert["title"], cert["code_and_level"], uk_date(cert["completed_on"]),
                     uk_date(cert["expires_on"]), cert["number"], code):
        assert expected in text, expected
    verify_url = f"{live_server['url']}/verify/{code}"
    assert decode_qr_codes(pdf, tmp_path) == [verify_url]

    page.get_by_role("link", name="My certificates").first.click()
    card = page.locator(".govuk-summary-card").filter(has_text=cert["number"])
    assert "Valid" in card.inner_text()
    axe.assert_clean(page, "journey-my-certificates")

    # What an employer sees after scanning the QR code.
    visitor = browser.new_context(base_url=live_server["url"]).new_page()
    visitor.goto(verify_url)
    assert visitor.locator("h1").inner_text() == "This certificate is valid"
    facts = visitor.locator(".govuk-summary-list").inner_text()
    assert cert["name"] in facts and cert["title"] in facts and uk_date(cert["expires_on"]) in facts
    axe.assert_clean(visitor, "journey-verify-valid")

    # A partnership admin revokes it; the same page now says so.
    admin = browser.new_context(base_url=live_server["url"]).new_page()
    sign_in(admin, "admin@example.org")
    admin.goto(f"/certificates/{cert['id']}")
    admin.get_by_label("Another reason").check()
    admin.get_by_label("Why is this certificate being revoked?").fill("Journey test: revoked on purpose")
    admin.get_by_role("button", name="Revoke certificate").click()
    admin.wait_for_load_state()
    # The confirmation page says what it does before anything changes.
    assert "The completion is kept" in admin.locator("main").inner_text()
    admin.get_by_role("button", name="Yes, revoke this certificate").click()
    admin.wait_for_load_state()
    assert re.search(r"Certificate .+ is revoked", admin.locator(".govuk-notification-banner").inner_text())
    visitor.reload()
    assert visitor.locator("h1").inner_text() == "This certificate has been revoked"
    axe.assert_clean(visitor, "journey-verify-revoked")
