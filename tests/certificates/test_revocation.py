"""Revocation: the first one stands, its kind of reason is chosen with its effect explained, and
the ZIP's "fix your filter" redirect carries only the filter."""
from __future__ import annotations

import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from modules.accounts.models import Role
from modules.certificates import views
from modules.certificates.issuing import issue_certificate_for_completion
from modules.certificates.models import Certificate
from modules.core.dates import uk_today
from modules.core.models import AuditEvent
from modules.learning.models import Completion
from tests.certificates.factories import make_completion, make_course
from tests.races import barrier_after, race


@pytest.fixture
def world(db, make_agency, make_user):
    police = make_agency(name="Northshire Constabulary")
    health = make_agency(name="Northshire Health")
    learner = make_user(agency=police, name="Jordan Sample")
    course = make_course()
    certificate = issue_certificate_for_completion(
        make_completion(learner, course, completed_on=uk_today() - timedelta(days=10)), render=False)
    db.session.commit()
    return {
        "police": police,
        "certificate": certificate,
        "manager": make_user(roles=(Role.learner, Role.manager), agency=police),
        "admins": [make_user(roles=(Role.learner, Role.partnership_admin), agency=health, name=f"Admin {n}")
                   for n in (1, 2)],
    }


def _events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_simultaneous_revocations_change_the_certificate_once(app, db, sign_in, world, monkeypatch):
    certificate = world["certificate"]
    clients = [sign_in(admin, test_client=app.test_client()) for admin in world["admins"]]
    forms = [{"category": "issued_in_error", "reason": "Issued to the wrong person", "confirm": "Yes"},
             {"category": "details_wrong", "reason": "The name is misspelt", "confirm": "Yes"}]
    # Both have loaded the certificate and seen it unrevoked before either writes.
    barrier_after(views, "_scoped", monkeypatch)
    jobs = iter(zip(clients, forms, strict=True))
    lock = threading.Lock()

    def revoke():
        with lock:
            client, form = next(jobs)
        response = client.post(f"/certificates/{certificate.id}/revoke", data=form)
        return client, form, response.status_code, client.get(response.location).get_data(as_text=True)

    results = race(app, revoke)

    assert [status for _, _, status, _ in results] == [302, 302]
    db.session.expire_all()
    certificate = db.session.get(Certificate, certificate.id)
    (event,) = _events(db, "certificate.revoked")
    # The stored revocation, the audit event and the completion all tell the winner's story.
    assert event.actor_id == certificate.revoked_by_id
    assert event.details["reason"] == certificate.revocation_reason
    assert event.details["category"] == certificate.revocation_category.name
    withdrawn = db.session.get(Completion, certificate.completion_id).withdrawn_at is not None
    assert withdrawn is certificate.revocation_category.withdraws_completion
    assert len(_events(db, "completion.withdrawn")) == int(withdrawn)
    # The loser is told, and its reason is nowhere.
    loser = next(r for r in results if r[1]["reason"] != certificate.revocation_reason)
    assert "was already revoked. The first revocation stands" in loser[3]
    assert loser[1]["reason"] not in str([e.details for e in _events(db, "certificate.revoked")])


def test_a_second_revocation_later_changes_nothing(db, client, sign_in, world):
    certificate = world["certificate"]
    sign_in(world["admins"][0])
    client.post(f"/certificates/{certificate.id}/revoke", data={"category": "other", "reason": "First",
                                                                 "confirm": "Yes"})
    response = client.post(f"/certificates/{certificate.id}/revoke",
                           data={"category": "issued_in_error", "reason": "Second"})
    assert "was already revoked" in client.get(response.location).get_data(as_text=True)
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.revocation_reason == "First" and certificate.revocation_category.name == "other"
    assert db.session.get(Completion, certificate.completion_id).withdrawn_at is None
    assert len(_events(db, "certificate.revoked")) == 1


def test_the_revoke_form_asks_for_the_kind_of_reason_and_says_what_each_does(db, client, sign_in, world):
    certificate = world["certificate"]
    sign_in(world["admins"][0])
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "What kind of reason is it?" in page
    assert "The completion is withdrawn too" in page
    assert page.count("The completion still counts") == 2
    page = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "No kind given"}).get_data(
        as_text=True)
    assert "Select what kind of reason it is" in page
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    assert client.post(f"/certificates/{certificate.id}/revoke",
                       data={"category": "made-up", "reason": "x"}).status_code == 200
    assert db.session.get(Certificate, certificate.id).revoked_at is None


# Every key a crafted link might add: url_for's own (_external, _scheme, _anchor, _method),
# the view's arguments (agency_id, endpoint) and anything else; the filter's fields repeated.
CRAFTED = [
    {"_external": "1"}, {"_scheme": "javascript"}, {"_anchor": "x"}, {"_method": "POST"},
    {"endpoint": "admin.home"}, {"agency_id": "999"}, {"values": "x"}, {"page": "2", "utm": "y"},
    {"course": ["1", "2", "3"]}, {"completed_to": ["1", "1", "2026", "4"]},
]


