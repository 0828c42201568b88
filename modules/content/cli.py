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
@click.option("--overwrite-browser-edits", is_flag=True,
              help="Replace versions made in the browser with the folder's files.")
@click.option("--keep-browser-edits", is_flag=True,
              help="Import everything else and leave modules and courses changed in the browser "
                   "at their browser versions (what `make run` does).")
@with_appcontext
def import_command(paths: tuple[Path, ...], overwrite_browser_edits: bool, keep_browser_edits: bool) -> None:
    """Check content, then publish what changed as new versions, all in one transaction.

    Nothing is written when there is any error, or when a file would replace a change made in
    the browser (unless --overwrite-browser-edits or --keep-browser-edits says what to do).
    """
    from modules.content.browser_edits import ADVICE_CLI, browser_edits, keeping_browser_edits

    if overwrite_browser_edits and keep_browser_edits:
        click.echo("Choose one of --overwrite-browser-edits and --keep-browser-edits.", err=True)
        raise SystemExit(2)
    result = check_paths(_paths(paths), _certificates_dir())
    _report(result)
    if not result.ok:
        click.echo("Nothing was imported: fix the errors above and run the import again.", err=True)
        raise SystemExit(1)
    edits = [] if overwrite_browser_edits else browser_edits(result)
    if edits and not keep_browser_edits:
        for edit in edits:
            click.echo(edit.describe(), err=True)
        click.echo(ADVICE_CLI, err=True)
        raise SystemExit(1)
    if not edits:
        _import(result)
        return
    with keeping_browser_edits(result, edits, _certificates_dir()) as kept:
        for edit in edits:
            click.echo(f"Kept the browser's version {edit.number} of {edit.what} {edit.slug} "
                       f"(not {edit.path}).")
        if not kept.ok:
            _report(kept)
            click.echo("Nothing was imported: the folder with the browser's versions kept has the "
                       "errors above.", err=True)
            raise SystemExit(1)
        _import(kept)


def _import(result: CheckResult) -> None:
    from modules.content.importer import import_checked

    try:
        summary = import_checked(result)
    except SQLAlchemyError as exc:
        # For example another import running at the same time; the transaction was rolled back.
        click.echo(f"The import failed and nothing was written: {exc.__class__.__name__}: {exc.orig or exc}", err=True)
        raise SystemExit(1) from None
    for line in summary.lines():
        click.echo(line)


@content_command.command("gift")
@click.argument("gift_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--id", "module_id", help="the module id (default: from the GIFT file's name)")
@click.option("--title", help="the quiz's title (default: from the GIFT file's name)")
@click.option("--force", is_flag=True, help="overwrite the module's file if it exists")
def gift_command(gift_file: Path, outdir: Path, module_id: str | None, title: str | None, force: bool) -> None:
    """Convert a Moodle GIFT file into a quiz module in OUTDIR and report, by line, every question
    that was left out or changed.

    Exits with status 1 when no question could be converted.
    """
    from modules.content.gift import convert, parse
    from modules.content.gift.files import module_file_name, slug_from_name, title_from_name

    module_id = module_id or slug_from_name(gift_file.stem)
    if not module_id or not slug_from_name(module_id) == module_id:
        raise click.UsageError("give a module id with --id: lower case letters, digits and hyphens")
    existing = sorted(outdir.glob("*.md")) if outdir.is_dir() else []
    target = outdir / module_file_name(module_id, [path.name for path in existing])
    if target.exists() and not force:
        click.echo(f"{target} exists: nothing was written (add --force to overwrite it)", err=True)
        raise SystemExit(1)
    conversion = convert.convert(parse.parse_bytes(gift_file.read_bytes()),
                                 title=title or title_from_name(gift_file.stem), module_id=module_id)
    for line in conversion.lines():
        click.echo(line)
    if not conversion.converted:
        click.echo("No question could be converted: nothing was written.", err=True)
        raise SystemExit(1)
    outdir.mkdir(parents=True, exist_ok=True)
    target.write_text(conversion.markdown, encoding="utf-8")
    click.echo(f"Wrote {target}.")


@content_command.command("sources")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@with_appcontext
def sources_command(paths: tuple[Path, ...]) -> None:
    """List the sources each module rests on (its sources: setting, from sources.yaml), so that
    every fact a course states can be traced. Exits with status 1 when a module lists none or
    the content has errors."""
    from modules.content.problems import display_path

    result = check_paths(_paths(paths), _certificates_dir())
    for problem in result.errors:
        click.echo(str(problem), err=True)
    bare = 0
    for module in sorted(result.modules, key=lambda m: display_path(m.path)):
        click.echo(f"{display_path(module.path)} ({module.slug}):")
        for source in module.sources:
            click.echo(f"  {source['key']}: {source['publisher']}, {source['title']} ({source['year'] or 'undated'})")
        if not module.sources:
            bare += 1
            click.echo("  no sources listed: add a sources: setting with keys from sources.yaml")
    if bare or not result.ok:
        raise SystemExit(1)
