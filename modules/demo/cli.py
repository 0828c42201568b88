"""The `demo` command."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from modules.core.settings import setting
from modules.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD
from modules.demo.services import load_demo


@click.command("demo")
@click.option("--staff", default=40, show_default=True, help="How many staff in the demo partnership.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for repeatable data.")
@click.option("--completions", default=0, show_default=True,
              help="Build a partnership at scale with about this many completions (bulk inserts; "
                   "for example --staff 50000 --completions 1000000).")
@with_appcontext
def demo_command(staff: int, seed: int, completions: int) -> None:
    """Load the Northshire demo partnership and the demo accounts (refused in production)."""
    if setting("SIGHTLINE_ENV") == "production":
        raise click.ClickException("the demo loads known passwords and is refused when SIGHTLINE_ENV=production")
    if completions:
        from modules.demo.cli_scale import run_scale_demo

        run_scale_demo(staff=staff, completions=completions, seed=seed)
        return
    result = load_demo(staff=staff, seed=seed)
    click.echo(
        f"Demo partnership: {result.agencies} agencies, {result.staff} staff "
        f"({result.created} added this time)."
    )
    if result.requirements_added:
        click.echo(f"Training requirements: {result.requirements_added} added.")
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, name, *_rest, roles in DEMO_ACCOUNTS:
        role_names = ", ".join(sorted(r.label for r in roles))
        click.echo(f"  {email:<22} {name:<14} {role_names}")