@pytest.mark.parametrize("extra", CRAFTED, ids=[",".join(e) for e in CRAFTED])
def test_a_crafted_query_string_on_the_zip_redirects_with_the_filter_only(client, sign_in, world, extra):
    sign_in(world["manager"])
    police = world["police"].id
    query = {"completed_from": ["", "5", "2026"], **extra}  # a half-typed date: not valid
    response = client.get(f"/agencies/{police}/certificates.zip", query_string=query)
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert (location.scheme, location.netloc, location.fragment) == ("", "", "")
    assert location.path == f"/agencies/{police}/certificates"
    kept = parse_qs(location.query, keep_blank_values=True)
    assert set(kept) <= {"course", "completed_from", "completed_to"}
    assert kept["completed_from"] == ["", "5", "2026"]
    assert client.get(response.location).status_code == 200


def test_a_withdrawn_completion_is_never_certified_later(db, world, make_user):
    from modules.certificates.bulk import issue_missing_certificates
    from modules.learning.withdrawal import withdraw_completion

    uncertified = make_completion(make_user(agency=world["police"]), make_course())
    withdraw_completion(uncertified, actor=world["admins"][0], reason="Recorded for the wrong person")
    db.session.commit()
    assert issue_missing_certificates() == 0
    assert db.session.scalar(select(Certificate).where(Certificate.completion_id == uncertified.id)) is None


# Two steps, and reinstating (issue 15) ----------------------------------------------------

def test_the_first_post_asks_for_confirmation_and_changes_nothing(db, client, sign_in, world):
    certificate = world["certificate"]
    sign_in(world["admins"][0])
    response = client.post(f"/certificates/{certificate.id}/revoke",
                           data={"category": "issued_in_error", "reason": "Issued to <b>the wrong</b> person"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Revoke certificate {certificate.number}?" in page
    assert "The completion is <strong>withdrawn</strong>" in page
    # The typed reason travels on, escaped, to the confirming POST.
    assert 'name="reason" value="Issued to &lt;b&gt;the wrong&lt;/b&gt; person"' in page
    assert 'name="category" value="issued_in_error"' in page
    assert "Yes, revoke this certificate" in page and "Cancel" in page
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    assert _events(db, "certificate.revoked") == []


def test_a_reinstated_certificate_is_valid_again_with_its_number_and_code(db, client, sign_in, world):
    certificate = world["certificate"]
    number, code = certificate.number, certificate.verification_code
    admin = world["admins"][0]
    sign_in(admin)
    client.post(f"/certificates/{certificate.id}/revoke",
                data={"category": "details_wrong", "reason": "Name misspelt", "confirm": "Yes"})
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "Reinstate this certificate" in page and "Revoke this certificate" not in page

    assert "Enter why the certificate is being reinstated" in client.post(
        f"/certificates/{certificate.id}/reinstate", data={"reason": " "}).get_data(as_text=True)
    assert db.session.get(Certificate, certificate.id).revoked_at is not None

    response = client.post(f"/certificates/{certificate.id}/reinstate", data={"reason": "It was spelt right"})
    assert response.status_code == 302
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.revoked_at is None and certificate.revocation_reason is None
    assert (certificate.number, certificate.verification_code) == (number, code)
    (event,) = _events(db, "certificate.reinstated")
    assert event.actor_id == admin.id and event.details["reason"] == "It was spelt right"
    assert event.details["revocation_reason"] == "Name misspelt"
    assert event.details["revocation_category"] == "details_wrong"
    assert _events(db, "completion.restored") == []  # the completion was never withdrawn
    client.post("/sign-out")
    from modules.certificates.codes import format_code
    public = client.get(f"/verify/{format_code(code)}").get_data(as_text=True)
    assert "This certificate has been revoked" not in public and number in public
    # Reinstating again changes nothing.
    sign_in(admin)
    again = client.post(f"/certificates/{certificate.id}/reinstate", data={"reason": "Twice"})
    assert "nothing to reinstate" in client.get(again.location).get_data(as_text=True)
    assert len(_events(db, "certificate.reinstated")) == 1


def test_managers_cannot_reinstate(db, client, sign_in, world):
    certificate = world["certificate"]
    sign_in(world["admins"][0])
    client.post(f"/certificates/{certificate.id}/revoke",
                data={"category": "other", "reason": "x", "confirm": "Yes"})
    client.post("/sign-out")
    sign_in(world["manager"])
    assert client.post(f"/certificates/{certificate.id}/reinstate", data={"reason": "y"}).status_code == 403
    assert db.session.get(Certificate, certificate.id).revoked_at is not None
