"""`flask reminders send` against a real SMTP server: who is mailed, once per due date, digests,
and mail that cannot be sent (retried with backoff, reported, delivered when the server is back)."""
from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from modules.core.dates import uk_today
from modules.notifications import queue
from modules.notifications.models import MailStatus, OutgoingMail
from modules.reminders import services
from modules.reminders.models import ReminderLog
from tests.races import barrier_after, race
from tests.reminders.conftest import (
    DAY,
    LEARNERS_AT_A_THRESHOLD,
    NOW,
    build_world,
    complete,
)
from tests.smtp_server import Inbox, SmtpServer, body, free_port

MANAGERS = {"manager@example.org", "south.manager@example.org"}


def run(app, now=NOW):
    return services.send(app.config, now=now)


def learner_mail(smtp):
    return {m["To"] for m in smtp.inbox.messages if m["To"] not in MANAGERS}


def test_only_learners_who_have_reached_a_threshold_are_mailed(app, world, smtp):
    report = run(app)
    assert learner_mail(smtp) == LEARNERS_AT_A_THRESHOLD
    assert report.reminders == 4
    assert report.delivery.sent == report.reminders + report.digests


@pytest.mark.parametrize("who", ["not_yet_due", "compliant", "health", "opted_out", "leaver", "left", "inactive",
                                 "pending", "invited", "agency_off"])
def test_nobody_else_is_mailed(app, world, smtp, who):
    run(app)
    assert smtp.inbox.to(f"{who}@example.org") == []


def test_a_reminder_names_the_course_and_its_due_date_and_links_straight_to_it(app, world, smtp):
    run(app)
    [soon] = smtp.inbox.to("due_soon@example.org")
    text = body(soon)
    assert soon["Subject"] == "Your safeguarding training is due soon"
    assert "CSE-L1 Awareness: due by 21 January 2027" in text
    assert f"{app.config['SIGHTLINE_BASE_URL']}/my-training/courses/awareness" in text
    [late] = smtp.inbox.to("overdue@example.org")
    assert late["Subject"] == "Your safeguarding training is overdue"
    assert "was due by 1 January 2027 and is now overdue" in body(late)
    [expiring] = smtp.inbox.to("expiring@example.org")
    assert "your refresher is due by 31 January 2027" in body(expiring)


def test_a_course_nobody_is_required_to_take_is_never_mentioned(app, world, smtp):
    run(app)
    assert all("CSE-X" not in body(m) for m in smtp.inbox.messages)


def test_running_again_sends_nothing_new(app, world, smtp):
    run(app)
    first = len(smtp.inbox.messages)
    for later in (NOW, NOW + timedelta(minutes=1), NOW + timedelta(days=1)):
        report = run(app, later)
        assert (report.reminders, report.digests, report.delivery.sent) == (0, 0, 0)
    assert len(smtp.inbox.messages) == first


def test_overdue_after_due_soon_is_a_second_reminder_for_the_same_due_date(app, world, smtp):
    run(app)
    run(app, NOW + timedelta(days=11))  # due_soon's due date (21 January) has passed
    subjects = [m["Subject"] for m in smtp.inbox.to("due_soon@example.org")]
    assert subjects == ["Your safeguarding training is due soon", "Your safeguarding training is overdue"]


def test_a_new_due_date_is_a_new_reminder(app, db, world, smtp):
    run(app)
    # The expired learner takes the course again, and this completion runs out in 15 days.
    complete(db, world.people["expired"], world.course, on=DAY, expires_on=DAY + timedelta(days=15))
    run(app, NOW + timedelta(minutes=5))
    mails = smtp.inbox.to("expired@example.org")
    assert len(mails) == 2
    assert "your refresher is due by 26 January 2027" in body(mails[1])
    assert db.session.scalar(select(func.count()).select_from(ReminderLog).where(
        ReminderLog.user_id == world.people["expired"].id)) == 2


def test_turning_reminders_off_stops_them_and_on_again_sends_what_is_due(app, db, world, smtp):
    world.people["due_soon"].reminders_enabled = False
    world.other_police.reminders_enabled = True
    db.session.commit()
    run(app)
    assert smtp.inbox.to("due_soon@example.org") == []
    assert len(smtp.inbox.to("agency_off@example.org")) == 1


def test_overlapping_runs_never_send_the_same_reminder_twice(app, world, smtp, monkeypatch):
    # Both runs choose the same people before either claims anything.
    barrier_after(services, "candidates", monkeypatch)
    reports = race(app, lambda: services.queue(app.config, now=NOW))
    assert sorted(r[0] for r in reports) == [0, 4]
    assert sorted(r[1] for r in reports) == [0, 2]
    monkeypatch.undo()
    run(app)
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(LEARNERS_AT_A_THRESHOLD | MANAGERS)


