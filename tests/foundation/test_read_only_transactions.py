"""A request whose PostgreSQL transaction only read ends with COMMIT, so that psycopg's prepared
statements outlive the request (a ROLLBACK makes psycopg forget them all); a request that wrote,
or left anything to write, still ends with ROLLBACK on every database."""
from __future__ import annotations

import pytest
from sqlalchemy import event, func, select, text

from modules.accounts.models import Agency, AgencyKind
from modules.core import jobs
from modules.core.read_only_transactions import commit_if_read_only


def test_page_views_keep_their_prepared_statements_on_postgresql(app, db, make_user, sign_in, client):
    sign_in(make_user())
    connections = []

    def checked_out(dbapi_connection, _record, _proxy):
        connections.append(dbapi_connection)

    event.listen(db.engine, "checkout", checked_out)
    try:
        # psycopg prepares a query the fifth time a connection runs it: every view after that
        # finds the page's queries prepared, unless the end of a request threw them away.
        for _ in range(7):
            assert client.get("/my-training").status_code == 200
    finally:
        event.remove(db.engine, "checkout", checked_out)
    if db.engine.dialect.name == "postgresql":
        (connection,) = set(connections)  # one request after another: the pool's one connection
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            prepared = cursor.fetchone()[0]
        connection.rollback()
        assert prepared >= 3  # the session look-up, the enrolments, the requirements
    else:
        with app.app_context():
            db.session.execute(select(func.count()).select_from(Agency)).scalar()
            assert commit_if_read_only() is False  # SQLite: left alone


def test_a_transaction_that_only_read_is_committed_on_postgresql_only(app, db):
    with app.app_context():
        db.session.execute(select(Agency)).all()
        committed = commit_if_read_only()
        assert db.session().in_transaction() is not committed
    assert committed is (db.engine.dialect.name == "postgresql")


def _flushed_insert(db):
    db.session.add(Agency(name="Flushed", kind=AgencyKind.police))
    db.session.flush()


def _unflushed_insert(db):
    db.session.execute(select(Agency)).all()
    db.session.add(Agency(name="Unflushed", kind=AgencyKind.police))


def _core_insert(db):
    db.session.execute(text("INSERT INTO agencies (name, kind, created_at, self_registration, "
                            "registration_domains, reminders_enabled) VALUES ('Core', 'police', CURRENT_TIMESTAMP, false, '', true)"))


def _select_after_insert(db):
    _core_insert(db)
    db.session.execute(select(Agency)).all()


def _failed_statement(db):
    with pytest.raises(Exception):  # noqa: B017 - whichever error the driver raises
        with db.session.begin_nested():
            db.session.execute(text("SELECT * FROM no_such_table"))
    db.session.add(Agency(name="After an error", kind=AgencyKind.police))


@pytest.mark.parametrize("write", [_flushed_insert, _unflushed_insert, _core_insert, _select_after_insert,
                                   _failed_statement])
def test_a_request_that_wrote_still_ends_with_a_rollback(app, db, write):
    with app.app_context():
        write(db)
        assert commit_if_read_only() is False
    # The end of the context rolled back: nothing reached the database.
    assert db.session.scalar(select(func.count()).select_from(Agency)) == 0


def test_a_job_queued_by_a_request_that_did_not_commit_never_runs(app, db):
    ran = []
    with app.app_context():
        db.session.execute(select(Agency)).all()
        jobs.enqueue_after_commit(ran.append, "ran")
        assert commit_if_read_only() is False
    assert ran == []


def test_a_request_that_failed_is_not_committed(app, db):
    with pytest.raises(RuntimeError), app.app_context():
        db.session.execute(select(Agency)).all()
        db.session.add(Agency(name="Half done", kind=AgencyKind.police))
        raise RuntimeError("the view failed")
    assert db.session.scalar(select(func.count()).select_from(Agency)) == 0
