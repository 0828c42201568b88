"""Editing a course.md's modules: list changes the list and not one other byte."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.authoring import course_text
from modules.authoring.course_text import CourseTextError
from modules.content.frontmatter import split_front_matter
from modules.content.problems import Problems

ROOT = Path(__file__).resolve().parents[2]

ids = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)
id_lists = st.lists(ids, min_size=1, max_size=7, unique=True)
comment = st.sampled_from(["", "  # why this order", " # 'quoted' #2"])
before_settings = st.sampled_from([
    "title: \"Case study: Nadia\"\ncode: CSE-X\n",
    "# a comment the trainer wrote\ntitle: 'Single: quoted'\n",
    "title: Plain\nsummary: >\n  Folded text\n  over lines\n",
])
after_settings = st.sampled_from(["", "pass_mark: 80\n", "audience: [police, health]  # kept\nlevel: 1\n"])
bodies = st.sampled_from(["", "A description.\n\n- a list in the body\n- [not, yaml]\n", "modules: not this\n"])


@st.composite
def course_files(draw):
    listed = draw(id_lists)
    style = draw(st.sampled_from(["block", "block0", "flow", "flow-multiline"]))
    if style.startswith("block"):
        indent = "" if style == "block0" else draw(st.sampled_from(["  ", "    "]))
        quoted = [f'"{i}"' if n % 2 else i for n, i in enumerate(listed)]
        items = "".join(f"{indent}- {i}{draw(comment)}\n" for i in quoted)
        modules = f"modules:{draw(comment)}\n{items}"
    elif style == "flow":
        modules = f"modules: [{', '.join(listed)}]{draw(comment)}\n"
    else:
        modules = "modules: [\n" + ",\n".join(f"  {i}" for i in listed) + "\n]\n"
    before, after, body = draw(before_settings), draw(after_settings), draw(bodies)
    text = f"---\n{before}{modules}{after}---\n{body}"
    return text, listed, before, after, body


def _settings(text):
    found = []
    front = split_front_matter(text, Problems(Path("course.md"), found))
    assert front is not None, found
    return front


def _unchanged_around(old, new, before, after, body):
    assert new.startswith(f"---\n{before}modules:")
    assert new.endswith(f"{after}---\n{body}")
    old_front, new_front = _settings(old), _settings(new)
    for key, setting in old_front.settings.items():
        if key != "modules":
            assert new_front.settings[key].value == setting.value
    assert new_front.body == old_front.body
    assert list(new_front.settings) == list(old_front.settings)


@settings(max_examples=150, deadline=None)
@given(course_files(), ids, st.one_of(st.none(), st.integers(-2, 9)))
def test_add_changes_only_the_list(course, new_id, position):
    text, listed, before, after, body = course
    if new_id in listed:
        with pytest.raises(CourseTextError, match="already lists"):
            course_text.add_module(text, new_id, position)
        return
    result = course_text.add_module(text, new_id, position)
    expected = list(listed)
    expected.insert(len(listed) if position is None else max(0, min(position, len(listed))), new_id)
    assert course_text.module_ids(result) == expected
    _unchanged_around(text, result, before, after, body)


@settings(max_examples=150, deadline=None)
@given(course_files(), st.data())
def test_remove_changes_only_the_list(course, data):
    text, listed, before, after, body = course
    gone = data.draw(st.sampled_from(listed))
    if len(listed) == 1:
        with pytest.raises(CourseTextError, match="only module"):
            course_text.remove_module(text, gone)
        return
    result = course_text.remove_module(text, gone)
    assert course_text.module_ids(result) == [i for i in listed if i != gone]
    _unchanged_around(text, result, before, after, body)


@settings(max_examples=150, deadline=None)
@given(course_files(), st.data(), st.integers(-3, 3), st.booleans())
def test_move_changes_only_the_order(course, data, steps, absolute):
    text, listed, before, after, body = course
    moving = data.draw(st.sampled_from(listed))
    here = listed.index(moving)
    target = max(0, min((steps + 2 if absolute else here + steps), len(listed) - 1))
    if absolute:
        result = course_text.move_module(text, moving, to=steps + 2)
    else:
        result = course_text.move_module(text, moving, by=steps)
    expected = list(listed)
    expected.insert(target, expected.pop(here))
    assert course_text.module_ids(result) == expected
    _unchanged_around(text, result, before, after, body)
    if target == here:
        assert result == text


def test_a_block_list_keeps_each_line_and_comment():
    text = "---\ntitle: T\nmodules:\n  - a  # first\n  - \"b\"\n  - c\n---\nBody\n"
    assert course_text.move_module(text, "c", by=-1) == (
        "---\ntitle: T\nmodules:\n  - a  # first\n  - c\n  - \"b\"\n---\nBody\n")
    assert course_text.add_module(text, "d", 0) == (
        "---\ntitle: T\nmodules:\n  - d\n  - a  # first\n  - \"b\"\n  - c\n---\nBody\n")


def test_a_flow_list_becomes_a_block_list():
    text = "---\nmodules: [a, b]  # why\ncode: X\n---\n"
    assert course_text.add_module(text, "c") == "---\nmodules:\n  - a\n  - b\n  - c  # why\ncode: X\n---\n"


def test_windows_line_endings_are_kept():
    text = "---\r\ntitle: T\r\nmodules:\r\n  - a\r\n---\r\nBody\r\n"
    assert course_text.add_module(text, "b") == "---\r\ntitle: T\r\nmodules:\r\n  - a\r\n  - b\r\n---\r\nBody\r\n"


def test_bundled_course_moves_one_line():
    text = (ROOT / "courses/cse-level-1/course.md").read_text()
    moved = course_text.move_module(text, "final-assessment", by=-1)
    assert moved.replace("  - final-assessment\n", "").replace("  - practice-handbook\n", "") == (
        text.replace("  - final-assessment\n", "").replace("  - practice-handbook\n", ""))
    assert course_text.module_ids(moved)[-2:] == ["final-assessment", "practice-handbook"]


@pytest.mark.parametrize(("text", "message"), [
    ("title: no front matter\n", "settings are corrected"),
    ("---\ntitle: T\n---\n", "no 'modules:' setting"),
    ("---\nmodules: one-id\n---\n", "must be a list"),
    ("---\nmodules:\n  - [a, b]\n---\n", "must be a list"),
])
def test_texts_that_cannot_be_changed_say_why(text, message):
    with pytest.raises(CourseTextError, match=message):
        course_text.add_module(text, "new")


def test_unknown_ids_are_refused():
    text = "---\nmodules:\n  - a\n  - b\n---\n"
    with pytest.raises(CourseTextError, match="does not list"):
        course_text.remove_module(text, "zzz")
    with pytest.raises(CourseTextError, match="does not list"):
        course_text.move_module(text, "zzz", by=1)
