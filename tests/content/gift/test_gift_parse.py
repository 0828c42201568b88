"""Reading GIFT as Moodle's GIFT documentation describes it: each question type, its awkward
syntax, and line numbers."""
from __future__ import annotations

import pytest

from modules.content.gift.parse import BLANK, decode, parse
from tests.content.gift.helpers import gift


def kinds(name: str) -> list[tuple[int, str, str | None]]:
    return [(q.line, q.kind, q.name) for q in gift(name).questions]


def test_each_question_type_is_told_apart_as_moodle_does():
    questions = parse(
        "Q1 {~a =b}\n\nQ2 {~%50%a ~%50%b ~c}\n\nQ3 {T}\n\nQ4 {=answer}\n\nQ5 {#3:1}\n\n"
        "Q6 {=a -> b =c -> d}\n\nQ7 {}\n\nQ8 with no braces\n").questions
    assert [q.kind for q in questions] == [
        "multichoice", "multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay",
        "description"]
    assert [q.line for q in questions] == [1, 3, 5, 7, 9, 11, 13, 15]


def test_multiple_choice_answers_feedback_and_general_feedback():
    first, second, blank, end, multiline = gift("multiple_choice.gift").questions
    assert first.name == "Age of a child"
    assert [(a.text.text, a.weight, a.feedback.text) for a in first.answers] == [
        ("16", 0.0, "No: 16 and 17 year olds are still children."),
        ("18", 1.0, "Yes: anyone under 18 is a child."),
        ("21", 0.0, "No: 21 is older than the law says."),
    ]
    assert first.general_feedback.text.startswith("The Children Act 1989 defines")
    assert [a.line for a in first.answers] == [5, 6, 7]
    assert second.text.text == "A young person tells you something worrying. Who do you tell first?"
    assert blank.missing_word and blank.text.text == f"Exploitation can happen {BLANK} and in any community."
    # Answers at the very end are not a missing word (Moodle puts no blank there).
    assert not end.missing_word
    assert multiline.text.text == "What is\na question that spans\nseveral lines?"
    assert multiline.answers[0].text.text == "an answer\nthat also spans lines"
    assert multiline.answers[0].feedback.text == "and feedback\nover two lines"
    assert multiline.line == 22 and multiline.answers[1].line == 28


def test_weights_including_negative_and_decimal():
    signs, decimals, single, partial = gift("multiple_answer.gift").questions
    assert [a.weight for a in signs.answers] == [0.5, 0.5, -1.0, -1.0]
    assert [round(a.weight, 4) for a in decimals.answers] == [0.3333, 0.3333, 0.3333, -0.5, -0.5]
    assert [a.weight for a in single.answers] == [1.0, 0.5, 0.0]
    assert [(a.marker, a.weight) for a in partial.answers] == [("=", 1.0), ("~", 0.25), ("~", 0.0)]


def test_true_false_with_wrong_and_right_feedback():
    questions = gift("true_false.gift").questions
    assert [q.truth for q in questions] == [False, True, True, False, True]
    long_true = questions[2]
    assert long_true.wrong_feedback.text == "No: it can happen online."
    assert long_true.right_feedback.text == "Yes: much of it starts online."
    assert questions[3].general_feedback.text == "Most exploitation is by people the child trusts."
    assert questions[0].wrong_feedback is None


def test_the_other_types():
    assert kinds("short_answer.gift") == [(3, "shortanswer", "Acronym"), (5, "shortanswer", "Weighted short"),
                                          (7, "shortanswer", None)]
    assert kinds("numerical.gift") == [(3, "numerical", "Tolerance"), (5, "numerical", "Range"),
                                       (7, "numerical", "Weighted numbers")]
    assert kinds("matching.gift") == [(3, "matching", "Agencies")]
    assert kinds("essay_description.gift") == [(3, "description", None), (5, "essay", "Describe"),
                                               (7, "essay", "Essay with feedback")]


