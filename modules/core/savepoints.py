"""Savepoints (``session.begin_nested()``) that behave the same on SQLite as on PostgreSQL.

Python's sqlite3 driver opens a transaction only before an INSERT, UPDATE or DELETE. A SAVEPOINT
sent while none is open starts one of its own, and releasing that savepoint then commits
everything: the "one transaction per request" rule would quietly break whenever the first write
of a request sits in a savepoint (starting a course, say). Opening the transaction first keeps
the savepoint nested inside it. ``BEGIN`` is deferred, so no lock is taken before the first
write, exactly as when the driver opens the transaction itself.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "savepoint")
def _open_the_transaction_first(connection, name) -> None:
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if not driver.in_transaction:
        driver.execute("BEGIN")
