"""Problems found in content, reported as ``path:line:col: message`` (the compiler convention that
editors understand)."""
from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from pathlib import Path


class Severity(enum.Enum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file. Lines and columns count from 1."""

    path: Path
    line: int
    col: int
    message: str
    severity: Severity = Severity.error
    # Which check found it ("personal_data", "language", ...) and the exact words found, so a page
    # can offer to dismiss a personal-data finding; not part of a problem's identity.
    checker: str = field(default="", compare=False)
    subject: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.error

    def display_path(self) -> str:
        return display_path(self.path)

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.warning else ""
        return f"{self.display_path()}:{self.line}:{self.col}: {prefix}{self.message}"


def display_path(path: Path) -> str:
    """The path relative to the current directory when it is below it, else as given."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_absolute() and _below_cwd(path) else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _below_cwd(path: Path) -> bool:
    try:
        path.relative_to(Path.cwd())
    except ValueError:
        return False
    return True


class Problems:
    """Collects problems for one file, so that parsers need not pass the path around."""

    def __init__(self, path: Path, sink: list[Problem]):
        self.path = path
        self.sink = sink

    def error(self, line: int, col: int, message: str, *, checker: str = "", subject: str = "") -> None:
        self.sink.append(Problem(self.path, max(1, line), max(1, col), message, Severity.error,
                                 checker, subject))

    def warning(self, line: int, col: int, message: str, *, checker: str = "", subject: str = "") -> None:
        self.sink.append(Problem(self.path, max(1, line), max(1, col), message, Severity.warning,
                                 checker, subject))

