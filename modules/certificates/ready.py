"""For the learner's pages where a course is completed (modules.learning.next_steps): the
completion's certificate, with where to download it and where "Email it to me" posts."""
from __future__ import annotations

from flask import url_for

from modules.certificates.issuing import certificate_for_completion
from modules.learning.next_steps import CertificateReady


def certificate_ready(completion) -> CertificateReady | None:
    """None when the completion has no certificate yet, or only a revoked one."""
    certificate = certificate_for_completion(completion.id)
    if certificate is None or certificate.revoked_at is not None:
        return None
    return CertificateReady(
        download_url=url_for("certificates.download", certificate_id=certificate.id),
        email_url=url_for("certificates.email", certificate_id=certificate.id),
        number=certificate.number,
    )
