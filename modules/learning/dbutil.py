"""Small database helpers that behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from modules.core.extensions import db


def insert_ignoring_duplicates(model: type, **values: Any) -> bool:
    """INSERT a row unless a unique constraint says it exists already (``ON CONFLICT DO NOTHING``).

    For rows where "first one wins" is the right answer to a double click (a section visit, the
    first choice at a decision point): no exception, no rollback of the caller's other changes.

    :return: True when this call inserted the row.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = db.session.execute(insert(model).values(**values).on_conflict_do_nothing())
    return result.rowcount == 1
