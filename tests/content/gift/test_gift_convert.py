"""GIFT -> a quiz module in our format that passes the content check, and a report naming, by
line, every question left out or changed."""
from __future__ import annotations

import pytest

from modules.content.gift.convert import convert, escape_plain, html_to_markdown
from modules.content.gift.parse import parse
from tests.content.gift.helpers import FILES, checked, converted, report_of

CONVERTIBLE = sorted(path.name for path in FILES.glob("*.gift")
                     if path.name not in {"numerical.gift", "matching.gift", "short_answer.gift",
                                          "essay_description.gift"})


@pytest.mark.parametrize("name", CONVERTIBLE)
def test_every_fixture_converts_to_a_module_the_check_accepts(name, tmp_path):
    conversion = converted(name)
    assert conversion.converted > 0
    module = checked(conversion.markdown, tmp_path)
    assert module.header.kind == "quiz"
    assert len(module.questions) == conversion.converted


@pytest.mark.parametrize("name", ["numerical.gift", "matching.gift", "short_answer.gift",
                                  "essay_description.gift"])
def test_files_with_nothing_that_maps_convert_nothing_and_say_why(name):
    conversion = converted(name)
    assert conversion.converted == 0
    assert conversion.left_out and all("do not map" in line.message for line in conversion.left_out)


def options(question) -> list[tuple[str, bool, str]]:
    return [(o["text"], o["correct"], o["feedback_html"]) for o in question.data["options"]]


def test_multiple_choice(tmp_path):
    module = checked(converted("multiple_choice.gift").markdown, tmp_path)
    first, second, blank, end, multiline = module.questions
    assert first.type == "single"
    assert first.data["prompt_html"] == "Up to what age is a young person a child in safeguarding law?"
    assert options(first) == [
        ("16", False, '<p class="govuk-body">No: 16 and 17 year olds are still children.</p>'),
        ("18", True, '<p class="govuk-body">Yes: anyone under 18 is a child.</p>'),
        ("21", False, '<p class="govuk-body">No: 21 is older than the law says.</p>'),
    ]
    assert "The Children Act 1989 defines a child" in first.data["explanation_html"]
    assert blank.data["prompt_html"] == "Exploitation can happen _____ and in any community."
    assert [o[1] for o in options(blank)] == [False, True, False]
    assert multiline.data["prompt_html"] == "What is a question that spans several lines?"
    assert options(multiline)[0][0] == "an answer that also spans lines"
    assert "over two lines" in options(multiline)[0][2]


def test_multiple_answers_keep_the_positive_weights_as_right_and_report_the_weights(tmp_path):
    conversion = converted("multiple_answer.gift")
    signs, decimals, single, partial = checked(conversion.markdown, tmp_path).questions
    assert signs.type == "multiple" and [o[1] for o in options(signs)] == [True, True, False, False]
    assert decimals.type == "multiple" and [o[1] for o in options(decimals)] == [True, True, True, False, False]
    assert single.type == "multiple" and [o[1] for o in options(single)] == [True, True, False]  # 100% and 50%
    assert partial.type == "single" and [o[1] for o in options(partial)] == [True, False, False]
    report = report_of(conversion)
    assert ("line 3, 'Signs to notice': the weights (50%, 50%, -100%, -100%) are not kept: the learner "
            "must tick exactly the answers with a positive weight, and there is no partial credit") in report
    assert any(line.startswith("line 24, 'Equal sign with partial credit': partial credit is not kept")
               and "'A weaker answer' 25%" in line for line in report)


def test_true_false_feedback_goes_under_the_matching_option(tmp_path):
    module = checked(converted("true_false.gift").markdown, tmp_path)
    consent, short, long_true, long_false, lower = module.questions
    assert {q.type for q in module.questions} == {"single"}
    assert {tuple(o[0] for o in options(q)) for q in module.questions} == {("True", "False")}
    assert [o[:2] for o in options(consent)] == [("True", False), ("False", True)]
    assert options(long_true) == [
        ("True", True, '<p class="govuk-body">Yes: much of it starts online.</p>'),
        ("False", False, '<p class="govuk-body">No: it can happen online.</p>'),
    ]
    assert options(long_false) == [
        ("True", False, '<p class="govuk-body">Wrong: often it is someone the child knows.</p>'),
        ("False", True, '<p class="govuk-body">Right: often it is someone they know.</p>'),
    ]
    assert "Most exploitation is by people the child trusts." in long_false.data["explanation_html"]


def test_escaped_characters_show_as_themselves(tmp_path):
    module = checked(converted("escapes.gift").markdown, tmp_path)
    tilde, braces, backslash, newline, equals = module.questions
    assert tilde.data["prompt_html"] == "Which of these is written with a tilde: ~ ?"
    assert [o[0] for o in options(tilde)] == ["The character ~ (tilde)", "The character = (equals)",
                                              "The character # (hash)"]
    assert braces.data["prompt_html"] == "What do { and } mark in GIFT?"
    assert backslash.data["prompt_html"] == "A backslash \\ is written how?"
    assert options(backslash)[0][0] == "With two backslashes, \\\\"
    assert newline.data["prompt_html"] == "First line second line of the question?"
    assert "Right: 2 + 2 = 4." in options(equals)[0][2]


