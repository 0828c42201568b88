"""`flask --app app demo`: a demo partnership for trying Sightline (refused in production)."""


def init_app(app):
    from modules.demo.cli import demo_command

    app.cli.add_command(demo_command)
