"""Reading the GIFT fixture files and checking what they convert to, as ``content check`` would."""
from __future__ import annotations

from pathlib import Path

from modules.content.checker import check_paths
from modules.content.gift.convert import Conversion, convert
from modules.content.gift.parse import GiftFile, parse_bytes
from tests.content.conftest import write_course

FILES = Path(__file__).resolve().parent / "files"


def gift(name: str) -> GiftFile:
    return parse_bytes((FILES / name).read_bytes())


def converted(name: str, title: str = "Imported quiz") -> Conversion:
    return convert(gift(name), title=title, module_id="imported-quiz")


def checked(markdown: str, root: Path):
    """The check result of ``markdown`` as a module of a course of its own; it must have no error."""
    folder = write_course(root, "gift-course", {"01-imported-quiz.md": markdown}, code="GIFT-1")
    result = check_paths([folder])
    assert result.ok, [str(problem) for problem in result.errors]
    (module,) = result.modules
    return module


def report_of(conversion: Conversion) -> list[str]:
    return [str(line) for line in conversion.report]
