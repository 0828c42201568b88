"""The pages: reminder switches a learner can see and a manager can set, a manager's reminder to
a report list (confirmed, copied, audited, rate limited, scoped), and /admin/mail."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from modules.core.models import AuditEvent
from modules.notifications.models import MailStatus, OutgoingMail
from modules.reminders import services
from tests.reminders.conftest import NOW
from tests.smtp_server import body


def remind_url(world, **extra) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"agency": world.police.id, "course": world.course.course_id,
                                              **extra}.items())
    return f"/reports/people/remind?{query}"


# Settings people can see and set ------------------------------------------------------------

def test_a_learner_sees_whether_reminders_are_on(app, db, world, client, sign_in):
    learner = world.people["due_soon"]
    sign_in(learner)
    assert "Training reminders are on" in client.get("/account").get_data(as_text=True)
    learner.reminders_enabled = False
    db.session.commit()
    assert "Your manager has turned training reminders off for you" in client.get("/account").get_data(as_text=True)
    world.police.reminders_enabled = False
    db.session.commit()
    assert "Your agency has turned training reminders off" in client.get("/account").get_data(as_text=True)


def test_a_manager_turns_one_persons_reminders_off_and_nothing_is_sent_to_them(app, db, world, client, sign_in,
                                                                                smtp):
    person = world.people["overdue"]
    sign_in(world.manager)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Turn reminders off for this person" in page
    response = client.post(f"/people/{person.id}/reminders", data={"enabled": "0"})
    assert response.status_code == 302 and response.location.endswith(f"/people/{person.id}")
    assert person.reminders_enabled is False
    assert "Reminders are off for Overdue Person" in client.get(f"/people/{person.id}").get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reminders.person_set")).one()
    assert (event.actor_id, event.subject_id, event.details["enabled"]) == (world.manager.id, str(person.id), False)
    services.send(app.config, now=NOW)
    assert smtp.inbox.to("overdue@example.org") == []
    client.post(f"/people/{person.id}/reminders", data={"enabled": "1"})
    assert person.reminders_enabled is True


def test_a_manager_sees_but_cannot_change_a_fellow_managers_reminders(app, db, world, make_user, client, sign_in):
    from modules.accounts.models import Role

    colleague = make_user(agency=world.police, roles=(Role.learner, Role.manager))
    sign_in(world.manager)
    page = client.get(f"/people/{colleague.id}").get_data(as_text=True)
    assert "Training reminders" in page and "Turn reminders off for this person" not in page
    assert client.post(f"/people/{colleague.id}/reminders", data={"enabled": "0"}).status_code == 403
    assert colleague.reminders_enabled is True


def test_a_manager_turns_their_agencys_reminders_off(app, db, world, client, sign_in, smtp):
    sign_in(world.manager)
    assert "Turn reminders off for Northshire Police" in client.get(f"/agencies/{world.police.id}").get_data(
        as_text=True)
    response = client.post(f"/agencies/{world.police.id}/reminders", data={"enabled": "0"})
    assert response.status_code == 302
    assert world.police.reminders_enabled is False
    assert "Turn reminders on for Northshire Police" in client.get(f"/agencies/{world.police.id}").get_data(
        as_text=True)
    report = services.send(app.config, now=NOW)
    assert report.reminders == 0
    assert {m["To"] for m in smtp.inbox.messages} == {"manager@example.org", "south.manager@example.org"}


def test_a_manager_cannot_switch_another_agency(app, world, client, sign_in):
    sign_in(world.manager)
    assert client.post(f"/agencies/{world.other_police.id}/reminders", data={"enabled": "1"}).status_code == 404
    assert world.other_police.reminders_enabled is False


# "Send a reminder to these N people" -----------------------------------------------------------

REMINDABLE = {"Due Soon Person", "Not Yet Due Person", "Overdue Person", "Expiring Person", "Compliant Person",
              "Expired Person"}


def test_the_people_list_offers_a_reminder_to_the_same_filtered_people(app, world, client, sign_in):
    sign_in(world.manager)
    page = client.get(f"/reports/people?agency={world.police.id}&course={world.course.course_id}").get_data(
        as_text=True)
    assert "Send a reminder to the people in this list" in page
    assert f'href="/reports/people/remind?agency={world.police.id}&amp;course={world.course.course_id}' in page


def test_the_confirmation_lists_who_will_get_it_and_who_will_not(app, world, client, sign_in):
    sign_in(world.manager)
    page = client.get(remind_url(world)).get_data(as_text=True)
    assert "Send a reminder to these 6 people" in page
    for name in REMINDABLE:
        assert f"<li>{name}: CSE-L1 Awareness" in page
    for line in ("Opted Out Person has reminders turned off", "Leaver Person has left",
                 "Invited Person has not accepted their invitation yet",
                 "Mina Manager is you: you will be sent a copy"):
        assert line in page
    assert "Agency Off Person" not in page  # another agency
    # Not yet approved, so not in the report's list at all (reports count approved staff only).
    assert "Pending Person" not in page


def test_looking_at_the_confirmation_sends_nothing(app, db, world, client, sign_in):
    sign_in(world.manager)
    client.get(remind_url(world))
    assert db.session.scalars(select(OutgoingMail)).all() == []


def test_sending_reminds_each_person_copies_the_manager_and_is_audited(app, db, world, client, sign_in, smtp):
    sign_in(world.manager)
    response = client.post(remind_url(world))
    assert response.status_code == 302
    assert response.location.endswith(f"/reports/people?agency={world.police.id}&course={world.course.course_id}")
    received = {m["To"]: m for m in smtp.inbox.messages}  # sent straight after the commit
    expected = {f"{name.lower().removesuffix(' person').replace(' ', '_')}@example.org" for name in REMINDABLE}
    assert set(received) == expected | {"manager@example.org"}
    reminder = body(received["overdue@example.org"])
    assert "Mina Manager has asked us to remind you" in reminder
    assert f"{app.config['SIGHTLINE_BASE_URL']}/my-training/courses/awareness" in reminder
    copy = received["manager@example.org"]
    assert copy["Subject"] == "Copy: your reminder to 6 people"
    assert all(f"- {name}" in body(copy) for name in REMINDABLE)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reminders.sent_to_list")).one()
    assert event.actor_id == world.manager.id and event.agency_id == world.police.id
    assert event.details["people"] == 6
    assert sorted(event.details["user_ids"]) == sorted(
        world.people[k].id for k in ("due_soon", "not_yet_due", "overdue", "expiring", "compliant", "expired"))


def test_a_manager_cannot_remind_another_agencys_people(app, db, world, client, sign_in):
    sign_in(world.manager)
    assert client.get(f"/reports/people/remind?agency={world.other_police.id}").status_code == 404
    assert client.post(f"/reports/people/remind?agency={world.other_police.id}").status_code == 404
    # Without an agency a manager's list is their own agency's, never another's.
    page = client.get("/reports/people/remind").get_data(as_text=True)
    assert "Overdue Person" in page and "Agency Off Person" not in page
    assert db.session.scalars(select(OutgoingMail)).all() == []


def test_a_list_with_nobody_to_remind_says_so_and_sends_nothing(app, db, world, client, sign_in):
    sign_in(world.manager)
    page = client.get(remind_url(world, team=world.police.teams[0].id, level=3)).get_data(as_text=True)
    assert "Nobody in this list can be sent a reminder" in page
    assert client.post(remind_url(world, team=world.police.teams[0].id, level=3)).status_code == 200
    assert db.session.scalars(select(OutgoingMail)).all() == []


def test_a_list_that_is_too_long_asks_for_narrower_filters(app, db, world, client, sign_in, monkeypatch):
    from modules.reminders import manual

    monkeypatch.setattr(manual, "MAX_RECIPIENTS", 3)
    sign_in(world.manager)
    assert "This list is too long for a reminder" in client.get(remind_url(world)).get_data(as_text=True)
    assert client.post(remind_url(world)).status_code == 200
    assert db.session.scalars(select(OutgoingMail)).all() == []


# /admin/mail ------------------------------------------------------------------------------------

def test_failed_mail_is_listed_for_admins_and_retried(app, db, world, make_user, client, sign_in, smtp):
    from modules.accounts.models import Role
    from modules.notifications import queue

    port = smtp.port
    smtp.stop()
    moment = NOW
    for attempt in range(1, queue.MAX_ATTEMPTS + 1):
        services.send(app.config, now=moment)
        moment += queue.retry_delay(attempt) if attempt < queue.MAX_ATTEMPTS else timedelta(0)
    admin = make_user(roles=(Role.learner, Role.partnership_admin), agency=world.health)
    sign_in(admin)
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "6 messages could not be sent" in page
    assert "overdue@example.org" in page and "Connection refused" in page
    failed = db.session.scalars(select(OutgoingMail).where(OutgoingMail.to_address == "overdue@example.org")).one()
    assert failed.status is MailStatus.failed

    smtp.port = port
    smtp.start()
    assert client.post(f"/admin/mail/{failed.id}/retry").status_code == 302
    db.session.expire_all()
    assert db.session.get(OutgoingMail, failed.id).status is MailStatus.sent
    assert [m["To"] for m in smtp.inbox.messages] == ["overdue@example.org"]
    assert "5 messages could not be sent" in client.get("/admin/mail").get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail.retried")).one()
    assert event.actor_id == admin.id


def test_the_mail_page_says_when_nothing_is_waiting(app, world, make_user, client, sign_in):
    from modules.accounts.models import Role

    sign_in(make_user(roles=(Role.learner, Role.partnership_admin), agency=world.health))
    assert "Nothing is waiting" in client.get("/admin/mail").get_data(as_text=True)




# Settings from the environment --------------------------------------------------------------------

def test_a_malformed_reminder_setting_stops_the_start_with_one_line(monkeypatch, capsys):
    from modules.core.factory import create_app

    for name, value in (("SIGHTLINE_DUE_SOON_DAYS", "soon"), ("SIGHTLINE_LIST_REMINDER_LIMIT", "lots")):
        monkeypatch.setenv(name, value)
        with pytest.raises(SystemExit) as stopped:
            create_app({"TESTING": True, "SIGHTLINE_ENV": "testing", "SECRET_KEY": "x" * 40,
                        "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        assert stopped.value.code == 2
        assert f"Sightline cannot start: {name} must be" in capsys.readouterr().err
        monkeypatch.delenv(name)
