"""What a trainer sees of a course folder before opening a file: its title, whether and which
version is published, whether it has unpublished changes, and each file with its kind, title,
published version, draft and how many learners are on each version.

Titles and module lists come from the working text (the draft, else the published file), read
with the content engine's own parsers, so the pages show what the next publish would give. The
number of queries is fixed whatever the size of the course (tests/authoring counts them).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from modules.authoring.models import ContentDraft
from modules.authoring.workspace import COURSE_FILE, published_files
from modules.content.course_file import read_course
from modules.content.frontmatter import split_front_matter
from modules.content.models import Course, CourseVersion, Module, ModuleKind, ModuleVersion
from modules.content.module_file import read_module_header
from modules.content.problems import Problem, Problems
from modules.core.extensions import db
from modules.learning.models import ModuleProgress

NOT_PUBLISHED = "not yet published"


@dataclass
class FileState:
    """One file of a course folder as trainers are changing it."""

    path: str
    title: str
    kind: str = ""  # "Lesson", "Case study", "Course settings", "Picture", ...
    module_id: str | None = None
    position: int | None = None  # from 1, in the course's module order (None: not listed)
    published_number: int | None = None  # None: never published (a new file)
    draft: ContentDraft | None = None
    # A shared module listed by this course whose file is in another course folder.
    lives_in: str | None = None
    learners: list[tuple[int, int]] = field(default_factory=list)  # (version number, learners)

    @property
    def is_markdown(self) -> bool:
        return self.path.endswith(".md")

    @property
    def is_course_file(self) -> bool:
        return self.path.endswith(f"/{COURSE_FILE}")

    @property
    def draft_note(self) -> str:
        """"Draft saved by Sam Trainer at 14:05 on 2 December 2026", or "" with no draft."""
        if self.draft is None:
            return ""
        who = self.draft.updated_by.name if self.draft.updated_by else "someone"
        what = "Removal saved" if self.draft.removed else "Draft saved"
        return f"{what} by {who} at {self.draft.updated_at:%H:%M on %-d %B %Y} (UTC)"


@dataclass
class CourseOverview:
    folder: str
    course: Course | None
    title: str
    published_number: int | None
    files: list[FileState] = field(default_factory=list)

    @property
    def drafts(self) -> list[ContentDraft]:
        return [f.draft for f in self.files if f.draft is not None and not f.lives_in]

    @property
    def has_drafts(self) -> bool:
        return bool(self.drafts)

    @property
    def state(self) -> str:
        """"Version 3 published" / "not yet published", and "has unpublished changes"."""
        base = f"Version {self.published_number} published" if self.published_number else \
            NOT_PUBLISHED.capitalize()
        return f"{base}; has unpublished changes" if self.has_drafts else base

    @property
    def modules(self) -> list[FileState]:
        return [f for f in self.files if f.position is not None]

    def file(self, path: str) -> FileState | None:
        return next((f for f in self.files if f.path == path), None)


@dataclass
class _Header:
    title: str = ""
    kind: str | None = None
    module_id: str | None = None
    modules: list[str] = field(default_factory=list)


KIND_LABELS = {kind.name: kind.label for kind in ModuleKind}


def _read_header(path: str, text: str) -> _Header:
    """The title, kind and id (or, for course.md, the module list) of a working text; whatever
    cannot be read is left empty (the editor shows why)."""
    sink: list[Problem] = []
    problems = Problems(Path(path), sink)
    front = split_front_matter(text, problems)
    if front is None:
        return _Header()
    if PurePosixPath(path).name == COURSE_FILE:
        course = read_course(Path(path), path.split("/", 1)[0], text, front, Problems(Path(path), sink))
        title = course.value("title", "")
        return _Header(title=title if isinstance(title, str) else "", modules=course.module_ids)
    header = read_module_header(Path(path), text, front, problems)
    title = header.settings.values.get("title", "")
    return _Header(title=title if isinstance(title, str) else "", kind=header.kind, module_id=header.slug)


def _working_texts() -> tuple[dict[str, str | None], dict[str, ContentDraft]]:
    """path -> working text (None for a picture) of every file, and the drafts by path."""
    texts: dict[str, str | None] = {
        path: published.data.decode("utf-8")
        for path, published in published_files(with_pictures=False).items()
    }
    drafts = {
        d.path: d for d in db.session.scalars(
            select(ContentDraft).options(joinedload(ContentDraft.updated_by)).order_by(ContentDraft.path)
        )
    }
    for path, draft in drafts.items():
        if draft.removed:
            texts.pop(path, None)
        else:
            texts[path] = draft.text
    return texts, drafts


def _published(model) -> dict[str, tuple[str, int]]:
    """path -> (id, current version number) of every published module (or course), by the file
    it was published from: a draft whose settings cannot be read is still that module."""
    version = ModuleVersion if model is Module else CourseVersion
    rows = db.session.execute(
        select(version.source_path, model.slug, version.number)
        .join(version, version.id == model.current_version_id)
    ).tuples()
    return {path: (slug, number) for path, slug, number in rows}


def _learners(slugs: set[str]) -> dict[str, list[tuple[int, int]]]:
    """module id -> [(version number, learners with a run of that version)], newest first."""
    if not slugs:
        return {}
    rows = db.session.execute(
        select(Module.slug, ModuleVersion.number, func.count(func.distinct(ModuleProgress.user_id)))
        .join(ModuleVersion, ModuleVersion.id == ModuleProgress.module_version_id)
        .join(Module, Module.id == ModuleVersion.module_id)
        .where(Module.slug.in_(slugs))
        .group_by(Module.slug, ModuleVersion.number)
        .order_by(Module.slug, ModuleVersion.number.desc())
    ).tuples()
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for slug, number, count in rows:
        out[slug].append((number, count))
    return out


def _folder_of(path: str) -> str:
    return path.split("/", 1)[0]


def _overviews(folders: set[str] | None) -> list[CourseOverview]:
    texts, drafts = _working_texts()
    headers = {path: _read_header(path, text) for path, text in texts.items()
               if text is not None and path.endswith(".md")}
    # A module id names one file anywhere in the content folder (shared modules live in one course).
    module_paths = {h.module_id: path for path, h in headers.items() if h.module_id}
    wanted = sorted(folders if folders is not None else {_folder_of(p) for p in texts} | {_folder_of(p) for p in drafts})
    listed = {folder: headers.get(f"{folder}/{COURSE_FILE}", _Header()).modules for folder in wanted}
    published_modules = _published(Module)
    published_courses = {slug: number for slug, number in _published(Course).values()}
    slugs = {h.module_id for h in headers.values() if h.module_id} | {i for ids in listed.values() for i in ids}
    courses = {c.slug: c for c in db.session.scalars(select(Course).where(Course.slug.in_(wanted)))} \
        if wanted else {}
    learners = _learners(slugs | {slug for slug, _n in published_modules.values()})

    def state(path: str, position: int | None = None, lives_in: str | None = None) -> FileState:
        header = headers.get(path, _Header())
        is_course = path.endswith(f"/{COURSE_FILE}")
        published_id, published_number = published_modules.get(path, (None, None))
        if is_course:
            published_number = published_courses.get(_folder_of(path))
        module_id = header.module_id or published_id
        kind = "Course settings" if is_course else \
            KIND_LABELS.get(header.kind or "", "Module" if path.endswith(".md") else "Picture")
        return FileState(
            path=path, title=header.title or PurePosixPath(path).name, kind=kind,
            module_id=module_id, position=position, published_number=published_number,
            draft=drafts.get(path), lives_in=lives_in, learners=learners.get(module_id or "", []),
        )

    overviews = []
    for folder in wanted:
        course_path = f"{folder}/{COURSE_FILE}"
        files = [state(course_path)] if course_path in texts else []
        seen = {course_path}
        for position, ident in enumerate(listed[folder], start=1):
            path = module_paths.get(ident)
            if path is None:  # listed but no such module: the checker says so in course.md
                files.append(FileState(path="", title=ident, kind="Missing module", module_id=ident,
                                       position=position))
                continue
            seen.add(path)
            files.append(state(path, position, None if _folder_of(path) == folder else _folder_of(path)))
        in_folder = sorted(p for p in set(texts) | set(drafts) if _folder_of(p) == folder and p not in seen)
        files.extend(state(p) for p in in_folder)
        course = courses.get(folder)
        overviews.append(CourseOverview(
            folder=folder, course=course,
            title=headers.get(course_path, _Header()).title or folder,
            published_number=published_courses.get(folder), files=files,
        ))
    return overviews


def course_overview(folder: str) -> CourseOverview | None:
    """The overview of course folder ``folder``, or None when it has no file at all."""
    overview = _overviews({folder})[0]
    return overview if overview.files else None


def all_overviews() -> list[CourseOverview]:
    """Every course folder of the working copy (published or only drafted), by folder name."""
    return [o for o in _overviews(None) if o.files]
