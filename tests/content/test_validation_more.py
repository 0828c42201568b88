"""Validation rules that need files made on the fly (too large, unreadable), the path arguments,
and the promise that a bug in a parser becomes a problem rather than a crash."""
from __future__ import annotations

from pathlib import Path

import pytest

from modules.content import checker
from modules.content.checker import check_paths
from modules.content.source import MAX_FILE_BYTES
from tests.content.conftest import CERTIFICATES, GOOD, lesson, write, write_course


def messages(result):
    return [(p.path.name, p.line, p.col, p.message) for p in result.problems]


def test_the_good_fixture_corpus_has_no_problems():
    result = check_paths([GOOD], CERTIFICATES)
    assert result.problems == []
    assert result.files == 8
    assert sorted(m.slug for m in result.modules) == [
        "driver-lesson", "final-check", "handbook-basics", "intro-lesson", "shared-quiz", "story",
    ]


def test_default_certificate_is_valid_even_without_a_default_folder(tmp_path):
    assert not (CERTIFICATES / "default").exists()
    result = check_paths([GOOD / "awareness"], CERTIFICATES)
    assert result.errors == []
    assert result.courses[0].design == "default"


def test_a_certificate_design_folder_that_exists_is_accepted(tmp_path):
    root = tmp_path / "courses"
    write_course(root, "one", {"01-a.md": lesson()})
    course = root / "one" / "course.md"
    course.write_text(course.read_text().replace("pass_mark: 50", "pass_mark: 50\ncertificate: formal"))
    assert check_paths([root], CERTIFICATES).errors == []
    result = check_paths([root], tmp_path / "no-certificates")
    assert messages(result) == [
        ("course.md", 9, 14, "unknown certificate design 'formal': there is no folder certificates/formal/")
    ]


def test_a_file_that_is_too_large(tmp_path):
    root = tmp_path / "courses"
    write_course(root, "one", {"01-a.md": lesson("x" * (MAX_FILE_BYTES + 1))})
    size = (root / "one" / "01-a.md").stat().st_size
    assert messages(check_paths([root])) == [
        ("01-a.md", 1, 1, f"file is too large ({size:,} bytes; at most {MAX_FILE_BYTES:,})"),
    ]


def test_a_picture_that_is_too_large(tmp_path):
    root = tmp_path / "courses"
    write_course(root, "one", {"01-a.md": lesson("![A big picture](images/big.png)")})
    (root / "one" / "images").mkdir()
    (root / "one" / "images" / "big.png").write_bytes(b"\x89PNG" + b"0" * (6 * 1024 * 1024))
    assert messages(check_paths([root])) == [
        ("01-a.md", 6, 1, "picture is too large (6.0 MB; at most 5 MB): 'images/big.png'"),
    ]


def test_a_file_that_cannot_be_read(tmp_path, monkeypatch):
    root = tmp_path / "courses"
    write_course(root, "one", {"01-a.md": lesson()})
    real = Path.read_bytes

    def refuse(self):
        if self.name == "01-a.md":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert messages(check_paths([root])) == [("01-a.md", 1, 1, "cannot read this file (Permission denied)")]


def test_a_bug_in_a_parser_is_reported_on_the_file_not_raised(tmp_path, monkeypatch):
    root = tmp_path / "courses"
    write_course(root, "one", {"01-a.md": lesson()})

    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(checker, "parse_module_body", broken)
    result = check_paths([root])
    assert messages(result) == [(
        "01-a.md", 1, 1,
        "internal error while reading this file (ZeroDivisionError: oops); please report it to the "
        "Sightline developers",
    )]
    assert not result.ok


@pytest.mark.parametrize("given", ["root", "course folder", "module file"])
def test_paths_may_be_a_content_folder_a_course_folder_or_a_file(tmp_path, given):
    root = tmp_path / "courses"
    write_course(root, "one", {"01-a.md": lesson()})
    write(root, "README.md", "Not a course.")
    write(root, "one/README.md", "Notes for trainers: not a module.")
    path = {"root": root, "course folder": root / "one", "module file": root / "one" / "01-a.md"}[given]
    result = check_paths([path, path])  # the same folder twice counts once
    assert result.problems == []
    assert [c.slug for c in result.courses] == ["one"]
    assert [m.slug for m in result.modules] == ["a"]


def test_module_ids_come_from_file_names_or_the_id_setting(tmp_path):
    root = tmp_path / "courses"
    write_course(root, "one", {"03-language-matters.md": lesson(), "custom.md": lesson()})
    course = root / "one" / "course.md"
    course.write_text(course.read_text().replace("  - custom", "  - my-own-id"))
    custom = root / "one" / "custom.md"
    custom.write_text(custom.read_text().replace("minutes: 5", "minutes: 5\nid: my-own-id"))
    result = check_paths([root])
    assert result.problems == []
    assert [m.slug for m in result.modules] == ["language-matters", "my-own-id"]


def test_course_summary_defaults_to_the_first_paragraph(tmp_path):
    result = check_paths([GOOD])
    awareness = next(c for c in result.courses if c.slug == "awareness")
    assert awareness.summary == "This fixture course exists only for the content engine's tests."


def test_well_formed_boxes_and_footnotes_are_not_reported(tmp_path):
    root = tmp_path / "courses"
    body = (
        '!!! note "Tab-indented text"\n'
        "\tA tab counts as four spaces.\n"
        "\n"
        "!!! warning\n"
        "## A heading straight after a box with no text\n"
        "\n"
        '!!! tip ""\n'
        "    Text.\n"
        "\n"
        '    !!! note "Nested"\n'
        "        Eight spaces inside a box.\n"
        "\n"
        "A paragraph after a blank line is not box text.\n"
        "\n"
        r"Code `[^x]` and an escaped \[^y] are not footnotes; a real one is[^z]." "\n"
        "\n"
        "[^z]: The note.\n"
    )
    write_course(root, "one", {"01-a.md": lesson(body)})
    assert messages(check_paths([root])) == []


def test_a_box_title_in_curly_quotes_is_shown_with_straight_ones(tmp_path):
    root = tmp_path / "courses"
    write_course(root, "one", {"01-a.md": lesson("!!! tip “Remember”\n    Text.")})
    assert messages(check_paths([root])) == [(
        "01-a.md", 6, 1,
        'this is not a box, so it shows as ordinary text: write !!! tip "Remember" (a title goes in double quotes)',
    )]
