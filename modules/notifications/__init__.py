"""Email: SMTP in production, a readable outbox in development, and a queue (queue.py) for mail
that must not be lost, with its admin page (admin_views.py, /admin/mail)."""


def init_app(app):
    from modules.core.navigation import add_menu_item
    from modules.core.roles import Role
    from modules.notifications import admin_views, models, views  # noqa: F401  (models: for Alembic)

    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    add_menu_item(app, "Outgoing mail", "mail.index", order=75, roles=(Role.partnership_admin,))
