"""Agency and partnership administration: staff lists, account status, audit log."""


def init_app(app):
    from modules.admin import views

    app.register_blueprint(views.bp)
