"""Parsing ``course.md``: the course settings and its description."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modules.content.blocks import Line, body_lines, join
from modules.content.body import prepare_body, reserve_fixed
from modules.content.frontmatter import FrontMatter
from modules.content.links import FileLinks, LinkRef, find_links
from modules.content.problems import Problems
from modules.content.rendering import FileRenderer
from modules.content.sanitise import plain_text
from modules.content.settings import COURSE_SETTINGS, ReadSettings, read_settings

DEFAULT_DESIGN = "default"


@dataclass
class ParsedCourse:
    path: Path  # the course.md file
    slug: str
    front: FrontMatter
    settings: ReadSettings
    text: str
    description_html: str = ""
    summary: str = ""
    links: list[LinkRef] = field(default_factory=list)
    file_links: FileLinks | None = None
    lines: list[Line] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    content_hash: str = ""

    def value(self, key: str, default: Any = None) -> Any:
        return self.settings.values.get(key, default)

    @property
    def module_ids(self) -> list[str]:
        return [ident for ident, _line, _col in self.value("modules", [])]

    @property
    def design(self) -> str:
        return self.value("certificate", DEFAULT_DESIGN)


def read_course(path: Path, slug: str, text: str, front: FrontMatter, problems: Problems) -> ParsedCourse:
    settings = read_settings(front, COURSE_SETTINGS, problems, what="course")
    course = ParsedCourse(path=path, slug=slug, front=front, settings=settings, text=text)
    seen: dict[str, int] = {}
    for ident, line, col in course.value("modules", []):
        if ident in seen:
            problems.error(line, col, f"module '{ident}' is listed twice (first on line {seen[ident]})")
            settings.ok = False
        else:
            seen[ident] = line
    return course


def render_description(course: ParsedCourse, links: FileLinks, problems: Problems) -> None:
    course.file_links = links
    course.lines = body_lines(course.front.body, course.front.body_first_line)
    course.links = find_links(course.lines)
    prepared = prepare_body(course.lines, problems, allow_reflect=False)
    renderer = FileRenderer(links.rewrite, prepared.footnotes, prepared.references)
    reserve_fixed(renderer.anchors, prepared)
    rendered = renderer.block(join(prepared.lines))
    course.description_html = rendered.html
    course.anchors = set(rendered.ids)
    course.summary = course.value("summary") or _first_paragraph(rendered.html)


def _first_paragraph(html: str) -> str:
    start = html.find("<p")
    end = html.find("</p>", start)
    return plain_text(html[start:end + 4]) if start >= 0 and end > start else ""
