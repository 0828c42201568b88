"""Certificates in Chromium: a learner downloads and emails their certificate, anyone verifies it
by QR code or typed code, an admin revokes it, a manager downloads the agency's ZIP. axe-core
checks every page on the way."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in
from tests.certificates.certificate_helpers import decode_qr_codes, pdf_text

pytestmark = pytest.mark.browser

COURSE_SLUG = "browser-certificates-course"
COURSE_CODE = "BR-CERT"
COURSE_TITLE = "Certificates browser test course"


@pytest.fixture(scope="module")
def certified(live_server):
    """A demo member of Northshire Police completes a (not required) course: the learning area's
    completion signal issues the certificate, as after a real final assessment. Two colleagues
    get one too, for the manager's ZIP."""
    app = live_server["app"]
    with app.app_context():
        from modules.accounts.models import Agency, User
        from modules.certificates.models import Certificate
        from modules.core.dates import uk_today
        from modules.core.extensions import db
        from modules.learning.signals import completion_recorded
        from tests.certificates.factories import make_completion, make_course

        police = db.session.scalar(db.select(Agency).where(Agency.name == "Northshire Police"))
        staff = list(db.session.scalars(
            db.select(User).where(User.agency_id == police.id, User.email.like("staff%")).order_by(User.id)
        ))[:3]
        version = make_course(COURSE_SLUG, code=COURSE_CODE, title=COURSE_TITLE, cpd_minutes=90)
        ids = []
        for n, person in enumerate(staff):
            completion = make_completion(person, version, completed_on=uk_today() - timedelta(days=n))
            completion_recorded.send(app, completion=completion)
            db.session.commit()
            ids.append(db.session.scalar(
                db.select(Certificate.id).where(Certificate.completion_id == completion.id)))
        certificate = db.session.get(Certificate, ids[0])
        result = {
            "email": staff[0].email, "name": staff[0].name, "id": certificate.id,
            "number": certificate.number, "code": certificate.verification_code,
            "completed_on": certificate.completed_on, "expires_on": certificate.expires_on,
            "agency_id": police.id,
            "other_agency_id": db.session.scalar(db.select(Agency.id).where(Agency.id != police.id)),
            "all_numbers": [db.session.get(Certificate, i).number for i in ids],
        }
        db.session.remove()
    return result


def _zip_numbers(app, agency_id: int) -> list[str]:
    """The numbers of the course's certificates a ZIP should hold: not revoked, PDF stored."""
    with app.app_context():
        from modules.certificates.models import Certificate, CertificatePdf
        from modules.core.extensions import db

        numbers = list(db.session.scalars(
            db.select(Certificate.number)
            .join(CertificatePdf, CertificatePdf.certificate_id == Certificate.id)
            .where(Certificate.agency_id == agency_id, Certificate.course_code == COURSE_CODE,
                   Certificate.revoked_at.is_(None))
        ))
        db.session.remove()
    return numbers


def _formatted(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, 16, 4))


