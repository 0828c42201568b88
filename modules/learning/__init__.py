"""The learner journey: required training, the module player, quizzes, completion and refreshers.

Services (plain functions): requirements.py, progress.py, quizzes.py, completion.py (the one
completion pipeline), latest.py (each person's latest completion), status.py, record.py,
handbook.py, contacts.py. Views: views/. Services never commit; views commit once. Other areas
listen to ``modules.learning.signals.completion_recorded`` (sent once per completion).
"""
from __future__ import annotations

import os


def init_app(app):
    from modules.learning import models  # noqa: F401  (so Alembic and relationships see them)
    from modules.learning.views import bp

    # A path under this app's instance folder, so set here rather than in modules/core/config.py.
    app.config.setdefault(
        "SIGHTLINE_LOCAL_CONTACTS_FILE",
        os.environ.get("SIGHTLINE_LOCAL_CONTACTS_FILE")
        or os.path.join(app.instance_path, "local_contacts.yaml"),
    )
    # Links between modules in content (/content/go/<module id>) lead learners into the player.
    app.config.setdefault("CONTENT_MODULE_LINK_ENDPOINT", "learning.module_link")
    app.register_blueprint(bp)
    from modules.learning.support import support_box

    # templates/learning/_support.html reads its lines from the settings only on pages that show it.
    app.jinja_env.globals["support_box"] = support_box
    from modules.core.navigation import add_menu_item

    add_menu_item(app, "My training", "learning.my_training", order=10)

