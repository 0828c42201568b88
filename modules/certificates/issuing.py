"""Issuing certificates: exactly one per online course completion, numbered, and rendered once.

How a certificate comes about. modules.learning sends ``completion_recorded`` for every new
completion, inside the transaction that records it; :func:`issue_on_completion` is this area's
only receiver. For a completion done online it reserves the certificate (number, verification
code, snapshot) in that same transaction, so the number commits with the completion or not at
all, and queues :func:`render_stored_pdf` to run after the commit
(:func:`modules.core.jobs.enqueue_after_commit`). WeasyPrint (about 60 ms) therefore never runs
while the transaction, or the number lock below, is held, and the learner's last click does not
wait for it. If the render fails, the completion and the number stand; the PDF is made on the
certificate's first download, or by ``flask certificates render --pending`` (which also issues
certificates for any online completion that has none).

How "exactly once" holds when two calls race for the same completion (a double submit, or the
bulk renderer meeting a learner's request):

1. a quick look for an existing certificate (the usual answer for a repeated call);
2. the year's :class:`CertificateSequence` row is locked by a no-op UPDATE. On PostgreSQL that is
   a row lock held to the end of the transaction; on SQLite the first write of a transaction takes
   the database's write lock. Either way, issuers queue here one at a time;
3. a second look, now that any racer ahead in the queue has committed: if it issued the
   certificate, that one is returned;
4. the next serial is taken from the locked row and the certificate is inserted. The unique
   constraint on ``completion_id`` stays as the last line of defence.

Because the number is taken under the same lock, numbers are sequential without gaps (a rolled
back transaction also rolls back its number).
"""
from __future__ import annotations

import logging
from datetime import date

from flask import current_app
from sqlalchemy import insert, select, update

from modules.certificates.codes import (
    format_code,
    format_number,
    new_verification_code,
    number_prefix,
)
from modules.certificates.completion_mail import email_on_completion, wants_certificate_email
from modules.certificates.data import CertificateData
from modules.certificates.models import Certificate, CertificatePdf, CertificateSequence
from modules.core.database import insert_ignoring_duplicates, insert_many_ignoring_duplicates
from modules.core.dates import uk_date_of
from modules.core.extensions import db
from modules.core.jobs import enqueue_after_commit
from modules.core.models import utcnow
from modules.core.settings import setting
from modules.learning.models import CompletionSource

log = logging.getLogger(__name__)

VERIFY_PATH = "/verify/"


def verify_url(base_url: str, verification_code: str) -> str:
    """The public verification page of a code, as printed and put in the QR code."""
    return f"{base_url.rstrip('/')}{VERIFY_PATH}{format_code(verification_code)}"


def certificate_for_completion(completion_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.completion_id == completion_id))


def issue_certificate_for_completion(
    completion, *, render: bool | None = None, today: date | None = None
) -> Certificate:
    """The certificate of ``completion``: the existing one, or a new one issued now.

    Adds to the session and flushes; never commits (the caller commits with the completion).

    :param completion: a :class:`modules.learning.models.Completion`.
    :param render: render and store the PDF once the transaction has committed; default
        ``SIGHTLINE_CERTIFICATE_RENDER_ON_ISSUE``. Otherwise the PDF is made on first download
        or by ``render --pending``.
    :param today: the issue date (for the number's year); default today in the UK.
    """
    existing = certificate_for_completion(completion.id)
    if existing is not None:
        return existing
    year = (today or uk_date_of(utcnow())).year
    _lock_sequence(year)
    existing = certificate_for_completion(completion.id)
    if existing is not None:
        return existing

    serial = _reserve_serials(year, 1)
    certificate = Certificate(**_snapshot(completion, year, serial, _unused_verification_code()))
    db.session.add(certificate)
    db.session.flush()
    if render if render is not None else setting("SIGHTLINE_CERTIFICATE_RENDER_ON_ISSUE"):
        enqueue_after_commit(render_stored_pdf, certificate.id)
    return certificate


