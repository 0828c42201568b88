"""Finding the course folders and module files under the paths given to ``content check/import``.

A path may be a content folder (like ``courses/``, whose sub-folders are courses), one course
folder (it holds ``course.md``), or a Markdown file (its course folder is used). ``README.md``
files are ignored everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from modules.content.problems import Problem

COURSE_FILE = "course.md"


@dataclass
class CourseFolder:
    path: Path
    course_file: Path | None
    module_files: list[Path] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.path.name


def _is_ignored(path: Path) -> bool:
    return path.name.lower() == "readme.md" or path.name.startswith((".", "_"))


def _markdown_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if p.is_file() and not _is_ignored(p))


def _has_markdown(folder: Path) -> bool:
    return bool(_markdown_files(folder))


def discover(paths: list[Path], problems: list[Problem]) -> tuple[list[CourseFolder], list[Path]]:
    """The course folders under ``paths`` and the content roots (folders pictures may come from)."""
    folders: dict[Path, CourseFolder] = {}
    roots: list[Path] = []

    def add(folder: Path) -> None:
        key = folder.resolve()
        if key in folders:
            return
        course_file = folder / COURSE_FILE
        folders[key] = CourseFolder(
            path=folder,
            course_file=course_file if course_file.is_file() else None,
            module_files=[p for p in _markdown_files(folder) if p.name != COURSE_FILE],
        )
        roots.append(folder.resolve().parent)

    for path in paths:
        if not path.exists():
            problems.append(Problem(path, 1, 1, "no such file or folder"))
        elif path.is_file():
            if path.suffix.lower() != ".md":
                problems.append(Problem(path, 1, 1, "not a Markdown (.md) file or a folder"))
            else:
                add(path.parent)
        elif (path / COURSE_FILE).is_file():
            add(path)
        else:
            subfolders = sorted(
                p for p in path.iterdir() if p.is_dir() and not _is_ignored(p) and _has_markdown(p)
            )
            loose = _markdown_files(path)
            if loose and not subfolders:
                add(path)  # a course folder that lacks its course.md
                continue
            for stray in loose:
                problems.append(Problem(stray, 1, 1, "this file is not in a course folder"))
            for folder in subfolders:
                add(folder)
            roots.append(path.resolve())
    return list(folders.values()), roots
