"""What ``content check`` reports from the language and personal-data checks, the rewrite-question
checks and the quiz quality lint (modules.checks.module_checks)."""
from __future__ import annotations

import re

import pytest

from modules.content.checker import check_paths
from tests.content.conftest import lesson, write_course


def _module(kind: str, body: str, settings: str = "", minutes: int = 5) -> str:
    extra = "content_note: Exploitation in general terms.\n" if kind == "case_study" else ""
    return f"---\ntitle: M\nkind: {kind}\nminutes: {minutes}\n{extra}{settings}---\n{body}\n"


def _problems(tmp_path, files: dict[str, str]):
    root = tmp_path / "courses"
    write_course(root, "one", files)
    result = check_paths([root])
    return result, [(p.line, p.severity.name, p.message) for p in result.problems]


def test_personal_data_in_a_case_study_is_an_error_that_blocks_the_import(tmp_path):
    result, problems = _problems(tmp_path, {"01-story.md": _module("case_study", "## Week 1\n\nLeah Whitfield lives at 12 Canal Street.")})
    assert not result.ok
    assert [(line, sev) for line, sev, _ in problems] == [(9, "error"), (9, "error")]
    assert "'Leah Whitfield' looks like a personal name" in problems[0][2]
    assert "pseudonyms:" in problems[0][2]


def test_personal_data_elsewhere_is_a_warning(tmp_path):
    result, problems = _problems(tmp_path, {"01-a.md": lesson("Ask Mrs Kowalski at Brookfield Academy.")})
    assert result.ok
    assert [sev for _, sev, _ in problems] == ["warning", "warning"]


def test_declared_pseudonyms_and_fictional_places_are_not_reported(tmp_path):
    body = "## Week 1\n\nJade, 14, goes to Northfield Academy. Child A is her friend."
    result, problems = _problems(tmp_path, {"01-story.md": _module(
        "case_study", body, "pseudonyms: [Jade, Northfield Academy, Child A]\n")})
    assert result.ok and problems == []


def test_front_matter_text_is_checked_too(tmp_path):
    _, problems = _problems(tmp_path, {
        "01-a.md": "---\ntitle: Why Kai keeps going missing\nkind: lesson\nminutes: 5\npseudonyms: [Kai]\n---\nText.\n"})
    assert [(line, sev) for line, sev, _ in problems] == [(2, "warning")]
    assert "'keeps going missing' can blame the child" in problems[0][2]


def test_victim_blaming_in_training_text_is_a_warning_with_the_alternative_and_source(tmp_path):
    result, problems = _problems(tmp_path, {"01-a.md": lesson("A child who is hard to reach needs a plan.")})
    assert result.ok
    ((line, severity, message),) = problems
    assert (line, severity) == (6, "warning")
    assert "'hard to reach'" in message and "services are struggling to engage the child" in message
    assert "Language Matters" in message


def test_quoted_examples_are_not_reported_where_the_module_marks_them(tmp_path):
    body = 'Avoid writing "hard to reach". She is "promiscuous", the file says.'
    _, unmarked = _problems(tmp_path / "a", {"01-a.md": _module("lesson", body)})
    _, marked = _problems(tmp_path / "b", {"01-a.md": _module("lesson", body, "quoted_examples: true\n")})
    assert len(unmarked) == 1 and marked == []


def test_rewrite_sentences_and_wrong_options_are_deliberate_examples(tmp_path):
    quiz = _module("quiz", (
        "## Which is better? {type=better-wording}\n\n"
        "- [ ] She is putting herself at risk.\n\n    No: this blames her for what adults do.\n\n"
        "- [x] Adults are creating chances to harm her, and she is being groomed.\n\n"
        "    Yes: it says what the adults are doing.\n\n"
        "## Rewrite this {type=rewrite}\n\n> Kai, 15, is hard to reach.\n\n"
        '- avoid "hard to reach": Say services struggle.\n'
        "- concept services-own: Say services struggle.\n"
        "- model: Services are struggling to engage Kai, who is 15.\n"
    ), "pseudonyms: [Kai]\n")
    result, problems = _problems(tmp_path, {"01-q.md": quiz})
    assert result.ok and problems == []


