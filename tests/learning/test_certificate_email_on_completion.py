"""The certificate by email on completion: sent once, after the commit, with the PDF attached,
through a real SMTP server on loopback; never when the learner turned it off, never for a manual
record; the learner's switch on their account page."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from modules.accounts.models import Role, User
from modules.certificates.completion_mail import EMAILED, email_on_completion
from modules.certificates.models import Certificate
from modules.core.dates import uk_today
from modules.core.models import AuditEvent, utcnow
from modules.learning import progress
from modules.learning.manual import record_manual
from tests.smtp_server import Inbox, SmtpServer, body, free_port


@pytest.fixture
def smtp(app):
    server = SmtpServer(free_port(), Inbox())
    server.start()
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=server.port, MAIL_SMTP_STARTTLS=False,
                      MAIL_SMTP_USERNAME="", MAIL_SMTP_PASSWORD="")
    yield server
    server.stop()


def _complete(db, do, learner, course):
    enrolment = progress.start_course(learner, course.course).enrolment
    db.session.commit()
    for mv in course.module_versions[:3]:
        do.module(enrolment, mv)
    _, created = do.quiz(enrolment, course.module_versions[3])
    [completion] = created
    return db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))


def test_completing_a_course_emails_the_certificate_once_with_the_pdf(db, smtp, learner, course_a, do):
    certificate = _complete(db, do, learner, course_a)

    [message] = smtp.inbox.to(learner.email)
    assert message["Subject"] == f"Your certificate: {certificate.course_title}"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{certificate.number} CRS-A.pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    text = body(message)
    assert "you have completed" in text and certificate.number in text
    assert "/account" in text  # how to turn these emails off
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == EMAILED, AuditEvent.subject_id == str(certificate.id))) == 1

    # The job running a second time (jobs may) sends nothing more.
    email_on_completion(certificate.id)
    assert len(smtp.inbox.messages) == 1


def test_no_email_when_the_learner_turned_it_off(db, smtp, learner, course_a, do):
    learner.email_certificates = False
    db.session.commit()
    certificate = _complete(db, do, learner, course_a)
    assert certificate is not None  # the certificate is issued all the same
    assert smtp.inbox.messages == []


def test_turning_it_off_after_completing_stops_a_job_still_waiting(db, smtp, learner, course_a, do):
    certificate = _complete(db, do, learner, course_a)
    smtp.inbox.messages.clear()
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.action == EMAILED))
    learner.email_certificates = False
    db.session.commit()
    email_on_completion(certificate.id)
    assert smtp.inbox.messages == []


def test_a_manual_record_emails_nothing(db, smtp, make_user, course_a):
    learner = make_user(roles=(Role.learner,), email="f2f@example.org")
    manager = make_user(roles=(Role.learner, Role.manager), agency=learner.agency)
    record_manual(person=learner, course=course_a.course, version=course_a, completed_on=uk_today() - timedelta(days=3),
                  evidence="Face-to-face session, signed register", recorded_by_id=manager.id, recorded_at=utcnow())
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    assert smtp.inbox.messages == []


def test_the_learner_turns_the_email_off_and_on_from_their_account(db, client, sign_in, learner):
    sign_in(learner)
    page = client.get("/account").get_data(as_text=True)
    assert "Email me my certificate when I complete a course" in page
    assert 'value="yes" checked' in page

    response = client.post("/account/certificate-email", data={"email_certificates": "no"})
    assert response.status_code == 302 and response.location.endswith("/account#certificate-email")
    assert db.session.get(User, learner.id).email_certificates is False
    page = client.get("/account").get_data(as_text=True)
    assert 'value="no" checked' in page and "We will not email your certificates" in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.certificate_email_changed"))
    assert event.actor_id == learner.id and event.details == {"email_certificates": False}

    client.post("/account/certificate-email", data={"email_certificates": "yes"})
    db.session.expire_all()
    assert db.session.get(User, learner.id).email_certificates is True
    # Saving the same choice again records nothing new.
    client.post("/account/certificate-email", data={"email_certificates": "yes"})
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "account.certificate_email_changed")) == 2


def test_a_missing_choice_is_explained(db, client, sign_in, learner):
    sign_in(learner)
    response = client.post("/account/certificate-email", data={"email_certificates": "maybe"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error: Your account" in page
    assert db.session.get(User, learner.id).email_certificates is True


def test_old_certificates_issued_in_bulk_are_not_emailed(db, smtp, learner, course_a):
    from modules.certificates.issuing import issue_certificates_in_bulk
    from tests.certificates.factories import make_completion

    completion = make_completion(learner, course_a, completed_on=date(2025, 5, 1))
    issue_certificates_in_bulk([completion])
    db.session.commit()
    assert smtp.inbox.messages == []
