"""Whatever text a GIFT file holds, reading it never fails (problems are reported instead), and
what is converted always passes the content check, with every question accounted for."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modules.content.gift.convert import convert
from modules.content.gift.parse import parse, parse_bytes
from tests.content.gift.helpers import checked

# Pieces of GIFT syntax, so that random files are close to real ones as well as broken ones.
_PIECES = st.sampled_from([
    "{", "}", "~", "=", "#", "####", "::", "->", "%50%", "%-100%", "%150%", "\\", "\\~", "\\{",
    "\\n", ":", "//", "\n", "\n\n", "\r\n", "$CATEGORY: a/b\n", "[html]", "[markdown]", "[plain]",
    "<p>", "</p>", "<b>", "<script>", "T", "FALSE", " ", "Which", "answer", "*", "_", "[x]", "- ",
    "1. ", "> ", "!!! ", "`", "<", "&amp;", "[^1]", "é", "\ue001",
])
_GIFTISH = st.lists(_PIECES, max_size=60).map("".join)

# Well-formed questions whose text is full of awkward characters (escaped where GIFT needs it).
_WORDS = st.lists(st.sampled_from([
    "Which", "adults", "grooming", "*x*", "_y_", "<b>", "</b>", "\\~", "\\{", "\\}", "\\=",
    "\\#", "\\:", "\\\\", "[1]", "1.", "-", ">", "&amp;", "é", "`c`", "!!!", "\\n", "[^1]",
    "https://example.org", "<script>", "|", "+", "[x]", "Source:", "&lt;",
]), min_size=1, max_size=8).map(" ".join)
_ANSWER = st.tuples(st.sampled_from(["=", "~", "~%50%", "~%-100%", "~%100%"]), _WORDS,
                    st.one_of(st.just(""), _WORDS.map(lambda w: "#" + w)))
_QUESTION = st.tuples(
    st.one_of(st.just(""), _WORDS.map(lambda w: f"::{w}::")),
    st.sampled_from(["", "[html]", "[markdown]", "[plain]", "[moodle]"]),
    _WORDS,
    st.one_of(st.lists(_ANSWER, min_size=2, max_size=5).map(
        lambda answers: " ".join(f"{marker}{text}{feedback}" for marker, text, feedback in answers)),
        st.sampled_from(["T", "F", "TRUE#no#yes", "=a =b", "#1..2", "", "=a -> b =c -> d"])),
    st.one_of(st.just(""), _WORDS.map(lambda w: "####" + w)),
).map(lambda q: f"{q[0]}{q[1]}{q[2]} {{{q[3]}{q[4]}}}")
_QUESTIONS = st.lists(_QUESTION, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), _GIFTISH))
def test_reading_any_text_never_fails(text):
    result = parse(text)
    assert all(problem.line >= 1 for problem in result.problems)
    assert all(question.line >= 1 for question in result.questions)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_reading_any_bytes_never_fails(data):
    parse_bytes(data)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_QUESTIONS, _GIFTISH))
def test_what_is_converted_passes_the_check_and_nothing_is_dropped_silently(text):
    gift = parse(text)
    conversion = convert(gift, title="Random", module_id="random-quiz")
    questions = [q for q in gift.questions if q.kind != "description"]
    left_out = [line for line in conversion.left_out if line.title != "front page"]
    assert conversion.converted + len(left_out) == len(questions) + sum(p.left_out for p in gift.problems)
    if conversion.converted:
        with tempfile.TemporaryDirectory() as root:
            assert len(checked(conversion.markdown, Path(root)).questions) == conversion.converted
