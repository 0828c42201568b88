"""Writing and publishing training in the browser: drafts of a course's files (drafts.py), the
working copy of the content folder they make (workspace.py), checking and publishing it through
the same checker and importer as ``content import`` (publishing.py), and the trainer's pages.

The database holds the text of every published file (``content.ContentSource``), so the browser
and ``courses/`` are one system: a course can leave as a folder (ZIP) and come back unchanged."""
from __future__ import annotations


def init_app(app):
    # Each part of the authoring pages registers its routes on bp when imported (one line each).
    # parts: begin
    from modules.authoring import (  # noqa: F401
        course_views,
        editor_views,
        gift_views,  # h6
        models,  # noqa: F401  (so Alembic and relationships see them)
    )
    from modules.authoring.views import bp
    # parts: end
    app.register_blueprint(bp)
