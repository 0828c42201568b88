"""Manual records under double clicks and simultaneous submits: one record, never an error page.

The races run on SQLite and PostgreSQL (the ``app`` fixture's two databases), each thread with
its own session, as two server workers would.
"""
from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm.attributes import set_committed_value

from modules.core.models import AuditEvent, utcnow
from modules.learning import manual as learning_manual
from modules.learning.models import Completion, Enrolment, LatestCompletion, ManualCompletion
from modules.reports import manual
from tests.races import barrier_after, race
from tests.reports.conftest import start


def _form(course_id, day: date, evidence="Face-to-face briefing, attendance sheet ref 14"):
    return {"course": str(course_id), "completed_on": [str(day.day), str(day.month), str(day.year)],
            "evidence": evidence}


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _recorded_events(db) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "completion.recorded_manually"))


def test_a_double_clicked_record_is_recorded_once_and_shows_the_record(db, client, sign_in, world, today):
    bob = world.people["bob"]
    sign_in(world.manager)
    day = today - timedelta(days=3)
    first = client.post(f"/reports/people/{bob.id}/manual", data=_form(world.l1.course_id, day))
    second = client.post(f"/reports/people/{bob.id}/manual", data=_form(world.l1.course_id, day, "Typed again"))
    assert first.status_code == second.status_code == 302
    assert second.location == first.location
    assert _count(db, Completion) == _count(db, ManualCompletion) == _count(db, Enrolment) == 1
    assert _recorded_events(db) == 1
    page = client.get(second.location).get_data(as_text=True)
    assert "This training was already recorded for Bob Home" in page
    assert "attendance sheet ref 14" in page and "Typed again" not in page


def test_another_date_is_another_record(db, client, sign_in, world, today):
    bob = world.people["bob"]
    sign_in(world.manager)
    for day in (today - timedelta(days=400), today - timedelta(days=3)):
        assert client.post(f"/reports/people/{bob.id}/manual",
                           data=_form(world.l1.course_id, day)).status_code == 302
    assert _count(db, Completion) == 2
    assert db.session.get(LatestCompletion, (bob.id, world.l1.course_id)).completed_on == today - timedelta(days=3)


def _simultaneous_posts(app, monkeypatch, sign_in, manager, person, forms) -> list[int]:
    """POST each form to the person's manual record page at the same moment, from a client of
    its own (signed in as ``manager``); returns the status codes."""
    from modules.reports import views

    clients = [sign_in(manager, test_client=app.test_client()) for _ in forms]
    # Both requests have passed the form and the page's own reads before either records.
    barrier_after(views, "courses_with_content", monkeypatch, threads=len(forms))
    posts = iter(zip(clients, forms, strict=True))
    lock = threading.Lock()

    def post():
        with lock:
            client, form = next(posts)
        return client.post(f"/reports/people/{person.id}/manual", data=form).status_code

    return race(app, post, threads=len(forms))


@pytest.mark.parametrize("cycle_under_way", [False, True], ids=["new-cycle", "unfinished-cycle"])
def test_two_identical_records_at_the_same_moment_make_one(
        app, db, sign_in, world, today, monkeypatch, cycle_under_way):
    bob = world.people["bob"]
    if cycle_under_way:
        start(db, bob, world.l1, on=today - timedelta(days=20))
        db.session.commit()
    form = _form(world.l1.course_id, today - timedelta(days=2))
    statuses = _simultaneous_posts(app, monkeypatch, sign_in, world.manager, bob, [form, form])

    db.session.expire_all()
    assert statuses == [302, 302]
    assert _count(db, Completion) == _count(db, ManualCompletion) == _count(db, Enrolment) == 1
    assert _recorded_events(db) == 1
    assert db.session.get(LatestCompletion, (bob.id, world.l1.course_id)).manual is True


@pytest.mark.parametrize("cycle_under_way", [False, True], ids=["new-cycle", "unfinished-cycle"])
def test_two_different_records_at_the_same_moment_are_both_kept(
        app, db, sign_in, world, today, monkeypatch, cycle_under_way):
    bob = world.people["bob"]
    if cycle_under_way:
        start(db, bob, world.l1, on=today - timedelta(days=20))
        db.session.commit()
    forms = [_form(world.l1.course_id, today - timedelta(days=n)) for n in (2, 5)]
    statuses = _simultaneous_posts(app, monkeypatch, sign_in, world.manager, bob, forms)

    db.session.expire_all()
    assert statuses == [302, 302]
    # One after the other: the second completes a cycle of its own.
    assert _count(db, Completion) == _count(db, ManualCompletion) == 2
    assert sorted(db.session.scalars(select(Enrolment.cycle))) == [1, 2]
    assert _recorded_events(db) == 2


def test_a_clash_with_a_completion_made_online_is_explained_and_writes_nothing(db, world, today, monkeypatch):
    """The unique constraints stay the last line of defence: if the person's unfinished cycle was
    completed (online) after it was read, the record is refused with a message, not a 500, and
    only the savepoint is rolled back."""
    bob = world.people["bob"]
    enrolment = start(db, bob, world.l1, on=today - timedelta(days=20))
    db.session.commit()
    real = learning_manual.latest_enrolment

    def read_then_completed_online(user_id, course_id):
        found = real(user_id, course_id)
        # What a learner finishing the course online at this moment would leave behind.
        db.session.execute(insert(Completion).values(
            enrolment_id=enrolment.id, user_id=bob.id, course_id=world.l1.course_id,
            course_version_id=world.l1.id, completed_at=utcnow(), completed_on=today,
            expires_on=today + timedelta(days=365), refresher_months=12))
        set_committed_value(found, "completion", None)  # as read a moment before
        return found

    monkeypatch.setattr(learning_manual, "latest_enrolment", read_then_completed_online)
    with pytest.raises(manual.ManualRecordError, match="changed while you were recording"):
        manual.record_manual_completion(actor=world.manager, person=bob, course=world.l1.course,
                                        completed_on=today - timedelta(days=1), evidence="Briefing",
                                        today=today)
    # The session still works, and holds only the online completion (the savepoint's writes
    # are gone, the transaction's own are not).
    db.session.commit()
    assert _count(db, Completion) == 1 and _count(db, ManualCompletion) == 0
    assert _recorded_events(db) == 0


def test_a_manual_record_goes_through_the_one_completion_pipeline(db, world, today):
    """Every completion, manual ones included, is announced once by record_completion's signal
    (with its source), so no area needs another way to hear of manual records."""
    from modules.learning.signals import completion_recorded

    heard = []

    def receiver(sender, completion, **_ignored):
        heard.append((completion.id, completion.source.name))

    completion_recorded.connect(receiver)
    try:
        result = manual.record_manual_completion(
            actor=world.manager, person=world.people["bob"], course=world.l1.course,
            completed_on=today - timedelta(days=2), evidence="Briefing", today=today)
    finally:
        completion_recorded.disconnect(receiver)
    assert heard == [(result.completion.id, "manual")]
    db.session.commit()
    # Certificates heard of it too, and issued nothing: Sightline did not deliver the training.
    from modules.certificates.models import Certificate

    assert _count(db, Certificate) == 0
