"""Versioned training content: courses, modules and their immutable versions.

A :class:`Course` and a :class:`Module` are stable identities (the course folder's slug, the module
id). Every import of changed content adds a new immutable :class:`CourseVersion` or
:class:`ModuleVersion` (identified by a content hash) and moves the identity's ``current_version``
pointer; nothing in a version is ever updated. Learner progress, attempts and completions point at
the version the learner took. Everything a page shows is stored here already rendered and sanitised.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.extensions import db
from modules.core.models import UTCDateTime, utcnow


class ModuleKind(enum.Enum):
    lesson = "Lesson"
    case_study = "Case study"
    quiz = "Quiz"
    handbook = "Handbook"

    @property
    def label(self) -> str:
        return self.value


class Course(db.Model):
    """A course's stable identity: its folder name (slug)."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    current_version: Mapped[CourseVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course",
        foreign_keys="CourseVersion.course_id",
        order_by="CourseVersion.number",
    )

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseVersion(db.Model):
    """One immutable version of a course: its settings, description and ordered module versions."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source_path: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who published it and why (None: imported before publications were recorded).
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("content_publications.id"), index=True)

    title: Mapped[str] = mapped_column(Text)
    code: Mapped[str] = mapped_column(String(100), index=True)
    level: Mapped[int] = mapped_column(Integer)
    # ["all"] or a list of AgencyKind names.
    audience: Mapped[list[str]] = mapped_column(JSON)
    cpd_minutes: Mapped[int] = mapped_column(Integer)
    refresher_months: Mapped[int] = mapped_column(Integer)
    pass_mark: Mapped[int] = mapped_column(Integer)
    certificate_design: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")

    course: Mapped[Course] = relationship(back_populates="versions", foreign_keys=[course_id])
    publication: Mapped[Publication | None] = relationship()
    entries: Mapped[list[CourseVersionModule]] = relationship(
        back_populates="course_version",
        order_by="CourseVersionModule.position",
        cascade="all, delete-orphan",
    )

    @property
    def module_versions(self) -> list[ModuleVersion]:
        """The course's modules in order, each at the version this course version uses."""
        return [entry.module_version for entry in self.entries]

    def is_for_agency_kind(self, kind_name: str) -> bool:
        return "all" in self.audience or kind_name in self.audience

    def __repr__(self) -> str:
        return f"<CourseVersion {self.code} v{self.number}>"


class CourseVersionModule(db.Model):
    """The ordered link from a course version to the module versions it contains."""

    __tablename__ = "course_version_modules"

    course_version_id: Mapped[int] = mapped_column(
        ForeignKey("course_versions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"), index=True)

    course_version: Mapped[CourseVersion] = relationship(back_populates="entries")
    module_version: Mapped[ModuleVersion] = relationship(lazy="joined")


class Module(db.Model):
    """A module's stable identity: its module id (``slug``), unique across all courses.

    Because the identity is shared, a learner who completed a module in one course can be
    credited for it in every course that includes it.
    """

    __tablename__ = "content_modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_versions.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    current_version: Mapped[ModuleVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    versions: Mapped[list[ModuleVersion]] = relationship(
        back_populates="module",
        foreign_keys="ModuleVersion.module_id",
        order_by="ModuleVersion.number",
    )

    def __repr__(self) -> str:
        return f"<Module {self.slug}>"


class ModuleVersion(db.Model):
    """One immutable version of a module, stored ready to show (sanitised HTML, parsed questions)."""

    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("content_modules.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source_path: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("content_publications.id"), index=True)

    kind: Mapped[ModuleKind] = mapped_column(
        Enum(ModuleKind, native_enum=False, length=32, validate_strings=True)
    )
    title: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int] = mapped_column(Integer)
    content_note: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)

    # Quiz settings. pass_mark None means "the course's pass_mark".
    pass_mark: Mapped[int | None] = mapped_column(Integer)
    assessment: Mapped[bool] = mapped_column(Boolean, default=False)
    # None (every question), an int, or {pool: count}.
    draw: Mapped[Any | None] = mapped_column(JSON)

    # Table of contents [{level, anchor, title}] (every module; the handbook shows it).
    toc: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Plain text of the whole module for handbook search (None for other kinds).
    search_text: Mapped[str | None] = mapped_column(Text)
    # The sources the module rests on, from the register (courses/sources.yaml), as they were at
    # import: [{key, title, publisher, year}], shown to learners at the end of the module.
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    module: Mapped[Module] = relationship(back_populates="versions", foreign_keys=[module_id])
    publication: Mapped[Publication | None] = relationship()
    sections: Mapped[list[ModuleSection]] = relationship(
        back_populates="module_version", order_by="ModuleSection.position",
        cascade="all, delete-orphan",
    )
    decision_points: Mapped[list[DecisionPoint]] = relationship(
        back_populates="module_version", order_by="DecisionPoint.position",
        cascade="all, delete-orphan",
    )
    reflections: Mapped[list[Reflection]] = relationship(
        back_populates="module_version", order_by="Reflection.position",
        cascade="all, delete-orphan",
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="module_version", order_by="Question.position",
        cascade="all, delete-orphan",
    )

    @property
    def slug(self) -> str:
        return self.module.slug

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def decision_point(self, key: str) -> DecisionPoint | None:
        return next((d for d in self.decision_points if d.key == key), None)

    def reflection(self, key: str) -> Reflection | None:
        return next((r for r in self.reflections if r.key == key), None)

    def __repr__(self) -> str:
        return f"<ModuleVersion {self.module_id} v{self.number}>"


