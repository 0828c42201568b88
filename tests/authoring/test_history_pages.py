"""The comparison of two texts, and the history, diff and restore pages."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from modules.accounts.models import Role
from modules.authoring.diffing import ADDED, REMOVED, SAME, DiffLine, Fold, diff_texts
from modules.authoring.drafts import save_draft
from modules.authoring.history import file_history
from modules.content.models import ModuleVersion
from modules.content.services import current_module_version
from tests.authoring.test_history import FIRST, PATH, publish, small_course, trainer  # noqa: F401

SECOND = FIRST.replace("The first text.", "The changed text.") + "\nA third paragraph.\n"


def words(html: str) -> str:
    """The page as a screen reader reads it: tags gone, spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# The comparison --------------------------------------------------------------------------------

def test_added_and_removed_lines_are_told_apart_with_both_line_numbers():
    diff = diff_texts("one\ntwo\nthree\n", "one\nthree\nfour\n")
    lines = [(r.kind, r.old_number, r.new_number, r.text) for r in diff.rows]
    assert lines == [(SAME, 1, 1, "one"), (REMOVED, 2, None, "two"), (SAME, 3, 2, "three"),
                     (ADDED, None, 3, "four")]
    assert (diff.added, diff.removed) == (1, 1)


def test_a_changed_line_marks_only_the_words_that_changed():
    diff = diff_texts("The quick brown fox.\n", "The quick red fox!\n")
    removed, added = diff.rows
    assert [(s.text, s.changed) for s in removed.segments] == [
        ("The quick ", False), ("brown", True), (" fox", False), (".", True)]
    assert [s.text for s in added.segments if s.changed] == ["red", "!"]


def test_long_unchanged_stretches_are_folded_with_a_count():
    old = "\n".join(f"line {n}" for n in range(1, 31))
    new = old.replace("line 15", "line fifteen")
    rows = diff_texts(old, new, context=3).rows
    folds = [r for r in rows if isinstance(r, Fold)]
    assert [(f.count, f.old_start) for f in folds] == [(11, 1), (12, 19)]
    shown = [r.old_number for r in rows if isinstance(r, DiffLine) and r.kind == SAME]
    assert shown == [12, 13, 14, 16, 17, 18]


def test_the_same_text_has_no_changes():
    diff = diff_texts("a\nb\n", "a\nb\n")
    assert diff.identical and not any(isinstance(r, DiffLine) and r.kind != SAME for r in diff.rows)


# The pages -------------------------------------------------------------------------------------

@pytest.fixture
def two_versions(small_course, db, trainer):  # noqa: F811
    publish(db, PATH, SECOND, actor=trainer, note="Changes the first line")
    return trainer


def test_the_history_page_lists_each_version_with_who_and_the_note(two_versions, client, sign_in):
    sign_in(two_versions)
    page = words(client.get(f"/authoring/files/{PATH}/history").get_data(as_text=True))
    assert "History of First steps" in page
    assert re.search(r"Version 2 Learners get this version .*By Tess Trainer .*"
                     r"Published in the browser .*Change note Changes the first line", page)
    assert re.search(r"Version 1 .*By command line.*Content import from a folder", page)
    assert "Restore version 1" in page and "Restore version 2" not in page


def test_the_diff_page_says_in_words_what_was_removed_and_added(two_versions, client, sign_in):
    sign_in(two_versions)
    response = client.get(f"/authoring/files/{PATH}/diff?from=1&to=2")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = words(html)
    assert "Changes from version 1 to version 2" in page
    assert "1 line removed and 3 lines added" in page
    assert re.search(r"\b6 Removed The \[removed words: first \] text\.", page)
    assert re.search(r"\b6 Added The \[added words: changed \] text\.", page)
    assert re.search(r"\b10 Added A third paragraph\.", page)
    assert "<del>" in html and "<ins>" in html


def test_the_diff_page_compares_the_last_two_versions_by_default(two_versions, client, sign_in):
    sign_in(two_versions)
    page = words(client.get(f"/authoring/files/{PATH}/diff").get_data(as_text=True))
    assert "Changes from version 1 to version 2" in page


@pytest.mark.parametrize("query", ["from=1&to=9", "from=abc&to=2", "from=%C2%B2&to=1", "to=2"])
def test_a_version_that_does_not_exist_is_an_error_message_not_a_crash(two_versions, client, sign_in, query):
    sign_in(two_versions)
    response = client.get(f"/authoring/files/{PATH}/diff?{query}")
    assert response.status_code == 200
    page = words(response.get_data(as_text=True))
    assert "There is a problem" in page
    assert ("There is no such version of this file" in page or "Choose the version" in page)
    assert "Changes from" not in page


def test_the_restore_page_shows_the_change_and_a_prefilled_note(two_versions, client, sign_in):
    sign_in(two_versions)
    html = client.get(f"/authoring/files/{PATH}/restore?version=1").get_data(as_text=True)
    page = words(html)
    assert "Restore version 1 of First steps" in page
    assert "Changes from version 2 (now) to version 1" in page
    assert re.search(r"Removed A third paragraph\.", page)
    assert re.search(r'<textarea[^>]*name="note"[^>]*>\s*Restores version 1</textarea>', html)


