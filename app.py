"""Entry point: `flask --app app run` (and every `flask --app app ...` command) finds `app` here."""
from modules.core.factory import create_app

app = create_app()
