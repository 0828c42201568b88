"""Rendering many certificates at once: ``flask --app app certificates render --pending``.

Work is split so that each process does what it is good at:

- the **parent** (the CLI process) issues certificates for completions that have none, reads the
  snapshots of the certificates still without a PDF, and writes the finished PDFs to the
  database in batches (one transaction per batch, so an interrupted run keeps what it has done
  and simply carries on next time);
- **worker processes**, one per core, each hold their own :class:`CertificateRenderer` (font
  configuration, parsed stylesheets, compiled templates: built once per worker, reused for every
  certificate) and turn :class:`RenderJob` s into PDF bytes. They never touch the database.

WeasyPrint is pure CPU work under the GIL, so processes (not threads) are what use both cores.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from modules.accounts.models import User
from modules.certificates.data import CertificateData
from modules.certificates.errors import CertificateError
from modules.certificates.issuing import (
    certificate_data,
    issue_certificates_in_bulk,
    store_pdf_rows,
)
from modules.certificates.models import Certificate, CertificatePdf
from modules.core.extensions import db
from modules.learning.models import Completion, CompletionSource

# Certificate snapshots read from the database per query; also the unit of work handed to the
# pool at a time, so memory stays bounded however many certificates are pending.
READ_BATCH = 500


@dataclass(frozen=True)
class RenderJob:
    certificate_id: int
    number: str
    design: str
    content_version: str
    data: CertificateData


@dataclass(frozen=True)
class RenderResult:
    certificate_id: int
    number: str
    design: str
    content_version: str
    pdf: bytes | None
    error: str | None = None


@dataclass(frozen=True)
class RenderSummary:
    issued: int  # certificates issued for completions that had none
    rendered: int
    failed: list[tuple[str, str]]  # (certificate number, error)


# Worker side -----------------------------------------------------------------------------------

_renderer = None


def init_worker(designs_root: str, logo_path: str | None) -> None:
    """Pool initializer: one renderer per worker process, reused for all its certificates."""
    global _renderer
    from modules.certificates.rendering import CertificateRenderer

    _renderer = CertificateRenderer(designs_root, logo_path=logo_path or None)


def render_job(job: RenderJob) -> RenderResult:
    """Render one certificate in a worker. A design error is reported, not raised, so one bad
    course cannot stop the rest of the run."""
    try:
        pdf = _renderer.render(job.data, design=job.design)
    except (CertificateError, ValueError) as exc:
        return RenderResult(job.certificate_id, job.number, job.design, job.content_version,
                            None, str(exc))
    return RenderResult(job.certificate_id, job.number, job.design, job.content_version, pdf)


# Parent side -----------------------------------------------------------------------------------

def issue_missing_certificates(batch_size: int = 500) -> int:
    """Issue a certificate (without rendering) for every completion that has none: completions
    recorded before certificates existed, or while issuing was switched off. Commits per batch.
    Only completions done online are certified (training recorded by a manager from outside
    Sightline is evidenced by the manager's note, not by our course). Withdrawn completions count for nothing, so there is nothing to certify."""
    issued = 0
    while True:
        completions = db.session.scalars(
            select(Completion)
            .outerjoin(Certificate, Certificate.completion_id == Completion.id)
            .where(Certificate.id.is_(None), Completion.source == CompletionSource.online,
                   Completion.withdrawn_at.is_(None))
            .options(joinedload(Completion.user).joinedload(User.agency),
                     joinedload(Completion.course_version))
            .order_by(Completion.completed_at, Completion.id)
            .limit(batch_size)
        ).unique().all()
        if not completions:
            return issued
        issued += issue_certificates_in_bulk(completions)
        db.session.commit()


def pending_certificate_ids() -> list[int]:
    """Certificates with no stored PDF, oldest first (revoked ones are never rendered)."""
    return list(db.session.scalars(
        select(Certificate.id)
        .outerjoin(CertificatePdf, CertificatePdf.certificate_id == Certificate.id)
        .where(CertificatePdf.certificate_id.is_(None), Certificate.revoked_at.is_(None))
        .order_by(Certificate.id)
    ))


def render_jobs(ids: list[int], base_url: str) -> list[RenderJob]:
    certificates = db.session.scalars(select(Certificate).where(Certificate.id.in_(ids))).all()
    jobs = [
        RenderJob(c.id, c.number, c.design, c.content_version, certificate_data(c, base_url))
        for c in certificates
    ]
    for certificate in certificates:  # copied into the jobs: let the session forget them
        db.session.expunge(certificate)
    return jobs


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _pool_context():
    # fork: workers start at once with WeasyPrint already imported. They inherit the parent's
    # database connections but never use them (and leave via os._exit, which closes nothing).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def render_pending(
    *,
    workers: int | None = None,
    write_batch: int = 100,
    on_start: Callable[[int], None] = lambda total: None,
    on_result: Callable[[RenderResult], None] = lambda result: None,
) -> RenderSummary:
    """Issue missing certificates, then render every certificate that has no PDF.

    :param workers: processes to render with (default: one per core).
    :param write_batch: PDFs written per database transaction.
    :param on_start: called once with the number of certificates to render (for a progress bar).
    :param on_result: called for each certificate rendered or failed, in the parent.
    """
    issued = issue_missing_certificates()
    ids = pending_certificate_ids()
    on_start(len(ids))
    if not ids:
        return RenderSummary(issued, 0, [])

    from modules.certificates import designs_root

    config = current_app.config
    base_url = config["SIGHTLINE_BASE_URL"]
    workers = max(1, min(workers or os.cpu_count() or 1, len(ids)))
    rendered = 0
    failed: list[tuple[str, str]] = []
    finished: list[RenderResult] = []

    def write(results: list[RenderResult]) -> None:
        store_pdf_rows([
            dict(certificate_id=r.certificate_id, data=r.pdf, size=len(r.pdf),
                 design=r.design, content_version=r.content_version)
            for r in results
        ])
        db.session.commit()

    db.session.commit()  # nothing of ours is half-done while the workers start
    # Imported here, before the fork, so that every worker starts with WeasyPrint loaded.
    import modules.certificates.rendering  # noqa: F401
    pool = _pool_context().Pool(
        processes=workers,
        initializer=init_worker,
        initargs=(str(designs_root(current_app)), config.get("SIGHTLINE_PARTNERSHIP_LOGO") or None),
    )
    try:
        for id_batch in _batches(ids, READ_BATCH):
            jobs = render_jobs(id_batch, base_url)
            # Small chunks keep both workers busy to the end of each batch.
            for result in pool.imap_unordered(render_job, jobs, chunksize=4):
                if result.pdf is None:
                    failed.append((result.number, result.error or "unknown error"))
                else:
                    finished.append(result)
                    rendered += 1
                    if len(finished) >= write_batch:
                        write(finished)
                        finished = []
                on_result(result)
        if finished:
            write(finished)
    except BaseException:
        pool.terminate()  # Ctrl+C or an error: stop the workers now, keep what was written
        raise
    else:
        pool.close()
    finally:
        pool.join()
    return RenderSummary(issued, rendered, failed)

