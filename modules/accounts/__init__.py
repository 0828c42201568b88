"""Accounts: sign-in, sign-out, sessions, passwords and password reset."""


def init_app(app):
    from modules.accounts import current_session, models, registration_views, views  # noqa: F401  (models: for Alembic)
    from modules.core.extensions import login_manager

    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    current_session.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(registration_views.bp)
    from modules.core.navigation import add_menu_item

    add_menu_item(app, "Your account", "accounts.account", order=80)
