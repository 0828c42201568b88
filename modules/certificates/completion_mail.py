"""The certificate by email when the learner completes a course (unless they turned it off).

:func:`modules.certificates.issuing.issue_on_completion` queues :func:`email_on_completion` with
:func:`modules.core.jobs.enqueue_after_commit`, after the job that renders the PDF, so the mail
goes only once the completion and its certificate have committed, and the learner's last click
never waits for SMTP.

Why a job and not the durable ``outgoing_mail`` queue that reminders use: that queue holds plain
text only, and the mail's point is the PDF attached. Storing a 35 KB PDF a second time in a
queue row would also duplicate what ``certificate_pdfs`` already keeps. What a failed send loses
is small and recoverable: the certificate is on "My certificates", with "Email it to me".

"Once per certificate": the signal fires once per new completion and a completion has one
certificate, so the job is queued once. A job may still run twice (the jobs contract), so it
records ``certificate.emailed_on_completion`` in the audit log when it has sent, and sends
nothing if that event is there already.
"""
from __future__ import annotations

from contextlib import nullcontext

from flask import current_app, has_request_context
from sqlalchemy import select

from modules.certificates.models import Certificate
from modules.core import audit
from modules.core.extensions import db
from modules.core.models import AuditEvent

EMAILED = "certificate.emailed_on_completion"


def wants_certificate_email(user) -> bool:
    return bool(user.email_certificates) and user.active


def already_emailed(certificate_id: int) -> bool:
    return db.session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.action == EMAILED,
            AuditEvent.subject_type == "Certificate",
            AuditEvent.subject_id == str(certificate_id),
        ).limit(1)
    ) is not None


def email_on_completion(certificate_id: int) -> None:
    """The after-commit job: email the new certificate's PDF to its learner. Commits.

    Nothing is sent for a certificate revoked meanwhile, already emailed, or whose learner has
    turned the email off since (their choice at the moment of sending is the one that counts).
    """
    from modules.certificates import services

    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.revoked_at is not None:
        return
    if not wants_certificate_email(certificate.user) or already_emailed(certificate.id):
        return
    # url_for (the account page's link in the mail) needs a request; a background job has none.
    with nullcontext() if has_request_context() else current_app.test_request_context():
        services.email_certificate(certificate, current_app.config,
                                   template="certificates/email/certificate_on_completion.txt")
    audit.record(EMAILED, subject=certificate, agency_id=certificate.agency_id)
    # Also keeps a PDF that was rendered just now for the attachment.
    db.session.commit()
