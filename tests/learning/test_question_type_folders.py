"""A question type is one folder: the quiz pages and the trainers' preview work for any registered
type through its hooks and templates, with nothing outside the folder knowing it.

Every registered type is taken through the real pages with its folder's ``example.md`` question
and its ``example_answer``; a test-only type (``tests/question_types/number``) shows that a new
folder is all a new type needs.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from modules.accounts.models import AgencyKind, Role
from modules.content import questions
from modules.content.checker import check_paths
from modules.content.importer import import_checked
from modules.content.models import Course
from modules.content.questions import REGISTRY, TEMPLATES
from modules.learning.models import QuizAttempt
from modules.learning.requirements import set_requirement
from tests.content.conftest import write_course

BUILT_IN = sorted(REGISTRY)  # the package's own types (before a test adds its own)

QUIZ = """\
---
title: Every question type
kind: quiz
minutes: 5
pass_mark: 100
pseudonyms: [Maya]
quoted_examples: true
---
One question of each type.

{questions}
"""


def folder_of(qtype) -> Path:
    return Path(sys.modules[type(qtype).__module__].__file__).parent


def example_question(type_name: str) -> str:
    return (folder_of(REGISTRY[type_name]) / "example.md").read_text(encoding="utf-8")


@pytest.fixture
def number_type():
    """The test-only ``number`` type, registered as the package scan registers a built-in one,
    and removed again afterwards."""
    added = questions.discover("tests.question_types")
    assert added == ["number"]
    yield REGISTRY["number"]
    for name in added:
        del REGISTRY[name]
    # Forget the import too, so that the next test's scan registers the type afresh.
    for module in [m for m in sys.modules if m.startswith("tests.question_types.")]:
        del sys.modules[module]


@pytest.fixture
def app(number_type, app):
    # The app (and so its template loader) is built after the test-only type is registered, as it
    # is for a type in modules/content/questions/ when the app starts.
    return app


def import_quiz(tmp_path: Path, type_names: list[str], db) -> Course:
    """A course whose one module is a quiz asking each type's example question, imported the way
    ``content import`` does, and required of every agency."""
    text = QUIZ.format(questions="\n\n".join(example_question(name) for name in type_names))
    root = tmp_path / "courses"
    write_course(root, "every-type", {"01-every-type.md": text}, code="EVERY-1")
    result = check_paths([root])
    assert result.ok, [str(p) for p in result.errors]
    import_checked(result)
    course = db.session.scalar(db.select(Course).where(Course.slug == "every-type"))
    for kind in AgencyKind:
        set_requirement(course, kind)
    db.session.commit()
    return course


def _text(response) -> str:
    return response.get_data(as_text=True)


def take_quiz(client, db) -> tuple[int, str]:
    """Start the quiz; for each question check its page and its refusal of an empty answer, answer
    it with its type's example answer and see it kept; submit. The attempt id and results page."""
    base = "/my-training/courses/every-type"
    client.post(f"{base}/start")
    response = client.post(f"{base}/modules/every-type/quiz")
    attempt_id = int(re.search(r"/attempts/(\d+)/questions/1$", response.location).group(1))
    attempt = db.session.get(QuizAttempt, attempt_id)
    from modules.learning import quizzes

    for number, question in enumerate(quizzes.attempt_questions(attempt), start=1):
        url = f"/my-training/attempts/{attempt_id}/questions/{number}"
        page = _text(client.get(url))
        assert 'id="answer"' in page, question.type  # where the error summary links
        page = _text(client.post(url, data={}))
        assert "There is a problem" in page and 'href="#answer"' in page, question.type
        qtype = question.question_type
        form = qtype.form_data(qtype.example_answer(question.data))
        response = client.post(url, data=form)
        assert response.status_code == 302, (question.type, _text(response))
        # Coming back to the question shows the saved answer in its fields.
        page = _text(client.get(url))
        for value in form["answer"]:
            assert str(value) in page, question.type
    page = _text(client.get(f"/my-training/attempts/{attempt_id}/check"))
    assert "Not answered" not in page
    client.post(f"/my-training/attempts/{attempt_id}/check")
    return attempt_id, _text(client.get(f"/my-training/attempts/{attempt_id}/results"))


@pytest.fixture
def learner(make_agency, make_user):
    agency = make_agency(name="Northshire Homes", kind=AgencyKind.housing, teams=("Tenancy Support",))
    return make_user(roles=(Role.learner,), agency=agency, email="learner@example.org", name="Sam Learner")


def test_every_type_has_its_templates_and_an_example_question(app):
    assert set(BUILT_IN) == {"better-wording", "multiple", "rewrite", "single", "true-false"}
    for name, qtype in REGISTRY.items():
        dirs = qtype.template_dirs()
        for template in TEMPLATES:
            assert any((folder / template).is_file() for folder in dirs), (name, template)
        assert (folder_of(qtype) / "example.md").is_file(), name


