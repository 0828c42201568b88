"""Writing and publishing training in the browser: drafts of a course's files (drafts.py), the
working copy of the content folder they make (workspace.py), checking and publishing it through
the same checker and importer as ``content import`` (publishing.py), and the trainer's pages.

The database holds the text of every published file (``content.ContentSource``), so the browser
and ``courses/`` are one system: a course can leave as a folder (ZIP) and come back unchanged."""
from __future__ import annotations

# The page groups; each registers its routes on ``views.bp`` when imported.
PAGE_GROUPS = (
    "course_views",
    "editor_views",
    "transfer_views",
    "preview_views",
    "structure_views",
    "live_views",
    "history_views",
    "gift_views",
)


def init_app(app):
    from importlib import import_module

    from modules.authoring import models  # noqa: F401  (so Alembic and relationships see them)
    from modules.authoring.views import bp

    for group in PAGE_GROUPS:
        import_module(f"modules.authoring.{group}")
    app.register_blueprint(bp)
