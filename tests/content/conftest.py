"""Fixtures for the content engine's tests: the seeded broken corpus, a good fixture corpus, and
helpers to write small courses on the fly."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"  # every validation rule broken on purpose
CORPUS_SECOND = HERE / "corpus-second"  # a second content folder (duplicate course folder and code)
GOOD = HERE / "fixtures" / "good"  # two courses sharing a quiz; every feature used correctly
CERTIFICATES = HERE / "certificates"  # a "formal" design, an "incomplete" one (no .css) and, on purpose, no "default"


@pytest.fixture
def good_courses(tmp_path) -> Path:
    """A private copy of the good fixture corpus that a test may edit."""
    target = tmp_path / "courses"
    shutil.copytree(GOOD, target)
    return target


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


COURSE_SETTINGS = """\
---
title: A course
code: {code}
level: 1
audience: all
cpd_minutes: 10
refresher_months: 12
pass_mark: 50
modules:
{modules}
---
A course.
"""


def write_course(root: Path, slug: str, modules: dict[str, str], code: str = "C-1") -> Path:
    """A course folder with ``course.md`` listing ``modules`` (file name -> file text) in order."""
    from modules.content.module_file import module_id_from_filename

    ids = "\n".join(f"  - {module_id_from_filename(Path(name))}" for name in modules)
    write(root, f"{slug}/course.md", COURSE_SETTINGS.format(code=code, modules=ids))
    for name, text in modules.items():
        write(root, f"{slug}/{name}", text)
    return root / slug


LESSON = """\
---
title: {title}
kind: lesson
minutes: 5
---
{body}
"""


def lesson(body: str = "Some text.", title: str = "A lesson") -> str:
    return LESSON.format(title=title, body=textwrap.dedent(body).strip("\n"))


@pytest.fixture
def in_content_tests(monkeypatch):
    """Run from tests/content so that problem paths print as corpus/..."""
    monkeypatch.chdir(HERE)
    return HERE
