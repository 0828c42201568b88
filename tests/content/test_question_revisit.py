"""The ``revisit=`` question setting: the module (and heading) a learner who misses the question
is sent back to. It is a link to a module file, checked and stored like one."""
from __future__ import annotations

from pathlib import Path

from modules.content.checker import check_paths
from tests.content.conftest import lesson, write_course

QUIZ = """\
---
title: A quiz
kind: quiz
minutes: 5
---
## Which is right? {{type=single {setting}}}

- [x] This one, which is right.

    Yes.

- [ ] That one, which is wrong.

    No.
"""


def _course(tmp_path: Path, setting: str):
    root = tmp_path / "courses"
    write_course(root, "one", {
        "01-signs.md": lesson("## Missing episodes {#missing}\n\nText about missing episodes.", title="Signs"),
        "02-quiz.md": QUIZ.format(setting=setting),
    })
    return check_paths([root])


def _messages(result):
    return [(p.path.name, p.line, p.message) for p in result.problems]


def test_revisit_names_a_module_and_heading_and_is_stored_with_the_question(tmp_path):
    result = _course(tmp_path, "revisit=01-signs.md#missing")
    assert result.errors == []
    quiz = next(m for m in result.modules if m.slug == "quiz")
    assert quiz.questions[0].data["revisit"] == {"module": "signs", "anchor": "missing"}


def test_revisit_without_an_anchor_names_the_module(tmp_path):
    result = _course(tmp_path, "revisit=01-signs.md")
    assert result.errors == []
    quiz = next(m for m in result.modules if m.slug == "quiz")
    assert quiz.questions[0].data["revisit"] == {"module": "signs", "anchor": ""}


def test_a_question_without_revisit_stores_none(tmp_path):
    result = _course(tmp_path, "pool=terms")
    quiz = next(m for m in result.modules if m.slug == "quiz")
    assert "revisit" not in quiz.questions[0].data


def test_revisit_to_a_missing_module_or_heading_is_a_broken_link(tmp_path):
    missing_module = _messages(_course(tmp_path / "a", "revisit=09-gone.md"))
    assert ("02-quiz.md", 6, "broken link: there is no module at '09-gone.md'") in missing_module
    missing_heading = _messages(_course(tmp_path / "b", "revisit=01-signs.md#nowhere"))
    assert ("02-quiz.md", 6, "broken link: '01-signs.md' has no heading with the anchor #nowhere") in missing_heading


def test_revisit_must_be_a_module_file(tmp_path):
    for target in ("https://example.org/page", "#missing", "notes.txt"):
        problems = _messages(_course(tmp_path / target.replace("/", "_").replace(":", ""), f"revisit={target}"))
        assert any(line == 6 and f"revisit='{target}' must name a module file" in message
                   for _, line, message in problems), problems


def test_the_bundled_assessments_name_a_module_for_every_question():
    root = Path(__file__).resolve().parents[2] / "courses"
    result = check_paths([root])
    assert result.errors == []
    for slug in ("final-assessment", "driver-assessment"):
        quiz = next(m for m in result.modules if m.slug == slug)
        assert quiz.questions and all(q.data.get("revisit", {}).get("module") for q in quiz.questions), slug