def test_a_rewrites_expected_word_already_in_the_sentence_is_a_warning(tmp_path):
    quiz = _module("quiz", (
        "## Rewrite this {type=rewrite}\n\n> Mia's risky behaviour continues with older men.\n\n"
        '- avoid "risky behaviour": Describe the adults.\n'
        '- expect "men", "adults": Name the adults.\n'
    ), "pseudonyms: [Mia]\n")
    _, problems = _problems(tmp_path, {"01-q.md": quiz})
    assert [(line, sev) for line, sev, _ in problems] == [(7, "warning")]
    assert 'expected word "men" is already in the sentence' in problems[0][2]


def test_a_model_answer_the_rules_mark_wrong_is_an_error(tmp_path):
    quiz = _module("quiz", (
        "## Rewrite this {type=rewrite}\n\n> Kai, 15, is hard to reach.\n\n"
        "- concept services-own: Say services struggle.\n"
        "- model: Kai is a child who is hard to reach.\n"
    ), "pseudonyms: [Kai]\n")
    result, problems = _problems(tmp_path, {"01-q.md": quiz})
    assert not result.ok
    # The model answer's line is also checked as training text.
    assert [(line, sev) for line, sev, _ in problems] == [(12, "error"), (12, "warning")]
    assert "the model answer is marked wrong (language hard to reach; concept services-own)" in problems[0][2]


def test_rules_that_mark_the_sentence_itself_right_are_an_error(tmp_path):
    quiz = _module("quiz", (
        "## Rewrite this {type=rewrite}\n\n> Kai, 15, is being groomed by adults.\n\n"
        "- concept harm-named: Name the harm.\n"
    ), "pseudonyms: [Kai]\n")
    result, problems = _problems(tmp_path, {"01-q.md": quiz})
    assert not result.ok
    assert "the sentence copied out unchanged is marked right" in problems[0][2]


def test_unknown_concepts_are_an_error_naming_the_known_ones(tmp_path):
    quiz = _module("quiz", (
        "## Rewrite this {type=rewrite}\n\n> Kai, 15, is hard to reach.\n\n"
        "- concept adult-actions: Say what adults did.\n"
    ), "pseudonyms: [Kai]\n")
    result, problems = _problems(tmp_path, {"01-q.md": quiz})
    assert not result.ok
    assert "unknown concept 'adult-actions' (use adults-act, " in problems[0][2]


def _choice(n: int, right_first: bool, long_right: bool) -> str:
    right = "- [x] " + ("The right answer, given with a great deal more detail" if long_right else "Right")
    right += "\n\n    Correct: the guidance says this, in these words.\n"
    wrong = "- [ ] Wrong answer\n\n    No: the guidance says the opposite of this.\n"
    options = [right, wrong] if right_first else [wrong, right]
    return f"## Question {n} {{type=single}}\n\n" + "\n".join(options) + "\n"


def test_quiz_lint_warns_about_the_longest_and_same_place_right_options_with_numbers(tmp_path):
    body = "\n".join(_choice(n, right_first=True, long_right=n != 4) for n in range(1, 5))
    _, problems = _problems(tmp_path, {"01-q.md": _module("quiz", body)})
    messages = [m for _, sev, m in problems if sev == "warning"]
    assert any("the right option is the longest in 3 of 4 choice questions" in m for m in messages)
    assert any("the right option is option 1 in all 4 single-answer questions" in m for m in messages)


def test_quiz_lint_is_quiet_for_a_well_balanced_quiz(tmp_path):
    body = "\n".join(_choice(n, right_first=n % 2 == 0, long_right=n == 1) for n in range(1, 5))
    _, problems = _problems(tmp_path, {"01-q.md": _module("quiz", body)})
    assert problems == []


def test_quiz_lint_warns_about_tick_all_that_apply_with_one_wrong_option(tmp_path):
    body = "## Tick all that apply\n\n" + "".join(
        f"- [{'x' if n != 'Four' else ' '}] {n}\n\n    {n} is {'right' if n != 'Four' else 'wrong'}, as the guidance says.\n\n"
        for n in ("One", "Two", "Three", "Four"))
    _, problems = _problems(tmp_path, {"01-q.md": _module("quiz", body)})
    assert [(line, m.startswith('this "tick all that apply" question has 4 options and only one wrong one'))
            for line, _, m in problems] == [(6, True)]


