"""What revoking a certificate does to the completion it was issued for.

"Issued in error" withdraws the completion: it stops counting in every report and export, the
person's My training shows the course as needing to be done again, and the latest-completion
table falls back to whatever still counts. Any other reason leaves the completion counting.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from modules.certificates.issuing import issue_certificate_for_completion
from modules.core.models import AuditEvent
from modules.learning.models import Completion, LatestCompletion
from tests.reports.conftest import complete, read_csv


def _certify(db, completion):
    certificate = issue_certificate_for_completion(completion, render=False)
    db.session.commit()
    return certificate


def _revoke(client, certificate, category, reason="Checked with the training team"):
    return client.post(f"/certificates/{certificate.id}/revoke", data={"category": category, "reason": reason,
                                                                  "confirm": "Yes"})


def _row(rows, name, code="CSE-L1"):
    return next(r for r in rows if r["Name"] == name and r.get("Course code", code) == code)


def _dashboard_row(client, agency):
    rows = read_csv(client.get(f"/reports/dashboard.csv?agency={agency.id}"))
    return next(r for r in rows if r["Course code"] == "CSE-L1")


def _snapshot(client, world, name):
    """What the reports say about one person and CSE-L1, and the dashboard's home figures."""
    people = read_csv(client.get(f"/reports/people.csv?agency={world.home.id}"))
    completions = read_csv(client.get(f"/reports/completions.csv?agency={world.home.id}"))
    dashboard = _dashboard_row(client, world.home)
    return {
        "status": _row(people, name)["Status"],
        "started": _row(people, name)["In progress"],
        "completions": sum(1 for r in completions if r["Name"] == name),
        "compliant": int(dashboard["Compliant"]),
        "in_progress": int(dashboard["In progress"]),
        "in_period": int(dashboard["Completions in period"]),
    }


@pytest.fixture
def certified(db, world, today):
    bob, carol = world.people["bob"], world.people["carol"]
    return {
        "bob": _certify(db, complete(db, bob, world.l1, on=today - timedelta(days=10))),
        "carol": _certify(db, complete(db, carol, world.l1, on=today - timedelta(days=12))),
    }


def test_issued_in_error_withdraws_the_completion_everywhere(db, client, sign_in, world, certified, today):
    bob = world.people["bob"]
    sign_in(world.admin)
    before = _snapshot(client, world, "Bob Home")
    assert before["status"] == "Compliant" and before["completions"] == 1

    response = _revoke(client, certified["bob"], "issued_in_error")
    assert response.status_code == 302
    flash = client.get(response.location).get_data(as_text=True)
    assert "completion is withdrawn" in flash

    after = _snapshot(client, world, "Bob Home")
    # Started but with nothing that counts: due by the first due day (90 days after joining,
    # today), in progress, as for anyone who never finished.
    assert after["status"] == "Not yet due" and after["started"] == "Yes" and after["completions"] == 0
    assert after["compliant"] == before["compliant"] - 1
    assert after["in_progress"] == before["in_progress"] + 1
    assert after["in_period"] == before["in_period"] - 1
    assert db.session.get(LatestCompletion, (bob.id, world.l1.course_id)) is None
    # Kept, never deleted, and audit-logged once.
    completion = db.session.get(Completion, certified["bob"].completion_id)
    assert completion is not None and completion.withdrawn_at is not None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "completion.withdrawn")).all()
    assert [e.subject_id for e in events] == [str(completion.id)] and events[0].actor_id == world.admin.id

    # The manager's view of the person, and the person's own pages.
    client.post("/sign-out")
    sign_in(world.manager)
    record = client.get(f"/people/{bob.id}").get_data(as_text=True)
    assert "Withdrawn: does not count" in record
    client.post("/sign-out")
    sign_in(bob)
    my_training = client.get("/my-training").get_data(as_text=True)
    assert "Not started" in my_training and "was withdrawn, so you need to take this course again" in my_training
    course_page = client.get(f"/my-training/courses/{world.l1.course.slug}").get_data(as_text=True)
    assert "Start the course again" in course_page and "Start your refresher" not in course_page
    assert "Withdrawn" in client.get("/my-training/record").get_data(as_text=True)
    record_csv = read_csv(client.get("/my-training/record.csv"))
    assert [r["Status"] for r in record_csv] == ["Withdrawn: does not count"]


@pytest.mark.parametrize("category", ["details_wrong", "other"])
def test_other_reasons_leave_the_completion_counting(db, client, sign_in, world, certified, category):
    carol = world.people["carol"]
    sign_in(world.admin)
    before = _snapshot(client, world, "Carol Home")
    assert _revoke(client, certified["carol"], category).status_code == 302
    assert _snapshot(client, world, "Carol Home") == before
    assert db.session.get(Completion, certified["carol"].completion_id).withdrawn_at is None
    assert db.session.get(LatestCompletion, (carol.id, world.l1.course_id)) is not None
    client.post("/sign-out")
    sign_in(carol)
    assert "Completed on" in client.get("/my-training").get_data(as_text=True)


