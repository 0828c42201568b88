"""End a request's read-only PostgreSQL transaction with COMMIT, so that psycopg's prepared
statements outlive the request.

psycopg prepares a query on the server once a connection has run it five times, and from then on
PostgreSQL skips parsing and planning it. But psycopg forgets every prepared statement of the
connection whenever it sends ROLLBACK (``Connection.rollback()`` clears its cache, in case the
rollback undid a DROP or ALTER), and the end of every request sends ROLLBACK: closing the
request's session rolls its transaction back. So no query of a page was ever prepared, and
PostgreSQL planned every query of every page view afresh: measured here, planning took ten times
as long as running the session look-up, and most of the database server's CPU per page.

For a transaction that has only read, COMMIT and ROLLBACK do the same (there is nothing to keep
or undo, and both end the snapshot and release any lock). So at the end of a request whose
transaction ran nothing but SELECTs, raised no database error, has no unflushed changes in the
session and no job waiting for its commit, the transaction is committed instead; everything
else still ends with ROLLBACK, exactly as before. SQLite has no prepared statements to keep and
is left alone.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from modules.core import jobs
from modules.core.extensions import db

_READ_ONLY = "sightline_read_only"


@event.listens_for(Engine, "begin")
def _transaction_begins(connection) -> None:
    connection.info[_READ_ONLY] = True


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection, _cursor, statement, _parameters, _context, _executemany) -> None:
    # Anything but a plain SELECT (DML, a savepoint, DDL, SET) may have changed something.
    if connection.info.get(_READ_ONLY) and not statement.lstrip()[:6].upper() == "SELECT":
        connection.info[_READ_ONLY] = False


@event.listens_for(Engine, "handle_error")
def _note_errors(context) -> None:
    connection = context.connection
    if connection is not None:
        connection.info[_READ_ONLY] = False


def commit_if_read_only() -> bool:
    """Commit the request's transaction if it has only read (see the module docstring).

    :return: True when it was committed.
    """
    if not db.session.registry.has():
        return False  # the request never used the database
    session = db.session()
    if not session.in_transaction() or session.in_nested_transaction():
        return False
    if session.new or session.dirty or session.deleted or jobs.pending_jobs():
        return False
    connection = session.connection()
    if connection.dialect.name != "postgresql" or not connection.info.get(_READ_ONLY):
        return False
    try:
        session.commit()
    except SQLAlchemyError:
        session.rollback()  # as if this module were not here
        return False
    return True


def init_app(app) -> None:
    # Registered after Flask-SQLAlchemy's teardown, so it runs first (Flask runs teardowns in
    # reverse order): the session is still open here.
    @app.teardown_appcontext
    def _end_read_only_transaction(exc) -> None:
        if exc is None:
            commit_if_read_only()
