"""``flask reminders send``: what cron runs (every minute is fine)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from modules.reminders import services

cli = AppGroup("reminders", help="Training reminders and managers' weekly digests by email.")


@cli.command("send")
@click.option("--batch-size", default=services.BATCH_SIZE, show_default=True, type=click.IntRange(1, 10_000),
              help="People per transaction.")
def send_command(batch_size: int) -> None:
    """Queue due-soon and overdue reminders and the weekly digests, then send all pending mail.

    Exits with status 1 when any message could not be sent (it is retried at a later run, or
    listed as failed on /admin/mail).
    """
    report = services.send(current_app.config, batch_size=batch_size)
    click.echo(report.summary())
    if report.delivery.failed:
        raise SystemExit(1)
