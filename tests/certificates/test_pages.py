"""Certificate pages: verification, my certificates, download, email, revoke, the agency ZIP."""
from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from modules.accounts.models import Role
from modules.certificates.codes import format_code
from modules.certificates.issuing import issue_certificate_for_completion
from modules.certificates.models import Certificate, CertificatePdf
from modules.core.dates import uk_today
from modules.core.models import AuditEvent
from modules.notifications.mail import read_outbox
from tests.certificates.certificate_helpers import pdf_text
from tests.certificates.factories import make_completion, make_course


@pytest.fixture
def world(db, make_agency, make_user):
    police = make_agency(name="Northshire Constabulary")
    health = make_agency(name="Northshire Health")
    learner = make_user(agency=police, name="Jordan Sample-Pemberton", email="jordan@example.org")
    return {
        "police": police,
        "health": health,
        "learner": learner,
        "colleague": make_user(agency=police, name="Riley Colleague"),
        "outsider": make_user(agency=health, name="Casey Outsider"),
        "manager": make_user(roles=(Role.learner, Role.manager), agency=police, name="Morgan Manager"),
        "other_manager": make_user(roles=(Role.learner, Role.manager), agency=health),
        "admin": make_user(roles=(Role.learner, Role.partnership_admin), agency=health, name="Avery Admin"),
        "course": make_course(),
    }


def issue(user, version, completed_on=None, *, render=True):
    completed_on = completed_on or uk_today() - timedelta(days=10)
    from modules.core.extensions import db

    certificate = issue_certificate_for_completion(
        make_completion(user, version, completed_on=completed_on), render=render)
    db.session.commit()
    return certificate


def code_of(certificate) -> str:
    return format_code(certificate.verification_code)


# Verification -----------------------------------------------------------------------------------