def test_decision_points_whose_good_option_is_always_longest_get_a_warning(tmp_path):
    decision = (
        "### Decision: What now {n}?\n\n"
        "- [ ] Wait.\n\n    Nothing happens.\n\n"
        "- [x] Record what you saw and share it with your safeguarding lead today.\n\n    It helps.\n\n"
        "**Practice point:** Share it.\n\n"
    )
    body = "## Week 1\n\n" + decision.format(n=1) + "## Week 2\n\n" + decision.format(n=2)
    _, problems = _problems(tmp_path, {"01-a.md": _module("lesson", body)})
    assert [m for _, _, m in problems] == [
        "the good option is the longest in all 2 decision points: learners can pick it by length; "
        "give the other options the same detail"]


# The new lints: time (minutes:, cpd_minutes:), feedback that says why, sources, content-note boxes.

SENTENCE = "The worker writes down what the child said, in the child's own words. "  # 13 words


def _findings(tmp_path, files: dict[str, str], cpd_minutes: int | None = None):
    """Every problem as (file name, line, severity, message), with the course's cpd_minutes set
    (by default the sum of its modules' minutes, so that only what a test is about is reported)."""
    root = tmp_path / "courses"
    folder = write_course(root, "one", files)
    if cpd_minutes is None:
        cpd_minutes = sum(int(re.search(r"^minutes: (\d+)$", text, re.M).group(1)) for text in files.values())
    course = folder / "course.md"
    course.write_text(course.read_text().replace("cpd_minutes: 10\n", f"cpd_minutes: {cpd_minutes}\n"))
    result = check_paths([root])
    return [(p.path.name, p.line, p.severity.name, p.message) for p in result.problems]


def _reading(sentences: int) -> str:
    return "## Recording\n\n" + SENTENCE * sentences


@pytest.mark.parametrize("kind, body, settings, minutes, about", [
    # 338 words: 2 minutes, not 30.
    ("lesson", _reading(26), "", 30, "about 2 (338 words at 180 a minute)"),
    # 3,601 words: 20 minutes, not 5.
    ("lesson", _reading(277), "", 5, "about 20 (3,601 words at 180 a minute)"),
    # A quiz takes a minute a question a learner is asked: 2 are drawn of 4.
    ("quiz", "\n".join(_choice(n, right_first=n % 2 == 0, long_right=False) for n in range(1, 5)),
     "draw: 2\n", 20, "about 2 (2 questions)"),
], ids=["too-long", "too-short", "quiz-draw"])
def test_minutes_far_from_what_the_module_holds_get_a_warning_naming_the_estimate(tmp_path, kind, body, settings,
                                                                                 minutes, about):
    problems = _findings(tmp_path, {"01-m.md": _module(kind, body, settings, minutes=minutes)})
    assert problems == [("01-m.md", 4, "warning", (
        f"minutes: {minutes} is far from the time this module takes, {about}: learners plan by it and "
        "certificates print it as CPD time, so set it to what the module needs"))]


@pytest.mark.parametrize("sentences, minutes", [
    (26, 5),  # about 2: more than 1.5 times that, but only 3 minutes more
    (257, 25),  # about 19: 6 minutes more, but within 1.5 times
    (257, 19),
], ids=["within-five-minutes", "within-the-factor", "exact"])
def test_minutes_within_tolerance_of_the_estimate_get_no_warning(tmp_path, sentences, minutes):
    assert _findings(tmp_path, {"01-m.md": _module("lesson", _reading(sentences), minutes=minutes)}) == []


@pytest.mark.parametrize("cpd_minutes, reported", [
    (60, True), (29, True),  # the modules add up to 40: more than a quarter away
    (48, False), (33, False),  # within a quarter (10 minutes), though more than 5 away
    (40, False),
])
def test_cpd_minutes_far_from_the_modules_total_get_a_warning(tmp_path, cpd_minutes, reported):
    modules = {f"0{n}-m{n}.md": _module("lesson", _reading(257), minutes=20) for n in (1, 2)}  # about 19 each
    problems = _findings(tmp_path, modules, cpd_minutes=cpd_minutes)
    assert problems == ([("course.md", 6, "warning", (
        f"cpd_minutes: {cpd_minutes} is far from the 40 minutes its modules add up to: the certificate "
        "prints it as CPD time, so make it the modules' total (or correct their minutes)"))] if reported else [])


