"""The settings (front matter) of ``course.md`` and of modules: which exist, which are required,
and what values they accept. Each reader returns the clean value or reports a problem."""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from modules.content.frontmatter import FrontMatter, Setting, node_position
from modules.content.problems import Problems

AGENCY_KINDS = (
    "social_care", "police", "health", "education", "licensing", "housing", "youth_voluntary", "other",
)
MODULE_KINDS = ("lesson", "case_study", "quiz", "handbook")
QUIZ_ONLY = ("pass_mark", "assessment", "draw")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
NAME_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")  # pools, question ids, design folders
MAX_ID = 100


class Invalid(Exception):
    """A setting's value is not acceptable; the message says why."""

    def __init__(self, message: str, node: yaml.Node | None = None):
        super().__init__(message)
        self.node = node


# Value readers ------------------------------------------------------------------------------

def read_text(s: Setting) -> str:
    if not isinstance(s.node, yaml.ScalarNode) or s.value is None:
        raise Invalid(f"{s.key} must be text")
    text = " ".join(s.node.value.split())
    if not text:
        raise Invalid(f"{s.key} must not be empty")
    return text


def _whole_number(s: Setting) -> int | None:
    value = s.value
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def read_positive(s: Setting) -> int:
    value = _whole_number(s)
    if value is None or value < 1 or value > 100_000:
        raise Invalid(f"{s.key} must be a whole number above 0 (found {_found(s)})")
    return value


def read_range(low: int, high: int) -> Callable[[Setting], int]:
    def read(s: Setting) -> int:
        value = _whole_number(s)
        if value is None or not low <= value <= high:
            raise Invalid(f"{s.key} must be a whole number from {low} to {high} (found {_found(s)})")
        return value

    return read


def read_level(s: Setting) -> int:
    value = _whole_number(s)
    if value not in (1, 2, 3):
        raise Invalid(f"level must be 1, 2 or 3 (found {_found(s)})")
    return value


def read_code(s: Setting) -> str:
    code = read_text(s)
    if not CODE_RE.match(code) or len(code) > MAX_ID:
        raise Invalid(f"code must be capital letters, digits and hyphens, like CSE-L1 (found '{code}')")
    return code


def read_module_id(s: Setting) -> str:
    ident = read_text(s)
    if not SLUG_RE.match(ident) or len(ident) > MAX_ID:
        raise Invalid(f"module id must be lower case letters, digits and hyphens (found '{ident}')")
    return ident


def read_audience(s: Setting) -> list[str]:
    if isinstance(s.node, yaml.ScalarNode) and s.value == "all":
        return ["all"]
    if not isinstance(s.node, yaml.SequenceNode) or not s.node.value:
        raise Invalid("audience must be 'all' or a list of agency kinds")
    kinds: list[str] = []
    for item in s.node.value:
        name = item.value if isinstance(item, yaml.ScalarNode) else None
        if name not in AGENCY_KINDS:
            raise Invalid(
                f"unknown agency kind '{name if name is not None else '...'}' in audience "
                f"(use {', '.join(AGENCY_KINDS)})",
                item,
            )
        if name in kinds:
            raise Invalid(f"agency kind '{name}' is listed twice in audience", item)
        kinds.append(name)
    return kinds


def read_kind(s: Setting) -> str:
    kind = s.node.value if isinstance(s.node, yaml.ScalarNode) else None
    if kind not in MODULE_KINDS:
        raise Invalid(f"kind must be one of {', '.join(MODULE_KINDS)} (found {_found(s)})")
    return kind


def read_bool(s: Setting) -> bool:
    if not isinstance(s.value, bool):
        raise Invalid(f"{s.key} must be true or false (found {_found(s)})")
    return s.value


def read_pseudonyms(s: Setting) -> list[str]:
    """The made-up names and places a module uses: ``pseudonyms: [Jade, Child A, School X]``."""
    if not isinstance(s.node, yaml.SequenceNode):
        raise Invalid("pseudonyms must be a list of made-up names and places, like [Jade, Child A, School X]")
    names: list[str] = []
    for item in s.node.value:
        name = item.value if isinstance(item, yaml.ScalarNode) else None
        if not name or not str(name).strip() or len(str(name)) > 100:
            raise Invalid("each pseudonym must be a name or place of up to 100 characters", item)
        names.append(" ".join(str(name).split()))
    return names