def test_the_verify_page_shows_a_valid_certificate_and_nothing_else_about_the_person(client, world):
    certificate = issue(world["learner"], world["course"], render=False)
    response = client.get(f"/verify/{code_of(certificate)}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This certificate is valid" in page
    for shown in ("Jordan Sample-Pemberton", "Northshire Constabulary", "CSE-L1",
                  certificate.number, code_of(certificate)):
        assert shown in page
    assert certificate.completed_on.strftime("%B %Y") in page
    assert "jordan@example.org" not in page and "Officer" not in page  # no email or job title
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("variant", [str.lower, lambda c: c.replace("-", ""), lambda c: c.replace("-", " ")])
def test_the_code_is_found_however_it_is_typed(client, world, variant):
    certificate = issue(world["learner"], world["course"], render=False)
    assert client.get(f"/verify/{variant(code_of(certificate))}").status_code == 200


def test_the_form_normalises_the_code_and_goes_to_its_page(client, world):
    certificate = issue(world["learner"], world["course"], render=False)
    typed = code_of(certificate).lower().replace("-", " ")
    response = client.get("/verify", query_string={"code": f"  {typed} "})
    assert response.status_code == 302
    assert response.location.endswith(f"/verify/{code_of(certificate)}")


def test_the_form_explains_a_malformed_code(client):
    page = client.get("/verify", query_string={"code": "12345"}).get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert "16 letters and numbers" in page
    page = client.get("/verify", query_string={"code": ""}).get_data(as_text=True)
    assert "Enter the verification code from the certificate" in page


def test_an_unknown_code_gets_a_clear_404_page(client, world):
    response = client.get("/verify/AAAA-BBBB-CCCC-DDDD")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "No certificate has this code" in page and "AAAA-BBBB-CCCC-DDDD" in page
    response = client.get("/verify/<script>alert(1)</script>")
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_expired_and_superseded_certificates_say_so(client, world):
    old = issue(world["learner"], world["course"], uk_today() - timedelta(days=4 * 365))
    assert "This certificate has expired" in client.get(f"/verify/{code_of(old)}").get_data(as_text=True)
    recent = issue(world["learner"], world["course"], uk_today() - timedelta(days=400))
    newest = issue(world["learner"], world["course"], uk_today() - timedelta(days=1))
    page = client.get(f"/verify/{code_of(recent)}").get_data(as_text=True)
    assert "replaced by a newer one" in page
    assert code_of(newest) not in page  # the newer certificate is not given away
    assert "This certificate is valid" in client.get(f"/verify/{code_of(newest)}").get_data(as_text=True)


@pytest.fixture
def rate_limited_app(database_url, tmp_path):
    """Rate limits on, as in production, with a small verification budget."""
    from tests.conftest import _empty_all_tables, _test_config, build_app

    config = _test_config(database_url, tmp_path)
    config.update(RATELIMIT_ENABLED=True, SIGHTLINE_VERIFY_LIMIT="3 per minute")
    app = build_app(config)
    with app.app_context():
        yield app
        from modules.core.extensions import db

        db.session.remove()
        _empty_all_tables(db)
        db.engine.dispose()


def test_verification_is_rate_limited_per_address(rate_limited_app):
    client = rate_limited_app.test_client()
    statuses = [client.get("/verify/AAAA-BBBB-CCCC-DDDD").status_code for _ in range(2)]
    statuses.append(client.get("/verify").status_code)  # the form shares the same budget
    statuses.append(client.get("/verify/AAAA-BBBB-CCCC-DDDD").status_code)
    assert statuses == [404, 404, 200, 429]
    # Another address has its own budget.
    other = client.get("/verify", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200


# My certificates, download and email ------------------------------------------------------------

def test_my_certificates_lists_mine_current_first(client, sign_in, world):
    learner = world["learner"]
    old = issue(learner, world["course"], uk_today() - timedelta(days=800))
    new = issue(learner, world["course"], uk_today() - timedelta(days=3))
    other_course = make_course(slug="taxi", code="CSE-TAXI", title="Safeguarding for taxi drivers")
    taxi = issue(learner, other_course, uk_today() - timedelta(days=100))
    issue(world["colleague"], world["course"])
    sign_in(learner)
    page = client.get("/my-certificates").get_data(as_text=True)
    assert page.count('class="govuk-summary-card__title"') == 3
    # Valid ones (newest completion first), then the superseded one.
    assert page.index(new.number) < page.index(taxi.number) < page.index(old.number)
    assert "Superseded" in page and "Riley" not in page


def test_a_learner_downloads_their_own_certificate_only(client, sign_in, world):
    mine = issue(world["learner"], world["course"])
    theirs = issue(world["colleague"], world["course"])
    sign_in(world["learner"])
    response = client.get(f"/certificates/{mine.id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f'filename="{mine.number} CSE-L1.pdf"' in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    assert "Jordan Sample-Pemberton" in pdf_text(response.data)
    assert client.get(f"/certificates/{theirs.id}/pdf").status_code == 404
    assert client.get("/certificates/999999/pdf").status_code == 404


def test_download_serves_the_stored_pdf_without_rendering_again(client, sign_in, world, db):
    certificate = issue(world["learner"], world["course"])
    stored = db.session.get(CertificatePdf, certificate.id)
    marker = stored.data + b"%stored-copy\n"
    stored.data, stored.size = marker, len(marker)
    db.session.commit()
    sign_in(world["learner"])
    assert client.get(f"/certificates/{certificate.id}/pdf").data == marker


def test_email_it_to_myself_sends_the_pdf_to_my_address(app, client, sign_in, world):
    certificate = issue(world["learner"], world["course"])
    sign_in(world["learner"])
    response = client.post(f"/certificates/{certificate.id}/email")
    assert response.status_code == 302 and response.location.endswith("/my-certificates")
    [message] = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    assert message.to == "jordan@example.org"
    assert message.attachments == ((f"{certificate.number} CSE-L1.pdf", certificate.pdf.size),)
    assert code_of(certificate) in message.body
    assert "We have emailed your certificate" in client.get("/my-certificates").get_data(as_text=True)


def test_nobody_can_email_someone_elses_certificate(app, client, sign_in, world):
    certificate = issue(world["colleague"], world["course"], render=False)
    sign_in(world["manager"])  # even their manager: it would go to the manager's own address
    assert client.post(f"/certificates/{certificate.id}/email").status_code == 404
    assert read_outbox(app.config["MAIL_OUTBOX_DIR"]) == []


# Revocation -------------------------------------------------------------------------------------

def test_an_admin_revokes_with_a_reason_and_everything_says_so_at_once(app, client, sign_in, world, db):
    certificate = issue(world["learner"], world["course"])
    original = db.session.get(CertificatePdf, certificate.id).data
    admin = world["admin"]
    sign_in(admin)
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "Revoke this certificate" in page

    assert "Enter why" in client.post(f"/certificates/{certificate.id}/revoke",
                                      data={"reason": "  "}).get_data(as_text=True)
    response = client.post(f"/certificates/{certificate.id}/revoke",
                           data={"category": "issued_in_error",
                                 "reason": "Issued to the wrong person after an account mix-up",
                                 "confirm": "Yes"})
    assert response.status_code == 302
    db.session.expire_all()
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.revoked_at is not None and certificate.revoked_by_id == admin.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoked"))
    assert event.actor_id == admin.id and event.subject_id == str(certificate.id)
    assert event.details["reason"] == "Issued to the wrong person after an account mix-up"

    # The public page says revoked, with the date but not the private reason.
    public = client.get(f"/verify/{code_of(certificate)}").get_data(as_text=True)
    assert "This certificate has been revoked" in public
    assert uk_today().strftime("%B %Y") in public
    assert "wrong person" not in public

    # Downloads and email are refused with an explanation; the stored original is kept.
    client.post("/sign-out")
    sign_in(world["learner"])
    response = client.get(f"/certificates/{certificate.id}/pdf")
    assert response.status_code == 410
    assert "This certificate has been revoked" in response.get_data(as_text=True)
    assert client.post(f"/certificates/{certificate.id}/email").status_code == 410
    assert read_outbox(app.config["MAIL_OUTBOX_DIR"]) == []
    mine = client.get("/my-certificates").get_data(as_text=True)
    assert "Revoked on" in mine and "wrong person" not in mine
    assert db.session.get(CertificatePdf, certificate.id).data == original


def test_revoking_a_newer_certificate_makes_the_older_one_current_again(client, world):
    older = issue(world["learner"], world["course"], uk_today() - timedelta(days=300), render=False)
    newer = issue(world["learner"], world["course"], uk_today() - timedelta(days=2), render=False)
    from modules.certificates import services
    from modules.core.extensions import db

    assert "replaced by a newer one" in client.get(f"/verify/{code_of(older)}").get_data(as_text=True)
    services.revoke(newer, actor=world["admin"], reason="Completed in error")
    db.session.commit()
    assert "This certificate is valid" in client.get(f"/verify/{code_of(older)}").get_data(as_text=True)


def test_managers_see_but_cannot_revoke(client, sign_in, world):
    certificate = issue(world["learner"], world["course"], render=False)
    sign_in(world["manager"])
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert certificate.number in page and "Revoke this certificate" not in page
    assert client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "x"}).status_code == 403


# The agency ZIP ---------------------------------------------------------------------------------

def test_a_manager_downloads_their_agency_certificates_as_one_zip(client, sign_in, world, db):
    in_range = issue(world["learner"], world["course"], date(2026, 4, 10))
    also = issue(world["colleague"], world["course"], date(2026, 5, 1))
    issue(world["colleague"], world["course"], date(2025, 1, 1))  # before the range
    taxi = make_course(slug="taxi", code="CSE-TAXI")
    issue(world["learner"], taxi, date(2026, 4, 11))  # another course
    issue(world["outsider"], world["course"], date(2026, 4, 12))  # another agency
    revoked = issue(world["colleague"], world["course"], date(2026, 4, 20))
    revoked.revoked_at = revoked.issued_at
    pending = issue(world["learner"], world["course"], date(2026, 6, 1), render=False)
    db.session.commit()

    sign_in(world["manager"])
    police = world["police"].id
    query = {"course": str(world["course"].course_id),
             "completed_from": ["1", "4", "2026"], "completed_to": ["30", "6", "2026"]}
    page = client.get(f"/agencies/{police}/certificates", query_string=query).get_data(as_text=True)
    assert "The ZIP file will hold <strong>2 certificates</strong>" in page
    assert "1 more certificate has not been produced" in page
    assert "1 revoked certificate is left out" in page
    assert pending.number in page and revoked.number in page  # both listed in the table

    response = client.get(f"/agencies/{police}/certificates.zip", query_string=query)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.is_streamed
    body = response.get_data()
    assert int(response.headers["Content-Length"]) == len(body)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    assert archive.namelist() == [
        f"{in_range.number} Jordan Sample-Pemberton CSE-L1.pdf",
        f"{also.number} Riley Colleague CSE-L1.pdf",
    ]
    assert archive.read(archive.namelist()[0]) == db.session.get(CertificatePdf, in_range.id).data
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificates.zip_downloaded"))
    assert event.details["certificates"] == 2 and event.agency_id == police


def test_the_zip_is_only_for_the_managers_own_agency(client, sign_in, world):
    issue(world["outsider"], world["course"], render=False)
    sign_in(world["manager"])
    health = world["health"].id
    assert client.get(f"/agencies/{health}/certificates").status_code == 404
    assert client.get(f"/agencies/{health}/certificates.zip").status_code == 404
    client.post("/sign-out")
    sign_in(world["learner"])
    assert client.get(f"/agencies/{world['police'].id}/certificates.zip").status_code == 403


def test_a_partnership_admin_can_download_any_agency(client, sign_in, world):
    certificate = issue(world["learner"], world["course"])
    sign_in(world["admin"])
    response = client.get(f"/agencies/{world['police'].id}/certificates.zip")
    names = zipfile.ZipFile(io.BytesIO(response.get_data())).namelist()
    assert names == [f"{certificate.number} Jordan Sample-Pemberton CSE-L1.pdf"]


def test_a_bad_date_range_is_explained_not_zipped(client, sign_in, world):
    sign_in(world["manager"])
    police = world["police"].id
    bad = {"completed_from": ["1", "5", "2026"], "completed_to": ["1", "4", "2026"]}
    page = client.get(f"/agencies/{police}/certificates", query_string=bad).get_data(as_text=True)
    assert "must be the same as or after" in page
    half = {"completed_from": ["", "5", "2026"]}
    assert "must include a day, month and year" in client.get(
        f"/agencies/{police}/certificates", query_string=half).get_data(as_text=True)
    response = client.get(f"/agencies/{police}/certificates.zip", query_string=bad)
    assert response.status_code == 302 and "/certificates?" in response.location


def test_the_learner_record_links_each_completion_to_its_certificate(client, sign_in, world, db):
    from modules.certificates import services

    certificate = issue(world["learner"], world["course"], render=False)
    sign_in(world["learner"])
    page = client.get("/my-training/record").get_data(as_text=True)
    assert f"Download certificate {certificate.number}" in page
    assert f'/certificates/{certificate.id}/pdf"' in page
    assert 'href="/my-certificates"' in page  # the navigation has "My certificates"
    services.revoke(certificate, actor=world["admin"], reason="Issued in error")
    db.session.commit()
    assert f"{certificate.number} (revoked)" in client.get("/my-training/record").get_data(as_text=True)
