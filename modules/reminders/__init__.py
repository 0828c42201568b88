"""Reminders and digests by email: who is due (candidates.py), what was sent (models.py, so never
twice), the words (messages.py), the run (services.py, ``flask reminders send``), the settings
people see (settings.py) and a manager's reminder to a report list (manual.py). Mail goes through
the notifications area's queue, which retries and never drops it."""
from __future__ import annotations

import os
import sys

from modules.core.params import whole_number


def init_app(app):
    from modules.reminders import models  # noqa: F401  (so Alembic and relationships see them)
    from modules.reminders.cli import cli
    from modules.reminders.settings import reminder_setting
    from modules.reminders.views import bp

    # Settings read here: they belong to this area. SIGHTLINE_DUE_SOON_DAYS is the due-date
    # rule's "due soon" window (the reports read the same setting).
    app.config.setdefault("SIGHTLINE_DUE_SOON_DAYS", _days_env("SIGHTLINE_DUE_SOON_DAYS", 30))
    app.config.setdefault("SIGHTLINE_LIST_REMINDER_LIMIT", _limit_env("SIGHTLINE_LIST_REMINDER_LIMIT", "5 per hour"))
    app.register_blueprint(bp)
    app.cli.add_command(cli)
    app.add_template_global(reminder_setting)


def _days_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if whole_number(raw) is None:
        sys.stderr.write(f"Sightline cannot start: {name} must be a whole number of days, got {raw!r}\n")
        raise SystemExit(2)
    return int(raw)


def _limit_env(name: str, default: str) -> str:
    from limits import parse_many

    value = os.environ.get(name, "").strip() or default
    try:
        parse_many(value)
    except ValueError:
        sys.stderr.write(f"Sightline cannot start: {name} must be a rate limit such as '5 per hour', got {value!r}\n")
        raise SystemExit(2) from None
    return value