class ModuleSection(db.Model):
    """One page of a module: a ``##`` section (or the introduction before the first one)."""

    __tablename__ = "module_sections"
    __table_args__ = (
        UniqueConstraint("module_version_id", "position"),
        UniqueConstraint("module_version_id", "anchor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    anchor: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    plain_text: Mapped[str] = mapped_column(Text, default="")
    # Every id inside this section's html (sub-headings, footnotes), so that a "#anchor" link can
    # be resolved to the page that holds it.
    anchors: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A section marked as one of the module's hardest (a ``!!! summary`` box) can be skipped:
    # the learner reads this summary instead.
    summary_html: Mapped[str | None] = mapped_column(Text)

    module_version: Mapped[ModuleVersion] = relationship(back_populates="sections")


class DecisionPoint(db.Model):
    """A question inside a story. ``options``: [{key, html, consequence_html, correct}]."""

    __tablename__ = "module_decision_points"
    __table_args__ = (UniqueConstraint("module_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(100))
    section_anchor: Mapped[str] = mapped_column(Text)
    prompt_html: Mapped[str] = mapped_column(Text)
    intro_html: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    practice_point_html: Mapped[str] = mapped_column(Text)

    module_version: Mapped[ModuleVersion] = relationship(back_populates="decision_points")


class Reflection(db.Model):
    """A "Pause and reflect" prompt. What learners write is theirs alone (stored elsewhere)."""

    __tablename__ = "module_reflections"
    __table_args__ = (UniqueConstraint("module_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(100))
    section_anchor: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    prompt_html: Mapped[str] = mapped_column(Text)

    module_version: Mapped[ModuleVersion] = relationship(back_populates="reflections")


class Question(db.Model):
    """A quiz question. ``data`` is the question type's JSON (see modules.content.questions)."""

    __tablename__ = "module_questions"
    __table_args__ = (
        UniqueConstraint("module_version_id", "key"),
        Index("ix_module_questions_version_pool", "module_version_id", "pool"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(40))
    pool: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    module_version: Mapped[ModuleVersion] = relationship(back_populates="questions")

    @property
    def question_type(self):
        """The type (:class:`modules.content.questions.QuestionType`) that reads, marks and shows
        this question's answers."""
        from modules.content.questions import question_type

        return question_type(self.type)

    def mark(self, answer: Any):
        """Mark a learner's answer; see :func:`modules.content.questions.mark`."""
        return self.question_type.mark(self.data, answer)


class ContentAsset(db.Model):
    """A picture used by content, stored by the SHA-256 of its bytes (so shared and immutable)."""

    __tablename__ = "content_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PublicationOrigin(enum.Enum):
    folder = "content import from a folder"
    browser = "published in the browser"
    upload = "a folder uploaded as a ZIP"
    restore = "an earlier version restored"

    @property
    def label(self) -> str:
        return self.value


class Publication(db.Model):
    """One import or publish that created versions: who, when, why (the change note) and how."""

    __tablename__ = "content_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # None: the command line (``operator`` says who ran it).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    operator: Mapped[str] = mapped_column(Text)
    origin: Mapped[PublicationOrigin] = mapped_column(
        Enum(PublicationOrigin, native_enum=False, length=32, validate_strings=True)
    )
    note: Mapped[str] = mapped_column(Text, default="")


class ContentSource(db.Model):
    """The exact text of a published file, by the content hash of the version made from it.

    ``files`` maps each picture the file uses, as a path relative to the content folder
    (``cse-level-1/images/x.svg``), to its :class:`ContentAsset`'s SHA-256, so the folder the
    version came from can be rebuilt byte for byte (history, diffs, restore, ZIP export). Kept
    apart from the immutable versions so that versions imported before sources were recorded get
    theirs on the next import of the same text.
    """

    __tablename__ = "content_sources"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    files: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# Versions are immutable: refuse any UPDATE of their rows (a change is a new version).
_IMMUTABLE = (
    CourseVersion, CourseVersionModule, ModuleVersion, ModuleSection, DecisionPoint, Reflection,
    Question, ContentAsset, Publication, ContentSource,
)


def _refuse_update(mapper, connection, target) -> None:
    raise RuntimeError(
        f"{type(target).__name__} rows are immutable: import changed content as a new version"
    )


for _model in _IMMUTABLE:
    event.listen(_model, "before_update", _refuse_update)