def test_every_types_example_answer_survives_its_form_and_is_marked_right(app, tmp_path):
    # (app: so that the test-only type is registered too.)
    root = tmp_path / "courses"
    text = QUIZ.format(questions="\n\n".join(example_question(name) for name in sorted(REGISTRY)))
    write_course(root, "every-type", {"01-every-type.md": text}, code="EVERY-1")
    result = check_paths([root])
    assert result.ok, [str(p) for p in result.errors]
    parsed = next(m for m in result.modules if m.slug == "every-type").questions
    assert sorted(q.type for q in parsed) == sorted(REGISTRY)
    for question in parsed:
        qtype = REGISTRY[question.type]
        answer = qtype.example_answer(question.data)
        assert answer is not None, question.type
        assert qtype.read_answer(question.data, qtype.form_data(answer)) == answer, question.type
        assert qtype.mark(question.data, answer).correct, question.type
        with pytest.raises(questions.UnreadableAnswer):
            qtype.read_answer(question.data, {})


def test_every_registered_type_example_answer_is_marked_right_through_the_quiz_pages(
    client, sign_in, learner, db, tmp_path
):
    every = sorted(REGISTRY)  # the built-in types and the test-only one
    import_quiz(tmp_path, every, db)
    sign_in(learner)
    attempt_id, page = take_quiz(client, db)
    attempt = db.session.get(QuizAttempt, attempt_id)
    db.session.refresh(attempt)
    assert sorted(q.type for q in attempt.module_version.questions) == every
    assert all(a.correct for a in attempt.answers) and len(attempt.answers) == len(every)
    assert attempt.passed and "You passed" in page
    assert page.count('<strong class="govuk-tag govuk-tag--green">Correct</strong>') == len(every)


def test_a_new_type_is_one_folder(client, sign_in, learner, db, tmp_path, number_type):
    # Parses from Markdown, with the type's own errors.
    import_quiz(tmp_path, ["number", "single"], db)
    broken = tmp_path / "broken"
    write_course(broken, "broken", {"01-broken.md": QUIZ.format(questions="## How many? {type=number}\n\nNo answer line.")})
    assert any("number question has no answer" in p.message for p in check_paths([broken]).errors)

    sign_in(learner)
    base = "/my-training/courses/every-type"
    client.post(f"{base}/start")
    response = client.post(f"{base}/modules/every-type/quiz")
    attempt_id = int(re.search(r"/attempts/(\d+)/questions/1$", response.location).group(1))
    attempt = db.session.get(QuizAttempt, attempt_id)
    from modules.learning import quizzes

    number = 1 + next(i for i, q in enumerate(quizzes.attempt_questions(attempt)) if q.type == "number")
    url = f"/my-training/attempts/{attempt_id}/questions/{number}"
    # The learner's form comes from the type's input.html.
    page = _text(client.get(url))
    assert 'inputmode="numeric"' in page and "Within how many working days" in page
    # Its read_answer refuses what is not a number, with its own message, keeping what was typed.
    page = _text(client.post(url, data={"answer": "three"}))
    assert "Enter a whole number, like 5." in page and 'value="three"' in page
    assert _text(client.post(url, data={"answer": ""})).count("Enter a number.") >= 1
    # A wrong number is saved, shown on "Check your answers" by its answer.html, marked wrong,
    # and its feedback.html says the right one.
    assert client.post(url, data={"answer": " 7 "}).status_code == 302
    other = 3 - number
    single = quizzes.attempt_questions(attempt)[other - 1]
    client.post(f"/my-training/attempts/{attempt_id}/questions/{other}",
                data=single.question_type.form_data(single.question_type.example_answer(single.data)))
    page = _text(client.get(f"/my-training/attempts/{attempt_id}/check"))
    assert '<span class="sl-number-answer">7</span>' in page
    client.post(f"/my-training/attempts/{attempt_id}/check")
    page = _text(client.get(f"/my-training/attempts/{attempt_id}/results"))
    assert "Your number: <span" in page and "The right number is 3." in page
    db.session.refresh(attempt)
    stored = {a.question_id: a for a in attempt.answers}
    number_question = quizzes.attempt_questions(attempt)[number - 1]
    assert stored[number_question.id].answer == 7 and stored[number_question.id].correct is False
    assert not attempt.passed
    assert number_type.example_answer(number_question.data) == 3


def test_the_trainers_preview_shows_every_type_through_its_preview_template(
    client, sign_in, make_user, db, tmp_path
):
    import_quiz(tmp_path, sorted(REGISTRY), db)
    sign_in(make_user(roles=(Role.trainer,), email="trainer@example.org"))
    page = _text(client.get("/content/modules/every-type"))
    assert '<p class="govuk-body sl-number-preview">Answer: 3</p>' in page  # the test-only type's
    assert "Say one of: adults-act" in page  # rewrite's
    # The choice types' right options: one each, and two in the multiple-answer question.
    assert page.count('<strong class="govuk-tag govuk-tag--green">Correct</strong>') == 5
    hidden = _text(client.get("/content/modules/every-type?answers=hide"))
    assert "sl-number-preview" not in hidden and "Say one of" not in hidden
