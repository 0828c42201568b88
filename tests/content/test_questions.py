"""Question types: parsing into stored data, and marking answers (correct flag, score, feedback)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from modules.content import questions
from modules.content.checker import check_paths
from modules.content.questions import InvalidAnswer, mark
from tests.content.conftest import GOOD


@pytest.fixture(scope="module")
def quiz():
    result = check_paths([GOOD])
    module = next(m for m in result.modules if m.slug == "shared-quiz")
    return {q.type: q for q in module.questions}


def option_key(question, text):
    return next(o["key"] for o in question.data["options"] if o["text"] == text)


def test_every_type_is_registered_from_its_own_file():
    assert sorted(questions.REGISTRY) == ["better-wording", "multiple", "rewrite", "single", "true-false"]
    for name, qtype in questions.REGISTRY.items():
        assert type(qtype).__module__ == "modules.content.questions." + name.replace("-", "_")


def test_nothing_outside_the_question_type_folders_tells_one_type_from_another():
    """The quiz service and the shared templates call the type's hooks and include its
    templates; naming a type there would make a new type need edits outside its folder."""
    root = Path(__file__).resolve().parents[2]
    own = root / "modules" / "content" / "questions"
    names = "|".join(re.escape(name) for name in questions.REGISTRY)
    pattern = re.compile(rf"[\"'](?:{names})[\"']|\.type\s*(?:==|!=|in\b|not\s+in\b)")
    found = []
    for path in sorted([*root.glob("modules/**/*.py"), *root.glob("templates/**/*.html")]):
        if own in path.parents:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert found == []


def test_question_data_is_json_serialisable_and_complete(quiz):
    for question in quiz.values():
        assert json.loads(json.dumps(question.data)) == question.data
    better = quiz["better-wording"].data
    assert better["prompt_html"] == "Which wording should go in the record?"
    assert [o["correct"] for o in better["options"]] == [False, True]
    assert better["options"][0]["feedback_html"] == '<p class="govuk-body">This places the responsibility on the child.</p>'
    assert "Describe what the adults did" in better["explanation_html"]
    assert better["source_html"] == "A fixture language guide (2022)"
    assert quiz["single"].data["stem_html"] == '<p class="govuk-body">A short stem paragraph.</p>'
    assert quiz["better-wording"].pool == "terms" and quiz["rewrite"].pool == "rewrite"


def test_type_defaults_from_the_number_of_correct_options(quiz):
    # "Which of these are signs" has two [x] and no type=: multiple; "Pick the single" has one: single.
    assert quiz["multiple"].data["prompt_html"] == "Which of these are signs of exploitation?"
    assert quiz["single"].data["prompt_html"] == "Pick the single right answer"


@pytest.mark.parametrize("type_name", ["single", "better-wording"])
def test_single_answer_types(quiz, type_name):
    question = quiz[type_name]
    right = next(o["key"] for o in question.data["options"] if o["correct"])
    wrong = next(o["key"] for o in question.data["options"] if not o["correct"])
    result = mark(type_name, question.data, right)
    assert result.correct and result.score == 1.0
    result = mark(type_name, question.data, wrong)
    assert not result.correct and result.score == 0.0
    chosen = [f for f in result.feedback if f["selected"]]
    assert [f["key"] for f in chosen] == [wrong] and chosen[0]["correct"] is False
    assert len(result.feedback) == len(question.data["options"])


def test_better_wording_feedback_is_per_option(quiz):
    question = quiz["better-wording"]
    result = mark("better-wording", question.data, question.data["options"][0]["key"])
    assert result.feedback[0]["feedback_html"] == '<p class="govuk-body">This places the responsibility on the child.</p>'
    assert result.feedback[1] == {
        "key": question.data["options"][1]["key"], "selected": False, "correct": True,
        "feedback_html": '<p class="govuk-body">This names what the adults are doing.</p>',
    }
    assert "Describe what the adults did" in result.explanation_html
    assert result.to_data()["correct"] is False


def test_multiple_needs_exactly_the_correct_options(quiz):
    question = quiz["multiple"]
    gifts, missing, homework = (option_key(question, t) for t in ("Unexplained gifts", "Going missing", "Doing homework"))
    assert mark("multiple", question.data, [gifts, missing]).correct
    assert mark("multiple", question.data, (missing, gifts)).score == 1.0
    assert not mark("multiple", question.data, [gifts]).correct
    assert not mark("multiple", question.data, [gifts, missing, homework]).correct
    assert not mark("multiple", question.data, []).correct


def test_true_false(quiz):
    question = quiz["true-false"]
    assert [o["text"] for o in question.data["options"]] == ["True", "False"]
    assert mark("true-false", question.data, option_key(question, "False")).correct
    result = mark("true-false", question.data, option_key(question, "True"))
    assert not result.correct
    assert result.feedback[0]["feedback_html"] == '<p class="govuk-body">No: a child cannot consent to their own abuse.</p>'


@pytest.mark.parametrize("answer, correct, rules", [
    ("Sam has been reported missing and may be coerced.", False, ["expect"]),
    ("Sam is being groomed by adults.", True, []),
    ("SAM IS BEING EXPLOITED BY AN ADULT!", True, []),
    ("Sam is being exploited by a man of 30.", True, []),  # "man" is in the family of "adult"
    ("Adults are grooming Sam at the flat.", True, []),  # any inflection of "groomed"
    # The language guide catches the blame (whatever the question's own rules say); the
    # question's own avoid rule adds only what the guide did not report.
    ("Sam keeps putting herself at risk; adults groomed her.", False, ["language", "avoid"]),
    ("Sam is putting herself   at  RISK.", False, ["language", "expect"]),
    ("Sam is placing herself in danger.", False, ["language", "expect"]),
    ("Sam is in adulthood now.", False, ["expect"]),  # whole words only: "adult" is not "adulthood"
    ("exploited groomed adult victim Sam", False, ["sentence"]),  # keywords are not a rewrite
    ("Adults are grooming and exploiting this child at the flat.", False, ["keep"]),  # not about Sam
    ("", False, ["sentence", "keep", "expect"]),
])
def test_rewrite_keyword_rules(quiz, answer, correct, rules):
    question = quiz["rewrite"]
    result = mark("rewrite", question.data, answer)
    assert result.correct is correct
    assert result.score == (1.0 if correct else 0.0)
    assert [f["rule"] for f in result.feedback] == rules


def test_rewrite_feedback_names_the_phrases_left_and_gives_the_rule_feedback(quiz):
    data = quiz["rewrite"].data
    assert data["sentence_text"] == "Sam keeps going missing and is putting herself at risk."
    assert data["avoid"][1]["phrases"] == ["keeps going missing", "keeps"]
    result = mark("rewrite", data, "Sam keeps putting herself at risk.")
    assert [f["rule"] for f in result.feedback] == ["language", "avoid", "expect"]
    guide = result.feedback[0]
    assert guide["phrases"] == ["putting herself at risk"] and guide["entry"] == "putting-themselves-at-risk"
    assert "blames the child" in guide["feedback_html"] and "may be being groomed" in guide["feedback_html"]
    assert result.feedback[1]["phrases"] == ["keeps"]
    assert result.feedback[2] == {
        "rule": "expect", "phrases": ["exploited", "groomed", "adult", "adults"],
        "feedback_html": "Say what the adults are doing to her.",
    }


def test_curly_quotes_and_apostrophes_are_matched(quiz):
    data = {"avoid": [{"phrases": ["child's choice"], "feedback_html": "no"}],
            "expect": [{"phrases": ["adult"], "feedback_html": "say who"}]}
    assert not mark("rewrite", data, "It was the child’s choice, said the adult").correct
    assert mark("rewrite", data, "An adult coerced the child at the flat").correct


@pytest.mark.parametrize("type_name, answer", [
    ("single", ["a", "b"]),
    ("single", "no-such-option"),
    ("single", None),
    ("multiple", "o-whatever"),
    ("multiple", ["no-such-option"]),
    ("multiple", None),
    ("true-false", True),
    ("rewrite", ["a list"]),
    ("rewrite", None),
])
def test_answers_that_cannot_be_marked_are_refused(quiz, type_name, answer):
    with pytest.raises(InvalidAnswer):
        mark(type_name, quiz[type_name].data, answer)


def test_question_ids_are_stable_and_depend_on_the_question_text(tmp_path, quiz):
    again = {q.type: q for q in next(m for m in check_paths([GOOD]).modules if m.slug == "shared-quiz").questions}
    assert {t: q.key for t, q in quiz.items()} == {t: q.key for t, q in again.items()}
    assert all(q.key.startswith("q-") for q in quiz.values())
    assert len({q.key for q in quiz.values()}) == len(quiz)


def _rewrite_quiz(tmp_path, rules: str, sentence: str = "Jade keeps going missing and is “putting herself at risk”."):
    from tests.content.conftest import write_course

    root = tmp_path / "courses"
    write_course(root, "one", {"01-q.md": (
        "---\ntitle: Q\nkind: quiz\nminutes: 5\npseudonyms: [Jade]\n---\n"
        "## Rewrite this sentence {type=rewrite}\n\n"
        f"> {sentence}\n\n{rules}\n"
    )})
    return check_paths([root])


def test_a_correct_line_is_stored_and_the_question_data_is_unchanged_without_one(tmp_path, quiz):
    result = _rewrite_quiz(tmp_path, (
        '- avoid "putting herself at risk": Describe the adults.\n'
        '- expect "adult", "adults": Say who.\n'
        "- correct: You named the *adults* and did not blame Jade.\n"
    ))
    assert [str(p) for p in result.problems] == []
    (question,) = result.modules[0].questions
    assert question.data["correct_html"] == (
        '<p class="govuk-body">You named the <em>adults</em> and did not blame Jade.</p>'
    )
    assert [r["phrases"] for r in question.data["avoid"]] == [["putting herself at risk"]]
    assert "correct_html" not in quiz["rewrite"].data
    # Marking is unchanged: the correct line is not a rule.
    assert mark("rewrite", question.data, "Adults are exploiting Jade at the flat.").correct


def test_avoid_phrases_match_the_sentence_ignoring_capitals_and_quotes(tmp_path):
    result = _rewrite_quiz(tmp_path, (
        '- avoid “Putting Herself At Risk”, "keeps going missing": Describe the adults.\n'
        '- avoid "risky": Not in the sentence.\n'
        '- expect "adult": Say who.\n'
    ))
    assert [(p.line, p.col, p.message) for p in result.problems] == [(
        12, 9,
        'avoid phrase "risky" is not in the sentence to rewrite: use the words as the sentence has '
        "them, so that copying the sentence unchanged is marked wrong",
    )]


def test_an_ordinary_bullet_starting_with_correct_is_not_a_rule(tmp_path):
    from tests.content.conftest import lesson, write_course

    root = tmp_path / "courses"
    write_course(root, "one", {"01-a.md": lesson("- Correct spelling matters.\n- correct use of names")})
    assert check_paths([root]).problems == []
