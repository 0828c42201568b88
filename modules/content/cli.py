"""``flask --app app content check|import [PATH ...]`` (default: the project's courses/ folder)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from modules.content.checker import CheckResult, check_paths


@click.group("content")
def content_command() -> None:
    """Check and import training content (Markdown courses and modules)."""


def _paths(given: tuple[Path, ...]) -> list[Path]:
    return list(given) or [Path(current_app.root_path) / "courses"]


def _certificates_dir() -> Path:
    return Path(current_app.root_path) / "certificates"


def _report(result: CheckResult) -> None:
    for problem in result.problems:
        click.echo(str(problem), err=problem.is_error)
    errors, warnings = len(result.errors), len(result.warnings)
    if errors or warnings:
        click.echo(
            f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''} "
            f"in {result.files} files."
        )
    else:
        click.echo(f"All {result.files} files are fine.")


@content_command.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@with_appcontext
def check_command(paths: tuple[Path, ...]) -> None:
    """Check content and report every problem as path:line:col: message. Changes nothing.

    Exits with status 1 when there is any error; warnings do not fail.
    """
    result = check_paths(_paths(paths), _certificates_dir())
    _report(result)
    if not result.ok:
        raise SystemExit(1)


@content_command.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@with_appcontext
def import_command(paths: tuple[Path, ...]) -> None:
    """Check content, then publish what changed as new versions, all in one transaction.

    Nothing is written when there is any error.
    """
    from modules.content.importer import import_checked

    result = check_paths(_paths(paths), _certificates_dir())
    _report(result)
    if not result.ok:
        click.echo("Nothing was imported: fix the errors above and run the import again.", err=True)
        raise SystemExit(1)
    try:
        summary = import_checked(result)
    except SQLAlchemyError as exc:
        # For example another import running at the same time; the transaction was rolled back.
        click.echo(f"The import failed and nothing was written: {exc.__class__.__name__}: {exc.orig or exc}", err=True)
        raise SystemExit(1) from None
    for line in summary.lines():
        click.echo(line)