def issue_on_completion(sender, completion, **_ignored) -> None:
    """Receiver of modules.learning's ``completion_recorded`` signal (inside its transaction).

    Only training Sightline delivered is certified: a completion recorded by a manager is
    evidenced by their note, not by our course (and so nothing is emailed for it either).
    The learner gets the certificate by email after the commit unless they turned that off
    (:mod:`modules.certificates.completion_mail`).
    """
    if completion.source is CompletionSource.online:
        certificate = issue_certificate_for_completion(completion)
        if wants_certificate_email(completion.user):
            # Queued after the render job, so the PDF is usually stored by the time it runs.
            enqueue_after_commit(email_on_completion, certificate.id)


def render_stored_pdf(certificate_id: int) -> None:
    """The after-commit job: render the certificate's PDF and store it. Commits.

    Nothing to do if it was revoked or already has a PDF (a download got there first). A design
    error is logged and leaves the certificate without a PDF, to be made on first download or by
    ``render --pending``: a broken design must never undo a learner's completion.
    """
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.revoked_at is not None or has_stored_pdf(certificate):
        return
    try:
        pdf = render_pdf(certificate)
    except Exception:  # noqa: BLE001 - logged; the PDF is made again later
        log.exception("certificate %s issued without a PDF: rendering failed", certificate.number)
        return
    store_pdf(certificate, pdf)
    db.session.commit()


def _lock_sequence(year: int) -> None:
    """Make sure the year's row exists, then lock it until the transaction ends."""
    insert_ignoring_duplicates(CertificateSequence, year=year, last_serial=0)
    db.session.execute(
        update(CertificateSequence)
        .where(CertificateSequence.year == year)
        .values(last_serial=CertificateSequence.last_serial)
        .execution_options(synchronize_session=False)
    )


def _reserve_serials(year: int, count: int) -> int:
    """Take ``count`` numbers from the (locked) year's sequence; returns the first."""
    db.session.execute(
        update(CertificateSequence)
        .where(CertificateSequence.year == year)
        .values(last_serial=CertificateSequence.last_serial + count)
        .execution_options(synchronize_session=False)
    )
    last = db.session.scalar(
        select(CertificateSequence.last_serial).where(CertificateSequence.year == year)
    )
    return last - count + 1


def _snapshot(completion, year: int, serial: int, code: str) -> dict:
    """The column values of a new certificate: what is true now, copied."""
    config = current_app.config
    prefix = config.get("SIGHTLINE_CERTIFICATE_PREFIX") or number_prefix(
        config["SIGHTLINE_PARTNERSHIP_NAME"]
    )
    version = completion.course_version
    user = completion.user
    return dict(
        completion_id=completion.id,
        user_id=user.id,
        agency_id=user.agency_id,
        course_id=completion.course_id,
        course_version_id=version.id,
        year=year,
        serial=serial,
        number=format_number(prefix, year, serial),
        verification_code=code,
        partnership_name=config["SIGHTLINE_PARTNERSHIP_NAME"],
        learner_name=user.name,
        agency_name=user.agency.name,
        course_title=version.title,
        course_code=version.code,
        course_level=version.level,
        cpd_minutes=version.cpd_minutes,
        completed_on=completion.completed_on,
        expires_on=completion.expires_on,
        content_version=version.content_hash,
        design=version.certificate_design or "default",
    )


def issue_certificates_in_bulk(completions: list, *, today: date | None = None) -> int:
    """Issue certificates (no PDFs) for many completions at once: one lock, one reservation of
    numbers and one INSERT, for the bulk renderer. Completions that already have a certificate
    are skipped. Flushes; never commits.

    :param completions: with ``user.agency`` and ``course_version`` loaded, ideally.
    :return: how many certificates were issued.
    """
    if not completions:
        return 0
    year = (today or uk_date_of(utcnow())).year
    _lock_sequence(year)
    have = set(db.session.scalars(
        select(Certificate.completion_id)
        .where(Certificate.completion_id.in_([c.id for c in completions]))
    ))
    todo = [c for c in completions if c.id not in have]
    if not todo:
        return 0
    first = _reserve_serials(year, len(todo))
    codes = _unused_verification_codes(len(todo))
    db.session.execute(insert(Certificate), [
        {**_snapshot(c, year, first + n, codes[n]), "issued_at": utcnow()}
        for n, c in enumerate(todo)
    ])
    return len(todo)


