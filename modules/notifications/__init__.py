"""Email: SMTP in production, a readable outbox in development."""


def init_app(app):
    from modules.notifications import views

    app.register_blueprint(views.bp)