def test_overlapping_senders_never_deliver_a_message_twice(app, world, smtp, monkeypatch):
    services.queue(app.config, now=NOW)
    # Both senders read the same due messages before either claims one (their first batch only:
    # afterwards each stops on its own once nothing is left).
    real_due, together = queue._due_ids, threading.Barrier(2)
    first_call = threading.local()

    def due_ids(*args):
        ids = real_due(*args)
        if not getattr(first_call, "done", False):
            first_call.done = True
            together.wait(timeout=10)
        return ids

    monkeypatch.setattr(queue, "_due_ids", due_ids)
    race(app, lambda: queue.deliver_pending(app.config, now=NOW, batch_size=4))
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(LEARNERS_AT_A_THRESHOLD | MANAGERS)


def test_batches_are_small_transactions_and_add_up(app, world, smtp):
    report = services.send(app.config, now=NOW, batch_size=1)
    assert report.reminders == 4
    assert learner_mail(smtp) == LEARNERS_AT_A_THRESHOLD


# The weekly digest --------------------------------------------------------------------------------

def test_each_manager_gets_a_weekly_digest_of_their_own_agency(app, world, smtp):
    report = run(app)
    assert report.digests == 2
    [digest] = smtp.inbox.to("manager@example.org")
    text = body(digest)
    assert digest["Subject"] == "Training summary for Northshire Police: 5 overdue, 2 due soon"
    assert "Overdue: 5 people" in text and "Due soon: 2 people" in text
    # Everyone their agency counts, whatever their own reminder setting; not leavers already gone.
    for name in ("Overdue Person", "Expired Person", "Opted Out Person", "Invited Person", "Leaver Person",
                 "Due Soon Person", "Expiring Person"):
        assert name in text
    for name in ("Left Person", "Inactive Person", "Pending Person", "Agency Off Person", "Not Yet Due Person"):
        assert name not in text
    # Written about the staff, not to them; each list links to the same people in the report.
    assert "your refresher" not in text and "their refresher is due by" in text
    overdue_list = f"{app.config['SIGHTLINE_BASE_URL']}/reports/people?agency={world.police.id}&status=overdue_or_expired"
    soon_list = f"{app.config['SIGHTLINE_BASE_URL']}/reports/people?agency={world.police.id}&status=due_soon_or_expiring"
    assert overdue_list in text and soon_list in text


def test_a_manager_whose_agency_has_reminders_off_still_gets_the_digest(app, world, smtp):
    # The agency's switch stops reminders to its staff; their manager still hears who is overdue.
    run(app)
    assert smtp.inbox.to("agency_off@example.org") == []
    [digest] = smtp.inbox.to("south.manager@example.org")
    assert "Agency Off Person: CSE-L1 Awareness (was due by 1 January 2027 and is now overdue)" in body(digest)


def test_a_manager_with_reminders_off_gets_no_digest(app, db, world, smtp):
    world.manager.reminders_enabled = False
    db.session.commit()
    run(app)
    assert smtp.inbox.to("manager@example.org") == []


def test_the_digest_goes_once_a_week_from_monday_morning(app, world, smtp):
    sunday_night = NOW - timedelta(hours=10)
    monday_early = NOW.replace(hour=7, minute=59)
    assert run(app, sunday_night).digests == 2  # the week before's, not yet sent
    assert run(app, monday_early).digests == 0
    assert run(app, NOW).digests == 2
    assert run(app, NOW + timedelta(days=3)).digests == 0
    assert run(app, NOW + timedelta(days=7)).digests == 2


def test_no_digest_when_there_is_nothing_to_say(app, db, make_agency, make_user, smtp):
    from modules.accounts.models import AgencyKind, Role

    quiet = make_agency(name="Quiet Housing", kind=AgencyKind.housing)
    make_user(agency=quiet, roles=(Role.learner, Role.manager), email="quiet.manager@example.org")
    make_user(agency=quiet, email="quiet.learner@example.org")
    report = run(app)
    assert (report.reminders, report.digests) == (0, 0)
    assert smtp.inbox.messages == []


# When the mail server is down ------------------------------------------------------------------

def _pending(db):
    return db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()


def test_smtp_down_is_retried_with_backoff_reported_and_delivered_when_it_is_back(app, db, world):
    port = free_port()  # nothing listens here yet: connection refused
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=port, MAIL_SMTP_STARTTLS=False)
    report = run(app)
    assert (report.reminders, report.digests, report.delivery.sent) == (4, 2, 0)
    assert report.delivery.retrying == 6
    assert report.summary() == ("4 reminders, 2 digests queued; 0 sent; 6 failed "
                                "(6 will be retried, 0 gave up: see /admin/mail)")
    messages = _pending(db)
    assert {m.status for m in messages} == {MailStatus.pending}
    assert {m.attempts for m in messages} == {1}
    assert all("Connection refused" in m.last_error or "ConnectionRefused" in m.last_error for m in messages)
    assert {m.next_attempt_at for m in messages} == {NOW + timedelta(minutes=1)}

    # Within the wait nothing is tried; the reminders are not queued again either.
    report = run(app, NOW + timedelta(seconds=30))
    assert (report.reminders, report.delivery.sent, report.delivery.failed) == (0, 0, 0)
    db.session.expire_all()
    assert {m.attempts for m in _pending(db)} == {1}

    report = run(app, NOW + timedelta(minutes=1))
    assert report.delivery.retrying == 6
    db.session.expire_all()
    assert {m.next_attempt_at for m in _pending(db)} == {NOW + timedelta(minutes=6)}  # then 5 minutes

    server = SmtpServer(port, Inbox())
    server.start()
    try:
        report = run(app, NOW + timedelta(minutes=6))
        assert report.delivery.sent == 6 and report.delivery.failed == 0
        assert sorted(m["To"] for m in server.inbox.messages) == sorted(LEARNERS_AT_A_THRESHOLD | MANAGERS)
    finally:
        server.stop()
    db.session.expire_all()
    assert {m.status for m in _pending(db)} == {MailStatus.sent}


