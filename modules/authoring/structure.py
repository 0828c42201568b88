"""New courses and modules from the starters, and a course's order of modules: all as drafts.

A starter (``starters/<kind>.md``) already follows the format and passes ``content check`` as it
is, so a trainer starts from something that works and replaces the guidance with their own words.
Every change goes through :func:`drafts.save_draft` with the revision it started from, so two
trainers changing one course.md are told rather than one silently losing the other's change.
Nothing here commits.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import select

from modules.authoring import course_text
from modules.authoring.drafts import current_revision, current_text, draft_for, save_draft
from modules.authoring.workspace import (
    COURSE_FILE,
    check_folder,
    materialised,
    relative_problems,
    working_files,
)
from modules.content.models import Course
from modules.content.settings import AGENCY_KINDS, CODE_RE, MAX_ID, MODULE_KINDS, SLUG_RE
from modules.core import audit
from modules.core.extensions import db

STARTERS = Path(__file__).resolve().parent / "starters"
KIND_LABELS = {
    "lesson": "Lesson",
    "case_study": "Case study",
    "quiz": "Quiz",
    "handbook": "Handbook",
}
_NUMBER_RE = re.compile(r"^(\d+)[-_]")


class StructureError(ValueError):
    """The change cannot be made; ``field`` names the form field it is about (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def suggest_slug(title: str) -> str:
    """A folder name or module id from a title: lower case words joined by hyphens."""
    # Apostrophes join their word ("it's" -> "its"), as the anchors of headings do.
    plain = unicodedata.normalize("NFKD", title.replace("'", "").replace("\u2019", ""))
    plain = plain.encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    return "-".join(words)[:60].strip("-")


def suggest_code(title: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", unicodedata.normalize("NFKD", title))
    code = ""
    for word in words[:3]:
        if len(code) + len(word) + 1 > 20:
            break
        code = f"{code}-{word.upper()}" if code else word.upper()
    return code


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def starter(kind: str, title: str) -> str:
    """The starter text of a module of ``kind`` titled ``title``."""
    if kind not in MODULE_KINDS:
        raise StructureError(f"choose one of: {', '.join(KIND_LABELS.values())}", "kind")
    return (STARTERS / f"{kind}.md").read_text(encoding="utf-8").replace("{{title}}", _quoted(title))


@dataclass
class NewCourse:
    title: str
    folder: str
    code: str
    level: int
    audience: list[str]  # empty: all
    refresher_months: int
    pass_mark: int
    cpd_minutes: int


def course_starter(course: NewCourse, first_module: str) -> str:
    audience = "all" if not course.audience or set(course.audience) == set(AGENCY_KINDS) else (
        "[" + ", ".join(course.audience) + "]")
    values = {
        "title": _quoted(course.title), "code": course.code, "level": str(course.level),
        "audience": audience, "cpd_minutes": str(course.cpd_minutes),
        "refresher_months": str(course.refresher_months), "pass_mark": str(course.pass_mark),
        "first_module": first_module,
    }
    text = (STARTERS / COURSE_FILE).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


@dataclass
class _Corpus:
    """What the working copy (every folder's drafts included) already uses."""

    folders: set[str]
    codes: dict[str, str]  # course code -> folder
    module_ids: dict[str, str]  # module id -> its file's path
    files: dict[str, bytes]


def _corpus() -> _Corpus:
    files = working_files(None, with_pictures=False)
    with materialised(files) as root:
        result = check_folder(root)
        resolved = root.resolve()
        module_ids = {m.slug: m.path.resolve().relative_to(resolved).as_posix() for m in result.modules}
        codes = {str(c.value("code")): c.slug for c in result.courses if c.value("code")}
    folders = {path.split("/", 1)[0] for path in files}
    for path in files:  # modules whose settings cannot be read still take their file name's id
        name = PurePosixPath(path).name
        if name.endswith(".md") and name != COURSE_FILE:
            module_ids.setdefault(_NUMBER_RE.sub("", name[:-3]), path)
    return _Corpus(folders, codes, module_ids, files)


def _check_id(ident: str, corpus: _Corpus, field: str = "module_id") -> None:
    if not ident or not SLUG_RE.match(ident) or len(ident) > MAX_ID:
        raise StructureError("Enter a module id of lower case letters, digits and hyphens, for example "
                             "signs-of-grooming", field)
    if ident in corpus.module_ids:
        raise StructureError(f"There is already a module with the id '{ident}' (in "
                             f"{corpus.module_ids[ident]}): module ids are unique across all courses",
                             field)


def create_course(course: NewCourse, *, first_module_title: str, actor) -> list[str]:
    """Drafts of a new course folder: its course.md and a first lesson. Returns their paths."""
    corpus = _corpus()
    if not SLUG_RE.match(course.folder) or len(course.folder) > MAX_ID:
        raise StructureError("Enter a course folder name of lower case letters, digits and hyphens, "
                             "for example cse-level-2", "folder")
    if course.folder in corpus.folders:
        raise StructureError(f"There is already a course in the folder '{course.folder}'", "folder")
    if not CODE_RE.match(course.code) or len(course.code) > MAX_ID:
        raise StructureError("Enter a code of capital letters, digits and hyphens, for example CSE-L2", "code")
    if course.code in corpus.codes:
        raise StructureError(f"The code {course.code} is already used by the course in "
                             f"'{corpus.codes[course.code]}'", "code")
    first_id = _free_id(f"{course.folder}-introduction", corpus)
    course_path = f"{course.folder}/{COURSE_FILE}"
    module_path = f"{course.folder}/01-{first_id}.md"
    texts = {course_path: course_starter(course, first_id), module_path: starter("lesson", first_module_title)}
    _must_pass(texts)
    for path, text in texts.items():
        save_draft(path, expected_revision=0, actor=actor, text=text)
    audit.record("content.course_created", actor=actor, folder=course.folder, code=course.code)
    return [course_path, module_path]


def _free_id(base: str, corpus: _Corpus) -> str:
    base = base[:MAX_ID - 4]
    if base not in corpus.module_ids:
        return base
    return next(f"{base}-{n}" for n in range(2, 1000) if f"{base}-{n}" not in corpus.module_ids)


def _must_pass(texts: dict[str, str]) -> None:
    """The new files, checked in the working copy, have no errors (the starters are meant not to)."""
    files = working_files(None, with_pictures=False)
    files.update((path, text.encode("utf-8")) for path, text in texts.items())
    with materialised(files) as root:
        problems = [p for p in relative_problems(check_folder(root).problems, root)
                    if p.is_error and p.path.as_posix() in texts]
    if problems:
        first = problems[0]
        raise StructureError(f"{first.path.as_posix()} line {first.line}: {first.message}")


def next_module_path(folder: str, ident: str, files: dict[str, bytes]) -> str:
    """``<folder>/<NN>-<id>.md``, NN one more than the highest number in the folder."""
    numbers = [int(m.group(1)) for path in files if path.startswith(f"{folder}/") and path.count("/") == 1
               for m in [_NUMBER_RE.match(PurePosixPath(path).name)] if m]
    return f"{folder}/{max(numbers, default=0) + 1:02d}-{ident}.md"


def create_module(folder: str, *, kind: str, title: str, ident: str, course_revision: int, actor) -> str:
    """A draft module from the starter of ``kind``, listed at the end of the course. Returns its path.

    :raise DraftConflict: if the course.md draft changed since ``course_revision``.
    """
    course_path = f"{folder}/{COURSE_FILE}"
    text = course_text_of(folder)
    corpus = _corpus()
    _check_id(ident, corpus)
    body = starter(kind, title)
    try:
        new_course = course_text.add_module(text, ident)
    except course_text.CourseTextError as exc:
        raise StructureError(str(exc)) from exc
    path = next_module_path(folder, ident, corpus.files)
    save_draft(course_path, expected_revision=course_revision, actor=actor, text=new_course)
    save_draft(path, expected_revision=current_revision(path), actor=actor, text=body)
    audit.record("content.module_created", actor=actor, path=path, kind=kind, module=ident)
    return path


def course_exists(folder: str) -> bool:
    """A course folder of the working copy (published, or a draft), found without reading texts."""
    draft = draft_for(f"{folder}/{COURSE_FILE}")
    if draft is not None:
        return not draft.removed
    return db.session.scalar(
        select(Course.id).where(Course.slug == folder, Course.current_version_id.is_not(None))
    ) is not None


def course_text_of(folder: str) -> str:
    text = current_text(f"{folder}/{COURSE_FILE}")
    if text is None:
        raise StructureError(f"There is no course in the folder '{folder}'")
    return text


def move_module(folder: str, ident: str, *, by: int, course_revision: int, actor) -> None:
    """``ident`` moved ``by`` places in the course's list (-1: up)."""
    try:
        new_text = course_text.move_module(course_text_of(folder), ident, by=by)
    except course_text.CourseTextError as exc:
        raise StructureError(str(exc)) from exc
    save_draft(f"{folder}/{COURSE_FILE}", expected_revision=course_revision, actor=actor, text=new_text)
    audit.record("content.module_moved", actor=actor, folder=folder, module=ident, by=by)


@dataclass
class Retirement:
    """What retiring a module from a course does."""

    folder: str
    module_id: str
    file_path: str | None  # the module's file, when it leaves the content folder too
    other_courses: list[str]  # folders of other courses that still list it
    course_revision: int
    file_revision: int


def plan_retirement(folder: str, ident: str) -> Retirement:
    text = course_text_of(folder)
    if ident not in course_text.module_ids(text):
        raise StructureError(f"The course does not list the module '{ident}'")
    corpus = _corpus()
    others = []
    for path, data in sorted(corpus.files.items()):
        other = path.split("/", 1)[0]
        if path == f"{other}/{COURSE_FILE}" and other != folder:
            try:
                if ident in course_text.module_ids(data.decode("utf-8")):
                    others.append(other)
            except (course_text.CourseTextError, UnicodeDecodeError):
                continue
    file_path = corpus.module_ids.get(ident)
    if others or not (file_path and file_path.startswith(f"{folder}/")):
        file_path = None
    return Retirement(folder, ident, file_path, others, current_revision(f"{folder}/{COURSE_FILE}"),
                      current_revision(file_path) if file_path else 0)


def retire_module(plan: Retirement, *, course_revision: int, file_revision: int, actor) -> None:
    """Take the module out of the course (and its file out of the folder when nothing else uses it).

    :raise DraftConflict: if the course.md or module draft changed since the page was shown.
    """
    try:
        new_text = course_text.remove_module(course_text_of(plan.folder), plan.module_id)
    except course_text.CourseTextError as exc:
        raise StructureError(str(exc)) from exc
    save_draft(f"{plan.folder}/{COURSE_FILE}", expected_revision=course_revision, actor=actor, text=new_text)
    if plan.file_path:
        save_draft(plan.file_path, expected_revision=file_revision, actor=actor, removed=True)
    audit.record("content.module_retired", actor=actor, folder=plan.folder, module=plan.module_id,
                 file_removed=bool(plan.file_path))
