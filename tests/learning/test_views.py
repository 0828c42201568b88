"""The learner's pages through the test client (content built directly, see factories.py)."""
from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from modules.accounts.models import AgencyKind, Role
from modules.learning import progress, quizzes
from modules.learning.models import Completion, QuizAttempt, ReflectionNote
from modules.learning.requirements import set_requirement
from tests.learning.conftest import answer_for

BASE = "/my-training/courses/course-a"


@pytest.fixture
def required(db, course_a):
    for kind in AgencyKind:
        set_requirement(course_a.course, kind)
    db.session.commit()
    return course_a


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_my_training_shows_required_courses_with_words(client, sign_in, learner, required):
    sign_in(learner)
    page = _text(client.get("/my-training"))
    assert "Training you must do" in page
    assert "Course course-a" in page
    assert "Not started" in page  # a tag with words, not colour alone
    assert f'href="{BASE}"' in page


def test_course_page_is_a_task_list_and_start_pins_the_version(client, sign_in, learner, required, db):
    sign_in(learner)
    page = _text(client.get(BASE))
    assert "govuk-task-list" in page and "Start this course" in page
    response = client.post(f"{BASE}/start")
    assert response.status_code == 302
    assert response.location.endswith(f"{BASE}/modules/lesson")
    enrolment = progress.latest_enrolment(learner.id, required.course_id)
    assert enrolment.course_version_id == required.id
    page = _text(client.get(BASE))
    assert "Cannot start yet" in page  # the assessment waits for the other modules


def _start(client, sign_in, learner):
    sign_in(learner)
    client.post(f"{BASE}/start")


def test_sections_one_page_each_with_progress_and_support(client, sign_in, learner, required):
    _start(client, sign_in, learner)
    response = client.get(f"{BASE}/modules/lesson")
    assert response.location.endswith(f"{BASE}/modules/lesson/sections/1")
    page = _text(client.get(f"{BASE}/modules/lesson/sections/1"))
    assert "Section 1 of 2" in page
    # Non-breaking spaces: a telephone number never breaks across two lines.
    assert "0808&nbsp;800&nbsp;5000" in page and "0800&nbsp;1111" in page and "NAPAC" in page and "PACE" in page
    response = client.post(f"{BASE}/modules/lesson/sections/1")
    assert response.location.endswith("/sections/2")
    page = _text(client.get(f"{BASE}/modules/lesson/sections/2"))
    assert "Section 2 of 2" in page and "Finish this module" in page
    assert 'rel="prev"' in page or "Previous" in page
    response = client.post(f"{BASE}/modules/lesson/sections/2")
    assert response.location.endswith(f"{BASE}/modules/lesson/complete")
    page = _text(client.get(response.location))
    assert "Module complete" in page and "You have completed Lesson" in page
    assert client.get(f"{BASE}/modules/lesson/sections/3").status_code == 404


def test_content_note_comes_first_and_a_break_saves_the_place(client, sign_in, learner, required):
    _start(client, sign_in, learner)
    page = _text(client.get(f"{BASE}/modules/case-study"))
    assert "Before you start" in page and "This case study mentions sexual exploitation." in page
    assert "Take a break" in page and "Continue to the module" in page
    client.post(f"{BASE}/modules/case-study/sections/1")
    response = client.post(f"{BASE}/modules/case-study/break", data={"section": "2"})
    assert response.location.endswith("/my-training")
    page = _text(client.get("/my-training"))
    assert "Your place in" in page and "Continue where you left off" in page
    # Continue where you left off: the course, then the module, then section 2.
    response = client.get(f"{BASE}/continue")
    assert response.location.endswith(f"{BASE}/modules/case-study")
    assert client.get(response.location).location.endswith("/modules/case-study/sections/2")


def test_decision_point_records_the_choice_and_shows_the_consequence(client, sign_in, learner, required):
    _start(client, sign_in, learner)
    url = f"{BASE}/modules/case-study/sections/2"
    page = _text(client.get(url))
    assert "What do you do at d-one?" in page and 'name="option"' in page
    # Moving on without answering is refused with an error summary linking to the options.
    response = client.post(url)
    page = _text(response)
    assert "There is a problem" in page and 'href="#decision-d-one-option"' in page
    assert _text(client.post(f"{BASE}/modules/case-study/decisions/d-one", data={})).count("Choose what you would do") >= 1
    response = client.post(f"{BASE}/modules/case-study/decisions/d-one", data={"option": "d-one-o0"})
    assert response.status_code == 302 and response.location.endswith(f"{url}#decision-d-one")
    page = _text(client.get(url))
    assert "Your choice" in page and "Consequence 0 at d-one." in page
    assert "Practice point for d-one." in page and "Not the best option" in page
    assert "Think again" not in page  # nothing invites a retry that is not there
    # Which option was best, and why, is said plainly; the third option can be opened.
    best = page.split("The best option was")[1].split("Practice point: why it was best")[0]
    assert "Choice 1 at d-one" in best and "Consequence 1 at d-one." in best
    assert "Consequence 2 at d-one." not in page and page.count("See what would have happened") == 1
    assert client.post(url).status_code == 302  # now the learner may continue