def test_after_the_last_attempt_a_message_is_failed_and_kept(app, db, world):
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=free_port(), MAIL_SMTP_STARTTLS=False)
    moment = NOW
    gave_up = 0
    for attempt in range(1, queue.MAX_ATTEMPTS + 1):
        report = run(app, moment)
        gave_up += report.delivery.gave_up
        if attempt < queue.MAX_ATTEMPTS:
            moment += queue.retry_delay(attempt)
    assert gave_up == 6
    db.session.expire_all()
    assert {(m.status, m.attempts) for m in _pending(db)} == {(MailStatus.failed, queue.MAX_ATTEMPTS)}
    # Failed mail is never tried again by itself.
    assert queue.deliver_pending(app.config, now=moment + timedelta(days=30)).failed == 0


def test_a_recipient_the_server_refuses_fails_alone(app, db, world, smtp):
    class Refusing(type(smtp.inbox)):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            if address.startswith("overdue@"):
                return "550 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    smtp.stop()
    smtp.inbox = Refusing()
    smtp.start()
    report = run(app)
    assert report.delivery.sent == 5 and report.delivery.retrying == 1
    [refused] = [m for m in _pending(db) if m.to_address == "overdue@example.org"]
    assert refused.status is MailStatus.pending and "550" in refused.last_error


# STARTTLS and a login ---------------------------------------------------------------------------

def test_mail_goes_over_starttls_with_a_login_when_configured(app, world, tls_smtp):
    report = run(app)
    assert report.delivery.sent == 6
    assert len(tls_smtp.inbox.messages) == 6
    assert tls_smtp.logins == [b"sightline"]  # one connection, one login for the batch


def test_a_wrong_smtp_password_is_reported_and_retried(app, db, world, tls_smtp):
    app.config["MAIL_SMTP_PASSWORD"] = "not the password"
    report = run(app)
    assert report.delivery.sent == 0 and report.delivery.retrying == 6
    assert all(m.last_error.startswith("SMTPAuthenticationError: (535") for m in _pending(db))
    app.config["MAIL_SMTP_PASSWORD"] = "relay password"
    assert run(app, NOW + timedelta(minutes=1)).delivery.sent == 6


def test_a_certificate_the_client_does_not_trust_stops_the_send(app, db, world, tls_smtp):
    app.config["MAIL_SMTP_CA_FILE"] = ""  # the system's CAs do not include the test's certificate
    report = run(app)
    assert report.delivery.sent == 0 and report.delivery.retrying == 6
    assert tls_smtp.inbox.messages == []
    assert all("CERTIFICATE_VERIFY_FAILED" in m.last_error for m in _pending(db))


# The command ------------------------------------------------------------------------------------

def test_the_command_prints_what_it_did_and_fails_when_mail_could_not_be_sent(app, db, make_agency, make_user,
                                                                               runner, smtp):
    build_world(db, make_agency, make_user, uk_today())
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"4 reminders, (0 digests|2 digests) queued; [46] sent; 0 failed\n", result.output)
    assert runner.invoke(args=["reminders", "send"]).output == "0 reminders, 0 digests queued; 0 sent; 0 failed\n"

    smtp.stop()
    db.session.execute(OutgoingMail.__table__.update().values(status="pending", next_attempt_at=NOW.replace(year=2020)))
    db.session.commit()
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 1
    assert "0 sent; " in result.output and "failed (" in result.output and "see /admin/mail" in result.output


def test_without_smtp_mail_goes_to_the_development_outbox(app, world):
    from modules.notifications.mail import read_outbox

    app.config["MAIL_SMTP_HOST"] = ""
    report = run(app)
    assert report.delivery.sent == 6
    assert {m.to for m in read_outbox(app.config["MAIL_OUTBOX_DIR"])} == LEARNERS_AT_A_THRESHOLD | MANAGERS


def test_the_due_date_follows_the_latest_of_joining_and_the_requirement_starting(app, db, world, smtp):
    # The requirement first applied 60 days ago: due 30 days from now even for long-serving staff.
    from modules.learning.models import TrainingRequirement

    db.session.execute(TrainingRequirement.__table__.update().values(starts_on=DAY - timedelta(days=60)))
    db.session.commit()
    run(app)
    [soon] = smtp.inbox.to("overdue@example.org")  # joined 100 days ago, but the clock started later
    assert "due by 10 February 2027" in body(soon)
    assert date(2027, 2, 10) == DAY + timedelta(days=30)
