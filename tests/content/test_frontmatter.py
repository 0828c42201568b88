"""Front matter: every key and value keeps its exact line and column."""
from __future__ import annotations

from pathlib import Path

from modules.content.frontmatter import split_front_matter
from modules.content.problems import Problems

TEXT = """---
title: A title
level:   2
modules:
  - first
  -   second
draw: {terms: 8, scenarios: 2}
---
Body line one.
"""


def test_positions_of_keys_and_values():
    sink = []
    front = split_front_matter(TEXT, Problems(Path("x.md"), sink))
    assert sink == []
    title = front.get("title")
    assert (title.key_line, title.key_col, title.line, title.col) == (2, 1, 2, 8)
    level = front.get("level")
    assert (level.line, level.col, level.value) == (3, 10, 2)
    modules = front.get("modules")
    assert [(n.start_mark.line + 2, n.start_mark.column + 1) for n in modules.node.value] == [(5, 5), (6, 7)]
    assert front.get("draw").value == {"terms": 8, "scenarios": 2}
    assert front.body_first_line == 9
    assert front.body == "Body line one.\n"


def test_scalars_keep_the_text_as_written():
    sink = []
    front = split_front_matter("---\ntitle: 1984\nsummary: yes\n---\n", Problems(Path("x.md"), sink))
    assert front.get("title").raw == "1984"
    assert front.get("summary").value is True and front.get("summary").raw == "yes"


def test_byte_order_mark_and_windows_line_endings(tmp_path):
    from modules.content.source import read_source

    path = tmp_path / "x.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nBody\r\n")
    sink = []
    source = read_source(path, Problems(path, sink))
    front = split_front_matter(source.text, Problems(path, sink))
    assert sink == [] and front.get("title").value == "T" and front.body == "Body\n"


def test_an_unquoted_value_cut_short_by_a_comment_is_warned_about():
    sink = []
    text = (
        "---\n"
        "title: Module #2\n"
        'summary: "Quoted #1" # a comment after a quoted value is what the author meant\n'
        "modules:\n"
        "  - first # shared\n"
        "link: https://example.org/page#part\n"
        "# a comment on its own line\n"
        "---\n"
    )
    front = split_front_matter(text, Problems(Path("x.md"), sink))
    assert front.get("title").value == "Module" and front.get("summary").value == "Quoted #1"
    assert front.get("link").value == "https://example.org/page#part"
    assert [(p.line, p.col, p.is_error, p.message.split(":")[0]) for p in sink] == [
        (2, 15, False, "'title' is read as 'Module'"),
        (5, 11, False, "'modules' is read as 'first'"),
    ]
