"""``content import``: write checked content to the database in one transaction.

A module or course whose content hash differs from its current version's gets a new immutable
version (numbered 1, 2, ...) and becomes current; unchanged content writes nothing. A course gets a
new version when its own file changed or when any module it lists did, so a course version always
points at exactly the module versions it was checked with.
"""
from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from modules.content.checker import CheckResult
from modules.content.course_file import ParsedCourse
from modules.content.models import (
    ContentAsset,
    ContentSource,
    Course,
    CourseVersion,
    CourseVersionModule,
    DecisionPoint,
    Module,
    ModuleKind,
    ModuleSection,
    ModuleVersion,
    Publication,
    PublicationOrigin,
    Question,
    Reflection,
)
from modules.content.module_file import ParsedModule
from modules.core import audit
from modules.core.extensions import db


class ContentNotValid(Exception):
    """Import refused: the content has errors (nothing was written)."""


@dataclass
class Change:
    slug: str
    old_number: int | None  # None: new
    new_number: int
    reason: str = ""

    def describe(self, what: str) -> str:
        if self.old_number is None:
            return f"new {what} {self.slug} (version {self.new_number})"
        why = f" ({self.reason})" if self.reason else ""
        return f"changed {what} {self.slug}: version {self.old_number} -> {self.new_number}{why}"


@dataclass
class ImportSummary:
    modules: list[Change] = field(default_factory=list)
    courses: list[Change] = field(default_factory=list)
    unchanged_modules: int = 0
    unchanged_courses: int = 0
    assets_added: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.modules or self.courses)

    def lines(self) -> list[str]:
        out = [c.describe("module") for c in self.modules] + [c.describe("course") for c in self.courses]
        if not self.changed:
            out.append(
                f"Nothing changed ({self.unchanged_courses} courses and {self.unchanged_modules} "
                "modules are already up to date)."
            )
        else:
            out.append(
                f"Imported {len(self.modules)} module versions and {len(self.courses)} course versions; "
                f"{self.unchanged_modules} modules and {self.unchanged_courses} courses unchanged."
            )
        return out


