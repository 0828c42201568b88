"""`flask reports ...` commands."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from modules.core.extensions import db
from modules.learning.latest import rebuild_latest


@click.group("reports")
def reports_command() -> None:
    """Reporting maintenance."""


@reports_command.command("rebuild-latest")
@with_appcontext
def rebuild_latest_command() -> None:
    """Recompute each person's latest completion of each course from the completions."""
    count = rebuild_latest()
    db.session.commit()
    click.echo(f"Latest completions rebuilt: {count} person-course rows.")
