"""The learner journey: required training, the module player, quizzes, completion and refreshers.

Services (plain functions): requirements.py, progress.py, quizzes.py, completion.py (the one
completion pipeline), latest.py (each person's latest completion), status.py, record.py,
handbook.py, contacts.py. Views: views/. Services never commit; views commit once. Other areas
listen to ``modules.learning.signals.completion_recorded`` (sent once per completion).
"""
from __future__ import annotations

import os
import sys

from modules.core.params import whole_number


def init_app(app):
    from modules.learning import models  # noqa: F401  (so Alembic and relationships see them)
    from modules.learning.views import bp

    # Settings read here rather than in modules/core/config.py: they belong to this area alone.
    app.config.setdefault(
        "SIGHTLINE_REFRESHER_WINDOW_DAYS", _int_env("SIGHTLINE_REFRESHER_WINDOW_DAYS", 60)
    )
    app.config.setdefault(
        "SIGHTLINE_LOCAL_CONTACTS_FILE",
        os.environ.get("SIGHTLINE_LOCAL_CONTACTS_FILE")
        or os.path.join(app.instance_path, "local_contacts.yaml"),
    )
    # Links between modules in content (/content/go/<module id>) lead learners into the player.
    app.config.setdefault("CONTENT_MODULE_LINK_ENDPOINT", "learning.module_link")
    app.register_blueprint(bp)
    from modules.core.navigation import add_menu_item

    add_menu_item(app, "My training", "learning.my_training", order=10)


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    if whole_number(raw.strip()) is None:
        # The same one-line refusal as modules.core.config, not a traceback.
        sys.stderr.write(f"Sightline cannot start: {name} must be a whole number of days, got {raw!r}\n")
        raise SystemExit(2)
    return int(raw)
