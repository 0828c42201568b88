"""From the learner's last click to their certificate: the completion, its certificate number
and the dashboard's cache row are committed together by the submit; the PDF is rendered after
that commit (never inside the transaction, so never while the number lock is held); a render
that fails leaves everything else intact and is made again later."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from modules.certificates import issuing
from modules.certificates.errors import CertificateError
from modules.certificates.models import Certificate, CertificatePdf
from modules.core import jobs
from modules.learning import progress, quizzes
from modules.learning.models import Completion, CompletionSource, LatestCompletion
from tests.learning.conftest import answer_for


@pytest.fixture
def final_attempt(db, learner, course_a, do):
    """Everything done but the final assessment, whose attempt is answered (right) but not submitted."""
    enrolment = progress.start_course(learner, course_a.course).enrolment
    db.session.commit()
    for mv in course_a.module_versions[:3]:
        do.module(enrolment, mv)
    attempt = quizzes.start_attempt(enrolment, course_a.module_versions[3])
    for question in quizzes.attempt_questions(attempt):
        quizzes.save_answer(attempt, question, answer_for(question))
    db.session.commit()
    return attempt.id


def _submit(client, sign_in, learner, attempt_id):
    sign_in(learner)
    response = client.post(f"/my-training/attempts/{attempt_id}/check")
    assert response.status_code == 302 and response.location.endswith("/results")


def _committed(db) -> dict:
    """What another connection sees, i.e. what has been committed."""
    with db.engine.connect() as connection:
        return {
            "completions": connection.scalar(select(func.count(Completion.id))),
            "certificates": connection.scalar(select(func.count(Certificate.id))),
            "latest": connection.scalar(select(func.count()).select_from(LatestCompletion)),
        }


def test_the_pdf_is_rendered_after_the_completion_commits(
    db, client, sign_in, learner, final_attempt, monkeypatch
):
    real_render = issuing.render_pdf
    seen_at_render = []

    def watching_render(certificate, renderer=None):
        seen_at_render.append(_committed(db))
        return real_render(certificate, renderer)

    monkeypatch.setattr(issuing, "render_pdf", watching_render)
    _submit(client, sign_in, learner, final_attempt)

    # When the PDF was made, the completion, its certificate and the cache row were committed.
    assert seen_at_render == [{"completions": 1, "certificates": 1, "latest": 1}]
    completion = db.session.scalar(select(Completion))
    assert completion.source is CompletionSource.online
    certificate = db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))
    assert db.session.get(CertificatePdf, certificate.id).data.startswith(b"%PDF-")


def test_a_failed_render_keeps_the_completion_and_number_and_the_download_makes_the_pdf(
    db, client, sign_in, learner, final_attempt, monkeypatch, caplog
):
    real_render = issuing.render_pdf

    def failing_render(certificate, renderer=None):
        raise CertificateError("the design is broken today")

    monkeypatch.setattr(issuing, "render_pdf", failing_render)
    _submit(client, sign_in, learner, final_attempt)

    assert "issued without a PDF" in caplog.text
    assert _committed(db) == {"completions": 1, "certificates": 1, "latest": 1}
    certificate = db.session.scalar(select(Certificate))
    number = certificate.number
    assert number.endswith("-000001")
    assert db.session.get(CertificatePdf, certificate.id) is None
    page = client.get("/my-certificates").get_data(as_text=True)
    assert "Being prepared" in page

    # The design is fixed: the next download makes the PDF, keeps it and says nothing changed.
    monkeypatch.setattr(issuing, "render_pdf", real_render)
    response = client.get(f"/certificates/{certificate.id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    db.session.expire_all()
    assert db.session.get(CertificatePdf, certificate.id).data == response.data
    assert db.session.get(Certificate, certificate.id).number == number
    assert "Being prepared" not in client.get("/my-certificates").get_data(as_text=True)


def test_render_pending_makes_the_pdf_a_failed_render_left_out(
    db, client, sign_in, learner, final_attempt, monkeypatch, runner
):
    def failing_render(certificate, renderer=None):
        raise CertificateError("the design is broken today")

    monkeypatch.setattr(issuing, "render_pdf", failing_render)
    _submit(client, sign_in, learner, final_attempt)
    certificate = db.session.scalar(select(Certificate))
    assert db.session.get(CertificatePdf, certificate.id) is None

    result = runner.invoke(args=["certificates", "render", "--pending", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "Rendered and stored 1 certificates" in result.output
    db.session.expire_all()
    assert db.session.get(CertificatePdf, certificate.id) is not None
    assert db.session.scalar(select(func.count(Certificate.id))) == 1  # no second certificate


def test_the_final_submit_does_not_wait_for_the_pdf(
    app, db, client, sign_in, learner, final_attempt, monkeypatch
):
    app.config["SIGHTLINE_JOBS"] = "thread"
    real_render = issuing.render_pdf
    release = threading.Event()

    def slow_render(certificate, renderer=None):
        release.wait(timeout=20)
        return real_render(certificate, renderer)

    monkeypatch.setattr(issuing, "render_pdf", slow_render)
    try:
        _submit(client, sign_in, learner, final_attempt)  # returns while the render waits
        certificate = db.session.scalar(select(Certificate))
        assert db.session.get(CertificatePdf, certificate.id) is None
        assert "Being prepared" in client.get("/my-certificates").get_data(as_text=True)
    finally:
        release.set()
        assert jobs.wait_for_jobs(timeout=20)
    db.session.expire_all()
    assert db.session.get(CertificatePdf, certificate.id) is not None


def test_a_manual_record_is_not_certified_even_by_render_pending(db, learner, course_a, runner):
    from modules.core.models import utcnow
    from modules.learning.completion import record_completion

    enrolment = progress.start_course(learner, course_a.course).enrolment
    result = record_completion(enrolment, source=CompletionSource.manual, completed_at=utcnow())
    db.session.commit()
    assert result.created
    assert db.session.get(LatestCompletion, (learner.id, course_a.course_id)).manual is True
    assert runner.invoke(args=["certificates", "render", "--pending"]).exit_code == 0
    assert db.session.scalar(select(func.count(Certificate.id))) == 0
