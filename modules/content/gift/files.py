"""Names for a converted GIFT file: its module id, title and numbered file name."""
from __future__ import annotations

import re
from pathlib import Path

from modules.content.module_file import module_id_from_filename

_NUMBERED = re.compile(r"^(\d+)[-_]")


def slug_from_name(name: str) -> str:
    """``Safeguarding Terms (v2)`` -> ``safeguarding-terms-v2``: a module id (at most 100 characters)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100].strip("-")


def title_from_name(name: str) -> str:
    words = " ".join(re.sub(r"[-_]+", " ", name).split())
    return words[:1].upper() + words[1:] if words else "Imported questions"


def module_file_name(module_id: str, existing: list[str]) -> str:
    """The file for ``module_id`` among the folder's ``existing`` file names: the one that already
    has that id, else the next number (``04-<id>.md`` after ``03-...``)."""
    for name in existing:
        if module_id_from_filename(Path(name)) == module_id:
            return name
    numbers = [int(m.group(1)) for m in map(_NUMBERED.match, existing) if m]
    return f"{max(numbers, default=0) + 1:02d}-{module_id}.md"
