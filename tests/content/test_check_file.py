"""``check_file`` (one file checked, for the editor's check as you type) reports exactly what
``check_paths`` of the whole folder reports for that file, on every file of the seeded broken
corpus, the good fixtures and the bundled courses."""
from __future__ import annotations

from pathlib import Path

import pytest

from modules.content.checker import check_file, check_paths
from tests.content.conftest import CERTIFICATES, CORPUS, CORPUS_SECOND, GOOD, write_course

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {
    "corpus": ([CORPUS, CORPUS_SECOND], CERTIFICATES),
    "good": ([GOOD], CERTIFICATES),
    "bundled": ([ROOT / "courses"], ROOT / "certificates"),
}


def _markdown(paths: list[Path]) -> list[Path]:
    return sorted(p for root in paths for p in root.rglob("*.md") if p.name.lower() != "readme.md")


def _as_tuples(problems) -> list[tuple]:
    return [(Path(p.path).resolve(), p.line, p.col, p.severity, p.message) for p in problems]


@pytest.mark.parametrize("name", FOLDERS)
def test_one_file_has_the_problems_the_whole_check_gives_it(name):
    paths, certificates = FOLDERS[name]
    whole = _as_tuples(check_paths(paths, certificates).problems)
    files = _markdown(paths)
    assert len(files) >= 5
    with_problems = 0
    for path in files:
        one = check_file(paths, path, certificates)
        expected = [t for t in whole if t[0] == path.resolve()]
        assert _as_tuples(one.problems) == expected, path
        with_problems += bool(expected)
        if path.name == "course.md" and not any(t[3].name == "error" for t in expected):
            assert [c.path.resolve() for c in one.courses] == [path.resolve()]
    if name == "corpus":
        assert with_problems >= 10


def test_links_to_another_modules_headings_are_checked(tmp_path):
    root = tmp_path / "courses"
    write_course(root, "c", {"a.md": """
        ---
        title: A
        kind: lesson
        minutes: 5
        summary: A lesson.
        ---
        ## First {#first}

        See [the second](b.md#second), [nowhere](b.md#nowhere) and [no file](zz.md).
        """, "b.md": """
        ---
        title: B
        kind: lesson
        minutes: 5
        summary: Another lesson.
        ---
        ## Second {#second}

        Text.
        """})
    whole = check_paths([root])
    one = check_file([root], root / "c/a.md")
    messages = [p.message for p in one.problems]
    assert any("#nowhere" in m for m in messages)
    assert any("zz.md" in m for m in messages)
    assert not any("#second" in m for m in messages)
    assert _as_tuples(one.problems) == [t for t in _as_tuples(whole.problems) if t[0] == (root / "c/a.md").resolve()]
    assert [m.slug for m in one.modules] == ["a"]