def test_download_verify_and_revoke_a_certificate(page, axe, live_server, certified, tmp_path, browser):
    from modules.core.templating import uk_date

    code = _formatted(certified["code"])
    sign_in(page, certified["email"])
    page.get_by_role("link", name="My certificates").first.click()
    assert page.locator("h1").inner_text() == "My certificates"
    card = page.locator(".govuk-summary-card").filter(has_text=COURSE_TITLE)
    assert "Valid" in card.inner_text() and certified["number"] in card.inner_text()
    axe.assert_clean(page, "my-certificates")

    with page.expect_download() as download:
        card.get_by_role("link", name=re.compile("^Download PDF")).click()
    pdf = Path(download.value.path()).read_bytes()
    text = pdf_text(pdf)
    for expected in (certified["name"], COURSE_TITLE, COURSE_CODE, "1 hour 30 minutes",
                     uk_date(certified["completed_on"]), uk_date(certified["expires_on"]),
                     certified["number"], code):
        assert expected in text, expected
    verify_url = f"{live_server['url']}/verify/{code}"
    assert decode_qr_codes(pdf, tmp_path) == [verify_url]

    # "Email it to me": the message with the PDF lands in the development outbox.
    card.get_by_role("button", name=re.compile("^Email it to me")).click()
    page.wait_for_load_state()
    assert "We have emailed your certificate" in page.locator(".govuk-notification-banner").inner_text()
    axe.assert_clean(page, "my-certificates-emailed")

    # Anyone (a fresh browser, nobody signed in) scans the QR code: valid.
    visitor = browser.new_context(base_url=live_server["url"]).new_page()
    visitor.goto(verify_url)
    assert visitor.locator("h1").inner_text() == "This certificate is valid"
    assert certified["name"] in visitor.locator(".govuk-summary-list").inner_text()
    assert certified["email"] not in visitor.content()
    axe.assert_clean(visitor, "verify-valid")

    # ...or types the code, in lower case with spaces.
    visitor.goto("/verify")
    axe.assert_clean(visitor, "verify-form")
    visitor.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    visitor.get_by_role("button", name="Check certificate").click()
    visitor.wait_for_load_state()
    assert visitor.url == verify_url
    visitor.goto("/verify?code=not-a-code")
    assert visitor.title().startswith("Error: ")
    axe.assert_clean(visitor, "verify-form-error")
    visitor.goto("/verify/AAAA-BBBB-CCCC-DDDD")
    assert visitor.locator("h1").inner_text() == "No certificate has this code"
    axe.assert_clean(visitor, "verify-not-found")

    # A partnership admin revokes it, with a reason.
    admin = browser.new_context(base_url=live_server["url"]).new_page()
    sign_in(admin, "admin@example.org")
    admin.goto(f"/certificates/{certified['id']}")
    axe.assert_clean(admin, "certificate-admin")
    admin.get_by_role("button", name="Revoke certificate").click()
    admin.wait_for_load_state()
    assert "Enter why the certificate is being revoked" in admin.locator(".govuk-error-summary").inner_text()
    axe.assert_clean(admin, "certificate-revoke-error")
    assert "Select what kind of reason it is" in admin.locator(".govuk-error-summary").inner_text()
    admin.get_by_label("Issued in error: the person did not complete this training").check()
    admin.get_by_label("Why is this certificate being revoked?").fill("Browser test: issued in error")
    admin.get_by_role("button", name="Revoke certificate").click()
    admin.wait_for_load_state()
    assert "The completion is withdrawn" in admin.locator("main").inner_text()
    axe.assert_clean(admin, "certificate-revoke-confirm")
    admin.get_by_role("button", name="Yes, revoke this certificate").click()
    admin.wait_for_load_state()
    banner = admin.locator(".govuk-notification-banner").inner_text()
    assert "is revoked" in banner and "completion is withdrawn" in banner

    # The verification page says so at once, without the private reason.
    visitor.goto(verify_url)
    assert visitor.locator("h1").inner_text() == "This certificate has been revoked"
    assert "issued in error" not in visitor.content()
    axe.assert_clean(visitor, "verify-revoked")

    # The learner can no longer download it.
    page.reload()
    card = page.locator(".govuk-summary-card").filter(has_text=COURSE_TITLE)
    assert "Revoked on" in card.inner_text()
    assert card.get_by_role("link", name=re.compile("^Download PDF")).count() == 0
    response = page.request.get(f"/certificates/{certified['id']}/pdf")
    assert response.status == 410


def test_a_manager_downloads_the_agency_zip(page, axe, live_server, certified):
    sign_in(page, "manager@example.org")
    page.get_by_role("link", name=re.compile("^Staff certificates")).click()
    assert page.locator("h1").inner_text() == "Certificates"
    axe.assert_clean(page, "agency-certificates")

    page.get_by_label("Course").select_option(label=f"{COURSE_CODE}: {COURSE_TITLE}")
    page.get_by_role("button", name="Show certificates").click()
    page.wait_for_load_state()
    expected = _zip_numbers(live_server["app"], certified["agency_id"])
    assert expected
    plural = "s" if len(expected) != 1 else ""
    assert f"The ZIP file will hold {len(expected)} certificate{plural}" in page.locator("main").inner_text()
    axe.assert_clean(page, "agency-certificates-filtered")

    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(r"^Download \d+ certificates? \(ZIP file\)")).click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert archive.testzip() is None
    names = archive.namelist()
    assert all(name.endswith(f" {COURSE_CODE}.pdf") for name in names)
    assert sorted(name.split(" ")[0] for name in names) == sorted(expected)

    # Another agency's certificates are not there to be found.
    assert page.request.get(f"/agencies/{certified['other_agency_id']}/certificates.zip").status == 404
    assert page.request.get(f"/agencies/{certified['other_agency_id']}/certificates").status == 404
