"""Splitting a file into front matter (YAML settings) and Markdown body, keeping exact positions.

The YAML is composed into nodes first (PyYAML's ``compose``), so every key and value keeps the line
and column it came from; values are then constructed with the safe constructor, node by node.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from modules.content.problems import Problems

_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
_COMMENT_AFTER = re.compile(r"^[ \t]+#")
# YAML's own wording, and what it usually means in a settings line.
_HINTS = {
    "mapping values are not allowed here": "if a value contains a colon, put it in double quotes",
}


@dataclass
class Setting:
    """One ``name: value`` line of the front matter."""

    key: str
    value: Any
    node: yaml.Node
    key_line: int
    key_col: int
    line: int  # of the value
    col: int

    @property
    def raw(self) -> str | None:
        """The value exactly as written, for scalars (so ``title: 1984`` stays the text "1984")."""
        return self.node.value if isinstance(self.node, yaml.ScalarNode) else None


@dataclass
class FrontMatter:
    settings: dict[str, Setting] = field(default_factory=dict)
    body: str = ""
    body_first_line: int = 1  # file line number of the body's first line
    end_line: int = 1  # line of the closing ---

    def get(self, key: str) -> Setting | None:
        return self.settings.get(key)


def node_position(node: yaml.Node, first_line: int) -> tuple[int, int]:
    """File line and column (from 1) of a YAML node whose document starts on ``first_line``."""
    mark = node.start_mark
    return mark.line + first_line, mark.column + 1


def split_front_matter(text: str, problems: Problems) -> FrontMatter | None:
    """Split ``text`` into settings and body; report and return None when that is impossible."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        problems.error(
            1, 1, "file must start with settings between two '---' lines (front matter)"
        )
        return None
    end = next((i for i in range(1, len(lines)) if _END.match(lines[i])), None)
    if end is None:
        problems.error(1, 1, "front matter is not closed: add a line '---' after the settings")
        return None
    yaml_text = "\n".join(lines[1:end])
    first_line = 2  # file line of yaml_text's first line
    settings = _parse_settings(yaml_text, first_line, problems)
    if settings is None:
        return None
    return FrontMatter(
        settings=settings,
        body="\n".join(lines[end + 1:]),
        body_first_line=end + 2,
        end_line=end + 1,
    )


def _parse_settings(yaml_text: str, first_line: int, problems: Problems) -> dict[str, Setting] | None:
    try:
        # Aliases (*name) could expand into enormous or circular values: settings never need them.
        for event in yaml.parse(yaml_text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line, col = event.start_mark.line + first_line, event.start_mark.column + 1
                problems.error(line, col, "YAML aliases (*name) are not allowed in settings")
                return None
        root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as exc:
        before = yaml_text[: exc.position]
        line, col = before.count("\n") + first_line, len(before) - (before.rfind("\n") + 1) + 1
        problems.error(line, col, f"settings contain a character that is not allowed (U+{exc.character:04X})"
                       if isinstance(exc.character, int) else "settings contain a character that is not allowed")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
        reason = exc.problem or exc.context or "not valid YAML"
        hint = next((h for wording, h in _HINTS.items() if wording in reason), None)
        suffix = f" ({hint})" if hint else ""
        problems.error(line, col, f"settings are not valid YAML: {reason}{suffix}")
        return None
    except (yaml.YAMLError, RecursionError) as exc:
        problems.error(first_line, 1, f"settings are not valid YAML: {exc.__class__.__name__}")
        return None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        line, col = node_position(root, first_line)
        problems.error(line, col, "settings must be 'name: value' lines")
        return None

    constructor = yaml.SafeLoader("")
    settings: dict[str, Setting] = {}
    ok = True
    for key_node, value_node in root.value:
        key_line, key_col = node_position(key_node, first_line)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.error(key_line, key_col, "a setting name must be a plain word")
            ok = False
            continue
        key = key_node.value
        line, col = node_position(value_node, first_line)
        if key in settings:
            problems.error(key_line, key_col, f"setting '{key}' is given twice")
            ok = False
            continue
        try:
            value = constructor.construct_object(value_node, deep=True)
        except Exception as exc:  # noqa: BLE001 - YAML constructors raise many kinds (ValueError for bad dates)
            problems.error(line, col, f"the value of '{key}' cannot be read ({_short(exc)})")
            ok = False
            continue
        settings[key] = Setting(key, value, value_node, key_line, key_col, line, col)
        _warn_cut_values(key, value_node, yaml_text.split("\n"), first_line, problems)
    return settings if ok else None


def _warn_cut_values(key: str, node: yaml.Node, lines: list[str], first_line: int,
                     problems: Problems) -> None:
    """Warn about plain (unquoted) values followed by `` #`` on the same line: YAML reads the rest
    of the line as a comment, so ``title: Module #2`` silently becomes "Module"."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _warn_cut_values(key, item, lines, first_line, problems)
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            _warn_cut_values(key, value, lines, first_line, problems)
    elif isinstance(node, yaml.ScalarNode) and node.style is None and node.value:
        end = node.end_mark
        rest = lines[end.line][end.column:] if end.line < len(lines) else ""
        comment = _COMMENT_AFTER.match(rest)
        if comment:
            problems.warning(
                end.line + first_line, end.column + comment.end(),
                f"'{key}' is read as '{node.value}': the text from ' #' on is a YAML comment and is "
                "left out (put the value in double quotes if it contains ' #', or a comment on a "
                "line of its own)",
            )


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else exc.__class__.__name__