def test_every_escape():
    tilde, braces, backslash, newline, equals = gift("escapes.gift").questions
    assert tilde.name == "Escaped : title"
    assert tilde.text.text == "Which of these is written with a tilde: ~ ?"
    assert [a.text.text for a in tilde.answers] == ["The character ~ (tilde)", "The character = (equals)",
                                                    "The character # (hash)"]
    assert tilde.answers[0].feedback.text == "Yes: ~ is a tilde."
    assert braces.text.text == "What do { and } mark in GIFT?"
    assert backslash.text.text == "A backslash \\ is written how?"
    assert backslash.answers[0].text.text == "With two backslashes, \\\\"
    assert newline.text.text == "First line\nsecond line of the question?"
    assert equals.kind == "truefalse" and equals.right_feedback.text == "Right: 2 + 2 = 4."


def test_categories_apply_to_the_questions_after_them():
    questions = gift("categories.gift").questions
    assert [(q.name, q.category) for q in questions] == [
        ("Before any category", None),
        ("Term one", "$course$/top/Safeguarding/Terms"),
        ("Term two", "$course$/top/Safeguarding/Terms"),
        ("Scenario one", "$course$/top/Scenarios"),
        ("Another terms", "$system$/top/Other course/Terms"),
        ("Straight under", "Last"),
    ]
    assert questions[-1].line == 20


def test_formats():
    markdown, html, danger, plain, moodle = gift("formats.gift").questions
    assert (markdown.text.format, markdown.text.text) == ("markdown", "Which is **better** wording for a *record*?")
    assert markdown.answers[0].text.format == "markdown"  # answers take the question's format
    assert html.text.format == "html" and html.text.text.startswith("<p>Which of these")
    assert plain.text.format == "plain"
    assert moodle.text.format == "moodle"
    assert danger.text.format == "html"


def test_mistakes_are_problems_with_their_line_never_exceptions():
    result = gift("broken.gift")
    assert [(p.line, p.title, p.left_out) for p in result.problems] == [
        (3, "No closing brace", True),
        (5, "No opening brace", True),
        (7, "Two answer blocks", True),
        (9, "Out of range", True),
        (11, "Stray text", True),
        (21, "Unclosed title Is this still read?{=Yes…", False),
    ]
    assert "have no '}'" in result.problems[0].message
    assert "have no '{'" in result.problems[1].message
    assert "%150%" in result.problems[3].message
    # The question with an unclosed title is still read.
    assert result.questions[-1].line == 21 and result.questions[-1].kind == "multichoice"


def test_comments_are_not_questions_and_do_not_split_one():
    result = parse("// a comment\n::T::Question\n// a comment inside\n{=a\n// and here\n~b}\n")
    (question,) = result.questions
    assert question.line == 2 and [a.text.text for a in question.answers] == ["a", "b"]
    # A // inside a line (a web address) is text.
    (link,) = parse("See https://example.org {=a ~b}").questions
    assert link.text.text == "See https://example.org"


def test_windows_files_bom_and_crlf():
    one, two = gift("windows.gift").questions
    assert (one.line, one.name, [a.text.text for a in one.answers]) == (3, "Windows one", ["Yes", "No"])
    assert one.answers[0].feedback.text == "It is."
    assert (two.line, two.kind) == (8, "truefalse")


def test_a_file_that_is_not_utf8_is_read_and_said_so():
    result = gift("windows_1252.gift")
    (question,) = result.questions
    assert question.name == "Café"
    assert question.text.text == "Is the café’s name “read” right?"
    assert "not UTF-8" in result.notes[0] and "Windows-1252" in result.notes[0]


@pytest.mark.parametrize(("data", "text", "noted"), [
    (b"\xef\xbb\xbfplain", "plain", False),
    ("é".encode("utf-16-le").join([b"\xff\xfe", b""]), "é", False),
    (b"caf\xe9", "café", True),
    (b"\x81\x8d", "\x81\x8d", True),  # bytes Windows-1252 leaves undefined: read as Latin-1
])
def test_decode(data, text, noted):
    decoded, notes = decode(data)
    assert decoded == text and bool(notes) is noted


def test_private_use_characters_in_the_input_are_not_taken_for_escapes():
    (question,) = parse("Odd \ue001 and \ue100 {=a ~b}").questions
    assert question.text.text == "Odd \ufffd and \ufffd"


def test_control_characters_are_removed():
    (question,) = parse("Odd\x00 \x07text {=a\x1b ~b}").questions
    assert question.text.text == "Odd text" and question.answers[0].text.text == "a"
