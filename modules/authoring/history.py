"""The history of one file of the content folder: every version of the module (or course) it
holds, with who published it, when, how and why, the text of each, and restoring an old text as
a new version.

A module's identity is its module id, not its file name: a renamed file keeps its history. The
file is matched to its module by the versions published from that path, else by the ``id:`` of
its current text, else by its file name (as ``content check`` derives the id). Nothing here
commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import select

from modules.accounts.models import User
from modules.authoring import drafts as draft_store
from modules.authoring.publishing import PublishOutcome, publish_files
from modules.authoring.workspace import COURSE_FILE, published_files, valid_path
from modules.content.frontmatter import split_front_matter
from modules.content.models import (
    ContentAsset,
    ContentSource,
    Course,
    CourseVersion,
    Module,
    ModuleVersion,
    Publication,
    PublicationOrigin,
)
from modules.content.module_file import module_id_from_filename
from modules.content.problems import Problems
from modules.core import audit
from modules.core.extensions import db

BEFORE_HISTORY = "before history was kept"
DRAFT_IN_THE_WAY = ("This file has a draft that is not published. Publish or discard the draft "
                    "first, then restore: restoring publishes the file, so the draft would "
                    "otherwise be lost or published with it.")


@dataclass(frozen=True)
class VersionEntry:
    """One published version of the file's module or course."""

    number: int
    published_at: datetime
    who: str
    how: str  # the origin's label, "" before history was kept
    note: str
    source_path: str
    content_hash: str
    has_text: bool  # False: imported before Sightline kept the text of each version
    current: bool  # the version learners starting now get


@dataclass
class FileHistory:
    path: str
    kind: str  # "module" or "course"
    slug: str
    title: str
    versions: list[VersionEntry] = field(default_factory=list)  # newest first

    @property
    def current(self) -> VersionEntry | None:
        return next((v for v in self.versions if v.current), None)

    @property
    def latest(self) -> VersionEntry | None:
        return self.versions[0] if self.versions else None

    def version(self, number: int | None) -> VersionEntry | None:
        return next((v for v in self.versions if v.number == number), None)


def is_course_file(path: str) -> bool:
    return PurePosixPath(path).name == COURSE_FILE


def file_history(path: str) -> FileHistory | None:
    """Every version of what ``path`` holds, newest first; None if nothing was ever published
    from it (or it is not a path of the content folder)."""
    if not valid_path(path) or not path.endswith(".md"):
        return None
    if is_course_file(path):
        return _course_history(path)
    module = _module_for(path)
    return _module_history(path, module) if module is not None else None


def unpublished(path: str) -> FileHistory:
    """The history of a new file that has never been published: no versions yet."""
    kind = "course" if is_course_file(path) else "module"
    return FileHistory(path=path, kind=kind, slug="", title=PurePosixPath(path).name)


def version_texts(history: FileHistory, numbers: list[int]) -> dict[int, str | None]:
    """The published text of each version number (None when it was never recorded), in one
    query."""
    wanted = {n: history.version(n) for n in numbers}
    hashes = {v.content_hash for v in wanted.values() if v is not None}
    texts = dict(db.session.execute(
        select(ContentSource.content_hash, ContentSource.text)
        .where(ContentSource.content_hash.in_(hashes))
    ).tuples().all()) if hashes else {}
    return {n: (texts.get(v.content_hash) if v else None) for n, v in wanted.items()}


def _module_for(path: str) -> Module | None:
    module_id = db.session.scalar(
        select(ModuleVersion.module_id).where(ModuleVersion.source_path == path)
        .order_by(ModuleVersion.id.desc()).limit(1)
    )
    if module_id is not None:
        return db.session.get(Module, module_id)
    slugs = [slug for slug in (_front_matter_id(path), module_id_from_filename(Path(path))) if slug]
    modules = {m.slug: m for m in db.session.scalars(select(Module).where(Module.slug.in_(slugs)))}
    return next((modules[s] for s in slugs if s in modules), None)


def _front_matter_id(path: str) -> str | None:
    """The ``id:`` the file's draft sets (a file first published under another name)."""
    draft = draft_store.draft_for(path)
    if draft is None or not draft.text:
        return None
    front = split_front_matter(draft.text, Problems(Path(path), []))
    value = getattr(front.get("id") if front is not None else None, "value", None)
    return value if isinstance(value, str) else None


def _who(publication: Publication | None, actor_name: str | None) -> str:
    if publication is None:
        return BEFORE_HISTORY
    return actor_name or publication.operator or "unknown"


