"""Certificate PDFs: a Jinja design rendered to a tagged PDF/UA-1 file with WeasyPrint.

Create one :class:`CertificateRenderer` per process and keep it: it holds the WeasyPrint font
configuration, each design's pre-parsed stylesheet and its compiled template, which together save
about a third of the time of every certificate after the first.
"""
from __future__ import annotations

import base64
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateError

# WeasyPrint logs every layout step at INFO (seven lines a certificate, and three while it is
# imported): quiet it before the import below.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError  # noqa: E402

from modules.certificates.data import CertificateData
from modules.certificates.designs import (
    STYLESHEET_FILE,
    TEMPLATE_FILE,
    available_designs,
    design_folder,
)
from modules.certificates.errors import CertificateConfigError, CertificateDesignError
from modules.certificates.qr import qr_svg_data_uri
from modules.core.fetcher import DesignURLFetcher
from modules.core.svg_safety import active_content

PDF_VARIANT = "pdf/ua-1"
DOCUMENT_LANGUAGE = "en-GB"
DEFAULT_LOGO_FILE = "logo.svg"

_LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg"}


@dataclass(frozen=True)
class _LoadedDesign:
    folder: Path
    base_url: str
    template: Template
    stylesheet: CSS
    fetcher: DesignURLFetcher
    default_logo_src: str | None


def logo_data_uri(path: Path | str) -> str:
    """Read an operator-configured logo into a ``data:`` URI.

    The logo may live anywhere the operator chooses, but the design's URL fetcher only serves the
    design folder; embedding the file once, here, keeps that rule without exceptions.

    :raise CertificateConfigError: if the file is missing or not SVG, PNG or JPEG.
    """
    path = Path(path)
    mime_type = _LOGO_TYPES.get(path.suffix.lower())
    if mime_type is None:
        raise CertificateConfigError(
            f"SIGHTLINE_PARTNERSHIP_LOGO must be an .svg, .png or .jpg file, got {str(path)!r}"
        )
    if not path.is_file():
        raise CertificateConfigError(f"SIGHTLINE_PARTNERSHIP_LOGO file not found: {str(path)!r}")
    data = path.read_bytes()
    if mime_type == "image/svg+xml":
        findings = active_content(data)
        if findings:
            raise CertificateConfigError(
                f"SIGHTLINE_PARTNERSHIP_LOGO {path}:{findings[0]}"
                + (f" (and {len(findings) - 1} more)" if len(findings) > 1 else "")
            )
    encoded = base64.b64encode(data).decode("ascii")
    return f"data:{mime_type};base64,{encoded}"


def template_context(data: CertificateData, *, logo_src: str | None, design: str) -> dict:
    """The variables a design's ``certificate.html`` can use (docs/certificates.md lists them)."""
    title = f"Certificate of completion: {data.course_title}, {data.learner_name}"
    return {
        "certificate": data,
        "design": design,
        "lang": DOCUMENT_LANGUAGE,
        "document_title": title,
        "document_author": data.partnership_name,
        "document_subject": f"{data.course_code} {data.course_title} ({data.level_label})",
        "partnership_name": data.partnership_name,
        "logo_src": logo_src,
        "learner_name": data.learner_name,
        "agency_name": data.agency_name,
        "course_title": data.course_title,
        "course_code": data.course_code,
        "course_level": data.course_level,
        "level_label": data.level_label,
        "cpd_minutes": data.cpd_minutes,
        "cpd_time": data.cpd_time,
        "completed_on": data.completed_on_text,
        "completed_on_iso": data.completed_on.isoformat(),
        "expires_on": data.expires_on_text,
        "expires_on_iso": data.expires_on.isoformat(),
        "content_version": data.content_version_short,
        "content_version_full": data.content_version,
        "certificate_number": data.certificate_number,
        "verification_code": data.verification_code,
        "verify_url": data.verify_url,
        "qr_code_src": qr_svg_data_uri(data.verify_url),
    }


