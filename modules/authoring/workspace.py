"""The working copy of the content folder: every file as last published, with the drafts laid
over it, written to a temporary folder so that the one checker and the one importer read it
exactly as they read ``courses/``.

Paths are relative to the content folder, with "/" separators: ``cse-level-1/course.md``,
``cse-level-1/09-case-study-missing-episodes.md``, ``cse-level-1/images/map.png``.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from flask import current_app, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from modules.authoring.models import ContentDraft
from modules.content.checker import CheckResult, check_paths
from modules.content.models import (
    ContentAsset,
    ContentSource,
    Course,
    CourseVersion,
    CourseVersionModule,
)
from modules.content.problems import Problem
from modules.core.extensions import db
from modules.learning.request_cache import memo

COURSE_FILE = "course.md"


@dataclass(frozen=True)
class PublishedFile:
    """A file of the content folder as last published."""

    path: str
    content_hash: str  # the content hash of the version made from it ("" for a picture)
    data: bytes


def valid_path(path: str) -> bool:
    """A path inside the content folder: ``<course folder>/<file>`` or ``.../images/<file>``,
    never absolute, never ``..``, never hidden."""
    parts = PurePosixPath(path).parts
    return (
        2 <= len(parts) <= 4
        and not path.startswith("/")
        and "\\" not in path
        and all(part not in ("", ".", "..") and not part.startswith(".") for part in parts)
    )


def published_files(*, with_pictures: bool = True) -> dict[str, PublishedFile]:
    """Every file of the content folder as last published: each current course's ``course.md``,
    each module it lists, and the pictures they use.

    A module a course no longer lists (retired) is not in the folder any more; its versions stay
    in the history. A course whose text (or a module's) was never recorded is left out: see
    :func:`unrecorded_courses`. Worked out once per request (a page's slots each ask) until the
    session writes; treat the result as read-only.
    """
    texts, pictures, _ = _once("texts", _published_texts)
    if not with_pictures:
        return texts
    return _once("files", lambda: {
        **texts,
        **{path: PublishedFile(path, "", data) for path, data in _asset_bytes(pictures).items()},
    })


def unrecorded_courses() -> list[str]:
    """The ``course.md`` paths of published courses that are not in the working copy because the
    text of a file they use was never recorded (they were imported before Sightline kept texts:
    one ``flask --app app content import`` of their folder records them)."""
    return _once("texts", _published_texts)[2]


def _once(key: str, compute):
    if not has_request_context():  # (a command or a test's own session: no request to share it)
        return compute()
    return memo(("authoring.published", key), compute)


def _published_texts() -> tuple[dict[str, PublishedFile], dict[str, str], list[str]]:
    """The published Markdown files, the pictures they use (path -> SHA-256), and the courses
    left out for want of a recorded text."""
    versions = db.session.scalars(
        select(CourseVersion)
        .join(Course, Course.current_version_id == CourseVersion.id)
        .options(selectinload(CourseVersion.entries).joinedload(CourseVersionModule.module_version))
        .order_by(CourseVersion.source_path)
    ).all()
    by_course = {
        version.source_path: {version.source_path: version.content_hash} | {
            module_version.source_path: module_version.content_hash
            for module_version in version.module_versions
        }
        for version in versions
    }
    hashes = {content_hash for files in by_course.values() for content_hash in files.values()}
    sources = {
        source.content_hash: source
        for source in db.session.scalars(select(ContentSource).where(ContentSource.content_hash.in_(hashes)))
    }
    wanted: dict[str, str] = {}  # path -> content hash
    unrecorded = []
    for course_path, files in by_course.items():
        if all(content_hash in sources for content_hash in files.values()):
            wanted.update(files)
        else:
            unrecorded.append(course_path)
    texts = {
        path: PublishedFile(path, content_hash, sources[content_hash].text.encode("utf-8"))
        for path, content_hash in wanted.items()
    }
    pictures = {
        picture: sha for content_hash in set(wanted.values())
        for picture, sha in sources[content_hash].files.items()
    }
    return texts, pictures, unrecorded


def drafts(folder: str | None = None) -> list[ContentDraft]:
    """The drafts of one course folder (or of every folder), by path."""
    query = select(ContentDraft).order_by(ContentDraft.path)
    if folder is not None:
        query = query.where(ContentDraft.path.startswith(f"{folder}/", autoescape=True))
    return list(db.session.scalars(query))


def working_files(folder: str | None = None, *, overrides: dict[str, str] | None = None,
                  with_pictures: bool = True) -> dict[str, bytes]:
    """The content folder as learners would get it if ``folder``'s drafts (every folder's, when
    None) were published, with ``overrides`` (path -> unsaved text) on top."""
    files = {path: published.data for path, published in published_files(with_pictures=with_pictures).items()}
    overlaid = drafts(folder)
    pictures = {d.path: d.asset_sha256 for d in overlaid if d.asset_sha256 and not d.removed}
    picture_bytes = _asset_bytes(pictures) if with_pictures else {}
    for draft in overlaid:
        if draft.removed:
            files.pop(draft.path, None)
        elif draft.text is not None:
            files[draft.path] = draft.text.encode("utf-8")
        elif draft.path in picture_bytes:
            files[draft.path] = picture_bytes[draft.path]
    for path, text in (overrides or {}).items():
        files[path] = text.encode("utf-8")
    return files


def _asset_bytes(pictures: dict[str, str]) -> dict[str, bytes]:
    """path -> the bytes of the ContentAsset with that SHA-256."""
    if not pictures:
        return {}
    data = dict(db.session.execute(
        select(ContentAsset.sha256, ContentAsset.data).where(ContentAsset.sha256.in_(set(pictures.values())))
    ).tuples().all())
    return {path: data[sha] for path, sha in pictures.items() if sha in data}


@contextmanager
def materialised(files: dict[str, bytes]) -> Iterator[Path]:
    """The files written to a new temporary content folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="sightline-content-") as tmp:
        root = Path(tmp) / "content"
        root.mkdir()
        for path, data in files.items():
            if not valid_path(path):
                raise ValueError(f"not a path inside the content folder: {path!r}")
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield root


def certificates_dir() -> Path:
    return Path(current_app.root_path) / "certificates"


def check_folder(root: Path) -> CheckResult:
    """``content check`` of a materialised content folder; problems keep their absolute paths
    (use :func:`relative_problems` to show them)."""
    return check_paths([root], certificates_dir())


def relative_problems(problems: Iterable[Problem], root: Path) -> list[Problem]:
    """The problems with paths relative to the content folder (``cse-level-1/course.md``)."""
    resolved = root.resolve()
    out = []
    for problem in problems:
        try:
            path = Path(problem.path).resolve().relative_to(resolved)
        except ValueError:
            path = Path(problem.path)
        out.append(replace(problem, path=Path(path.as_posix())))
    return out
