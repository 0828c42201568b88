"""Training content: Markdown courses and modules, validated, versioned and rendered once.

See docs/authoring.md for the format. ``flask --app app content check|import`` (modules.content.cli).
"""


def init_app(app):
    from modules.content import models  # noqa: F401  (so Alembic and relationships see them)
    from modules.content.cli import content_command
    from modules.content.display import content_html, stack_tables, telephone
    from modules.content.questions import template_loader
    from modules.content.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(content_command)
    # Stored content HTML was sanitised when it was imported: `{{ html | content_html }}`.
    app.jinja_env.filters["content_html"] = content_html
    # A telephone number from settings as a tel: link that never wraps: `{{ line.phone | telephone }}`.
    app.jinja_env.filters["telephone"] = telephone
    # A page's own table that stacks into cards on a phone: `{% filter stack_tables %}<table>...`.
    app.jinja_env.filters["stack_tables"] = stack_tables
    # Each question type's own partials, as questions/<type name>/<file> (the quiz pages and the
    # trainers' preview include them by the question's type).
    app.jinja_loader.loaders.append(template_loader())
