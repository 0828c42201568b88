"""What the support box on module pages says (templates/learning/_support.html): the support
lines and the employer's staff support line from the partnership's settings.

The box is on nearly every learner page; the first setting read in a request loads them all
(:func:`modules.core.partnership_settings.get`), so the box and a handbook's local contacts cost
one query together.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from modules.core import partnership_settings


@dataclass(frozen=True)
class SupportLine:
    name: str
    purpose: str = ""
    phone: str = ""
    url: str = ""
    hours: str = ""

    @property
    def url_text(self) -> str:
        """The web address as people say it: no scheme, no "www.", no trailing slash."""
        return self.url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


@dataclass(frozen=True)
class SupportBox:
    lines: tuple[SupportLine, ...]
    employer: SupportLine | None


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _web_address(item: dict) -> str:
    url = _text(item, "url")
    return url if url.startswith(("https://", "http://")) else ""


def _line(item: Any) -> SupportLine | None:
    """One line from a setting's value; None when it has no name or no way to get in touch."""
    if not isinstance(item, dict):
        return None
    line = SupportLine(name=_text(item, "name"), purpose=_text(item, "for"), phone=_text(item, "phone"),
                       url=_web_address(item), hours=_text(item, "hours"))
    return line if line.name and (line.phone or line.url) else None


def support_box(preview: dict[str, Any] | None = None) -> SupportBox:
    """The support lines (in the order the partnership gave them) and its staff support line.

    :param preview: values typed on the settings page but not saved (``support_lines`` and
        ``employer_support_line``), shown instead of the saved ones.
    """
    if preview is not None:
        lines, employer = preview.get("support_lines"), preview.get("employer_support_line")
    else:
        lines = partnership_settings.get("support_lines")
        employer = partnership_settings.get("employer_support_line")
    lines = [_line(item) for item in lines] if isinstance(lines, list) else []
    employer = _line(employer)
    if employer is not None and not employer.purpose:
        employer = replace(employer, purpose="your employer's support for staff")
    return SupportBox(lines=tuple(line for line in lines if line is not None), employer=employer)
