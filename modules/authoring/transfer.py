"""A course leaving the site as a folder (ZIP export) and a folder from git coming back (ZIP
upload): the same files ``content check`` and ``content import`` read, byte for byte.

Export: the course folder as published (or with its drafts, when asked) and every course folder
it needs to pass ``content check`` on its own: the folders holding modules its course lists and
files its Markdown links to (``cse-taxi-drivers`` lists modules that live in ``cse-level-1``, and a
folder without its ``course.md`` is an error, so ``cse-level-1`` goes whole), and theirs in turn.

Upload: a ZIP is read defensively (:func:`read_zip`), laid over the published content folder
(each uploaded course folder replaces the same-named folder), checked as a whole, and published
with origin "upload", refusing to replace changes made in the browser unless told to
(:mod:`modules.content.browser_edits`). Nothing here commits.
"""
from __future__ import annotations

import io
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import delete, select

from modules.authoring.models import ContentDraft
from modules.authoring.workspace import (
    check_folder,
    drafts,
    materialised,
    published_files,
    relative_problems,
    valid_path,
    working_files,
)
from modules.content.browser_edits import BrowserEdit, browser_edits
from modules.content.checker import CheckResult
from modules.content.importer import ImportSummary, import_result
from modules.content.models import Course, CourseVersion, Module, PublicationOrigin
from modules.content.problems import Problem
from modules.content.settings import SLUG_RE
from modules.core import audit
from modules.core.extensions import db

COURSE_FILE = "course.md"
MAX_ENTRIES = 500
MAX_TOTAL_BYTES = 20 * 1024 * 1024
# Fixed, so two exports of the same versions are the same bytes (the earliest date ZIP allows).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_LINKED_FOLDER = re.compile(r"\.\./([^/\s)\"'#?]+)/")
_LIST_ITEM = re.compile(r"^\s*-\s*([a-z0-9][a-z0-9-]*)\s*$", re.MULTILINE)

README = """\
Sightline content folder: {what}
=================================

This ZIP is a Sightline content folder exported from the site: one folder per course, each with
its course.md, its module files (Markdown) and its pictures, exactly as {state}. It holds
{folders}: the course "{folder}" and every course folder it needs to pass a check on its own
(for example one holding modules it shares).

To put it into git: unzip it over your copy of courses/ (replacing those course folders) and
commit. To check or import it on a server:

    flask --app app content check path/to/unzipped/folder
    flask --app app content import path/to/unzipped/folder

To import it in the browser: Authoring, "Import a folder (ZIP)", and upload this ZIP unchanged.
This README.txt is ignored by both.
"""


class ExportNotFound(LookupError):
    """No published course folder of that name."""


class ZipRefused(ValueError):
    """The upload is not a ZIP we will read; the message says why, in words for the trainer."""


# Export ---------------------------------------------------------------------------------------


def export_folders(folder: str, files: dict[str, bytes]) -> list[str]:
    """``folder`` and every course folder it needs, in turn, to pass ``content check`` alone."""
    known = {path.split("/", 1)[0] for path in files}
    module_folders = _module_folders(files)
    needed, queue = set(), [folder]
    while queue:
        current = queue.pop()
        if current in needed or current not in known:
            continue
        needed.add(current)
        for path, data in files.items():
            if not path.startswith(f"{current}/") or not path.endswith(".md"):
                continue
            text = data.decode("utf-8", errors="replace")
            queue.extend(name for name in _LINKED_FOLDER.findall(text) if name in known)
            if path == f"{current}/{COURSE_FILE}":
                queue.extend(module_folders[ident] for ident in _LIST_ITEM.findall(text)
                             if ident in module_folders)
    return sorted(needed)


def _module_folders(files: dict[str, bytes]) -> dict[str, str]:
    """Module id -> the course folder its file is in: the published modules, and for a file not
    yet published its id from the file name (as the checker gives it)."""
    from modules.content.module_file import module_id_from_filename

    out = {}
    for path in files:
        name = PurePosixPath(path)
        if len(name.parts) == 2 and name.suffix == ".md" and name.name != COURSE_FILE:
            out[module_id_from_filename(Path(name.name))] = name.parts[0]
    for module in db.session.scalars(select(Module).where(Module.current_version_id.is_not(None))):
        source_path = module.current_version.source_path
        if source_path in files:  # a module's own id can differ from its file name's
            out[module.slug] = source_path.split("/", 1)[0]
    return out


