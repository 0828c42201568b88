"""Accounts: sign-in, sign-out, passwords and password reset."""


def init_app(app):
    from modules.accounts import views
    from modules.accounts.services import load_user_from_session_id
    from modules.core.extensions import login_manager

    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user_from_session_id)
    app.register_blueprint(views.bp)