def _entries(rows, current_id: int | None) -> list[VersionEntry]:
    return [
        VersionEntry(
            number=version.number,
            published_at=version.imported_at,
            who=_who(publication, actor_name),
            how=publication.origin.label if publication is not None else "",
            note=publication.note if publication is not None else "",
            source_path=version.source_path,
            content_hash=version.content_hash,
            has_text=source_hash is not None,
            current=version.id == current_id,
        )
        for version, publication, actor_name, source_hash in rows
    ]


def _module_history(path: str, module: Module) -> FileHistory:
    # One query for every version, whatever their number (who, how and whether the text is kept).
    rows = db.session.execute(
        select(ModuleVersion, Publication, User.name, ContentSource.content_hash)
        .outerjoin(Publication, Publication.id == ModuleVersion.publication_id)
        .outerjoin(User, User.id == Publication.actor_id)
        .outerjoin(ContentSource, ContentSource.content_hash == ModuleVersion.content_hash)
        .where(ModuleVersion.module_id == module.id)
        .order_by(ModuleVersion.number.desc())
    ).tuples().all()
    versions = _entries(rows, module.current_version_id)
    title = rows[0][0].title if rows else module.slug
    return FileHistory(path=path, kind="module", slug=module.slug, title=title, versions=versions)


def _course_history(path: str) -> FileHistory | None:
    course = db.session.scalar(select(Course).where(Course.slug == PurePosixPath(path).parent.name))
    if course is None:
        return None
    rows = db.session.execute(
        select(CourseVersion, Publication, User.name, ContentSource.content_hash)
        .outerjoin(Publication, Publication.id == CourseVersion.publication_id)
        .outerjoin(User, User.id == Publication.actor_id)
        .outerjoin(ContentSource, ContentSource.content_hash == CourseVersion.content_hash)
        .where(CourseVersion.course_id == course.id)
        .order_by(CourseVersion.number.desc())
    ).tuples().all()
    if not rows:
        return None
    return FileHistory(path=path, kind="course", slug=course.slug, title=rows[0][0].title,
                       versions=_entries(rows, course.current_version_id))


# Restoring ----------------------------------------------------------------------------------

class RestoreRefused(Exception):
    """The restore cannot start (the message says why and what to do)."""


@dataclass
class RestoreOutcome:
    publish: PublishOutcome | None = None
    new_number: int | None = None  # None: nothing published (same text, or errors)

    @property
    def unchanged(self) -> bool:
        return self.publish is not None and self.publish.published and self.new_number is None


def restore_version(history: FileHistory, number: int, *, actor, note: str) -> RestoreOutcome:
    """Publish version ``number``'s text as the file's next version, through the same checks and
    importer as any publish (origin: restore).

    A file with a draft is refused rather than folded in: restoring publishes the file, so it
    would either publish a colleague's unfinished draft or silently throw it away.

    :raise RestoreRefused: no such version, its text was never recorded, or the file has a draft.
    """
    entry = history.version(number)
    if entry is None:
        raise RestoreRefused(f"There is no version {number} of this file.")
    source = db.session.get(ContentSource, entry.content_hash)
    if source is None:
        raise RestoreRefused(f"The text of version {number} was not kept (it was published before "
                             "Sightline kept the text of each version), so it cannot be restored.")
    if draft_store.draft_for(history.path) is not None:
        raise RestoreRefused(DRAFT_IN_THE_WAY)
    files = restored_folder(history.path, source)
    outcome = publish_files(files, actor=actor, note=note, origin=PublicationOrigin.restore)
    if not outcome.published:
        return RestoreOutcome(publish=outcome)
    changes = outcome.summary.courses if history.kind == "course" else outcome.summary.modules
    change = next((c for c in changes if c.slug == history.slug), None)
    if change is None:
        return RestoreOutcome(publish=outcome)
    audit.record("content.restored", actor=actor, path=history.path, from_version=number,
                 new_version=change.new_number, note=note)
    return RestoreOutcome(publish=outcome, new_number=change.new_number)


def restored_folder(path: str, source: ContentSource) -> dict[str, bytes]:
    """The content folder as last published with ``path`` back at ``source``'s text and the
    pictures that text used (a picture since removed comes back with it).

    Starts from the published folder, not the working copy: other files' drafts stay drafts
    rather than being published by someone restoring a different file.

    :raise RestoreRefused: if a published text was never recorded.
    """
    files = {p: f.data for p, f in published_files().items()}
    files[path] = source.text.encode("utf-8")
    missing = {p: sha for p, sha in source.files.items() if p not in files}
    if missing:
        data = dict(db.session.execute(
            select(ContentAsset.sha256, ContentAsset.data)
            .where(ContentAsset.sha256.in_(set(missing.values())))
        ).tuples().all())
        files.update((p, data[sha]) for p, sha in missing.items() if sha in data)
    return files
