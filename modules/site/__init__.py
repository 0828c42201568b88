"""The site's own pages (start page, trainer's home, accessibility, cookies, health check): the top
layer, which may use any area (the trainer's home lists the content area's courses)."""


def init_app(app):
    from modules.core.navigation import add_menu_item
    from modules.core.roles import Role
    from modules.site.views import bp

    app.register_blueprint(bp)
    add_menu_item(app, "Content", "authoring.home", order=30, roles=(Role.trainer, Role.partnership_admin))
