"""`flask --app app certificates ...`: list designs, preview them, render pending PDFs."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from modules.certificates.designs import available_designs, design_info
from modules.certificates.errors import CertificateError
from modules.core.settings import setting

certificates_cli = AppGroup("certificates", help="Certificate designs and PDFs.")


@certificates_cli.command("designs")
def designs_command() -> None:
    """List the certificate designs in certificates/."""
    from modules.certificates import designs_root

    root = designs_root(current_app)
    names = available_designs(root)
    if not names:
        raise click.ClickException(f"no certificate designs found in {root}")
    for name in names:
        info = design_info(root, name)
        summary = f" - {info.description}" if info.description else ""
        click.echo(f"{name} ({info.page_size}){summary}")


@certificates_cli.command("preview")
@click.option("--design", default="default", show_default=True, help="Design folder name.")
@click.option(
    "--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the PDF.",
)
def preview_command(design: str, out_path: Path) -> None:
    """Render a sample certificate (made-up learner) with a design, to check how it looks."""
    from modules.certificates import get_renderer
    from modules.certificates.sample import sample_certificate

    data = sample_certificate(
        partnership_name=setting("SIGHTLINE_PARTNERSHIP_NAME"),
        base_url=setting("SIGHTLINE_BASE_URL"),
    )
    try:
        pdf = get_renderer(current_app).render(data, design=design)
    except CertificateError as exc:
        raise click.ClickException(str(exc)) from exc
    out_path.write_bytes(pdf)
    click.echo(f"Wrote a sample certificate with the {design!r} design to {out_path} "
               f"({len(pdf) // 1024} KiB).")


@certificates_cli.command("render")
@click.option("--pending", is_flag=True,
              help="Render every certificate that has no stored PDF (issuing certificates for "
                   "completions that have none first).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Rendering processes (default: one per CPU core).")
@click.option("--batch-size", type=click.IntRange(min=1), default=100, show_default=True,
              help="PDFs written to the database per transaction.")
def render_command(pending: bool, workers: int | None, batch_size: int) -> None:
    """Render certificate PDFs and store them (run it from cron on a busy site)."""
    from modules.certificates.bulk import render_pending

    if not pending:
        raise click.UsageError("say what to render: --pending renders every certificate "
                               "without a stored PDF")
    progress = {"bar": None}

    def start(total: int) -> None:
        if total:
            bar = click.progressbar(length=total, label=f"Rendering {total} certificates",
                                    show_pos=True, show_eta=True)
            progress["bar"] = bar.__enter__()

    def advance(_result) -> None:
        progress["bar"].update(1)

    try:
        summary = render_pending(workers=workers, write_batch=batch_size,
                                 on_start=start, on_result=advance)
    finally:
        if progress["bar"] is not None:
            progress["bar"].__exit__(None, None, None)
    if summary.issued:
        click.echo(f"Issued {summary.issued} certificates for completions that had none.")
    click.echo(f"Rendered and stored {summary.rendered} certificates.")
    for number, error in summary.failed:
        click.echo(f"Could not render {number}: {error}", err=True)
    if summary.failed:
        raise click.ClickException(f"{len(summary.failed)} certificates could not be rendered "
                                   "(listed above); fix their design and run this again")
