"""Agency and partnership administration: agencies, teams, managers, people, invitations and
leavers, staff lists, the audit log."""


def init_app(app):
    from flask import url_for
    from sqlalchemy.exc import SQLAlchemyError

    from modules.admin import (  # noqa: F401 - agency_views and people_views add their routes to views.bp
        agency_views,
        matrix_views,
        people_views,
        registration_views,
        settings_views,
        views,
    )
    from modules.admin.settings import current_logo
    from modules.admin.staff_import import views as import_views
    from modules.admin.staff_import.cli import users_cli
    from modules.core.navigation import add_menu_item
    from modules.core.roles import Role

    app.register_blueprint(views.bp)
    app.register_blueprint(matrix_views.bp)
    app.register_blueprint(registration_views.bp)
    app.register_blueprint(import_views.bp)
    app.register_blueprint(settings_views.bp)

    def partnership_logo_url() -> str | None:
        try:
            logo = current_logo()
        except SQLAlchemyError:
            # An error page for a broken database still renders, with the partnership's name.
            return None
        return url_for("settings.logo_file", sha256=logo.sha256, ext=logo.extension) if logo else None

    app.add_template_global(partnership_logo_url, "partnership_logo_url")
    app.cli.add_command(users_cli)
    # "My agency" points straight at the manager's agency page so it is marked current there.
    add_menu_item(app, "My agency", "admin.agency_home", order=40, roles=(Role.manager,),
                  href=lambda user: url_for("admin.agency", agency_id=user.agency_id))
    add_menu_item(app, "Partnership", "admin.home", order=50, roles=(Role.partnership_admin,))
    add_menu_item(app, "Training matrix", "matrix.index", order=55, roles=(Role.manager, Role.partnership_admin))
    add_menu_item(app, "Import staff", "staff_import.agency_start", order=45, roles=(Role.manager,),
                  href=lambda user: url_for("staff_import.agency_start", agency_id=user.agency_id))
    add_menu_item(app, "Import staff", "staff_import.admin_start", order=56, roles=(Role.partnership_admin,))
    add_menu_item(app, "Audit log", "admin.audit_log", order=70, roles=(Role.partnership_admin,))
    add_menu_item(app, "Settings", "settings.index", order=75, roles=(Role.partnership_admin,))