def test_opening_another_option_keeps_the_first_choice_and_records_what_was_opened(
        client, sign_in, learner, required, db):
    from modules.learning.models import DecisionChoice

    _start(client, sign_in, learner)
    url = f"{BASE}/modules/case-study/sections/2"
    decide = f"{BASE}/modules/case-study/decisions/d-one"
    client.post(decide, data={"option": "d-one-o0"})
    page = _text(client.get(url))
    assert 'id="decision-d-one-d-one-o2"' in page
    assert f'action="{decide}#decision-d-one-d-one-o2"' in page and 'value="d-one-o2"' in page
    response = client.post(decide, data={"option": "d-one-o2"})
    assert response.status_code == 302 and response.location.endswith(f"{url}#decision-d-one-d-one-o2")
    client.post(decide, data={"option": "d-one-o2"})  # twice: remembered once
    client.post(decide, data={"option": "d-one-o0"})  # the first choice is not "opened"
    assert client.post(decide, data={"option": "nonsense"}).location.endswith(f"{url}#decision-d-one")
    choice = db.session.scalar(select(DecisionChoice))
    assert (choice.option_key, choice.explored) == ("d-one-o0", ["d-one-o2"])
    page = _text(client.get(url))
    assert "Consequence 2 at d-one." in page and "See what would have happened" not in page
    assert page.split("Your choice")[1].split("What happened next")[0].count("Choice 0 at d-one") == 1


def test_a_best_first_choice_shows_the_others_to_open(client, sign_in, learner, required, db):
    _start(client, sign_in, learner)
    client.post(f"{BASE}/modules/case-study/decisions/d-one", data={"option": "d-one-o1"})
    page = _text(client.get(f"{BASE}/modules/case-study/sections/2"))
    assert "Best option" in page and "The best option was" not in page
    assert page.count("See what would have happened") == 2
    assert "Consequence 0 at d-one." not in page and "Consequence 2 at d-one." not in page


def test_reflection_is_saved_privately(client, sign_in, learner, required, db):
    _start(client, sign_in, learner)
    url = f"{BASE}/modules/case-study/reflections/r-one"
    assert "Write your reflection" in _text(client.post(url, data={"reflection-r-one": "  "}))
    response = client.post(url, data={"reflection-r-one": "My private thoughts about Month 1."})
    assert response.location.endswith("/sections/2#reflection-r-one")
    page = _text(client.get(f"{BASE}/modules/case-study/sections/2"))
    assert "My private thoughts about Month 1." in page and "Only you can see it" in page
    assert db.session.scalar(select(func.count(ReflectionNote.id))) == 1


