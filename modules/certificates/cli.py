"""`flask --app app certificates ...`: list designs and preview them."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from modules.certificates.designs import available_designs, design_info
from modules.certificates.errors import CertificateError

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
        partnership_name=current_app.config["SIGHTLINE_PARTNERSHIP_NAME"],
        base_url=current_app.config["SIGHTLINE_BASE_URL"],
    )
    try:
        pdf = get_renderer(current_app).render(data, design=design)
    except CertificateError as exc:
        raise click.ClickException(str(exc)) from exc
    out_path.write_bytes(pdf)
    click.echo(f"Wrote a sample certificate with the {design!r} design to {out_path} "
               f"({len(pdf) // 1024} KiB).")
