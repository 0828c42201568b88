"""``flask --app app users import FILE.csv [--agency NAME] [--dry-run] [--no-invite]``.

Run by whoever runs the server, so it may import into any agency and grant any role; its audit
event has no actor and says ``source: cli``. The preview's messages go to stderr, and any
problem means a non-zero exit with nothing written.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from modules.accounts.models import Agency
from modules.admin.staff_import.applying import apply_plan
from modules.admin.staff_import.planning import ImportScope, plan_import
from modules.admin.staff_import.reading import MAX_BYTES, NotAStaffFile, read_staff_file
from modules.core.extensions import db

users_cli = AppGroup("users", help="Staff accounts.")


@users_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", "agency_name", default=None,
              help="Import everyone into this agency (the file's agency column may then be left out).")
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option("--no-invite", is_flag=True, help="Do not email invitations to the new people.")
def import_command(csv_file: Path, agency_name: str | None, dry_run: bool, no_invite: bool) -> None:
    """Import staff from CSV_FILE: all or nothing, and the same file twice changes nothing."""
    agency = None
    if agency_name:
        agency = db.session.scalar(select(Agency).where(func.lower(Agency.name) == agency_name.strip().lower()))
        if agency is None:
            raise click.ClickException(f"there is no agency called {agency_name!r}")
    with csv_file.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    scope = ImportScope(None, agency)
    try:
        staff = read_staff_file(data)
    except NotAStaffFile as exc:
        raise click.ClickException(str(exc)) from None
    with click.progressbar(length=len(staff.rows), label=f"Checking {len(staff.rows)} rows",
                           file=sys.stderr) as bar:
        plan = plan_import(staff, scope, progress=bar.update)
    for note in plan.notes:
        click.echo(note, err=True)
    if not plan.ok:
        for problem in plan.problems:
            where = f"Row {problem.row}" if problem.row else "File"
            column = f" ({problem.column})" if problem.column else ""
            click.echo(f"{where}{column}: {problem.message}", err=True)
        raise click.ClickException(f"{len(plan.problems)} problems in {csv_file.name}; nothing was imported")
    summary = f"{len(plan.new)} new, {len(plan.updated)} updated, {plan.unchanged} unchanged"
    for update in plan.updated:
        changes = "; ".join(f"{c.field}: {c.old} -> {c.new}" for c in update.changes)
        click.echo(f"Row {update.row} {update.email}: {changes}", err=True)
    if dry_run:
        click.echo(f"Dry run: {summary}. Nothing was written.")
        return
    result = apply_plan(plan, scope, file_name=csv_file.name, sha256=hashlib.sha256(data).hexdigest(), source="cli",
                        invite=not no_invite,
                        base_url=current_app.config.get("SIGHTLINE_BASE_URL") or "http://localhost:5000")
    db.session.commit()
    click.echo(f"Imported {csv_file.name}: {summary}; {result.invited} invitations sent.")
