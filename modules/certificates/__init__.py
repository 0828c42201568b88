"""Certificates: issued once per course completion, rendered to PDF once and stored, verifiable
by anyone with the code, revocable by a partnership admin, downloadable in bulk as a ZIP.

WeasyPrint is imported only when a renderer is first needed, so starting the app stays quick.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

_EXTENSION_KEY = "sightline_certificate_renderer"
_shared_renderers: dict = {}
_shared_lock = threading.Lock()


def designs_root(app) -> Path:
    """Where the designs live: ``certificates/`` at the project root."""
    return Path(app.root_path) / "certificates"


def get_renderer(app):
    """The app's :class:`~modules.certificates.rendering.CertificateRenderer`.

    Created on first use and kept for the life of the process, so the font configuration, the
    parsed stylesheets and the compiled templates are reused by every certificate. Apps with the
    same designs folder and logo (every app a test suite creates) share one renderer.
    """
    renderer = app.extensions.get(_EXTENSION_KEY)
    if renderer is None:
        from modules.certificates.rendering import CertificateRenderer

        logo = app.config.get("SIGHTLINE_PARTNERSHIP_LOGO") or None
        key = (str(designs_root(app)), str(logo or ""))
        with _shared_lock:
            renderer = _shared_renderers.get(key)
            if renderer is None:
                renderer = _shared_renderers[key] = CertificateRenderer(designs_root(app), logo_path=logo)
        app.extensions[_EXTENSION_KEY] = renderer
    return renderer


def init_app(app):
    from modules.certificates import models  # noqa: F401  (so Alembic and relationships see them)

    # An operator's own logo replaces the design's emblem (a path to an .svg, .png or .jpg).
    app.config.setdefault(
        "SIGHTLINE_PARTNERSHIP_LOGO", os.environ.get("SIGHTLINE_PARTNERSHIP_LOGO", "")
    )
    # Numbers read NSCP-2026-000123; the prefix defaults to the partnership name's initials.
    app.config.setdefault(
        "SIGHTLINE_CERTIFICATE_PREFIX", os.environ.get("SIGHTLINE_CERTIFICATE_PREFIX", "")
    )
    # Render each new certificate's PDF straight after the completion commits (a background job,
    # about 60 ms; see modules.core.jobs). Set to 0 on a very busy site and let
    # `flask certificates render --pending` (cron) make them instead; a certificate without a
    # PDF is also rendered on its first download.
    app.config.setdefault(
        "SIGHTLINE_CERTIFICATE_RENDER_ON_ISSUE",
        os.environ.get("SIGHTLINE_CERTIFICATE_RENDER_ON_ISSUE", "1").strip().lower()
        not in {"0", "false", "no", "off"},
    )
    # Verification look-ups per address (form and result pages together).
    app.config.setdefault(
        "SIGHTLINE_VERIFY_LIMIT", os.environ.get("SIGHTLINE_VERIFY_LIMIT", "30 per minute")
    )
    from modules.certificates.cli import certificates_cli
    from modules.certificates.issuing import issue_on_completion
    from modules.certificates.ready import certificate_ready
    from modules.certificates.services import certificate_link
    from modules.certificates.views import bp
    from modules.learning.next_steps import register_certificate_ready
    from modules.learning.record import register_certificate_link
    from modules.learning.signals import completion_recorded

    app.cli.add_command(certificates_cli)
    app.register_blueprint(bp)
    from modules.core.navigation import add_menu_item

    add_menu_item(app, "My certificates", "certificates.mine", order=20)
    _add_template_filters(app)
    register_certificate_link(app, certificate_link)
    register_certificate_ready(app, certificate_ready)
    # This area hears of completions through the signal alone (see issuing.py). Connecting the
    # same function again (one call per app created) does not add a second receiver.
    completion_recorded.connect(issue_on_completion)


def _add_template_filters(app) -> None:
    from modules.certificates.data import cpd_duration, level_label

    app.add_template_filter(level_label, "training_level_label")
    app.add_template_filter(cpd_duration, "cpd_time")
    app.add_template_filter(file_size, "file_size")


def file_size(size: int) -> str:
    """``870 KB``, ``12.4 MB``: sizes as people read them (1 KB = 1,024 bytes)."""
    if size < 1024 * 1024:
        return f"{max(1, -(-size // 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
