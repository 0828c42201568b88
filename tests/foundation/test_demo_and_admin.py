import re

from sqlalchemy import func, select

from modules.accounts.models import Agency, AgencyKind, Role, User
from modules.core.models import AuditEvent
from modules.demo.data import DEMO_PASSWORD
from modules.notifications.mail import read_outbox, send


def test_demo_loads_partnership_and_accounts_once(runner, db):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "learner@example.org" in result.output and DEMO_PASSWORD in result.output
    assert db.session.scalar(select(func.count(Agency.id))) == 8
    assert db.session.scalar(select(func.count(User.id))) == 40
    kinds = set(db.session.scalars(select(Agency.kind)))
    assert {AgencyKind.police, AgencyKind.licensing, AgencyKind.health, AgencyKind.education} <= kinds
    manager = db.session.scalar(select(User).where(User.email == "manager@example.org"))
    assert manager.agency.kind is AgencyKind.police and manager.has_role(Role.manager)
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    assert admin.has_role(Role.partnership_admin)
    # Running it again adds nothing.
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "(0 added this time)" in again.output
    assert db.session.scalar(select(func.count(User.id))) == 40


def test_demo_accounts_can_sign_in(runner, client):
    runner.invoke(args=["demo"])
    for email, home in [
        ("learner@example.org", "/my-training"),
        ("trainer@example.org", "/trainer"),
        ("manager@example.org", "/manager"),
        ("manager2@example.org", "/manager"),
        ("admin@example.org", "/admin"),
    ]:
        response = client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        assert client.get("/").location == home
        client.post("/sign-out")


def test_the_second_demo_manager_sees_only_the_health_trust(runner, client, db):
    from tests.learning.factories import make_course_version, make_module_version

    # A stand-in for the bundled Level 1 course, which the demo requires of every agency, so
    # that the people report has someone in it.
    make_course_version("cse-level-1", [make_module_version("demo-stand-in")])
    runner.invoke(args=["demo"])
    manager2 = db.session.scalar(select(User).where(User.email == "manager2@example.org"))
    health = manager2.agency
    assert health.kind is AgencyKind.health and manager2.has_role(Role.manager)
    assert not manager2.has_role(Role.partnership_admin)
    health_staff = set(db.session.scalars(select(User.id).where(User.agency_id == health.id)))
    others = list(db.session.scalars(select(Agency).where(Agency.id != health.id)))
    stranger = db.session.scalar(select(User).where(User.agency_id != health.id))
    assert client.post("/sign-in", data={"email": manager2.email, "password": DEMO_PASSWORD}).status_code == 302

    home = client.get("/manager")
    assert home.location == f"/agencies/{health.id}"
    staff_page = client.get(home.location).get_data(as_text=True)
    assert set(map(int, re.findall(r'href="/people/(\d+)"', staff_page))) == health_staff
    report = client.get("/reports/people").get_data(as_text=True)
    # The people list links to the one person page.
    assert set(map(int, re.findall(r'href="/people/(\d+)"', report))) == health_staff
    for agency in others:
        assert agency.name not in staff_page and agency.name not in report
        assert client.get(f"/agencies/{agency.id}").status_code == 404
        assert client.get(f"/reports?agency={agency.id}").status_code == 404
    assert client.get(f"/people/{stranger.id}").status_code == 404
    assert client.get(f"/reports/people/{stranger.id}").status_code == 404


def test_demo_is_refused_in_production(app, runner, db):
    app.config["SIGHTLINE_ENV"] = "production"
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "refused when SIGHTLINE_ENV=production" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_manager_deactivates_a_leaver_and_it_is_audited(client, sign_in, make_agency, make_user, db):
    agency = make_agency(name="Northshire Police")
    manager = make_user(roles=(Role.learner, Role.manager), agency=agency)
    leaver = make_user(agency=agency, name="Leaving Person")
    sign_in(manager)
    response = client.post(f"/people/{leaver.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert "account is now deactivated" in client.get(response.location).get_data(as_text=True)
    assert db.session.get(User, leaver.id).active is False
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.deactivated"))
    assert event.actor_id == manager.id and event.subject_id == str(leaver.id) and event.agency_id == agency.id


def test_manager_cannot_deactivate_themselves(client, sign_in, make_user, db):
    manager = make_user(roles=(Role.learner, Role.manager))
    sign_in(manager)
    client.post(f"/people/{manager.id}/active", data={"active": "0"})
    assert db.session.get(User, manager.id).active is True


def test_manager_sees_only_their_agency_staff(client, sign_in, make_agency, make_user):
    home, other = make_agency(name="Home"), make_agency(name="Elsewhere")
    manager = make_user(roles=(Role.manager,), agency=home)
    make_user(agency=home, name="Colleague Person")
    make_user(agency=other, name="Stranger Person")
    sign_in(manager)
    page = client.get(f"/agencies/{home.id}").get_data(as_text=True)
    assert "Colleague Person" in page and "Stranger Person" not in page


def test_admin_sees_every_agency_and_the_audit_log(client, sign_in, make_agency, make_user):
    make_agency(name="First Agency")
    make_agency(name="Second Agency")
    admin = make_user(roles=(Role.partnership_admin,))
    sign_in(admin)
    page = client.get("/admin").get_data(as_text=True)
    assert "First Agency" in page and "Second Agency" in page
    assert "account.login" in client.get("/admin/audit").get_data(as_text=True)


def test_outbox_keeps_mail_readable_in_development(app, client):
    app.config["SIGHTLINE_DEV_OUTBOX"] = "loopback"  # off by default in testing
    send(app.config, to="someone@example.org", subject="Hello there", body="Visit http://127.0.0.1:5000/x")
    [message] = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    assert message.subject == "Hello there"
    assert "Hello there" in client.get("/dev/outbox/").get_data(as_text=True)
    page = client.get(f"/dev/outbox/{message.name}").get_data(as_text=True)
    assert 'href="http://127.0.0.1:5000/x"' in page


def test_smtp_is_used_when_configured(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user))

        def send_message(self, message):
            sent.append(("send", message["To"], message["Subject"]))

    monkeypatch.setattr("modules.notifications.mail.smtplib.SMTP", FakeSMTP)
    config = {**app.config, "MAIL_SMTP_HOST": "smtp.example.org", "MAIL_SMTP_USERNAME": "u", "MAIL_SMTP_PASSWORD": "p"}
    send(config, to="a@example.org", subject="Subject line", body="Body")
    assert sent == [("connect", "smtp.example.org", 587), ("starttls",), ("login", "u"), ("send", "a@example.org", "Subject line")]
    assert read_outbox(app.config["MAIL_OUTBOX_DIR"]) == []


