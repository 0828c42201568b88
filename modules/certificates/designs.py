"""Finding certificate designs: one folder per design under ``certificates/``."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from modules.certificates.errors import CertificateDesignError, UnknownDesignError

TEMPLATE_FILE = "certificate.html"
STYLESHEET_FILE = "certificate.css"
INFO_FILE = "design.yaml"

# Design names are folder names chosen by trainers; keeping them to a safe alphabet means a
# name can never climb out of the designs folder (``..``, ``/``) or hide (``.secret``).
_DESIGN_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class DesignInfo:
    """What ``design.yaml`` says about a design (every field optional in the file)."""

    name: str
    title: str
    description: str
    page_size: str


def is_valid_design_name(name: str) -> bool:
    return bool(_DESIGN_NAME.match(name or ""))


def available_designs(root: Path | str) -> list[str]:
    """The names of the complete designs under ``root``, sorted.

    A design is a folder with a safe name holding both ``certificate.html`` and
    ``certificate.css``; anything else in ``root`` is ignored.
    """
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(
        entry.name
        for entry in root.iterdir()
        if entry.is_dir()
        and is_valid_design_name(entry.name)
        and (entry / TEMPLATE_FILE).is_file()
        and (entry / STYLESHEET_FILE).is_file()
    )


def design_folder(root: Path | str, design: str) -> Path:
    """The folder of ``design`` under ``root``.

    :raise UnknownDesignError: naming the design and the designs that do exist.
    """
    names = available_designs(root)
    if design not in names:
        raise UnknownDesignError(design, names)
    return (Path(root) / design).resolve()


def design_info(root: Path | str, design: str) -> DesignInfo:
    """Read ``design.yaml`` if the design has one; fall back to sensible values."""
    folder = design_folder(root, design)
    raw: object = {}
    info_file = folder / INFO_FILE
    if info_file.is_file():
        try:
            raw = yaml.safe_load(info_file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise CertificateDesignError(f"{design}/{INFO_FILE} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CertificateDesignError(f"{design}/{INFO_FILE} must be a mapping of settings")
    return DesignInfo(
        name=design,
        title=str(raw.get("name") or design),
        description=str(raw.get("description") or ""),
        page_size=str(raw.get("page_size") or "A4 landscape"),
    )
