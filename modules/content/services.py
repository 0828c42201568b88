"""Reading imported content: what pages and the learner player use.

- :func:`current_course_version` / :func:`current_module_version` -- by slug (module id);
- ``CourseVersion.module_versions`` -- the course's modules in order, at the versions it uses;
- ``ModuleVersion.sections`` / ``.decision_points`` / ``.reflections`` / ``.questions``;
- :func:`fill_section` -- a section's stored HTML with its slots filled;
- ``Question.mark(answer)`` or :func:`modules.content.questions.mark` -- marking;
- drawing a quiz's questions and applying its settings: :mod:`modules.learning.quizzes`.
"""
from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from modules.content.models import (
    ContentAsset,
    Course,
    CourseVersion,
    CourseVersionModule,
    Module,
    ModuleSection,
    ModuleVersion,
)
from modules.content.slots import fill_slots


def current_course_version(slug: str) -> CourseVersion | None:
    """The version of course ``slug`` that learners should take now, or None."""
    return db_session().scalar(
        select(CourseVersion)
        .join(Course, Course.current_version_id == CourseVersion.id)
        .where(Course.slug == slug)
        .options(selectinload(CourseVersion.entries))
    )


def current_module_version(slug: str) -> ModuleVersion | None:
    """The current version of the module with module id ``slug``, or None."""
    return db_session().scalar(
        select(ModuleVersion)
        .join(Module, Module.current_version_id == ModuleVersion.id)
        .where(Module.slug == slug)
    )


def module_version(slug: str, number: int) -> ModuleVersion | None:
    return db_session().scalar(
        select(ModuleVersion)
        .join(Module, Module.id == ModuleVersion.module_id)
        .where(Module.slug == slug, ModuleVersion.number == number)
    )


def course_by_slug(slug: str) -> Course | None:
    return db_session().scalar(select(Course).where(Course.slug == slug))


def module_by_slug(slug: str) -> Module | None:
    return db_session().scalar(select(Module).where(Module.slug == slug))


def current_courses() -> list[CourseVersion]:
    """Every course's current version, by level then title."""
    return list(
        db_session().scalars(
            select(CourseVersion)
            .join(Course, Course.current_version_id == CourseVersion.id)
            .options(selectinload(CourseVersion.entries), selectinload(CourseVersion.course))
            .order_by(CourseVersion.level, CourseVersion.title)
        )
    )


def courses_including(module: Module) -> list[CourseVersion]:
    """Current course versions that include any version of ``module``."""
    return list(
        db_session().scalars(
            select(CourseVersion)
            .join(Course, Course.current_version_id == CourseVersion.id)
            .join(CourseVersionModule, CourseVersionModule.course_version_id == CourseVersion.id)
            .join(ModuleVersion, ModuleVersion.id == CourseVersionModule.module_version_id)
            .where(ModuleVersion.module_id == module.id)
            .order_by(CourseVersion.title)
        ).unique()
    )


def asset(sha256: str) -> ContentAsset | None:
    return db_session().scalar(select(ContentAsset).where(ContentAsset.sha256 == sha256))


def fill_section(section: ModuleSection, fill: Callable[[str], str]) -> Markup:
    """``section.html`` with every slot (decision points, reflections, local contacts) replaced
    by ``fill(slot_name)``; see modules.content.slots for the names."""
    return fill_slots(section.html, fill)


def db_session():
    from modules.core.extensions import db

    return db.session