def test_the_demo_dashboard_shows_every_state(runner, db):
    from modules.core.dates import uk_today
    from modules.learning.models import Completion
    from modules.reports import services
    from modules.reports.periods import reporting_year_of
    from modules.reports.queries import ReportScope
    from tests.learning.factories import make_course_version, make_module_version

    make_course_version("cse-level-1", [make_module_version("demo-stand-in")])
    assert runner.invoke(args=["demo"]).exit_code == 0
    today = uk_today()
    board = services.dashboard(ReportScope(agency_ids=None, period=reporting_year_of(today), today=today))
    total = board.total
    figures = {state: getattr(total, state)
               for state in ("compliant", "expiring", "expired", "overdue", "due_soon", "not_yet_due", "in_progress")}
    assert all(figures.values()), figures
    # The demo accounts keep a clean slate to try the learner's journey; a second run adds nothing.
    learner = db.session.scalar(select(User).where(User.email == "learner@example.org"))
    assert db.session.scalar(select(func.count()).select_from(Completion).where(Completion.user_id == learner.id)) == 0
    completions = db.session.scalar(select(func.count()).select_from(Completion))
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Completion)) == completions


def test_the_demo_history_is_made_by_the_completion_pipeline(runner, db):
    from modules.certificates.models import Certificate
    from modules.core.dates import uk_today
    from modules.learning.models import (
        Completion,
        CompletionSource,
        LatestCompletion,
        ManualCompletion,
    )
    from modules.reports import services
    from modules.reports.periods import reporting_year_of
    from modules.reports.queries import ReportScope
    from tests.learning.factories import make_course_version, make_module_version

    make_course_version("cse-level-1", [make_module_version("demo-stand-in")])
    assert runner.invoke(args=["demo"]).exit_code == 0
    today = uk_today()
    online = db.session.scalars(select(Completion).where(Completion.source == CompletionSource.online)).all()
    manual = db.session.scalars(select(Completion).where(Completion.source == CompletionSource.manual)).all()
    # Every online completion has its certificate, as the player's would; the manual one has
    # its evidence and no certificate.
    certified = set(db.session.scalars(select(Certificate.completion_id)))
    assert online and {c.id for c in online} <= certified
    assert manual and not {c.id for c in manual} & certified
    assert db.session.scalar(select(func.count()).select_from(ManualCompletion)) == len(manual)
    # Spread over the past three years (and before, for those that lapsed), relative to today.
    ages = sorted((today - c.completed_on).days for c in online)
    assert ages[0] < 60 and ages[-1] > 3 * 365 and any(365 < age < 2 * 365 for age in ages)
    assert all(c.completed_on <= today for c in online + manual)
    # Someone has refreshed: two completions of one course.
    assert db.session.execute(select(Completion.user_id).group_by(Completion.user_id, Completion.course_id)
                              .having(func.count() > 1)).first() is not None
    assert db.session.scalar(select(func.count()).select_from(LatestCompletion)) > 0
    # The dashboard a partnership admin sees first is not 0%.
    board = services.dashboard(ReportScope(agency_ids=None, period=reporting_year_of(today), today=today))
    assert 0 < board.total.percent < 100
    # No certificate of the demo's fictional staff was emailed.
    assert not [m for m in read_outbox(runner.app.config["MAIL_OUTBOX_DIR"]) if m.subject.startswith("Your certificate")]
    # Idempotent: a second run adds nothing.
    counts = (len(online) + len(manual), db.session.scalar(select(func.count()).select_from(Certificate)))
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert (db.session.scalar(select(func.count()).select_from(Completion)),
            db.session.scalar(select(func.count()).select_from(Certificate))) == counts