def _question(wrong_feedback: str, right_feedback: str = "Correct: the adults who exploit a child are responsible.",
              source: str = "Source: Department for Education, definition and guide (2017)") -> str:
    return (
        "## Who is responsible for exploitation? {type=single}\n\n"
        f"- [ ] The child\n\n    {wrong_feedback}\n\n"
        f"- [x] The adults who exploit them\n\n    {right_feedback}\n\n"
        + (f"{source}\n" if source else "")
    )


# "No, that is wrong." has four words, but none of them says why once "No," is taken off.
@pytest.mark.parametrize("bare", ["No.", "Incorrect!", "Not quite, sorry.", "It is false.", "No, that is wrong."])
def test_feedback_that_only_says_right_or_wrong_gets_a_warning(tmp_path, bare):
    problems = _findings(tmp_path, {"01-q.md": _module("quiz", _question(bare))})
    assert problems == [("01-q.md", 6, "warning", (
        'the feedback on option 1 does not say why ("No." or "It is true." teaches nothing): say why each '
        "option is right or wrong"))]
    both = _findings(tmp_path / "both", {"01-q.md": _module("quiz", _question(bare, right_feedback="Correct."))})
    assert [m[:33] for _, _, _, m in both] == ["the feedback on options 1, 2 does"]


def test_feedback_that_says_why_gets_no_warning(tmp_path):
    feedback = "No: a child cannot consent to their own exploitation."
    assert _findings(tmp_path, {"01-q.md": _module("quiz", _question(feedback))}) == []


@pytest.mark.parametrize("source", [
    "Source: This course, module 2 (2024)",
    "Source: Sightline training notes",
    "Source: the course handbook",
])
def test_a_source_that_is_the_training_itself_gets_a_warning(tmp_path, source):
    feedback = "No: a child cannot consent to their own exploitation."
    body = _question(feedback) + "\n" + _question(feedback, source=source).replace("Who is", "Who else is")
    problems = _findings(tmp_path, {"01-q.md": _module("quiz", body)})
    cited = source.removeprefix("Source: ")
    assert problems == [("01-q.md", 18, "warning", (
        f"the source '{cited}' is the training itself: name the guidance or research the answer comes from "
        "(publisher, title, year)"))]


def test_a_question_without_a_source_when_the_others_have_one_gets_a_warning(tmp_path):
    feedback = "No: a child cannot consent to their own exploitation."
    body = _question(feedback) + "\n" + _question(feedback, source="").replace("Who is", "Who else is")
    assert _findings(tmp_path, {"01-q.md": _module("quiz", body)}) == [("01-q.md", 18, "warning", (
        "this question has no Source: line (the others have): say where the answer comes from"))]
    alone = _question(feedback, source="")
    assert _findings(tmp_path / "none", {"01-q.md": _module("quiz", alone + "\n" + alone.replace("Who is", "Who else is"))}) == []


@pytest.mark.parametrize("box", ['!!! warning "Content note"', '!!! note "Content warning"', '!!! important "Trigger warnings"'])
def test_a_content_note_box_in_the_text_gets_a_warning(tmp_path, box):
    body = f"## Part 1\n\n{box}\n    This part describes grooming in general terms.\n\nThe story begins."
    problems = _findings(tmp_path, {"01-s.md": _module("case_study", body)})
    assert problems == [("01-s.md", 9, "warning", (
        "a content note box in the text shows the warning a second time: the module's start page shows its "
        "content_note setting before the learner begins. Put what it says in content_note and delete this box"))]


def test_other_warning_boxes_are_not_content_notes(tmp_path):
    body = ('## Part 1\n\n!!! warning "Before you share"\n    Tell your safeguarding lead first.\n\n'
            "Content note: the module's settings hold it.")
    assert _findings(tmp_path, {"01-s.md": _module("case_study", body)}) == []
