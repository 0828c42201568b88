"""Helpers for reading certificate PDFs: text, structure and QR codes."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
DESIGNS_ROOT = ROOT / "certificates"


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is missing: run scripts/install-system-packages.sh test", pytrace=False
        )
    return path


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, as pdftotext reads it (what a search or a screen reader gets)."""
    require_tool("pdftotext")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def decode_qr_codes(pdf: bytes, tmp_path: Path) -> list[str]:
    """Rasterise page 1 at 150 dpi (about what a phone camera sees) and decode every QR code."""
    require_tool("pdftoppm")
    require_tool("zbarimg")
    pdf_file = tmp_path / "certificate.pdf"
    pdf_file.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf_file),
         str(tmp_path / "page")],
        check=True,
    )
    result = subprocess.run(
        ["zbarimg", "--raw", "--quiet", "--nodbus", "-Sdisable", "-Sqrcode.enable",
         str(tmp_path / "page.png")],
        capture_output=True,
    )
    # zbarimg exits 4 when it finds no code; the empty list then fails the caller's assertion.
    return [line for line in result.stdout.decode("utf-8").splitlines() if line]
