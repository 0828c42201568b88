"""The courses shipped in courses/ (written from docs/authoring.md) pass ``content check``."""
from __future__ import annotations

from pathlib import Path

from modules.content.checker import check_paths

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_courses_pass_check():
    result = check_paths([ROOT / "courses"], ROOT / "certificates")
    assert result.courses, "no courses found in courses/"
    assert [str(p) for p in result.errors] == []
