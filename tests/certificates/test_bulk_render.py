"""`flask certificates render --pending`: every completion ends up with a stored PDF."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from modules.accounts.models import Role
from modules.certificates.bulk import RenderJob, init_worker, render_job
from modules.certificates.issuing import issue_certificate_for_completion
from modules.certificates.models import Certificate, CertificatePdf
from modules.certificates.sample import sample_certificate
from tests.certificates.certificate_helpers import DESIGNS_ROOT, pdf_text
from tests.certificates.factories import make_completion, make_course


def test_render_pending_issues_and_renders_everything_missing(app, db, runner, make_user, make_agency):
    agency = make_agency(name="Northshire Health")
    course = make_course()
    people = [make_user(roles=(Role.learner,), agency=agency, name=f"Learner Number {i}") for i in range(5)]
    # Three completions without any certificate (recorded before certificates existed)...
    for person in people[:3]:
        make_completion(person, course, completed_on=date(2026, 2, 1))
    # ...two certificates issued without a PDF, one already rendered, one revoked.
    for person in people[3:]:
        issue_certificate_for_completion(make_completion(person, course), render=False)
    done = issue_certificate_for_completion(make_completion(people[0], course, completed_on=date(2026, 5, 5)))
    revoked = issue_certificate_for_completion(make_completion(people[1], course), render=False)
    revoked.revoked_at = revoked.issued_at
    db.session.commit()
    before = db.session.get(CertificatePdf, done.id).rendered_at

    result = runner.invoke(args=["certificates", "render", "--pending", "--workers", "2", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "Issued 3 certificates for completions that had none." in result.output
    assert "Rendered and stored 5 certificates." in result.output

    db.session.expire_all()
    assert db.session.scalar(select(func.count(Certificate.id))) == 7
    # Bulk issuing continues the same sequence, without gaps or repeats, with fresh codes.
    serials = sorted(db.session.scalars(select(Certificate.serial)))
    assert serials == list(range(1, 8))
    assert len(set(db.session.scalars(select(Certificate.verification_code)))) == 7
    rows = db.session.execute(
        select(Certificate.learner_name, Certificate.number, CertificatePdf.data, CertificatePdf.size)
        .join(CertificatePdf, CertificatePdf.certificate_id == Certificate.id)
        .where(Certificate.revoked_at.is_(None))
    ).all()
    assert len(rows) == 6
    for name, number, data, size in rows:
        assert size == len(data)
        text = pdf_text(data)
        assert name in text and number in text  # each PDF is its own certificate
    assert db.session.get(CertificatePdf, revoked.id) is None  # revoked: never rendered
    assert db.session.get(CertificatePdf, done.id).rendered_at == before  # never re-rendered

    again = runner.invoke(args=["certificates", "render", "--pending"])
    assert again.exit_code == 0 and "Rendered and stored 0 certificates." in again.output


def test_a_broken_design_is_reported_and_the_rest_still_rendered(app, db, runner, make_user):
    good = make_course()
    broken = make_course(slug="broken", code="BRK-1", design="missing-design")
    learner = make_user()
    ok = issue_certificate_for_completion(make_completion(learner, good), render=False)
    bad = issue_certificate_for_completion(make_completion(learner, broken), render=False)
    db.session.commit()
    result = runner.invoke(args=["certificates", "render", "--pending", "--workers", "1"])
    assert result.exit_code == 1
    assert f"Could not render {bad.number}" in result.output and "missing-design" in result.output
    db.session.expire_all()
    assert db.session.get(CertificatePdf, ok.id) is not None
    assert db.session.get(CertificatePdf, bad.id) is None


def test_render_needs_to_be_told_what_to_render(app, runner):
    result = runner.invoke(args=["certificates", "render"])
    assert result.exit_code == 2 and "--pending" in result.output


def test_the_worker_renders_with_its_own_renderer():
    init_worker(str(DESIGNS_ROOT), None)
    data = sample_certificate(learner_name="Worker Test Person")
    result = render_job(RenderJob(1, "NSCP-2026-000001", "default", "abc", data))
    assert result.error is None and "Worker Test Person" in pdf_text(result.pdf)
    failed = render_job(RenderJob(2, "NSCP-2026-000002", "nope", "abc", data))
    assert failed.pdf is None and "nope" in failed.error


def test_manually_recorded_training_gets_no_certificate(app, db, make_user, make_agency):
    from modules.certificates.bulk import issue_missing_certificates
    from modules.reports.manual import record_manual_completion

    agency = make_agency(name="Northshire Licensing")
    manager = make_user(roles=(Role.learner, Role.manager), agency=agency)
    person = make_user(roles=(Role.learner,), agency=agency)
    online = make_user(roles=(Role.learner,), agency=agency)
    version = make_course()
    record_manual_completion(
        actor=manager, person=person, course=version.course, completed_on=date(2026, 3, 2),
        evidence="Face-to-face briefing, signed register", today=date(2026, 11, 25),
    )
    make_completion(online, version)
    db.session.commit()
    assert issue_missing_certificates() == 1
    holders = set(db.session.scalars(select(Certificate.user_id)))
    assert holders == {online.id}
