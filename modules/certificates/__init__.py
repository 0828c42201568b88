"""Certificates: issued once per course completion, rendered to PDF once and stored, verifiable
by anyone with the code, revocable by a partnership admin, downloadable in bulk as a ZIP.

WeasyPrint is imported only when a renderer is first needed, so starting the app stays quick.
"""
from __future__ import annotations

import os
from pathlib import Path

_EXTENSION_KEY = "sightline_certificate_renderer"


def designs_root(app) -> Path:
    """Where the designs live: ``certificates/`` at the project root."""
    return Path(app.root_path) / "certificates"


def get_renderer(app):
    """The app's single :class:`~modules.certificates.rendering.CertificateRenderer`.

    Created on first use and kept for the life of the process, so the font configuration, the
    parsed stylesheets and the compiled templates are reused by every certificate.
    """
    renderer = app.extensions.get(_EXTENSION_KEY)
    if renderer is None:
        from modules.certificates.rendering import CertificateRenderer

        logo = app.config.get("SIGHTLINE_PARTNERSHIP_LOGO") or None
        renderer = CertificateRenderer(designs_root(app), logo_path=logo)
        app.extensions[_EXTENSION_KEY] = renderer
    return renderer


def init_app(app):
    from modules.certificates import models  # noqa: F401  (so Alembic and relationships see them)

    # An operator's own logo replaces the design's emblem (a path to an .svg, .png or .jpg).
    app.config.setdefault(
        "SIGHTLINE_PARTNERSHIP_LOGO", os.environ.get("SIGHTLINE_PARTNERSHIP_LOGO", "")
    )
    from modules.certificates.cli import certificates_cli

    app.cli.add_command(certificates_cli)
