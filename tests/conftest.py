"""Shared fixtures.

Every test that uses the ``app`` fixture runs twice: on SQLite and on PostgreSQL. The schema is
built by the real Alembic migrations (never ``create_all``), once per database per run, and each
test starts from empty tables.

PostgreSQL comes from ``SIGHTLINE_TEST_POSTGRES_URL`` (``make test`` starts a throwaway cluster and
sets it). Without it the PostgreSQL half fails with instructions rather than being skipped, so a
green run always means both databases were exercised. For a quick local loop on SQLite only, run
``pytest -k "not postgresql"``.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, inspect, text

from modules.core.factory import create_app

TEST_PASSWORD = "correct horse battery staple"


def _test_config(database_url: str, tmp_path: Path) -> dict:
    return {
        "TESTING": True,
        "SIGHTLINE_ENV": "testing",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_SMTP_HOST": "",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "SIGHTLINE_IMPORT_DIR": str(tmp_path / "imports"),
        "SERVER_NAME": "localhost",
    }


def _postgres_url() -> str:
    url = os.environ.get("SIGHTLINE_TEST_POSTGRES_URL", "")
    if not url:
        pytest.fail(
            "SIGHTLINE_TEST_POSTGRES_URL is not set: run `make test` (it starts PostgreSQL), or run "
            "`pytest -k 'not postgresql'` for SQLite only",
            pytrace=False,
        )
    from modules.core.config import normalise_database_url

    return _database_for_this_worker(normalise_database_url(url))


def _database_for_this_worker(url: str) -> str:
    """Under pytest-xdist (``make test`` runs one worker per core), each worker gets its own
    database, ``<name>_gw0`` and so on, created on first use: workers empty tables between tests,
    so they must never share one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker:
        return url
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def migrate_database(database_url: str, tmp_path: Path) -> None:
    """Drop everything, then build the schema with the project's Alembic migrations."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    app = create_app(_test_config(database_url, tmp_path))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        from modules.core.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'test.db'}"
    else:
        url = _postgres_url()
    migrate_database(url, tmp)
    return url


def _empty_all_tables(db) -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    existing = set(inspect(db.engine).get_table_names())
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables if t.name in existing)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                if table.name in existing:
                    conn.execute(table.delete())


class IsolatedClient(FlaskClient):
    """Runs each request in its own application context, as a real server does.

    The ``app`` fixture keeps an application context open for the test body; without this, every
    request would share its ``g`` (Flask-Login's cached user, the CSP nonce) and its database
    session, hiding bugs that only appear across requests. Objects the test holds are expired
    after each request so that they reload what the request committed.
    """

    def open(self, *args, **kwargs):
        from modules.core.extensions import db

        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():  # the test's own context, if it has one
            db.session.expire_all()
        return response


def build_app(config: dict):
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(autouse=True)
def _engines_made_by_the_test_are_closed():
    """An app a test makes for itself (``create_app`` in the test body) keeps its pooled database
    connections open until garbage collection, at some later moment, deletes them, and psycopg then
    warns (an unraisable exception that fails whichever test happens to be running). Closing the
    pools of the apps made during the test keeps the warning with nobody."""
    from modules.core.extensions import db

    before = set(db._app_engines.keys())
    yield
    for made, engines in list(db._app_engines.items()):
        if made not in before:
            for engine in engines.values():
                engine.dispose()


@pytest.fixture
def app(database_url, tmp_path):
    app = build_app(_test_config(database_url, tmp_path))
    with app.app_context():
        from modules.core.extensions import db

        yield app
        db.session.remove()
        _empty_all_tables(db)
        db.engine.dispose()


@pytest.fixture
def db(app):
    from modules.core.extensions import db

    return db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# Factories -----------------------------------------------------------------------------------

@pytest.fixture
def make_agency(db):
    from modules.accounts.models import Agency, AgencyKind

    def make(name="Test Police", kind=AgencyKind.police, teams=("Team A",)):
        from modules.accounts.models import Team

        agency = Agency(name=name, kind=kind, teams=[Team(name=t) for t in teams])
        db.session.add(agency)
        db.session.commit()
        return agency

    return make


@pytest.fixture
def make_user(db, make_agency):
    from modules.accounts.models import Role, User
    from modules.accounts.passwords import hash_password

    hashed = hash_password(TEST_PASSWORD)
    counter = {"n": 0}

    def make(*, roles=(Role.learner,), agency=None, email=None, name=None, level=1, active=True):
        counter["n"] += 1
        if agency is None:
            agency = make_agency(name=f"Agency {counter['n']}")
        user = User(
            email=email or f"user{counter['n']}@example.org",
            name=name or f"Test User {counter['n']}",
            agency=agency,
            job_title="Officer",
            training_level=level,
            password_hash=hashed,
            active=active,
        )
        user.set_roles(set(roles))
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def sign_in(client):
    def do(user, password=TEST_PASSWORD, test_client=None):
        c = test_client or client
        response = c.post("/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return c

    return do