MAX_FALSE_ALARM = 200


def read_false_alarms(s: Setting) -> list[dict[str, Any]]:
    """Personal-data findings a trainer has judged not to be personal data, each with why:
    ``false_alarms: [{text: Hope Street, reason: a made-up street}]``. Kept in the module file so
    that ``content check`` of an exported folder agrees with the browser."""
    example = "like:\n  - text: Hope Street\n    reason: a made-up street in this composite case"
    if not isinstance(s.node, yaml.SequenceNode):
        raise Invalid(f"false_alarms must be a list of entries with text and reason, {example}")
    offset = s.line - s.node.start_mark.line
    alarms: list[dict[str, Any]] = []
    for item in s.node.value:
        if not isinstance(item, yaml.MappingNode):
            raise Invalid(f"each false alarm must have text and reason, {example}", item)
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in item.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in ("text", "reason"):
                raise Invalid(f"a false alarm has only text and reason (found '{key}')", key_node)
            if key in fields:
                raise Invalid(f"{key} is given twice in this false alarm", key_node)
            fields[key] = value_node
        for key in ("text", "reason"):
            if key not in fields:
                raise Invalid(f"this false alarm has no {key}: give the words found and why they are not personal data", item)
            node = fields[key]
            if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
                raise Invalid(f"the {key} of a false alarm must be text, not empty", node)
        text = " ".join(str(fields["text"].value).split())
        if len(text) > MAX_FALSE_ALARM:
            raise Invalid(f"the text of a false alarm must be at most {MAX_FALSE_ALARM} characters "
                          f"(found {len(text)})", fields["text"])
        line, col = node_position(fields["text"], offset)
        alarms.append({"text": text, "reason": " ".join(str(fields["reason"].value).split()),
                       "line": line, "col": col})
    return alarms


def read_draw(s: Setting) -> Any:
    if isinstance(s.node, yaml.MappingNode):
        draw: dict[str, int] = {}
        for key_node, value_node in s.node.value:
            pool = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            if not NAME_RE.match(pool) or len(pool) > MAX_ID:
                raise Invalid("pool names in draw must be lower case words, like terms", key_node)
            value = value_node.value if isinstance(value_node, yaml.ScalarNode) else ""
            if not re.fullmatch(r"[1-9][0-9]{0,4}", value):
                raise Invalid(f"draw for pool '{pool}' must be a whole number above 0", value_node)
            draw[pool] = int(value)
        if not draw:
            raise Invalid(_DRAW_HELP)
        return draw
    value = _whole_number(s)
    if value is None or value < 1 or value > 100_000:
        raise Invalid(_DRAW_HELP)
    return value


_DRAW_HELP = "draw must be a whole number above 0, or pools with numbers like {terms: 8, scenarios: 2}"


def read_module_list(s: Setting) -> list[tuple[str, int, int]]:
    """The course's module ids with the line and column of each."""
    if not isinstance(s.node, yaml.SequenceNode):
        raise Invalid("modules must be a list of module ids, one per line starting with '- '")
    if not s.node.value:
        raise Invalid("modules must list at least one module")
    first_line = s.line - s.node.start_mark.line
    items = []
    for item in s.node.value:
        ident = item.value if isinstance(item, yaml.ScalarNode) else None
        if not ident or not SLUG_RE.match(ident) or len(ident) > MAX_ID:
            raise Invalid(
                f"module id must be lower case letters, digits and hyphens (found '{ident or '...'}')",
                item,
            )
        line, col = node_position(item, first_line)
        items.append((ident, line, col))
    return items


