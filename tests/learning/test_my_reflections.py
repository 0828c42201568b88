"""My reflections: the learner's own notes, grouped by course and module, with a link back to
the section, as CSV and a printable page; never anyone else's (managers' and admins' lack of any
route to them is tests/learning/test_privacy.py's walk of every GET route)."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from modules.accounts.models import Role
from modules.learning import progress
from tests.learning.factories import make_course_version
from tests.sql_statements import recorded_statements

MINE = "I noticed I wanted to blame her for going back."
THEIRS = "COLLEAGUE-SECRET: a note written by a colleague."


def _reflect(db, user, course, text, *, when=None):
    progress.start_course(user, course.course)
    db.session.commit()
    case = next(mv for mv in course.module_versions if mv.reflections)
    progress.save_reflection(user.id, case.reflections[0], text, now=when)
    db.session.commit()
    return case


@pytest.fixture
def notes(db, learner, make_user, course_a):
    case = _reflect(db, learner, course_a, MINE, when=datetime(2026, 2, 3, 10, tzinfo=UTC))
    colleague = make_user(roles=(Role.learner,), agency=learner.agency)
    _reflect(db, colleague, course_a, THEIRS)
    return {"case": case, "colleague": colleague}


def test_my_reflections_lists_mine_by_course_and_module_with_a_link_back(client, sign_in, learner, notes):
    sign_in(learner)
    page = client.get("/my-training/reflections").get_data(as_text=True)
    assert MINE in page and THEIRS not in page
    assert ">Course course-a</h2>" in page  # the course heading (the factory's title)
    assert notes["case"].title in page and "What do you think?" in page  # module and prompt
    assert "Written on 3 February 2026" in page
    # Back to the section that holds the prompt (section 2 of the case study), at the box.
    assert 'href="/my-training/courses/course-a/modules/case-study/sections/2#reflection-r-one"' in page
    # Reachable from My training and from the learner record.
    for url in ("/my-training", "/my-training/record"):
        assert 'href="/my-training/reflections"' in client.get(url).get_data(as_text=True)


def test_the_csv_and_the_printable_page_hold_my_notes_only(client, sign_in, learner, notes):
    sign_in(learner)
    response = client.get("/my-training/reflections.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Course", "Module", "Prompt title", "Prompt", "My reflection"]
    assert len(rows) == 2
    assert rows[1][0] == "Course course-a" and rows[1][3] == "What do you think?" and rows[1][4] == MINE
    assert rows[1][5] == "2026-02-03"
    assert THEIRS not in response.get_data(as_text=True)

    printable = client.get("/my-training/reflections/print").get_data(as_text=True)
    assert MINE in printable and THEIRS not in printable and learner.name in printable


def test_a_formula_in_a_note_is_neutralised_in_the_csv(db, client, sign_in, learner, course_a):
    _reflect(db, learner, course_a, "=HYPERLINK(\"http://example.org\")")
    sign_in(learner)
    rows = list(csv.reader(io.StringIO(client.get("/my-training/reflections.csv").data.decode("utf-8-sig"))))
    assert rows[1][4].startswith("'=")


def test_another_learner_never_sees_my_notes(client, sign_in, learner, notes):
    sign_in(notes["colleague"])
    for url in ("/my-training/reflections", "/my-training/reflections.csv", "/my-training/reflections/print"):
        body = client.get(url).get_data(as_text=True)
        assert THEIRS in body and MINE not in body, url


def test_no_reflections_route_names_a_person(app):
    rules = [r for r in app.url_map.iter_rules()
             if r.endpoint in ("learning.my_reflections", "learning.reflections_csv", "learning.reflections_print")]
    assert len(rules) == 3
    assert all(not r.arguments for r in rules)


def test_the_empty_state_says_what_will_appear(client, sign_in, learner):
    sign_in(learner)
    page = client.get("/my-training/reflections").get_data(as_text=True)
    assert "You have not saved any reflections yet" in page and "Spreadsheet (CSV)" not in page


def test_a_shared_module_is_listed_once_under_the_first_course_taken(db, client, sign_in, learner, course_a):
    _reflect(db, learner, course_a, MINE)
    later = make_course_version("course-b", course_a.module_versions[:2], code="CRS-B")
    progress.start_course(learner, later.course)
    db.session.commit()
    sign_in(learner)
    page = client.get("/my-training/reflections").get_data(as_text=True)
    assert page.count(MINE) == 1 and "Course course-a" in page and "Course course-b" not in page


def test_the_list_takes_a_few_queries_however_many_notes(db, app, learner, course_a):
    from modules.learning.reflections import my_reflections

    _reflect(db, learner, course_a, MINE)
    user_id = learner.id
    with recorded_statements(db.engine) as log:
        groups = my_reflections(user_id)
    assert [len(m.entries) for g in groups for m in g.modules] == [1]
    assert len(log.queries) <= 3, log.describe()