def test_restoring_through_the_page_publishes_version_three(two_versions, client, sign_in, db):
    sign_in(two_versions)
    response = client.post(f"/authoring/files/{PATH}/restore",
                           data={"version": "1", "note": "Restores version 1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/authoring/files/{PATH}/history")
    assert current_module_version("first-steps").number == 3
    page = words(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Version 1 is restored as version 3" in page


def test_a_restore_without_a_note_keeps_the_page_and_publishes_nothing(two_versions, client, sign_in, db):
    sign_in(two_versions)
    response = client.post(f"/authoring/files/{PATH}/restore", data={"version": "1", "note": "  "})
    assert response.status_code == 200
    assert "Enter a change note saying why you are restoring this version" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ModuleVersion)
                             .where(ModuleVersion.source_path == PATH)) == 2


def test_a_restore_over_a_draft_is_refused_and_says_why(two_versions, client, sign_in, db):
    save_draft(PATH, expected_revision=0, actor=two_versions, text=SECOND + "\nUnfinished.\n")
    db.session.commit()
    sign_in(two_versions)
    page = words(client.get(f"/authoring/files/{PATH}/restore?version=1").get_data(as_text=True))
    assert "Publish or discard the draft first" in page and "Restore version 1</button>" not in page
    response = client.post(f"/authoring/files/{PATH}/restore", data={"version": "1", "note": "x"})
    assert response.status_code == 409
    assert "Publish or discard the draft first" in response.get_data(as_text=True)
    assert current_module_version("first-steps").number == 2


def test_restoring_the_text_learners_get_now_says_nothing_was_published(two_versions, client, sign_in):
    sign_in(two_versions)
    client.post(f"/authoring/files/{PATH}/restore", data={"version": "1", "note": "Back"})
    response = client.post(f"/authoring/files/{PATH}/restore", data={"version": "1", "note": "Again"},
                           follow_redirects=True)
    assert "Nothing was published: version 1 has the same text" in response.get_data(as_text=True)
    assert [v.number for v in file_history(PATH).versions] == [3, 2, 1]


def test_an_unknown_file_or_version_is_a_404(two_versions, client, sign_in):
    sign_in(two_versions)
    assert client.get("/authoring/files/hist-course/09-nothing.md/history").status_code == 404
    assert client.get(f"/authoring/files/{PATH}/restore?version=7").status_code == 404
    assert client.get(f"/authoring/files/{PATH}/restore?version=abc").status_code == 404


@pytest.mark.parametrize("role", [Role.learner, Role.manager])
def test_only_authors_see_the_history(two_versions, client, sign_in, make_user, role):
    sign_in(make_user(roles=(role,)))
    assert client.get(f"/authoring/files/{PATH}/history").status_code == 403
    assert client.post(f"/authoring/files/{PATH}/restore", data={"version": "1", "note": "x"}).status_code == 403


def test_a_new_file_with_only_a_draft_has_a_history_page_with_no_versions(small_course, client, sign_in, db,  # noqa: F811
                                                                          trainer):  # noqa: F811
    new = "hist-course/03-new.md"
    save_draft(new, expected_revision=0, actor=trainer, text=FIRST)
    db.session.commit()
    sign_in(trainer)
    response = client.get(f"/authoring/files/{new}/history")
    assert response.status_code == 200
    assert "This file has not been published yet" in response.get_data(as_text=True)
    assert client.get(f"/authoring/files/{new}/diff").status_code == 404


def test_the_slots_link_to_the_history(app):
    from types import SimpleNamespace

    from flask import render_template

    with app.test_request_context():
        row = render_template("authoring/slots/module_row_history.html",
                              file=SimpleNamespace(path=PATH, title="First steps", published_number=2))
        new = render_template("authoring/slots/module_row_history.html",
                              file=SimpleNamespace(path=PATH, title="First steps", published_number=None))
        editor = render_template("authoring/slots/editor_history.html", path=PATH)
        course = render_template("authoring/slots/course_history.html", folder="hist-course")
    assert f'href="/authoring/files/{PATH}/history"' in row and "History" in row
    assert "href" not in new
    assert f'href="/authoring/files/{PATH}/history"' in editor
    assert 'href="/authoring/files/hist-course/course.md/history"' in course


def test_the_course_and_editor_pages_link_to_the_history(two_versions, client, sign_in):
    sign_in(two_versions)
    course = client.get("/authoring/courses/hist-course").get_data(as_text=True)
    assert f'href="/authoring/files/{PATH}/history"' in course
    assert 'href="/authoring/files/hist-course/course.md/history"' in course
    editor = client.get(f"/authoring/files/{PATH}").get_data(as_text=True)
    assert f'href="/authoring/files/{PATH}/history"' in editor
