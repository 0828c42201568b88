"""My reflections: every "Pause and reflect" note a learner saved, for them alone, grouped by
course and module, on screen, as CSV and as a printable page (for a CPD portfolio, such as
Social Work England's).

Private by construction: every function takes the learner's own id and reads only notes with
that ``user_id``; no manager or admin page calls them.

A note belongs to a module version, and a module can be shared by several courses. A note is
listed under the course the learner took it in: the first of their courses (oldest enrolment
first) whose version includes that module version; "Other modules" when none does any more.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from modules.content.models import (
    CourseVersion,
    CourseVersionModule,
    ModuleSection,
    ModuleVersion,
    Reflection,
)
from modules.content.sanitise import plain_text
from modules.core.dates import uk_date_of
from modules.core.extensions import db
from modules.core.tabular import Column, Kind, csv_chunks
from modules.learning.models import Enrolment, ReflectionNote


@dataclass(frozen=True)
class ReflectionEntry:
    note: ReflectionNote
    reflection: Reflection
    section_number: int | None  # where the prompt is in its module (None: not found)

    @property
    def prompt_text(self) -> str:
        return plain_text(self.reflection.prompt_html)

    @property
    def written_at(self) -> datetime:
        return self.note.updated_at or self.note.created_at


@dataclass
class ModuleGroup:
    module_version: ModuleVersion
    entries: list[ReflectionEntry] = field(default_factory=list)


@dataclass
class CourseGroup:
    title: str
    slug: str | None  # None: "Other modules", no course of theirs has them now
    modules: list[ModuleGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(m.entries) for m in self.modules)


def my_reflections(user_id: int) -> list[CourseGroup]:
    """The learner's notes, grouped by course then module (in course order), prompts in module
    order. Three queries whatever the number of notes."""
    rows = db.session.execute(
        select(ReflectionNote, Reflection, ModuleVersion)
        .join(Reflection, Reflection.id == ReflectionNote.reflection_id)
        .join(ModuleVersion, ModuleVersion.id == Reflection.module_version_id)
        .where(ReflectionNote.user_id == user_id)
        .options(joinedload(ModuleVersion.module))
        .order_by(Reflection.module_version_id, Reflection.position)
    ).all()
    if not rows:
        return []
    version_ids = {mv.id for _, _, mv in rows}
    pages = _section_pages(version_ids)
    homes = _courses_of(user_id, version_ids)

    groups: dict[int | None, CourseGroup] = {}
    started: dict[int | None, datetime] = {}
    modules: dict[tuple[int | None, int], ModuleGroup] = {}
    for note, reflection, mv in rows:
        home = homes.get(mv.id)
        course_key = home[0].id if home else None
        group = groups.get(course_key)
        if group is None:
            group = groups[course_key] = (
                CourseGroup(home[0].title, home[0].course.slug) if home else CourseGroup("Other modules", None)
            )
            if home:
                started[course_key] = home[2]
        module = modules.get((course_key, mv.id))
        if module is None:
            module = modules[(course_key, mv.id)] = ModuleGroup(mv)
            group.modules.append(module)
        module.entries.append(ReflectionEntry(note, reflection, pages.get(mv.id, {}).get(reflection.section_anchor)))

    for group in groups.values():
        group.modules.sort(key=lambda m: homes[m.module_version.id][1] if m.module_version.id in homes else 0)
    # Courses in the order the learner first started them; "Other modules" last.
    keys = sorted(groups, key=lambda key: (key is None, started.get(key) or datetime.min, key or 0))
    return [groups[key] for key in keys]


def _section_pages(version_ids: set[int]) -> dict[int, dict[str, int]]:
    """Which section (numbered from 1) holds each anchor, per module version: one query."""
    pages: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        select(ModuleSection.module_version_id, ModuleSection.anchor, ModuleSection.anchors)
        .where(ModuleSection.module_version_id.in_(version_ids))
        .order_by(ModuleSection.module_version_id, ModuleSection.position)
    ).all()
    counts: dict[int, int] = {}
    for version_id, anchor, anchors in rows:
        mapping = pages.setdefault(version_id, {})
        number = counts[version_id] = counts.get(version_id, 0) + 1
        mapping.setdefault(anchor, number)
        for other in anchors or []:
            mapping.setdefault(other, number)
    return pages


def _courses_of(user_id: int, version_ids: set[int]) -> dict[int, tuple[CourseVersion, int, datetime]]:
    """For each module version, the learner's first course (by enrolment) that includes it:
    (course version, the module's position in it, when the learner started it)."""
    rows = db.session.execute(
        select(CourseVersionModule.module_version_id, CourseVersionModule.position, CourseVersion,
               Enrolment.started_at)
        .join(CourseVersion, CourseVersion.id == CourseVersionModule.course_version_id)
        .join(Enrolment, Enrolment.course_version_id == CourseVersion.id)
        .where(Enrolment.user_id == user_id, CourseVersionModule.module_version_id.in_(version_ids))
        .options(joinedload(CourseVersion.course))
        .order_by(Enrolment.started_at, Enrolment.id)
    ).all()
    homes: dict[int, tuple[CourseVersion, int, datetime]] = {}
    for version_id, position, course_version, started_at in rows:
        homes.setdefault(version_id, (course_version, position, started_at))
    return homes


CSV_COLUMNS = (
    Column("Course"),
    Column("Module"),
    Column("Prompt title"),
    Column("Prompt"),
    Column("My reflection", width=80),
    Column("First written", Kind.date),
    Column("Last changed", Kind.date),
)


def reflections_csv(groups: list[CourseGroup]) -> Iterator[str]:
    """The notes as CSV text in chunks (formula-like text neutralised by the writer)."""
    def values():
        for group in groups:
            for module in group.modules:
                for entry in module.entries:
                    yield (
                        group.title,
                        module.module_version.title,
                        entry.reflection.title,
                        entry.prompt_text,
                        entry.note.text,
                        uk_date_of(entry.note.created_at),
                        uk_date_of(entry.written_at),
                    )

    return csv_chunks(CSV_COLUMNS, values())