def _unused_verification_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        fresh = {new_verification_code() for _ in range(count - len(codes))} - codes
        taken = set(db.session.scalars(
            select(Certificate.verification_code).where(Certificate.verification_code.in_(fresh))
        ))
        codes |= fresh - taken
    return list(codes)


def _unused_verification_code() -> str:
    # 80 random bits make a repeat practically impossible; checking costs one indexed look-up
    # and turns "practically" into "never" (the unique constraint backs it up).
    while True:
        code = new_verification_code()
        taken = db.session.scalar(
            select(Certificate.id).where(Certificate.verification_code == code)
        )
        if taken is None:
            return code


def certificate_data(certificate: Certificate, base_url: str) -> CertificateData:
    """What the PDF prints, from the certificate's snapshot (never from live records)."""
    return CertificateData(
        partnership_name=certificate.partnership_name,
        learner_name=certificate.learner_name,
        agency_name=certificate.agency_name,
        course_title=certificate.course_title,
        course_code=certificate.course_code,
        course_level=certificate.course_level,
        cpd_minutes=certificate.cpd_minutes,
        completed_on=certificate.completed_on,
        expires_on=certificate.expires_on,
        content_version=certificate.content_version,
        certificate_number=certificate.number,
        verification_code=format_code(certificate.verification_code),
        verify_url=verify_url(base_url, certificate.verification_code),
    )


def render_pdf(certificate: Certificate, renderer=None) -> bytes:
    """Render the certificate's PDF with its design (nothing stored).

    :raise CertificateError: the design is missing or broken.
    """
    from modules.certificates import get_renderer

    renderer = renderer or get_renderer(current_app)
    data = certificate_data(certificate, setting("SIGHTLINE_BASE_URL"))
    return renderer.render(data, design=certificate.design)


def store_pdf(certificate: Certificate, pdf: bytes) -> None:
    """Keep a rendered PDF (not committed here). If another request stored one first, theirs
    stays: a certificate's PDF is rendered once and never replaced."""
    insert_ignoring_duplicates(
        CertificatePdf,
        certificate_id=certificate.id,
        data=pdf,
        size=len(pdf),
        design=certificate.design,
        content_version=certificate.content_version,
        rendered_at=utcnow(),
    )


def store_pdf_rows(rows: list[dict]) -> None:
    """Keep many rendered PDFs in one statement (the bulk renderer's batches); each dict has
    ``certificate_id``, ``data``, ``size``, ``design`` and ``content_version``. A PDF stored
    meanwhile by a learner's download is kept, not replaced."""
    if not rows:
        return
    now = utcnow()
    insert_many_ignoring_duplicates(CertificatePdf, [{**row, "rendered_at": now} for row in rows])


def has_stored_pdf(certificate: Certificate) -> bool:
    return db.session.scalar(
        select(CertificatePdf.certificate_id).where(CertificatePdf.certificate_id == certificate.id)
    ) is not None


def stored_pdf(certificate: Certificate) -> bytes | None:
    """The stored PDF bytes, or None while it has not been rendered."""
    return db.session.scalar(
        select(CertificatePdf.data).where(CertificatePdf.certificate_id == certificate.id)
    )


def pdf_bytes(certificate: Certificate) -> bytes:
    """The stored PDF, rendering and storing it first if it has not been made yet.

    Two requests making the same missing PDF at once: the second INSERT is ignored, and both
    return what is stored.

    :raise CertificateError: the PDF is missing and the design cannot render it.
    """
    pdf = stored_pdf(certificate)
    if pdf is not None:
        return pdf
    store_pdf(certificate, render_pdf(certificate))
    return stored_pdf(certificate)