def export_zip(folder: str, *, with_drafts: bool = False) -> bytes:
    """The ZIP of ``folder`` and the folders it needs (see :func:`export_folders`).

    :raise ExportNotFound: if no published course has that folder.
    """
    exists = db.session.scalar(
        select(CourseVersion.id).join(Course, Course.current_version_id == CourseVersion.id)
        .where(CourseVersion.source_path == f"{folder}/{COURSE_FILE}")
    )
    if exists is None:
        raise ExportNotFound(folder)
    files = working_files(folder) if with_drafts else {
        path: published.data for path, published in published_files().items()
    }
    folders = export_folders(folder, files)
    chosen = sorted(path for path in files if path.split("/", 1)[0] in folders)
    readme = README.format(
        what=f"{folder}{' with unpublished drafts' if with_drafts else ''}",
        state=("on the site, WITH the unpublished drafts of " + folder + " (not what learners get)"
               if with_drafts else "published on the site (what learners get)"),
        folders=", ".join(folders), folder=folder,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _write(archive, "README.txt", readme.encode("utf-8"))
        for path in chosen:
            _write(archive, path, files[path])
    return buffer.getvalue()


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    archive.writestr(info, data)


# Reading an upload ----------------------------------------------------------------------------


@dataclass
class UploadedFolder:
    """The course folders of an uploaded ZIP, by path relative to the content folder."""

    files: dict[str, bytes]
    prefix: str = ""  # the folder the course folders were inside in the ZIP ("courses/")
    single_course: bool = False  # the ZIP held one course folder's files at its top

    @property
    def folders(self) -> list[str]:
        return sorted({path.split("/", 1)[0] for path in self.files})

    def shown(self, path: str) -> str:
        """A content-folder path as it is in the ZIP (or as on the site, if not uploaded)."""
        top, _, rest = path.partition("/")
        if top not in self.folders:
            return f"{path} (on the site)"
        return rest if self.single_course else f"{self.prefix}{path}"


def read_zip(data: bytes, file_name: str = "") -> UploadedFolder:
    """The course folders in ``data``, or :class:`ZipRefused` saying what is wrong with it.

    Sizes in the ZIP's headers are never trusted: reading stops at the limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ZipRefused("The file is not a ZIP file. Export the course again, or zip the content "
                         "folder and upload that.") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ZipRefused(f"The ZIP has {len(infos)} entries; the most it may have is {MAX_ENTRIES}.")
        names = _checked_names(infos)
        files: dict[str, bytes] = {}
        total = 0
        for info, name in names:
            if name is None:
                continue
            with archive.open(info) as member:
                chunks = []
                while chunk := member.read(64 * 1024):
                    total += len(chunk)
                    if total > MAX_TOTAL_BYTES:
                        raise ZipRefused(f"The ZIP's files come to more than {MAX_TOTAL_BYTES // (1024 * 1024)} "
                                         "MB unzipped, the most a folder may have.")
                    chunks.append(chunk)
            content = b"".join(chunks)
            if content.startswith(b"PK\x03\x04"):
                raise ZipRefused(f"{name} is a ZIP file inside the ZIP: unzip it and upload its "
                                 "folder instead.")
            files[name] = content
    return _layout(files, file_name)


def _checked_names(infos: list[zipfile.ZipInfo]) -> list[tuple[zipfile.ZipInfo, str | None]]:
    """Each entry with its name, refusing unsafe ones; None for entries that are skipped
    (folders, and the hidden files and ``__MACOSX`` folders some tools add)."""
    seen: dict[str, str] = {}
    out = []
    for info in infos:
        name = _utf8_name(info)
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
            raise ZipRefused(f"{name} is an absolute path: every file must be inside the ZIP's folder.")
        if "\\" in name:
            raise ZipRefused(f"{name} uses backslashes: zip the folder with a tool that writes "
                             "'/' between folder names.")
        parts = [part for part in name.split("/") if part]
        if ".." in parts:
            raise ZipRefused(f"{name} points outside the folder (it has '..' in it).")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ZipRefused(f"{name} is a symbolic link: put the file itself in the ZIP.")
        if info.flag_bits & 0x1:
            raise ZipRefused(f"{name} is encrypted: upload a ZIP without a password.")
        key = unicodedata.normalize("NFC", "/".join(parts)).casefold()
        if key in seen:
            raise ZipRefused(f"{name} is in the ZIP twice (as {seen[key]} too): each file may "
                             "appear once.")
        seen[key] = name
        if name.lower().endswith(".zip"):
            raise ZipRefused(f"{name} is a ZIP file inside the ZIP: unzip it and upload its folder instead.")
        skipped = info.is_dir() or any(part.startswith(".") or part == "__MACOSX" for part in parts)
        out.append((info, None if skipped else "/".join(parts)))
    return out


def _utf8_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:  # the ZIP says the name is UTF-8 (Python decoded it so)
        return info.filename
    raw = info.filename.encode("cp437")  # how zipfile decoded a name without the flag
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        shown = raw.decode("utf-8", errors="replace")
        raise ZipRefused(f"The name of {shown} is not UTF-8 text: rename the file with plain "
                         "letters and zip the folder again.") from None


def _layout(files: dict[str, bytes], file_name: str) -> UploadedFolder:
    if not files:
        raise ZipRefused("The ZIP has no files in it.")
    tops = {name.split("/", 1)[0] for name in files if "/" in name}
    loose = [name for name in files if "/" not in name and not name.lower().startswith("readme")]
    if COURSE_FILE in files:  # one course folder's files, zipped from inside the folder
        slug = Path(file_name).stem.lower()
        if not SLUG_RE.match(slug):
            raise ZipRefused("The ZIP has course.md at its top, so its name must be the course's "
                             f"folder name (like cse-level-1.zip), but {file_name or 'it'} is not: put "
                             "the course's files in a folder named after the course and zip that.")
        return _content_folder({f"{slug}/{name}": data for name, data in files.items()},
                               prefix="", single_course=True)
    prefix = ""
    if len(tops) == 1 and not loose:
        (top,) = tops
        inner = {name[len(top) + 1:] for name in files if "/" in name}
        if not any("/" not in name and name.endswith(".md") for name in inner):
            prefix = f"{top}/"  # a content folder such as courses/ zipped with its folder
            files = {name[len(prefix):]: data for name, data in files.items() if "/" in name}
    return _content_folder(files, prefix=prefix, single_course=False)


def _content_folder(files: dict[str, bytes], *, prefix: str, single_course: bool) -> UploadedFolder:
    kept = {}
    for name, data in files.items():
        if "/" not in name:
            if name.lower().startswith("readme"):
                continue
            raise ZipRefused(f"{prefix}{name} is not in a course folder: each course's files go in "
                             "a folder named after the course.")
        if not valid_path(name):
            raise ZipRefused(f"{prefix}{name} is nested too deeply: a course folder holds its "
                             "Markdown files and an images folder.")
        kept[name] = data
    if not kept:
        raise ZipRefused("The ZIP has no course folders in it.")
    return UploadedFolder(kept, prefix=prefix, single_course=single_course)


# Checking and publishing an upload ------------------------------------------------------------


@dataclass
class PlannedChange:
    what: str  # "module" or "course"
    slug: str
    old_number: int | None  # None: new
    shown_path: str


@dataclass
class UploadOutcome:
    """What the upload would do (or did): problems and changes by path as in the ZIP."""

    problems: list[tuple[str, Problem]] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    edits: list[tuple[str, BrowserEdit]] = field(default_factory=list)
    drafts: list[tuple[str, str, datetime]] = field(default_factory=list)  # path, who, when
    summary: ImportSummary | None = None

    @property
    def errors(self) -> list[tuple[str, Problem]]:
        return [(path, p) for path, p in self.problems if p.is_error]

    @property
    def published(self) -> bool:
        return self.summary is not None


def _planned(result: CheckResult, shown) -> list[PlannedChange]:
    changes = []
    for what, model, items in (("module", Module, result.modules), ("course", Course, result.courses)):
        for parsed in items:
            item = db.session.scalar(select(model).where(model.slug == parsed.slug))
            current = item.current_version if item is not None else None
            if current is None or current.content_hash != parsed.content_hash:
                changes.append(PlannedChange(what, parsed.slug, current.number if current else None,
                                             shown(parsed.path)))
    return changes


def check_upload(uploaded: UploadedFolder, *, publish: bool = False, actor=None, note: str = "",
                 overwrite_browser_edits: bool = False, discard_drafts: bool = False,
                 file_name: str = "") -> UploadOutcome:
    """Check the content folder with ``uploaded``'s course folders in place of the same-named
    ones; with ``publish``, import it (origin upload) if nothing stops it: no error, no browser
    edit it would replace (unless ``overwrite_browser_edits``), no drafts in its folders (unless
    ``discard_drafts``, which removes them). All or nothing; the caller commits."""
    folders = set(uploaded.folders)
    files = {path: f.data for path, f in published_files().items() if path.split("/", 1)[0] not in folders}
    files.update(uploaded.files)
    outcome = UploadOutcome(drafts=[
        (d.path, getattr(d.updated_by, "name", None) or "someone", d.updated_at)
        for d in drafts() if d.course_folder in folders
    ])
    with materialised(files) as root:
        result = check_folder(root)

        def shown(path) -> str:
            relative = Path(path).resolve().relative_to(root.resolve()) if Path(path).is_absolute() else Path(path)
            return uploaded.shown(relative.as_posix())

        outcome.problems = [(uploaded.shown(p.path.as_posix()), p) for p in relative_problems(result.problems, root)]
        if not result.ok:
            return outcome
        outcome.changes = _planned(result, shown)
        outcome.edits = [(shown(edit.path), edit) for edit in browser_edits(result)]
        blocked = (outcome.edits and not overwrite_browser_edits) or (outcome.drafts and not discard_drafts)
        if not publish or blocked:
            return outcome
        outcome.summary = import_result(result, actor=actor, note=note, origin=PublicationOrigin.upload)
    discarded = [path for path, _who, _when in outcome.drafts]
    if discarded:
        db.session.execute(delete(ContentDraft).where(ContentDraft.path.in_(discarded)))
    audit.record(
        "content.uploaded", actor=actor, file_name=file_name, folders=sorted(folders), note=note.strip(),
        replaced_browser_edits=[shown_path for shown_path, _edit in outcome.edits],
        drafts_discarded=discarded,
    )
    return outcome
