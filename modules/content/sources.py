"""The register of sources (``sources.yaml`` at the top of a content folder): what modules cite
in their ``sources:`` setting, so that every fact a course states can be traced to who published
it. ``content check`` reports a key that is not in the register; ``content sources`` lists each
module's sources."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from modules.content.problems import Problem

REGISTER_FILE = "sources.yaml"
# The project's own register: used when a content folder has none (a trainer's browser workspace
# holds only course folders).
BUNDLED_REGISTER = Path(__file__).resolve().parents[2] / "courses" / REGISTER_FILE
_FIELDS = ("title", "publisher", "year", "facts")
UNDATED = "undated"


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    year: int | None  # None: the source gives no date (a web page), shown as "undated"
    facts: str

    def stored(self) -> dict[str, Any]:
        """What a module version keeps (and learners see)."""
        return {"key": self.key, "title": self.title, "publisher": self.publisher, "year": self.year}


@dataclass
class Register:
    path: Path | None
    sources: dict[str, Source]


def find_register(roots: list[Path]) -> Path | None:
    for root in roots:
        if (root / REGISTER_FILE).is_file():
            return root / REGISTER_FILE
    return BUNDLED_REGISTER if BUNDLED_REGISTER.is_file() else None


def load_register(roots: list[Path], problems: list[Problem]) -> Register:
    """The register for content under ``roots``; each broken entry is reported (with its line)
    and left out."""
    path = find_register(roots)
    if path is None:
        return Register(None, {})
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(Problem(path, 1, 1, f"the register of sources cannot be read: {exc}"))
        return Register(path, {})
    sources: dict[str, Source] = {}
    if node is None:
        return Register(path, sources)
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, 1, 1, "the register of sources must be a list of entries, "
                                            "each a key with title, publisher, year and facts"))
        return Register(path, sources)
    for key_node, value in node.value:
        line = key_node.start_mark.line + 1
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        entry = _entry(key, value)
        if isinstance(entry, str):
            problems.append(Problem(path, line, 1, f"source '{key}': {entry}"))
        elif key in sources:
            problems.append(Problem(path, line, 1, f"source '{key}' is in the register twice"))
        else:
            sources[key] = entry
    return Register(path, sources)


def _entry(key: str, node: yaml.Node) -> Source | str:
    """The source, or what is wrong with the entry."""
    if not isinstance(node, yaml.MappingNode):
        return "give its title, publisher, year and facts (the section of the facts it comes from)"
    fields = {k.value: v.value for k, v in node.value if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)}
    missing = [f for f in _FIELDS if not str(fields.get(f, "")).strip()]
    if missing:
        return f"missing {', '.join(missing)}"
    unknown = sorted(set(fields) - set(_FIELDS) - {"url"})
    if unknown:
        return f"unknown field {', '.join(unknown)} (use {', '.join(_FIELDS)}, and url if you like)"
    year = str(fields["year"]).strip()
    if year != UNDATED and (not year.isdigit() or not 1900 <= int(year) <= 2100):
        return f"year must be a year like 2024, or {UNDATED} for a page that gives none (found '{year}')"
    return Source(key, " ".join(fields["title"].split()), " ".join(fields["publisher"].split()),
                  None if year == UNDATED else int(year), " ".join(fields["facts"].split()))
