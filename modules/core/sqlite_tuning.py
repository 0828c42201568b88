"""SQLite settings for a database that serves web requests, set on every new connection.

- ``journal_mode=WAL``: readers no longer wait for a writer (nor a writer for readers), so one
  learner saving a reflection does not stall every other worker's page views; it is a property
  of the database file, so setting it again is free. An in-memory database keeps its own mode.
- ``synchronous=NORMAL``: with WAL, a commit no longer waits for the disk twice; a power cut can
  lose the last commits but never corrupts the database (SQLite's documented trade-off for WAL).
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
