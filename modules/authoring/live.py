"""Check as you type: the findings of the text in the editor, ready for the editor's script, and
the module as learners would get it (an unsaved ``ModuleVersion``, never added to the session)."""
from __future__ import annotations

from dataclasses import dataclass

from modules.authoring.preview import FilePreview, preview_file
from modules.content.importer import build_module_version
from modules.content.models import ModuleVersion
from modules.content.source import MAX_FILE_BYTES

# How modules.checks.quiz_quality's warnings begin (they are about a whole quiz, not a phrase).
QUIZ_QUALITY_OPENINGS = ("the right option is", "this \"tick all that apply\" question", "the good option is")


class TooLarge(Exception):
    """The text is larger than a content file may be."""


@dataclass
class LiveCheck:
    preview: FilePreview
    findings: list[dict]
    version: ModuleVersion | None  # None for course.md, or a module whose settings cannot be read

    @property
    def counts(self) -> dict[str, int]:
        errors = sum(1 for f in self.findings if f["severity"] == "error")
        return {"errors": errors, "warnings": len(self.findings) - errors}


def checker_of(message: str) -> str:
    """Which check found it, for the editor to group and label findings."""
    if "real personal details" in message:
        return "personal_data"
    if "can blame the child" in message:
        return "language"
    if message.startswith(QUIZ_QUALITY_OPENINGS):
        return "quiz_quality"
    return "format"


def _length(message: str, lines: list[str], line: int, col: int) -> int:
    """How many characters the finding covers, when its message quotes the text found there."""
    if not message.startswith("'") or not 1 <= line <= len(lines):
        return 0
    quoted = message[1:].split("' ", 1)[0]
    start = col - 1
    return len(quoted) if quoted and lines[line - 1][start:start + len(quoted)] == quoted else 0


def live_check(path: str, text: str) -> LiveCheck:
    """``text`` checked as file ``path`` of the working copy. Writes nothing.

    :raise TooLarge: when ``text`` is larger than a content file may be.
    """
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise TooLarge(f"The text is too large to check: a file may be at most {MAX_FILE_BYTES:,} bytes.")
    preview = preview_file(path, text)
    lines = text.split("\n")
    findings = [
        {
            "line": p.line,
            "col": p.col,
            "length": _length(p.message, lines, p.line, p.col),
            "severity": p.severity.value,
            "message": p.message,
            "checker": checker_of(p.message),
        }
        for p in preview.problems
    ]
    version = None
    if preview.module is not None:
        try:
            version = build_module_version(preview.module, module=None, number=0)
        except (KeyError, TypeError, ValueError):  # settings too broken to show; the findings say why
            version = None
    return LiveCheck(preview=preview, findings=findings, version=version)