class CertificateRenderer:
    """Render :class:`CertificateData` to PDF bytes with one of the designs under ``designs_root``.

    :param designs_root: the folder holding one sub-folder per design (``certificates/``).
    :param logo_path: an operator-supplied logo (SIGHTLINE_PARTNERSHIP_LOGO) used instead of each
        design's own ``logo.svg``; ``None`` keeps the design's.

    Safe to share between threads: rendering itself is serialised by a lock because WeasyPrint's
    shared font configuration is not documented as thread-safe.
    """

    def __init__(self, designs_root: Path | str, *, logo_path: Path | str | None = None):
        self.designs_root = Path(designs_root).resolve()
        self._logo_override = logo_data_uri(logo_path) if logo_path else None
        self._font_config = FontConfiguration()
        # Autoescaping always on, whatever the file name: learner and agency names are typed by
        # people and must print literally. StrictUndefined turns a misspelt variable into an error
        # instead of a silent blank on a certificate.
        self._jinja = Environment(
            loader=FileSystemLoader(str(self.designs_root)),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self._designs: dict[str, _LoadedDesign] = {}
        self._load_lock = threading.Lock()
        self._render_lock = threading.Lock()

    def available_designs(self) -> list[str]:
        return available_designs(self.designs_root)

    def render_html(self, data: CertificateData, design: str = "default") -> str:
        """The filled-in HTML of a certificate (what WeasyPrint lays out)."""
        loaded = self._design(design)
        logo_src = self._logo_override or loaded.default_logo_src
        try:
            return loaded.template.render(template_context(data, logo_src=logo_src, design=design))
        except TemplateError as exc:
            raise CertificateDesignError(
                f"certificate design {design!r}: {TEMPLATE_FILE} failed: {exc}"
            ) from exc

    def render(self, data: CertificateData, design: str = "default") -> bytes:
        """Render one certificate to a tagged, accessible (PDF/UA-1) PDF.

        :raise UnknownDesignError: no such design (the message lists the available ones).
        :raise CertificateDesignError: the design's template failed or it asked to load a
            resource other than a ``data:`` URI or a file in its own folder.
        """
        html_text = self.render_html(data, design)
        loaded = self._design(design)
        document = HTML(string=html_text, base_url=loaded.base_url, url_fetcher=loaded.fetcher)
        try:
            with self._render_lock:
                return document.write_pdf(
                    stylesheets=[loaded.stylesheet],
                    font_config=self._font_config,
                    pdf_variant=PDF_VARIANT,
                )
        except FatalURLFetchingError as exc:
            reason = exc.__cause__ or exc
            raise CertificateDesignError(f"certificate design {design!r}: {reason}") from exc

    def _design(self, design: str) -> _LoadedDesign:
        loaded = self._designs.get(design)
        if loaded is not None:
            return loaded
        with self._load_lock:
            if design not in self._designs:
                self._designs[design] = self._load_design(design)
            return self._designs[design]

    def _load_design(self, design: str) -> _LoadedDesign:
        folder = design_folder(self.designs_root, design)  # raises UnknownDesignError
        fetcher = DesignURLFetcher(folder)
        try:
            template = self._jinja.get_template(f"{design}/{TEMPLATE_FILE}")
        except TemplateError as exc:
            raise CertificateDesignError(
                f"certificate design {design!r}: {TEMPLATE_FILE} does not compile: {exc}"
            ) from exc
        try:
            stylesheet = CSS(
                filename=str(folder / STYLESHEET_FILE),
                url_fetcher=fetcher,
                font_config=self._font_config,
            )
        except FatalURLFetchingError as exc:
            reason = exc.__cause__ or exc
            raise CertificateDesignError(
                f"certificate design {design!r}: {STYLESHEET_FILE}: {reason}"
            ) from exc
        default_logo = DEFAULT_LOGO_FILE if (folder / DEFAULT_LOGO_FILE).is_file() else None
        return _LoadedDesign(
            folder=folder,
            base_url=folder.as_uri() + "/",
            template=template,
            stylesheet=stylesheet,
            fetcher=fetcher,
            default_logo_src=default_logo,
        )