def import_checked(result: CheckResult, *, actor=None) -> ImportSummary:
    """``content import``: :func:`import_result` and commit, all or nothing.

    :raise ContentNotValid: if ``result`` has errors.
    """
    try:
        summary = import_result(result, actor=actor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return summary


def import_result(result: CheckResult, *, actor=None, note: str = "",
                  origin: PublicationOrigin = PublicationOrigin.folder) -> ImportSummary:
    """Add the versions for content that passed :func:`modules.content.checker.check_paths` to
    the session (the caller commits), with one :class:`Publication` saying who, why and how.

    The text of every file is kept (:class:`ContentSource`), also for content that has not
    changed, so versions imported before sources were recorded get theirs.

    :raise ContentNotValid: if ``result`` has errors (nothing is added).
    """
    if not result.ok:
        raise ContentNotValid(f"{len(result.errors)} errors")
    summary = ImportSummary()
    _store_assets(result, summary)
    _store_sources(result)
    publication = Publication(actor_id=getattr(actor, "id", None), operator=_operator(actor),
                              origin=origin, note=note.strip())
    module_versions: dict[str, ModuleVersion] = {}
    changed_modules: set[str] = set()
    for parsed in result.modules:
        version, change = _import_module(parsed, publication)
        module_versions[parsed.slug] = version
        if change:
            summary.modules.append(change)
            changed_modules.add(parsed.slug)
        else:
            summary.unchanged_modules += 1
    for parsed in result.courses:
        change = _import_course(parsed, module_versions, changed_modules, publication)
        if change:
            summary.courses.append(change)
        else:
            summary.unchanged_courses += 1
    if summary.changed:
        db.session.add(publication)
        audit.record(
            "content.imported",
            actor=actor,
            modules=[c.describe("module") for c in summary.modules],
            courses=[c.describe("course") for c in summary.courses],
            by=publication.operator,
            origin=origin.name,
            note=publication.note,
        )
    return summary


def _operator(actor) -> str:
    if actor is not None:
        return getattr(actor, "email", str(actor))
    try:
        return f"command line ({getpass.getuser()})"
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "command line"


def _store_assets(result: CheckResult, summary: ImportSummary) -> None:
    wanted = {}
    for parsed in [*result.modules, *result.courses]:
        if parsed.file_links is not None:
            wanted.update(parsed.file_links.assets)
    if not wanted:
        return
    have = set(db.session.scalars(select(ContentAsset.sha256).where(ContentAsset.sha256.in_(list(wanted)))))
    for sha, asset in sorted(wanted.items()):
        if sha not in have:
            db.session.add(ContentAsset(sha256=sha, media_type=asset.media_type, size=len(asset.data), data=asset.data))
            summary.assets_added += 1


def _store_sources(result: CheckResult) -> None:
    parsed_files = [*result.modules, *result.courses]
    wanted = {parsed.content_hash: parsed for parsed in parsed_files}
    have = set(db.session.scalars(select(ContentSource.content_hash).where(ContentSource.content_hash.in_(list(wanted)))))
    for content_hash, parsed in wanted.items():
        if content_hash not in have:
            db.session.add(ContentSource(content_hash=content_hash, text=_source_text(parsed),
                                         files=_picture_files(parsed)))


def _source_text(parsed) -> str:
    return parsed.header.text if isinstance(parsed, ParsedModule) else parsed.text


def _picture_files(parsed) -> dict[str, str]:
    """The pictures a file uses, by their path relative to the content folder."""
    if parsed.file_links is None:
        return {}
    root = parsed.path.resolve().parent.parent
    return {
        Path(os.path.relpath(asset.path, root)).as_posix(): sha
        for sha, asset in sorted(parsed.file_links.assets.items())
    }


def _source_path(path: Path) -> str:
    """``course-folder/file.md``: where the file was, relative to its content folder."""
    return f"{path.parent.name}/{path.name}"


def build_module_version(parsed: ParsedModule, *, module: Module | None, number: int,
                         publication: Publication | None = None) -> ModuleVersion:
    """The version ``parsed`` becomes, not added to any session: the importer stores it, and an
    author's preview shows it exactly as learners will get it (``module`` None for a preview)."""
    return ModuleVersion(
        module=module,
        number=number,
        content_hash=parsed.content_hash,
        source_path=_source_path(parsed.path),
        publication=publication,
        kind=ModuleKind[parsed.value("kind")],
        title=parsed.value("title"),
        minutes=parsed.value("minutes"),
        content_note=parsed.value("content_note"),
        summary=parsed.value("summary"),
        pass_mark=parsed.value("pass_mark"),
        assessment=bool(parsed.value("assessment", False)),
        draw=parsed.value("draw"),
        toc=parsed.toc,
        search_text=parsed.search_text,
        sources=parsed.sources,
        sections=[
            ModuleSection(position=i, anchor=s.anchor, title=s.title, html=s.html,
                          plain_text=s.plain_text, anchors=s.anchors, summary_html=s.summary_html)
            for i, s in enumerate(parsed.sections)
        ],
        decision_points=[
            DecisionPoint(position=i, key=d.key, section_anchor=d.section_anchor, prompt_html=d.prompt_html,
                          intro_html=d.intro_html, options=d.options, practice_point_html=d.practice_point_html)
            for i, d in enumerate(parsed.decision_points)
        ],
        reflections=[
            Reflection(position=i, key=r.key, section_anchor=r.section_anchor, title=r.title,
                       prompt_html=r.prompt_html)
            for i, r in enumerate(parsed.reflections)
        ],
        questions=[
            Question(position=i, key=q.key, type=q.type, pool=q.pool, data=q.data)
            for i, q in enumerate(parsed.questions)
        ],
    )


def _import_module(parsed: ParsedModule, publication: Publication) -> tuple[ModuleVersion, Change | None]:
    module = db.session.scalar(select(Module).where(Module.slug == parsed.slug))
    if module is None:
        module = Module(slug=parsed.slug)
        db.session.add(module)
        db.session.flush()
    current = module.current_version
    if current is not None and current.content_hash == parsed.content_hash:
        return current, None
    number = (db.session.scalar(select(func.max(ModuleVersion.number)).where(ModuleVersion.module_id == module.id)) or 0) + 1
    version = build_module_version(parsed, module=module, number=number, publication=publication)
    db.session.add(version)
    db.session.flush()
    module.current_version = version
    return version, Change(parsed.slug, current.number if current else None, number)


def _import_course(parsed: ParsedCourse, module_versions: dict[str, ModuleVersion],
                   changed_modules: set[str], publication: Publication) -> Change | None:
    course = db.session.scalar(select(Course).where(Course.slug == parsed.slug))
    if course is None:
        course = Course(slug=parsed.slug)
        db.session.add(course)
        db.session.flush()
    current = course.current_version
    if current is not None and current.content_hash == parsed.content_hash:
        return None
    number = (db.session.scalar(select(func.max(CourseVersion.number)).where(CourseVersion.course_id == course.id)) or 0) + 1
    version = CourseVersion(
        course=course,
        number=number,
        content_hash=parsed.content_hash,
        source_path=_source_path(parsed.path),
        publication=publication,
        title=parsed.value("title"),
        code=parsed.value("code"),
        level=parsed.value("level"),
        audience=parsed.value("audience"),
        cpd_minutes=parsed.value("cpd_minutes"),
        refresher_months=parsed.value("refresher_months"),
        pass_mark=parsed.value("pass_mark"),
        certificate_design=parsed.design,
        summary=parsed.summary,
        description_html=parsed.description_html,
        entries=[
            CourseVersionModule(position=i, module_version=module_versions[ident])
            for i, ident in enumerate(parsed.module_ids)
        ],
    )
    db.session.add(version)
    db.session.flush()
    course.current_version = version
    reasons = [f"module {ident} changed" for ident in parsed.module_ids if ident in changed_modules]
    if current is not None and not reasons:
        reasons = ["course.md or the list of modules changed"]
    return Change(parsed.slug, current.number if current else None, number, ", ".join(reasons))
