"""Preview as a learner: the whole module as the player shows it (sections, decision points with
their consequences, reflections, a quiz answered and marked), from the working copy, and nothing
written to any table while the trainer tries it."""
from __future__ import annotations

import json
import re

import pytest

from modules.authoring import learner_preview
from modules.authoring.drafts import save_draft
from modules.core.roles import Role
from tests.sql_statements import recorded_statements

CASE_STUDY = "cse-level-1/09-case-study-missing-episodes.md"
QUIZ = "cse-level-1/13-final-assessment.md"
BASE = "/authoring/files/{}/preview"


@pytest.fixture
def trainer(bundled, client, make_user, sign_in):
    sign_in(make_user(roles=(Role.trainer,)))
    return client


def _page(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return response.get_data(as_text=True)


def _state(html: str) -> str:
    return json.loads(re.search(r'name="state" value="([^"]*)"', html).group(1).replace("&#34;", '"'))


def test_the_front_door_shows_the_content_note_then_each_section_with_the_banner(trainer):
    html = _page(trainer.get(BASE.format(CASE_STUDY)))
    assert "Preview: nothing you do here is recorded" in html
    assert "Before you start" in html and "This case study follows a 14 year old girl" in html
    assert f'href="/authoring/files/{CASE_STUDY}"' in html  # back to the editor
    section = _page(trainer.get(BASE.format(CASE_STUDY) + "/sections/3"))
    assert '<h1 class="govuk-heading-l">Month 2: missing twice</h1>' in section
    assert "Section 3 of 7" in section
    assert "Preview: nothing you do here is recorded" in section
    assert 'name="option"' in section  # the decision point, unanswered
    assert trainer.get(BASE.format(CASE_STUDY) + "/sections/99").status_code == 404


def test_a_decision_shows_its_consequence_and_keeps_the_earlier_choice(trainer):
    mv = learner_preview.load(CASE_STUDY).version
    decision = mv.decision_points[0]
    number = next(i for i, s in enumerate(mv.sections, 1) if s.anchor == decision.section_anchor)
    url = BASE.format(CASE_STUDY) + f"/sections/{number}/decisions/{decision.key}"
    refused = _page(trainer.post(url, data={}))
    assert "Choose what you would do" in refused
    best = next(o for o in decision.options if o["correct"])
    html = _page(trainer.post(url, data={"option": best["key"]}))
    assert "Best option" in html and "What happened next" in html
    others = [d for d in mv.decision_points if d.section_anchor == decision.section_anchor and d is not decision]
    if others:  # a second decision on the same page keeps the first choice in its form
        assert f'name="chose-{decision.key}" value="{best["key"]}"' in html


def test_another_option_opens_in_the_preview_as_in_the_player(trainer):
    mv = learner_preview.load(CASE_STUDY).version
    decision = mv.decision_points[0]
    number = next(i for i, s in enumerate(mv.sections, 1) if s.anchor == decision.section_anchor)
    url = BASE.format(CASE_STUDY) + f"/sections/{number}/decisions/{decision.key}"
    poor = [o for o in decision.options if not o["correct"]]
    first, other = poor[0], poor[1] if len(poor) > 1 else None
    html = _page(trainer.post(url, data={"option": first["key"]}))
    assert "Not the best option" in html and "The best option" in html
    if other is None:
        return
    assert "See what would have happened" in html
    html = _page(trainer.post(url, data={"chose-" + decision.key: first["key"], "option": other["key"]}))
    block = html.split(f'id="decision-{decision.key}-{other["key"]}"')[1].split('class="sl-decision__other"')[0]
    assert "What would have happened" in block and "See what would have happened" not in block
    # The first choice stays the one shown as the learner's.
    assert first["html"] in html.split("Your choice")[1].split("What happened next")[0]
    assert choices_from_form(decision, first, other)[decision.key].explored == [other["key"]]


def choices_from_form(decision, first, other):
    from werkzeug.datastructures import MultiDict

    mv = learner_preview.load(CASE_STUDY).version
    form = MultiDict([(f"chose-{decision.key}", first["key"]), (f"explored-{decision.key}", other["key"]),
                      (f"explored-{decision.key}", other["key"]), (f"explored-{decision.key}", "nonsense")])
    return learner_preview.choices_from(form, mv)


def test_a_reflection_is_kept_on_the_page_but_never_saved(trainer):
    mv = learner_preview.load(CASE_STUDY).version
    reflection = mv.reflections[0]
    number = next(i for i, s in enumerate(mv.sections, 1) if s.anchor == reflection.section_anchor)
    html = _page(trainer.post(BASE.format(CASE_STUDY) + f"/sections/{number}",
                              data={f"reflection-{reflection.key}": "My own thoughts"}))
    assert "My own thoughts" in html
    assert "In a preview your reflection is not saved" in html


def test_a_quiz_is_answered_and_marked_against_the_pass_mark(trainer):
    html = _page(trainer.get(BASE.format(QUIZ)))
    assert "Pass mark" in html and "80%" in html and "Start the quiz" in html
    html = _page(trainer.post(BASE.format(QUIZ)))
    state = _state(html)
    assert len(state["drawn"]) == 15
    mv = learner_preview.load(QUIZ).version
    by_position = {q.position: q for q in mv.questions}
    refused = _page(trainer.post(BASE.format(QUIZ) + "/questions/1", data={"state": json.dumps(state)}))
    assert "There is a problem" in refused
    for number, position in enumerate(state["drawn"], start=1):
        question = by_position[position]
        answer = question.question_type.right_answer(question.data) if hasattr(question.question_type, "right_answer") else None
        form = _right_form(question) if answer is None else question.question_type.form_data(answer)
        html = _page(trainer.post(BASE.format(QUIZ) + f"/questions/{number}", data={**form, "state": json.dumps(state)}))
        if number < len(state["drawn"]):
            state = _state(html)
    assert "You passed" in html
    assert "Your answers" in html and "Question 15" in html


def _right_form(question) -> dict[str, list[str]]:
    data = question.data
    if "options" in data:
        right = [o["key"] for o in data["options"] if o["correct"]]
        return {"answer": right}
    return {"answer": [data.get("model") or data.get("model_answer") or "x"]}


def test_wrong_answers_fail_with_feedback(trainer):
    state = _state(_page(trainer.post(BASE.format(QUIZ))))
    mv = learner_preview.load(QUIZ).version
    by_position = {q.position: q for q in mv.questions}
    html = ""
    for number, position in enumerate(state["drawn"], start=1):
        data = by_position[position].data
        wrong = [o["key"] for o in data.get("options", []) if not o["correct"]][:1] or []
        form = {"answer": wrong or ["The girl was asking for it."]}
        html = _page(trainer.post(BASE.format(QUIZ) + f"/questions/{number}", data={**form, "state": json.dumps(state)}))
        if number < len(state["drawn"]):
            state = _state(html)
    assert "You did not pass this time" in html and "You need 80% to pass" in html
    assert "Incorrect" in html


def test_the_preview_shows_the_draft_and_its_errors(bundled, trainer, db, make_user):
    text = learner_preview.drafts.current_text(CASE_STUDY)
    sentence = "Nadia is 14."
    assert text.count(sentence) == 1
    broken = text.replace(sentence, f"{sentence} See [later](#no-such-anchor).")
    save_draft(CASE_STUDY, expected_revision=0, actor=make_user(roles=(Role.trainer,)), text=broken)
    db.session.commit()
    html = _page(trainer.get(BASE.format(CASE_STUDY) + "/sections/1"))
    assert "cannot be published yet" in html
    assert re.search(rf'href="/authoring/files/{CASE_STUDY}#L\d+">Line \d+, column \d+</a>', html)


def test_a_module_whose_settings_cannot_be_read_says_so(bundled, trainer, db, make_user):
    save_draft(CASE_STUDY, expected_revision=0, actor=make_user(roles=(Role.trainer,)), text="no settings\n")
    db.session.commit()
    html = _page(trainer.get(BASE.format(CASE_STUDY)))
    assert "This module cannot be shown yet" in html
    assert trainer.get(BASE.format(CASE_STUDY) + "/sections/1").status_code == 404


def test_course_files_and_missing_files_are_not_previewed(trainer):
    assert trainer.get(BASE.format("cse-level-1/course.md")).status_code == 404
    assert trainer.get(BASE.format("cse-level-1/99-nothing.md")).status_code == 404


def test_a_full_preview_writes_nothing(trainer, db):
    mv = learner_preview.load(CASE_STUDY).version
    decision, reflection = mv.decision_points[0], mv.reflections[0]
    numbers = {s.anchor: i for i, s in enumerate(mv.sections, 1)}
    with recorded_statements(db.engine) as log:
        _page(trainer.get(BASE.format(CASE_STUDY)))
        for number in range(1, len(mv.sections) + 1):
            _page(trainer.get(BASE.format(CASE_STUDY) + f"/sections/{number}"))
        _page(trainer.post(BASE.format(CASE_STUDY) + f"/sections/{numbers[decision.section_anchor]}/decisions/{decision.key}",
                           data={"option": decision.options[0]["key"]}))
        _page(trainer.post(BASE.format(CASE_STUDY) + f"/sections/{numbers[reflection.section_anchor]}",
                           data={f"reflection-{reflection.key}": "kept nowhere"}))
        state = _state(_page(trainer.post(BASE.format(QUIZ))))
        for number in range(1, len(state["drawn"]) + 1):
            html = _page(trainer.post(BASE.format(QUIZ) + f"/questions/{number}",
                                      data={"answer": ["a", "b", "true", "The child was groomed."], "state": json.dumps(state)}))
            if "name=\"state\"" in html and number < len(state["drawn"]):
                state = _state(html)
    assert log.writes == [], log.writes
