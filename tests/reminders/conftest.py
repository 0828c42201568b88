"""The app sending through a real SMTP server on loopback (tests/smtp_server.py), and a small
partnership whose people are in every state the due-date rule knows, on a fixed day."""
from __future__ import annotations

import ssl
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult

from modules.accounts.models import AgencyKind, Approval, Role
from modules.core.dates import UK, add_months
from modules.learning.latest import note_completion
from modules.learning.models import Completion, Enrolment
from modules.learning.requirements import set_requirement
from tests.learning.factories import make_course_version, make_module_version
from tests.smtp_server import Inbox, SmtpServer, free_port

# A Monday: digests may go from 8am.
DAY = date(2027, 1, 11)
NOW = datetime.combine(DAY, time(9, 0), tzinfo=UK)
SMTP_USER, SMTP_PASSWORD = "sightline", "relay password"


@pytest.fixture
def smtp(app):
    """A plain SMTP server (no TLS, no auth), and the app configured to send through it."""
    server = SmtpServer(free_port(), Inbox())
    server.start()
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=server.port, MAIL_SMTP_STARTTLS=False,
                      MAIL_SMTP_USERNAME="", MAIL_SMTP_PASSWORD="")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl), which the client trusts as its CA."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_smtp(app, certificate):
    """An SMTP server that requires STARTTLS and a login, and the app configured for it."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append(auth_data.login)
        ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
        # handled=False: aiosmtpd then answers "535" itself (by default it leaves that to us).
        return AuthResult(success=ok, handled=False)

    server = SmtpServer(free_port(), Inbox(), kwargs=dict(
        tls_context=context, require_starttls=True, auth_required=True, auth_require_tls=True,
        authenticator=authenticator,
    ))
    server.start()
    server.logins = logins
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=server.port, MAIL_SMTP_STARTTLS=True,
                      MAIL_SMTP_CA_FILE=str(cert), MAIL_SMTP_USERNAME=SMTP_USER, MAIL_SMTP_PASSWORD=SMTP_PASSWORD)
    yield server
    server.stop()


@dataclass
class World:
    police: object
    other_police: object
    health: object
    course: object  # required of police staff, due within 90 days of joining
    optional: object  # required of nobody
    manager: object
    other_manager: object
    people: dict


def complete(db, user, version, *, on: date, expires_on: date) -> Completion:
    """A completion as modules.learning.completion records it, with the latest-completion row."""
    enrolment = Enrolment(user_id=user.id, course_id=version.course_id, course_version_id=version.id, cycle=1
                          + (db.session.scalar(db.select(db.func.count()).select_from(Enrolment).where(
                              Enrolment.user_id == user.id, Enrolment.course_id == version.course_id)) or 0),
                          started_at=datetime.combine(on, time(12), tzinfo=UK))
    db.session.add(enrolment)
    db.session.flush()
    completion = Completion(
        enrolment_id=enrolment.id, user_id=user.id, course_id=version.course_id, course_version_id=version.id,
        completed_at=datetime.combine(on, time(12, 30), tzinfo=UK), completed_on=on, expires_on=expires_on,
        refresher_months=12, score=90,
    )
    db.session.add(completion)
    db.session.flush()
    note_completion(completion)
    db.session.commit()
    return completion


def build_world(db, make_agency, make_user, day: date) -> World:
    police = make_agency(name="Northshire Police", kind=AgencyKind.police, teams=("Response",))
    other_police = make_agency(name="Southshire Police", kind=AgencyKind.police, teams=("Patrol",))
    health = make_agency(name="Northshire Health", kind=AgencyKind.health, teams=("Wards",))
    course = make_course_version("awareness", [make_module_version("awareness-1")], code="CSE-L1",
                                 title="Awareness", refresher_months=12)
    optional = make_course_version("extra", [make_module_version("extra-1")], code="CSE-X", title="Extra")
    requirement = set_requirement(course.course, AgencyKind.police)
    requirement.due_within_days = 90
    requirement.starts_on = date(2020, 1, 1)
    db.session.commit()

    def person(key, *, agency=police, joined_days_ago=10, **changes):
        user = make_user(agency=agency, name=f"{key.replace('_', ' ').title()} Person", email=f"{key}@example.org")
        user.started_on = day - timedelta(days=joined_days_ago)
        for name, value in changes.items():
            setattr(user, name, value)
        db.session.commit()
        return user

    people = {
        "due_soon": person("due_soon", joined_days_ago=80),  # due in 10 days
        "not_yet_due": person("not_yet_due", joined_days_ago=10),  # due in 80 days
        "overdue": person("overdue", joined_days_ago=100),  # due 10 days ago
        "expiring": person("expiring", joined_days_ago=800),
        "compliant": person("compliant", joined_days_ago=800),
        "expired": person("expired", joined_days_ago=800),
        "health": person("health", agency=health, joined_days_ago=400),  # nothing required
        "opted_out": person("opted_out", joined_days_ago=100, reminders_enabled=False),
        "leaver": person("leaver", joined_days_ago=100, left_on=day + timedelta(days=5)),
        "left": person("left", joined_days_ago=100, active=False, left_on=day - timedelta(days=3)),
        "inactive": person("inactive", joined_days_ago=100, active=False),
        "pending": person("pending", joined_days_ago=100, approval=Approval.pending),
        "invited": person("invited", joined_days_ago=100, password_hash=None),
        "agency_off": person("agency_off", agency=other_police, joined_days_ago=100),
    }
    complete(db, people["expiring"], course, on=day - timedelta(days=340), expires_on=day + timedelta(days=20))
    complete(db, people["compliant"], course, on=day - timedelta(days=100), expires_on=add_months(day, 9))
    complete(db, people["expired"], course, on=day - timedelta(days=400), expires_on=day - timedelta(days=5))
    other_police.reminders_enabled = False
    db.session.commit()
    manager = make_user(agency=police, roles=(Role.learner, Role.manager), name="Mina Manager",
                        email="manager@example.org")
    other_manager = make_user(agency=other_police, roles=(Role.learner, Role.manager), name="Sam Manager",
                              email="south.manager@example.org")
    for user in (manager, other_manager):
        user.started_on = day  # their own training is not yet due
    db.session.commit()
    return World(police, other_police, health, course, optional, manager, other_manager, people)


@pytest.fixture
def world(db, make_agency, make_user) -> World:
    return build_world(db, make_agency, make_user, DAY)


LEARNERS_AT_A_THRESHOLD = {"due_soon@example.org", "overdue@example.org", "expiring@example.org",
                           "expired@example.org"}