def test_withdrawing_the_latest_completion_falls_back_to_the_one_before(db, client, sign_in, world, today):
    alice = world.people["alice"]
    earlier = complete(db, alice, world.l1, on=today - timedelta(days=200))
    newer = _certify(db, complete(db, alice, world.l1, on=today - timedelta(days=3)))
    assert db.session.get(LatestCompletion, (alice.id, world.l1.course_id)).completion_id == newer.completion_id
    sign_in(world.admin)
    assert _revoke(client, newer, "issued_in_error").status_code == 302
    latest = db.session.get(LatestCompletion, (alice.id, world.l1.course_id))
    assert latest.completion_id == earlier.id and latest.expires_on == earlier.expires_on
    people = read_csv(client.get(f"/reports/people.csv?agency={world.home.id}"))
    assert _row(people, "Alice Home")["Last completed"] == earlier.completed_on.isoformat()
    # The figures still equal the rows behind them.
    dashboard = _dashboard_row(client, world.home)
    compliant = read_csv(client.get(
        f"/reports/people.csv?agency={world.home.id}&course={world.l1.course_id}&status=compliant"))
    assert len(compliant) == int(dashboard["Compliant"])


def test_a_rebuild_of_the_latest_table_leaves_withdrawn_completions_out(db, client, sign_in, world, certified):
    from modules.learning.latest import rebuild_latest

    sign_in(world.admin)
    _revoke(client, certified["bob"], "issued_in_error")
    rebuild_latest()
    db.session.commit()
    assert db.session.get(LatestCompletion, (world.people["bob"].id, world.l1.course_id)) is None
    assert db.session.scalar(select(func.count()).select_from(LatestCompletion)) == 1  # Carol's


def test_a_report_for_a_past_day_leaves_withdrawn_completions_out(db, client, sign_in, world, certified, today):
    sign_in(world.admin)
    _revoke(client, certified["bob"], "issued_in_error")
    day = today - timedelta(days=1)
    query = f"agency={world.home.id}&from={day.isoformat()}&to={day.isoformat()}"
    people = read_csv(client.get(f"/reports/people.csv?{query}"))
    assert (_row(people, "Bob Home")["Status"], _row(people, "Bob Home")["In progress"]) == ("Not yet due", "Yes")
    assert _row(people, "Carol Home")["Status"] == "Compliant"


# Confirmation and reinstatement (issue 15) ------------------------------------------------

def _confirmation(client, certificate, category):
    return client.post(f"/certificates/{certificate.id}/revoke",
                       data={"category": category, "reason": "Checked with the training team"})


def test_the_confirmation_says_how_the_figure_changes_and_writes_nothing(db, client, sign_in, world, certified):
    sign_in(world.admin)
    before = _dashboard_row(client, world.home)
    covered = int(before["Compliant"]) + int(before["Expiring"])
    staff = int(before["Staff in scope"])
    response = _confirmation(client, certified["bob"], "issued_in_error")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Revoke certificate" in page and "The completion is <strong>withdrawn</strong>" in page
    assert "Bob Home will count as <strong>not covered</strong>" in page
    assert f"goes from {round(100 * covered / staff)}% ({covered} of {staff}) to " \
           f"{round(100 * (covered - 1) / staff)}% ({covered - 1} of {staff})" in page
    assert db.session.get(Completion, certified["bob"].completion_id).withdrawn_at is None
    assert certified["bob"].revoked_at is None
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("certificate.%"))).all() == []

    kept = _confirmation(client, certified["bob"], "details_wrong").get_data(as_text=True)
    assert "The completion is <strong>kept</strong>" in kept and "they do not change" in kept


def test_an_earlier_completion_that_still_counts_is_named(db, client, sign_in, world, certified, today):
    bob = world.people["bob"]
    complete(db, bob, world.l1, on=today - timedelta(days=40))
    newer = _certify(db, complete(db, bob, world.l1, on=today - timedelta(days=2)))
    sign_in(world.admin)
    page = _confirmation(client, newer, "issued_in_error").get_data(as_text=True)
    assert "they do not change: an earlier completion still covers Bob Home until" in page


def test_reinstating_restores_the_completion_and_every_figure(db, client, sign_in, world, certified):
    sign_in(world.admin)
    certificate = certified["bob"]
    before = _snapshot(client, world, "Bob Home")
    assert _revoke(client, certificate, "issued_in_error").status_code == 302
    assert _snapshot(client, world, "Bob Home") != before

    response = client.post(f"/certificates/{certificate.id}/reinstate", data={"reason": "The check was wrong"})
    assert response.status_code == 302
    assert "is reinstated" in client.get(response.location).get_data(as_text=True)
    assert _snapshot(client, world, "Bob Home") == before
    completion = db.session.get(Completion, certificate.completion_id)
    assert completion.withdrawn_at is None
    assert db.session.get(LatestCompletion, (world.people["bob"].id, world.l1.course_id)).completion_id == completion.id
    (restored,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "completion.restored")).all()
    assert restored.actor_id == world.admin.id and "The check was wrong" in restored.details["reason"]
