"""Every SQLite connection the application opens is tuned for serving requests (WAL journal,
synchronous=NORMAL); other databases are left alone."""
from __future__ import annotations

from sqlalchemy import text

from modules.core.extensions import db
from tests.conftest import _test_config, build_app


def test_every_sqlite_connection_uses_wal_and_normal_sync(tmp_path):
    app = build_app(_test_config(f"sqlite:///{tmp_path / 'tuned.db'}", tmp_path))
    with app.app_context():
        try:
            # Two connections at once: the setting must hold for each one the pool opens.
            with db.engine.connect() as one, db.engine.connect() as two:
                for connection in (one, two):
                    assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                    assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        finally:
            db.engine.dispose()