def read_sources(s: Setting) -> list[tuple[str, int, int]]:
    """The keys (in the register, sources.yaml) of the sources a module rests on, with the line and
    column of each: ``sources: [dfe-cse-definition-2017, language-guide-2024]``."""
    if not isinstance(s.node, yaml.SequenceNode) or not s.node.value:
        raise Invalid("sources must be a list of keys from sources.yaml, like [dfe-cse-definition-2017, language-guide-2024]")
    first_line = s.line - s.node.start_mark.line
    keys = []
    for item in s.node.value:
        key = item.value if isinstance(item, yaml.ScalarNode) else None
        if not key or not NAME_RE.match(str(key)) or len(str(key)) > MAX_ID:
            raise Invalid(f"a source is the key of an entry in sources.yaml: lower case letters, digits and "
                          f"hyphens (found '{key or '...'}')", item)
        line, col = node_position(item, first_line)
        keys.append((str(key), line, col))
    return keys


def read_design(s: Setting) -> str:
    name = read_text(s)
    if not NAME_RE.match(name) or len(name) > MAX_ID:
        raise Invalid(f"unknown certificate design '{name}': use a folder name from certificates/")
    return name


def _found(s: Setting) -> str:
    if isinstance(s.node, yaml.ScalarNode):
        return f"'{s.node.value}'" if s.node.value else "nothing"
    return "a list" if isinstance(s.node, yaml.SequenceNode) else "a group of settings"


# Setting tables -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Spec:
    read: Callable[[Setting], Any]
    required: bool = True


COURSE_SETTINGS: dict[str, Spec] = {
    "title": Spec(read_text),
    "code": Spec(read_code),
    "level": Spec(read_level),
    "audience": Spec(read_audience),
    "cpd_minutes": Spec(read_positive),
    "refresher_months": Spec(read_range(1, 120)),
    "pass_mark": Spec(read_range(1, 100)),
    "certificate": Spec(read_design, required=False),
    "modules": Spec(read_module_list),
    "summary": Spec(read_text, required=False),
}

MODULE_SETTINGS: dict[str, Spec] = {
    "title": Spec(read_text),
    "kind": Spec(read_kind),
    "minutes": Spec(read_positive),
    "content_note": Spec(read_text, required=False),
    "id": Spec(read_module_id, required=False),
    "summary": Spec(read_text, required=False),
    "pass_mark": Spec(read_range(1, 100), required=False),
    "assessment": Spec(read_bool, required=False),
    "draw": Spec(read_draw, required=False),
    # Made-up names and places the personal-data check must not report (modules.checks).
    "pseudonyms": Spec(read_pseudonyms, required=False),
    # Phrases in quotation marks are deliberate examples for the language check (modules.checks).
    "quoted_examples": Spec(read_bool, required=False),
    # Personal-data findings dismissed as not personal data, with a reason (modules.checks).
    "false_alarms": Spec(read_false_alarms, required=False),
    # Keys of the register of sources (sources.yaml) the module's facts come from.
    "sources": Spec(read_sources, required=False),
}


@dataclass
class ReadSettings:
    values: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Setting] = field(default_factory=dict)
    ok: bool = True

    def position(self, key: str) -> tuple[int, int]:
        s = self.settings.get(key)
        return (s.line, s.col) if s else (1, 1)


def read_settings(
    front: FrontMatter, specs: dict[str, Spec], problems: Problems, *, what: str
) -> ReadSettings:
    """Check every setting against ``specs``: unknown names, missing required ones, bad values."""
    result = ReadSettings(settings=front.settings)
    for key, setting in front.settings.items():
        spec = specs.get(key)
        if spec is None:
            hint = difflib.get_close_matches(key, list(specs), n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.error(
                setting.key_line, setting.key_col, f"unknown {what} setting '{key}'{suggestion}"
            )
            result.ok = False
            continue
        try:
            result.values[key] = spec.read(setting)
        except Invalid as exc:
            line, col = (setting.line, setting.col)
            if exc.node is not None:
                line, col = node_position(exc.node, setting.line - setting.node.start_mark.line)
            problems.error(line, col, str(exc))
            result.ok = False
    for key, spec in specs.items():
        if spec.required and key not in front.settings:
            problems.error(1, 1, f"missing required setting '{key}'")
            result.ok = False
    return result
