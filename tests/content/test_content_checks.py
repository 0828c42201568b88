"""What ``content check`` reports from the language and personal-data checks, the rewrite-question
checks and the quiz quality lint (modules.checks.module_checks)."""
from __future__ import annotations

from modules.content.checker import check_paths
from tests.content.conftest import lesson, write_course


def _module(kind: str, body: str, settings: str = "") -> str:
    extra = "content_note: Exploitation in general terms.\n" if kind == "case_study" else ""
    return f"---\ntitle: M\nkind: {kind}\nminutes: 5\n{extra}{settings}---\n{body}\n"


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
        "- [ ] She is putting herself at risk.\n\n    No: this blames her.\n\n"
        "- [x] Adults are creating chances to harm her, and she is being groomed.\n\n    Yes.\n\n"
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
    wrong = "- [ ] Wrong answer"
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
    body = "## Tick all that apply\n\n- [x] One\n- [x] Two\n- [x] Three\n- [ ] Four\n"
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
