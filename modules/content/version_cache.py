"""Imported course and module versions, kept per application instead of read on every request.

A version never changes once imported (a change to the source is a new, hash-addressed version),
yet every learner page used to load its course version's list of modules, and the player the
module's sections, decision points and reflections, and build ORM objects from those rows on
every request. Here each version is read once per application (so once per worker process and
database), kept detached, and copied into the request's session without a query by
``Session.merge(load=False)`` (SQLAlchemy's own pattern for cached results): the rest of the code
keeps working with ordinary session objects, lazy loads included, and no cached object is ever
attached to a session, so requests never share a mutable object.

Only content is kept here; nothing about a learner, and not ``Course.current_version_id`` (which
moves when a course is re-imported): callers load the course row and take its version from here.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from modules.content.models import Course, CourseVersion, CourseVersionModule, ModuleVersion
from modules.core.extensions import db

_EXTENSION = "sightline_version_cache"
_MERGED = "sightline_merged_course_versions"


def _store() -> dict:
    # Per application, not per process: tests build a fresh app (and database) each time, and ids
    # are only unique within one database.
    return current_app.extensions.setdefault(_EXTENSION, {"course": {}, "module": {}})


def _detached(statement):
    """The one object ``statement`` selects, read in a session of its own (so that the copy holds
    nothing the request has loaded or changed) on the request's connection (so that it sees what
    this transaction sees), then detached."""
    with Session(bind=db.session.connection()) as session:
        found = session.scalars(statement).unique().one_or_none()
        session.expunge_all()
    return found


def _detached_course_version(version_id: int) -> CourseVersion | None:
    """The course version with its modules in order, each with its identity."""
    module_version = joinedload(CourseVersion.entries).joinedload(CourseVersionModule.module_version)
    return _detached(select(CourseVersion).where(CourseVersion.id == version_id).options(
        module_version.joinedload(ModuleVersion.module),
        # The handbook's whole text: only search reads it, and it queries for it then.
        module_version.defer(ModuleVersion.search_text),
    ))


def _detached_module_content(version_id: int) -> ModuleVersion | None:
    return _detached(select(ModuleVersion).where(ModuleVersion.id == version_id).options(
        joinedload(ModuleVersion.sections),
        joinedload(ModuleVersion.decision_points),
        joinedload(ModuleVersion.reflections),
        defer(ModuleVersion.search_text),
    ))


def course_version(version_id: int | None) -> CourseVersion | None:
    """The course version, in the request's session, with ``entries`` and their module versions
    (and modules) loaded."""
    if version_id is None:
        return None
    # A page reaches the same version by several paths (the course's current version, the
    # enrolment's): copy it into the session once, and again only if the copy was expired by
    # a commit or rollback (the session would otherwise reload it a relationship at a time).
    merged = db.session().info.setdefault(_MERGED, {})
    copy = merged.get(version_id)
    if copy is not None and "entries" in inspect(copy).dict and copy in db.session:
        return copy
    store = _store()["course"]
    cached = store.get(version_id)
    if cached is None:
        cached = _detached_course_version(version_id)
        if cached is None:
            return None
        store[version_id] = cached
    merged[version_id] = copy = db.session.merge(cached, load=False)
    return copy


def attach_course_versions(rows: Iterable, attribute: str = "course_version") -> None:
    """Fill ``row.<attribute>`` (a course version relationship) from the cache for each row, as
    if it had been loaded with the row."""
    for row in rows:
        key = getattr(type(row), attribute).property.local_columns
        (column,) = key
        set_committed_value(row, attribute, course_version(getattr(row, column.key)))


def attach_current_versions(courses: Iterable[Course]) -> None:
    attach_course_versions(courses, "current_version")


def load_module_content(module_version: ModuleVersion) -> None:
    """Give ``module_version`` (in the request's session) its sections, decision points and
    reflections, from the cache."""
    store = _store()["module"]
    cached = store.get(module_version.id)
    if cached is None:
        cached = _detached_module_content(module_version.id)
        if cached is None:
            return
        store[module_version.id] = cached
    db.session.merge(cached, load=False)
