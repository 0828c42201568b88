"""Reminders and digests by email: who is due (candidates.py), what was sent (models.py, so never
twice), the words (messages.py), the run (services.py, ``flask reminders send``), the settings
people see (settings.py) and a manager's reminder to a report list (manual.py). Mail goes through
the notifications area's queue, which retries and never drops it."""
from __future__ import annotations


def init_app(app):
    from modules.reminders import models  # noqa: F401  (so Alembic and relationships see them)
    from modules.reminders.cli import cli
    from modules.reminders.settings import reminder_setting
    from modules.reminders.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(cli)
    app.add_template_global(reminder_setting)
