"""Issuing: one certificate per completion, numbered, snapshotted, PDF stored once; on both databases."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from modules.accounts.models import Role
from modules.certificates import issuing
from modules.certificates.codes import CODE_ALPHABET
from modules.certificates.issuing import issue_certificate_for_completion, pdf_bytes
from modules.certificates.models import Certificate, CertificatePdf
from modules.learning.models import Completion
from tests.certificates.certificate_helpers import decode_qr_codes, pdf_text
from tests.certificates.factories import make_completion, make_course


@pytest.fixture
def learner(make_agency, make_user):
    agency = make_agency(name="Northshire Constabulary")
    return make_user(roles=(Role.learner,), agency=agency, name="Jordan Sample-Pemberton",
                     email="jordan@example.org")


@pytest.fixture
def course(db):
    return make_course()


def test_a_completion_gets_a_certificate_with_a_snapshot_and_a_stored_pdf(db, learner, course, tmp_path):
    completion = make_completion(learner, course, completed_on=date(2026, 3, 2))
    certificate = issue_certificate_for_completion(completion, today=date(2026, 3, 2))
    db.session.commit()

    assert certificate.number == "NSCP-2026-000001"
    assert len(certificate.verification_code) == 16
    assert set(certificate.verification_code) <= set(CODE_ALPHABET)
    assert (certificate.learner_name, certificate.agency_name) == ("Jordan Sample-Pemberton",
                                                                  "Northshire Constabulary")
    assert (certificate.course_code, certificate.course_level, certificate.cpd_minutes) == ("CSE-L1", 1, 150)
    assert certificate.completed_on == date(2026, 3, 2)
    assert certificate.expires_on == date(2029, 3, 2)
    assert certificate.content_version == course.content_hash
    assert certificate.design == "default"

    stored = db.session.get(CertificatePdf, certificate.id)
    assert stored.design == "default" and stored.content_version == course.content_hash
    assert stored.size == len(stored.data) and stored.data.startswith(b"%PDF-")
    text = pdf_text(stored.data)
    for expected in ("Jordan Sample-Pemberton", "Northshire Constabulary", "CSE-L1",
                     "2 March 2026", "2 March 2029", "NSCP-2026-000001", course.content_hash[:12]):
        assert expected in text
    code = certificate.verification_code
    formatted = f"{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:]}"
    assert formatted in text
    assert decode_qr_codes(stored.data, tmp_path) == [f"http://127.0.0.1:5000/verify/{formatted}"]


def test_issuing_twice_returns_the_same_certificate(db, learner, course):
    completion = make_completion(learner, course)
    first = issue_certificate_for_completion(completion, render=False)
    db.session.commit()
    again = issue_certificate_for_completion(completion, render=False)
    assert again.id == first.id
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_numbers_run_in_sequence_per_year(db, learner, course, make_user):
    other = make_user(name="Alex Other")
    numbers = []
    for user, day in ((learner, date(2026, 1, 5)), (other, date(2026, 6, 1)),
                      (learner, date(2027, 1, 2)), (other, date(2027, 1, 3))):
        completion = make_completion(user, course, completed_on=day)
        numbers.append(issue_certificate_for_completion(completion, render=False, today=day).number)
        db.session.commit()
    assert numbers == ["NSCP-2026-000001", "NSCP-2026-000002", "NSCP-2027-000001", "NSCP-2027-000002"]


def test_a_configured_prefix_is_used(app, db, learner, course):
    app.config["SIGHTLINE_CERTIFICATE_PREFIX"] = "EMSP"
    completion = make_completion(learner, course)
    assert issue_certificate_for_completion(completion, render=False, today=date(2026, 5, 1)).number \
        == "EMSP-2026-000001"


def test_a_refresher_completion_gets_a_new_certificate(db, learner, course):
    first = issue_certificate_for_completion(make_completion(learner, course, completed_on=date(2026, 1, 5)),
                                             render=False)
    second = issue_certificate_for_completion(make_completion(learner, course, completed_on=date(2028, 12, 1)),
                                              render=False)
    db.session.commit()
    assert first.id != second.id
    assert first.verification_code != second.verification_code
    assert second.completed_on == date(2028, 12, 1)


def test_the_certificate_keeps_what_was_true_when_it_was_issued(db, learner, course):
    certificate = issue_certificate_for_completion(make_completion(learner, course), render=False)
    db.session.commit()
    learner.name = "Jordan Renamed"
    learner.agency.name = "Renamed Constabulary"
    db.session.commit()
    db.session.expire_all()
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.learner_name == "Jordan Sample-Pemberton"
    assert certificate.agency_name == "Northshire Constabulary"
    assert "Jordan Sample-Pemberton" in pdf_text(pdf_bytes(certificate))


def test_a_broken_design_never_stops_the_completion(db, learner, make_user, caplog):
    course = make_course(slug="broken", code="BRK-1", design="no-such-design")
    certificate = issue_certificate_for_completion(make_completion(learner, course))
    db.session.commit()
    assert certificate.id is not None
    assert db.session.get(CertificatePdf, certificate.id) is None  # pending: made later
    assert "issued without a PDF" in caplog.text


def test_a_missing_pdf_is_rendered_once_on_first_use_then_reused(db, learner, course):
    certificate = issue_certificate_for_completion(make_completion(learner, course), render=False)
    db.session.commit()
    first = pdf_bytes(certificate)
    db.session.commit()
    rendered_at = db.session.get(CertificatePdf, certificate.id).rendered_at
    assert pdf_bytes(certificate) == first
    assert db.session.get(CertificatePdf, certificate.id).rendered_at == rendered_at


def test_completing_a_course_issues_its_certificate_through_the_signal(app, db, learner, course):
    from modules.learning.signals import completion_recorded

    completion = make_completion(learner, course)
    completion_recorded.send(app, completion=completion)
    db.session.commit()
    certificate = db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))
    assert certificate is not None
    assert db.session.get(CertificatePdf, certificate.id) is not None


def test_two_requests_racing_to_issue_make_exactly_one_certificate(app, db, learner, course, monkeypatch):
    """A double submit: both threads pass the first "already issued?" check before either
    inserts, so only the sequence lock and the second check can keep it to one certificate."""
    completion_id = make_completion(learner, course).id
    both_checked = threading.Barrier(2, timeout=20)
    real_lookup = issuing.certificate_for_completion
    calls = threading.local()

    def lookup_then_wait(cid):
        found = real_lookup(cid)
        if not getattr(calls, "waited", False):
            calls.waited = True
            both_checked.wait()  # neither thread has inserted yet
        return found

    monkeypatch.setattr(issuing, "certificate_for_completion", lookup_then_wait)
    results, errors = [], []

    def issue():
        try:
            with app.app_context():
                completion = db.session.get(Completion, completion_id)
                certificate = issue_certificate_for_completion(completion, render=False)
                db.session.commit()
                results.append((certificate.id, certificate.number, certificate.verification_code))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
    # The loser took no number: the next certificate is 2, not 3.
    monkeypatch.setattr(issuing, "certificate_for_completion", real_lookup)
    other = make_completion(learner, make_course(slug="other", code="OTH-1"))
    year_now = results[0][1].split("-")[1]
    assert issue_certificate_for_completion(other, render=False).number == f"NSCP-{year_now}-000002"
