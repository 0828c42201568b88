"""The one rule where the browser and a folder from git meet: an import never silently replaces a
change made in the browser.

The site's published versions are the source of truth (docs/authoring.md, "The browser and
``courses/``: one system"). A folder is a copy: when one of its files differs from the current
version of its module or course, and that version was made on the site (published in the browser,
restored, or uploaded as a ZIP), the folder is older than the site for that file, so the import is
refused as a whole, naming each file. ``content import`` and the ZIP upload both use it.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from modules.content.checker import CheckResult, check_paths
from modules.content.course_file import ParsedCourse
from modules.content.importer import _picture_files, _source_text
from modules.content.models import (
    ContentAsset,
    ContentSource,
    Course,
    Module,
    Publication,
    PublicationOrigin,
)
from modules.core.extensions import db

# Versions made on the site rather than by ``content import`` from a folder.
SITE_ORIGINS = frozenset({PublicationOrigin.browser, PublicationOrigin.restore, PublicationOrigin.upload})


@dataclass(frozen=True)
class BrowserEdit:
    """A file of the folder that would replace a version made on the site."""

    path: Path  # the file in the folder being imported
    what: str  # "module" or "course"
    slug: str
    number: int  # the current version's number
    content_hash: str  # the current version's content hash
    origin: PublicationOrigin
    operator: str  # who published it
    at: datetime

    def describe(self, shown_path: str | None = None) -> str:
        return (
            f"{shown_path or self.path}: the {self.what} {self.slug} is at version {self.number}, "
            f"{self.origin.label} by {self.operator} on {self.at:%d %B %Y at %H:%M} (UTC), and "
            "this file differs from it"
        )


ADVICE_CLI = (
    "Nothing was imported: the site has changes made in the browser that this folder does not "
    "have. Export the course from the browser (Authoring, the course, Export as a ZIP) and put "
    "its files in the folder to bring the latest text into git, or run the import again with "
    "--overwrite-browser-edits to replace the browser's versions with the folder's, or with "
    "--keep-browser-edits to import everything else and keep them."
)


def browser_edits(result: CheckResult) -> list[BrowserEdit]:
    """The files of a checked folder that differ from a current version made on the site.

    A file whose text (and pictures) equal the current version's is no change, even when its
    content hash differs because a module it lists changed.
    """
    found: list[BrowserEdit] = []
    for parsed in [*result.courses, *result.modules]:
        is_course = isinstance(parsed, ParsedCourse)
        model = Course if is_course else Module
        item = db.session.scalar(select(model).where(model.slug == parsed.slug))
        current = item.current_version if item is not None else None
        if current is None or current.content_hash == parsed.content_hash:
            continue
        publication = db.session.get(Publication, current.publication_id) if current.publication_id else None
        if publication is None or publication.origin not in SITE_ORIGINS:
            continue
        source = db.session.get(ContentSource, current.content_hash)
        if (source is not None and source.text == _source_text(parsed)
                and dict(source.files or {}) == _picture_files(parsed)):
            continue
        found.append(BrowserEdit(
            path=parsed.path, what="course" if is_course else "module", slug=parsed.slug,
            number=current.number, content_hash=current.content_hash, origin=publication.origin,
            operator=publication.operator, at=publication.created_at,
        ))
    return sorted(found, key=lambda edit: str(edit.path))


@contextmanager
def keeping_browser_edits(result: CheckResult, edits: list[BrowserEdit],
                          certificates_dir: Path | None) -> Iterator[CheckResult]:
    """The folder checked again with each browser-edited file replaced by the text (and pictures)
    of its current version, so the import leaves those at their browser versions and the checker
    still sees one whole, consistent folder.

    The course folders of ``result`` are copied side by side into a temporary content folder
    (links between them, such as ``../cse-level-1/07-language-matters.md``, still resolve).
    """
    folders = sorted({parsed.path.resolve().parent for parsed in [*result.courses, *result.modules]})
    with tempfile.TemporaryDirectory(prefix="sightline-keep-") as tmp:
        root = Path(tmp) / "content"
        root.mkdir()
        for folder in folders:
            shutil.copytree(folder, root / folder.name, ignore=shutil.ignore_patterns(".*"))
        for edit in edits:
            source = db.session.get(ContentSource, edit.content_hash)
            if source is None:  # imported before texts were kept: nothing to keep it with
                continue
            target = root / edit.path.resolve().parent.name / edit.path.name
            target.write_text(source.text, encoding="utf-8", newline="")
            for picture, sha in (source.files or {}).items():
                data = db.session.scalar(select(ContentAsset.data).where(ContentAsset.sha256 == sha))
                if data is not None and ".." not in Path(picture).parts:
                    (root / picture).parent.mkdir(parents=True, exist_ok=True)
                    (root / picture).write_bytes(data)
        yield check_paths([root], certificates_dir)