class _FormOwners(HTMLParser):
    """Which form each field of a page is sent with: its ``form`` attribute, else the form it is in."""

    def __init__(self):
        super().__init__()
        self.actions, self.fields, self.buttons, self._open = {}, [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._open = a.get("id") or f"form-{len(self.actions)}"
            self.actions[self._open] = a.get("action")
        elif tag == "button":
            self.buttons.append((a.get("form") or self._open, a.get("formaction")))
        elif tag in ("textarea", "input") and a.get("type") != "hidden":
            self.fields.append((tag, a.get("name"), a.get("form") or self._open))

    def buttons_of(self, form_id: str) -> list[str]:
        """Where each of the form's buttons sends it (a form may come after its buttons)."""
        return [action or self.actions[form_id] for owner, action in self.buttons if owner == form_id]

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def _owners(page: str) -> _FormOwners:
    parser = _FormOwners()
    parser.feed(page)
    return parser


def test_every_reflection_box_is_sent_by_continue_and_take_a_break(client, sign_in, learner, required):
    """The defect: the box had a form of its own, so "Continue" (the green button, the obvious tap
    on a phone) dropped what was typed. Whatever the section, each box must belong to the form
    whose buttons are Continue and Take a break."""
    _start(client, sign_in, learner)
    client.post(f"{BASE}/modules/case-study/decisions/d-one", data={"option": "d-one-o1"})
    page = _text(client.get(f"{BASE}/modules/case-study/sections/2"))
    owners = _owners(page)
    boxes = [(name, owner) for tag, name, owner in owners.fields if tag == "textarea"]
    assert boxes == [("reflection-r-one", "section-form")]
    buttons = owners.buttons_of("section-form")
    assert f"{BASE}/modules/case-study/sections/2" in buttons  # Continue
    assert f"{BASE}/modules/case-study/break" in buttons
    assert f"{BASE}/modules/case-study/reflections/r-one" in buttons  # Save my reflection
    assert "kept when you save it, continue or take a break" in page


def test_continue_saves_what_was_typed_in_a_reflection(client, sign_in, learner, required, db):
    _start(client, sign_in, learner)
    client.post(f"{BASE}/modules/case-study/decisions/d-one", data={"option": "d-one-o1"})
    section = f"{BASE}/modules/case-study/sections/2"
    response = client.post(section, data={"section": "2", "reflection-r-one": "Typed, then Continue."})
    assert response.status_code == 302 and response.location.endswith("/sections/3")
    assert "Your reflection is saved. Only you can see it." in _text(client.get(response.location))
    assert db.session.scalar(select(ReflectionNote.text)) == "Typed, then Continue."
    # Going back shows it; pressing Continue again with the same text writes nothing new.
    assert "Typed, then Continue." in _text(client.get(section))
    response = client.post(section, data={"section": "2", "reflection-r-one": "Typed, then Continue."})
    assert "Your reflection is saved" not in _text(client.get(response.location))
    # An empty box is not a reflection: nothing is saved or removed, and the learner moves on.
    assert client.post(section, data={"section": "2", "reflection-r-one": "  "}).status_code == 302
    assert db.session.scalar(select(func.count(ReflectionNote.id))) == 1


def test_take_a_break_saves_what_was_typed_in_a_reflection(client, sign_in, learner, required, db):
    _start(client, sign_in, learner)
    response = client.post(f"{BASE}/modules/case-study/break",
                           data={"section": "2", "reflection-r-one": "Typed, then a break."})
    assert response.location.endswith("/my-training")
    assert db.session.scalar(select(ReflectionNote.text)) == "Typed, then a break."


def test_continue_with_a_decision_unanswered_keeps_the_reflection(client, sign_in, learner, required, db):
    _start(client, sign_in, learner)
    page = _text(client.post(f"{BASE}/modules/case-study/sections/2",
                             data={"section": "2", "reflection-r-one": "Written before deciding."}))
    assert "Choose what you would do before you continue" in page
    assert "Written before deciding." in page
    assert db.session.scalar(select(ReflectionNote.text)) == "Written before deciding."


def test_a_reflection_too_long_to_keep_stops_continue_and_loses_nothing(client, sign_in, learner, required, db):
    _start(client, sign_in, learner)
    client.post(f"{BASE}/modules/case-study/decisions/d-one", data={"option": "d-one-o1"})
    text = "word " * (progress.REFLECTION_MAX_LENGTH // 5 + 1)
    for url in (f"{BASE}/modules/case-study/sections/2", f"{BASE}/modules/case-study/break"):
        response = client.post(url, data={"section": "2", "reflection-r-one": text})
        assert response.status_code == 200, url
        page = _text(response)
        assert "There is a problem" in page and 'href="#reflection-r-one-text"' in page
        assert text.strip() in page
    assert db.session.scalar(select(func.count(ReflectionNote.id))) == 0


def test_local_contacts_come_from_the_configured_file(app, client, sign_in, learner, required, tmp_path):
    _start(client, sign_in, learner)
    url = f"{BASE}/modules/handbook/sections/3"
    page = _text(client.get(url))
    assert "Ask your safeguarding lead" in page  # the safe fallback
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text(
        "contacts:\n"
        "  - name: Northshire children's services front door\n"
        "    phone: 01632 960000\n"
        "    email: front.door@example.org\n"
        "    hours: Monday to Friday, 9am to 5pm\n"
    )
    app.config["SIGHTLINE_LOCAL_CONTACTS_FILE"] = str(contacts)
    page = _text(client.get(url))
    assert "Northshire children&#39;s services front door" in page
    assert 'href="tel:01632960000"' in page and "Ask your safeguarding lead" not in page


def test_anchor_links_lead_to_the_section_that_holds_them(client, sign_in, learner, required):
    _start(client, sign_in, learner)
    page = _text(client.get(f"{BASE}/modules/handbook/sections/1"))
    assert f'href="{BASE}/modules/handbook/sections/3#who-to-call"' in page


def test_handbook_search_and_print(client, sign_in, learner, required):
    _start(client, sign_in, learner)
    page = _text(client.get(f"{BASE}/modules/handbook/search?q=child+words"))
    assert "1 section found" in page
    assert f'href="{BASE}/modules/handbook/sections/2"' in page
    assert "<mark>child</mark>" in page and "<mark>words</mark>" in page
    assert "No sections found" in _text(client.get(f"{BASE}/modules/handbook/search?q=zebra"))
    page = _text(client.get(f"{BASE}/modules/handbook/print"))
    assert ">Handbook</h1>" in page and ">Introduction</h2>" in page  # not the title twice
    for title in ("Record", "Who to call"):
        assert f">{title}</h2>" in page
    assert "Lesson introduction" not in page  # only the handbook
    assert "Ask your safeguarding lead" in page and "data-sl-print" in page
    # Only handbooks have search and print.
    assert client.get(f"{BASE}/modules/lesson/search?q=signs").status_code == 404
    assert client.get(f"{BASE}/modules/lesson/print").status_code == 404


def _finish_modules(client, module_slugs_sections):
    for slug, sections in module_slugs_sections:
        for n in range(1, sections + 1):
            client.post(f"{BASE}/modules/{slug}/sections/{n}")


def _do_everything_but_the_assessment(client):
    client.post(f"{BASE}/modules/case-study/decisions/d-one", data={"option": "d-one-o1"})
    _finish_modules(client, [("lesson", 2), ("case-study", 3), ("handbook", 3)])


def test_quiz_answer_check_submit_results_and_retry(client, sign_in, learner, required, db):
    _start(client, sign_in, learner)
    assert client.get(f"{BASE}/modules/assessment/quiz").status_code == 302  # locked at first
    _do_everything_but_the_assessment(client)
    page = _text(client.get(f"{BASE}/modules/assessment/quiz"))
    assert "Start the quiz" in page and "80%" in page and "2 questions" in page

    def take(right: bool):
        response = client.post(f"{BASE}/modules/assessment/quiz")
        attempt_id = int(re.search(r"/attempts/(\d+)/questions/1$", response.location).group(1))
        attempt = db.session.get(QuizAttempt, attempt_id)
        questions = quizzes.attempt_questions(attempt)
        # An empty answer is refused with an error linked to the field.
        page = _text(client.post(f"/my-training/attempts/{attempt_id}/questions/1", data={}))
        assert "There is a problem" in page and 'href="#answer"' in page
        for number, question in enumerate(questions, start=1):
            answer = answer_for(question, right=right)
            response = client.post(
                f"/my-training/attempts/{attempt_id}/questions/{number}",
                data={"answer": answer if isinstance(answer, list) else [answer]},
            )
            assert response.status_code == 302
        assert response.location.endswith(f"/my-training/attempts/{attempt_id}/check")
        page = _text(client.get(response.location))
        assert "Check your answers before you submit" in page
        assert page.count("?change=1") == len(questions)
        response = client.post(f"/my-training/attempts/{attempt_id}/check")
        assert response.location.endswith(f"/my-training/attempts/{attempt_id}/results")
        return attempt_id, _text(client.get(response.location))

    attempt_id, page = take(right=False)
    assert "You did not pass this time" in page and "Try again with new questions" in page
    assert "Incorrect" in page and "The right answer" in page and "Why" in page and "Source:" in page
    # Answers cannot change after submission.
    response = client.post(f"/my-training/attempts/{attempt_id}/questions/1", data={"answer": ["x"]})
    assert response.location.endswith("/results")
    assert db.session.scalar(select(func.count(Completion.id))) == 0

    second_id, page = take(right=True)
    assert second_id != attempt_id
    assert "You passed" in page and "Correct" in page
    assert "You have completed" in page
    completion = db.session.scalar(select(Completion))
    assert completion.score == 100
    page = _text(client.get("/my-training"))
    assert "Completed" in page and "Valid until" in page


def test_another_learners_attempt_is_a_404(client, sign_in, learner, required, make_user, db):
    enrolment = progress.start_course(learner, required.course).enrolment
    db.session.commit()
    for mv in required.module_versions[:3]:
        run = progress.working_run(enrolment, mv, create=True)
        for dp in mv.decision_points:
            progress.choose_option(run, dp, dp.options[0]["key"])
        for n in range(1, progress.section_count(mv) + 1):
            progress.record_visit(run, n)
        db.session.commit()
        from modules.learning.completion import after_module_activity

        after_module_activity(run)
    attempt = quizzes.start_attempt(enrolment, required.module_versions[3])
    db.session.commit()
    other = make_user(roles=(Role.learner,), agency=learner.agency)
    sign_in(other)
    for path in ("questions/1", "check", "results"):
        assert client.get(f"/my-training/attempts/{attempt.id}/{path}").status_code == 404
    assert client.post(f"/my-training/attempts/{attempt.id}/questions/1", data={"answer": ["x"]}).status_code == 404
    assert client.post(f"/my-training/attempts/{attempt.id}/check").status_code == 404


def test_a_course_not_for_the_learner_is_a_404(client, sign_in, learner, db):
    from tests.learning.factories import make_course_version, make_module_version

    make_course_version("police-only", [make_module_version("p-lesson")], audience=["police"])
    sign_in(learner)  # housing
    assert client.get("/my-training/courses/police-only").status_code == 404
    assert client.post("/my-training/courses/police-only/start").status_code == 404
    assert "police-only" not in _text(client.get("/my-training"))


def test_learner_record_and_csv(client, sign_in, learner, required, db, do):
    enrolment = progress.start_course(learner, required.course).enrolment
    db.session.commit()
    for mv in required.module_versions[:3]:
        do.module(enrolment, mv)
    do.quiz(enrolment, required.module_versions[3])
    sign_in(learner)
    page = _text(client.get("/my-training/record"))
    # The completion's certificate (issued by modules.certificates) is linked from the record.
    assert "Course course-a" in page and "100%" in page and "Download certificate " in page
    response = client.get("/my-training/record.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(_text(response).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Course code", "Course", "Course version"]
    assert rows[1][0] == "CRS-A" and rows[1][6] == "100"
    assert rows[1][9].startswith("http") and rows[1][9].endswith("/pdf")


def test_csv_neutralises_formulas(client, sign_in, learner, db, do):
    from tests.learning.factories import make_course_version, make_module_version

    version = make_course_version(
        "formula", [make_module_version("f-lesson")], code="F-1", title="=HYPERLINK(\"http://x\")"
    )
    enrolment = progress.start_course(learner, version.course).enrolment
    db.session.commit()
    do.module(enrolment, version.module_versions[0])
    sign_in(learner)
    rows = list(csv.reader(io.StringIO(_text(client.get("/my-training/record.csv")).lstrip("\ufeff"))))
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")"


def test_a_refresher_on_a_new_version_says_so(client, sign_in, learner, required, db, do):
    from tests.learning.factories import make_course_version, make_module_version

    enrolment = progress.start_course(learner, required.course).enrolment
    db.session.commit()
    for mv in required.module_versions[:3]:
        do.module(enrolment, mv)
    do.quiz(enrolment, required.module_versions[3])
    # The trainer publishes a new version with an extra lesson.
    make_course_version("course-a", [make_module_version("new-lesson"), *required.module_versions], code="CRS-A")
    sign_in(learner)
    page = _text(client.get(BASE))
    assert "Start your refresher" in page
    client.post(f"{BASE}/start")
    page = _text(client.get("/my-training"))
    assert "You are starting version 2 of this course" in page
    assert db.session.scalar(select(func.count(Completion.id))) == 1  # the first one is kept


def test_a_learner_midway_is_told_the_course_changed(client, sign_in, learner, required, db):
    from tests.learning.factories import make_course_version, make_module_version

    sign_in(learner)
    client.post(f"{BASE}/start")
    client.post(f"{BASE}/modules/lesson/sections/1")
    make_course_version("course-a", [make_module_version("new-lesson"), *required.module_versions], code="CRS-A")
    page = _text(client.get(BASE))
    assert "This course was updated after you started it" in page
    assert "New lesson" not in page  # the module list is the started version's
    # The modules and pages are still those of the version started.
    assert client.get(f"{BASE}/modules/lesson/sections/2").status_code == 200
    assert client.get(f"{BASE}/modules/new-lesson").status_code == 404


def test_module_links_in_content_lead_into_the_players_course(client, sign_in, learner, required):
    sign_in(learner)
    response = client.get("/content/go/handbook")
    assert response.status_code == 302
    response = client.get(response.location)
    assert response.location.endswith(f"{BASE}/modules/handbook")
    assert client.get("/my-training/modules/no-such-module").status_code == 404