def test_categories_become_pools(tmp_path):
    conversion = converted("categories.gift")
    module = checked(conversion.markdown, tmp_path)
    assert [q.pool for q in module.questions] == ["default", "terms", "terms", "scenarios", "terms-2", "last"]
    assert "category '$course$/top/Scenarios' became the pool 'scenarios'" in conversion.notes
    assert "draw:" not in conversion.markdown  # every question is asked, as in the GIFT file


def test_formats(tmp_path):
    conversion = converted("formats.gift")
    markdown, html, danger, plain, moodle = checked(conversion.markdown, tmp_path).questions
    assert markdown.data["prompt_html"] == "Which is <strong>better</strong> wording for a <em>record</em>?"
    assert options(markdown)[0][0] == "She is putting herself at risk"
    assert html.data["prompt_html"] == "Which of these is <strong>true</strong>?"
    assert "<li>" in html.data["stem_html"] and "Pick one." in html.data["stem_html"]
    assert options(html)[0][0] == "Anyone can be exploited"
    assert "alert" not in conversion.markdown and "javascript" not in conversion.markdown
    assert '<a class="govuk-link" href="https://www.nspcc.org.uk/"' in danger.data["stem_html"]
    assert plain.data["prompt_html"] == ("In plain text, *stars* and &lt;b&gt;tags&lt;/b&gt; are shown as "
                                         "written: 1. so is this?")
    assert moodle.data["prompt_html"] == "Moodle's own format with a <em>tag</em>?"
    report = report_of(conversion)
    assert "line 14, 'HTML with danger': <script> was removed with what it held" in report
    assert any(line.startswith("line 14, 'HTML with danger': a picture (<img>) was left out") for line in report)


def test_the_report_names_every_question_left_out_with_its_line(tmp_path):
    conversion = converted("mixed.gift")
    left_out = [str(line) for line in conversion.left_out]
    assert left_out == [
        "line 31, 'How many': numerical questions (a number, with a range or tolerance) do not map "
        "to Sightline's question types; it was left out",
        "line 37, 'Agencies': matching questions (pairs to match) do not map to Sightline's question "
        "types; it was left out",
        "line 44, 'Reflect': essay questions (a written answer marked by a person) do not map to "
        "Sightline's question types; it was left out",
        "line 48, 'Keyword': short-answer questions (a typed answer matched word for word) do not "
        "map to Sightline's question types; it was left out",
    ]
    module = checked(conversion.markdown, tmp_path)
    assert [q.type for q in module.questions] == ["single", "single", "multiple", "single", "single"]
    assert conversion.converted == 5
    assert "That is the end of the quiz." in conversion.markdown  # the description: front page
    assert conversion.lines()[-1] == "5 questions converted, 4 left out."


def test_broken_questions_are_reported_not_dropped(tmp_path):
    conversion = converted("broken.gift")
    lines = {line.line for line in conversion.left_out}
    assert lines == {3, 5, 7, 9, 11, 13, 15, 17, 19}
    assert conversion.converted == 1  # the one with an unclosed title
    checked(conversion.markdown, tmp_path)
    assert "line 17, 'Two right': it has 2 right answers (=) of which the learner picks one; a Sightline " \
           "single-answer question has exactly one; it was left out" in report_of(conversion)


def test_a_question_the_check_refuses_is_left_out_with_the_checks_reason(tmp_path):
    gift = parse("::Good::Fine?{=Yes ~No}\n\n::Footnote::[markdown]A note[^1] in a heading?{=Yes ~No}\n")
    conversion = convert(gift, title="Refused", module_id="refused-quiz")
    (line,) = conversion.left_out
    assert line.line == 3 and line.title == "Footnote" and "the content check refused it" in line.message
    assert len(checked(conversion.markdown, tmp_path).questions) == 1


def test_the_front_matter(tmp_path):
    conversion = convert(parse("Q {=a ~b}\n\nR {=a ~b}"), title='A "quoted": title #2', module_id="x")
    module = checked(conversion.markdown, tmp_path)
    assert module.header.settings.values["title"] == 'A "quoted": title #2'
    assert conversion.markdown.startswith('---\ntitle: "A \\"quoted\\": title #2"\nkind: quiz\nminutes: 2\n---\n')


@pytest.mark.parametrize(("text", "shown"), [
    ("*a* _b_ `c` [d](e) <f> \\{g\\} \\#h \\\\i", "*a* _b_ `c` [d](e) <f> {g} #h \\i"),
    ("- not a list", "- not a list"),
    ("1. not a list", "1. not a list"),
    ("> not a quote", "> not a quote"),
    ("!!! note", "!!! note"),
    ("&amp; stays", "&amp; stays"),
])
def test_plain_text_shows_as_written(text, shown, tmp_path):
    conversion = convert(parse(f"::T::[plain]{text} {{=right ~wrong}}"), title="Plain", module_id="x")
    (question,) = checked(conversion.markdown, tmp_path).questions
    import html

    assert html.unescape(question.data["prompt_html"]) == shown


def test_html_to_markdown():
    assert html_to_markdown("<p>a</p><ul><li>one</li><li>two <b>x</b></li></ul><ol><li>a</li></ol>")[0] == \
        "a\n\n- one\n- two **x**\n\n1. a"
    assert html_to_markdown("<b></b><i> spaced </i>")[0] == "spaced"
    assert html_to_markdown("<p>x<br>y</p>")[0] == "x\ny"
    assert html_to_markdown('<a href="/admin">local</a> <a href="mailto:a@b.org">mail</a>')[0] == \
        "local [mail](mailto:a@b.org)"
    assert escape_plain("3) x") == "3\\) x"
