"""Checking one file of the working copy while it is being written: its problems (format errors,
personal data, language, quiz quality) with line and column, and the module as it would be
published, rendered by the same pipeline as ``content import``.

:func:`preview_file` must report exactly what ``content check`` of the whole working copy reports
for that file (tests/authoring compares the two).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from modules.authoring.workspace import (
    certificates_dir,
    materialised,
    relative_problems,
    working_files,
)
from modules.content.checker import check_file
from modules.content.course_file import ParsedCourse
from modules.content.module_file import ParsedModule
from modules.content.problems import Problem


@dataclass
class FilePreview:
    path: str
    problems: list[Problem] = field(default_factory=list)  # this file's, paths relative
    module: ParsedModule | None = None  # None for course.md, or when the settings cannot be read
    course: ParsedCourse | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def folder_of(path: str) -> str:
    return path.split("/", 1)[0]


def preview_file(path: str, text: str) -> FilePreview:
    """``text`` checked as file ``path`` of the working copy (its folder's drafts included).

    Only this file is rendered and checked (``check_file``); the other files are read for their
    settings, and parsed only when this one links to their headings, so a refresh while typing
    stays fast. Pictures are not needed unless this file shows them, but they are cheap to write.
    """
    files = working_files(folder_of(path), overrides={path: text})
    with materialised(files) as root:
        target = root / path
        result = check_file([root], target, certificates_dir())
        resolved = target.resolve()
        preview = FilePreview(
            path=path,
            problems=relative_problems(result.problems, root),
            module=next((m for m in result.modules if m.path.resolve() == resolved), None),
            course=next((c for c in result.courses if c.path.resolve() == resolved), None),
        )
    return preview
