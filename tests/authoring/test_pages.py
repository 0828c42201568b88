"""The authoring home, the course page and publishing, for trainers and partnership admins."""
from __future__ import annotations

import re

import pytest

from modules.core.roles import Role


@pytest.fixture
def trainer_client(bundled, client, make_user, sign_in):
    return sign_in(make_user(roles=(Role.trainer,), name="Sam Trainer"))


def test_the_home_page_lists_the_courses_with_their_state(trainer_client):
    html = trainer_client.get("/authoring/").get_data(as_text=True)
    assert 'href="/authoring/courses/cse-level-1"' in html
    assert "Version 1 published" in html


def test_the_course_page_lists_modules_in_order_with_an_edit_link(trainer_client):
    page = trainer_client.get("/authoring/courses/cse-level-1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/authoring/files/cse-level-1/01-what-is-cse.md"' in html
    assert "Publish changes" not in html


def _publish_folder(root):
    from modules.content.checker import check_paths
    from modules.content.importer import import_checked
    from tests.authoring.conftest import ROOT

    result = check_paths([root], ROOT / "certificates")
    assert result.ok, [str(p) for p in result.errors]
    import_checked(result)


def _draft(client, path, change):
    from modules.authoring.drafts import current_revision, current_text

    text = change(current_text(path))
    response = client.post(f"/authoring/files/{path}", data={"text": text, "revision": current_revision(path)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return text


PATH = "cse-level-1/01-what-is-cse.md"


def test_a_draft_shows_on_the_course_page_and_home(trainer_client):
    _draft(trainer_client, PATH, lambda t: t + "\nOne more line.\n")
    course = trainer_client.get("/authoring/courses/cse-level-1").get_data(as_text=True)
    assert "Draft saved by Sam Trainer" in course
    assert 'href="/authoring/courses/cse-level-1/publish"' in course
    assert "has unpublished changes" in trainer_client.get("/authoring/").get_data(as_text=True)


def test_publishing_makes_the_next_version_with_the_note(trainer_client, db):
    from modules.authoring.drafts import draft_for
    from modules.content.services import current_module_version

    text = _draft(trainer_client, PATH, lambda t: t + "\nOne more line.\n")
    review = trainer_client.get("/authoring/courses/cse-level-1/publish").get_data(as_text=True)
    assert f"Changed: <code>{PATH}</code>" in review
    assert 'name="note"' in review
    refused = trainer_client.post("/authoring/courses/cse-level-1/publish", data={"note": ""})
    assert refused.status_code == 400
    assert "Enter a change note" in refused.get_data(as_text=True)
    assert current_module_version("what-is-cse").number == 1
    done = trainer_client.post("/authoring/courses/cse-level-1/publish",
                               data={"note": "Adds a line on online grooming"}, follow_redirects=True)
    assert done.status_code == 200
    assert "Published: " in done.get_data(as_text=True)
    version = current_module_version("what-is-cse")
    assert version.number == 2
    assert version.publication.note == "Adds a line on online grooming"
    assert draft_for(PATH) is None
    assert "Version 2" in trainer_client.get("/authoring/courses/cse-level-1").get_data(as_text=True)
    from modules.authoring.drafts import current_text
    assert current_text(PATH) == text


def test_errors_block_publishing_and_link_to_their_line(trainer_client):
    from modules.content.services import current_module_version

    _draft(trainer_client, PATH, lambda t: t.replace("kind:", "knd:", 1))
    review = trainer_client.get("/authoring/courses/cse-level-1/publish").get_data(as_text=True)
    assert "stop" in review and f'href="/authoring/files/{PATH}#L' in review
    assert 'name="note"' not in review  # no Publish button while there are errors
    response = trainer_client.post("/authoring/courses/cse-level-1/publish", data={"note": "Try anyway"})
    assert response.status_code == 400
    assert current_module_version("what-is-cse").number == 1


def test_a_case_study_with_personal_data_cannot_be_published(trainer_client, db):
    from modules.authoring.drafts import current_text
    from modules.content.services import current_module_version

    case_path = "cse-level-1/09-case-study-missing-episodes.md"
    assert current_text(case_path) is not None
    _draft(trainer_client, case_path, lambda t: t + "\nShe was last seen near LS1 4AP.\n")
    editor = trainer_client.get(f"/authoring/files/{case_path}").get_data(as_text=True)
    assert 'data-severity="error"' in editor and "postcode" in editor
    response = trainer_client.post("/authoring/courses/cse-level-1/publish", data={"note": "Adds a detail"})
    assert response.status_code == 400
    assert "postcode" in response.get_data(as_text=True)
    assert current_module_version("case-study-missing-episodes").number == 1


def test_learners_mid_course_keep_their_version(trainer_client, db, make_user):
    from modules.content.models import Course
    from modules.content.services import current_module_version
    from modules.learning import progress

    learner = make_user(roles=(Role.learner,), name="Lee Learner")
    course = db.session.scalar(db.select(Course).where(Course.slug == "cse-level-1"))
    enrolment = progress.start_course(learner, course).enrolment
    first = current_module_version("what-is-cse")
    progress.working_run(enrolment, first, create=True)
    db.session.commit()
    _draft(trainer_client, PATH, lambda t: t + "\nOne more line.\n")
    assert trainer_client.post("/authoring/courses/cse-level-1/publish",
                               data={"note": "Adds a line"}).status_code == 302
    db.session.expire_all()
    assert current_module_version("what-is-cse").number == 2
    assert enrolment.course_version.number == 1
    assert [e.module_version.number for e in enrolment.course_version.entries][0] == 1
    page = trainer_client.get("/authoring/courses/cse-level-1").get_data(as_text=True)
    assert "1 on version 1" in page


@pytest.mark.parametrize("role", [Role.partnership_admin])
def test_partnership_admins_author_too(bundled, client, make_user, sign_in, role):
    sign_in(make_user(roles=(role,)))
    assert client.get("/authoring/").status_code == 200
    assert client.get("/authoring/courses/cse-level-1").status_code == 200
    assert client.get("/authoring/courses/cse-level-1/publish").status_code == 200


@pytest.mark.parametrize("role", [Role.manager, Role.learner])
def test_managers_and_learners_get_nothing(bundled, client, make_user, sign_in, role):
    sign_in(make_user(roles=(role,)))
    for url in ("/authoring/", "/authoring/courses/cse-level-1", "/authoring/courses/cse-level-1/publish"):
        assert client.get(url).status_code == 403, url
    assert client.post("/authoring/courses/cse-level-1/publish", data={"note": "x"}).status_code == 403


def test_an_unknown_course_is_not_found(trainer_client):
    assert trainer_client.get("/authoring/courses/no-such-course").status_code == 404
    assert trainer_client.get("/authoring/courses/no-such-course/publish").status_code == 404


def _course_page_queries(app, db, tmp_path, make_user, sign_in, modules: int) -> int:
    from tests.content.conftest import lesson, write_course
    from tests.sql_statements import recorded_statements

    folder = f"sized-{modules}"
    write_course(tmp_path, folder, {f"{n:02d}-part-{modules}-{n}.md": lesson(title=f"Part {n}")
                                    for n in range(1, modules + 1)}, code=f"SIZED-{modules}")
    _publish_folder(tmp_path)
    client = sign_in(make_user(roles=(Role.trainer,)), test_client=app.test_client())
    saved = client.post(f"/authoring/files/{folder}/01-part-{modules}-1.md",
                        data={"text": lesson(title="Part one"), "revision": "0"})
    assert saved.status_code == 302
    with recorded_statements(db.engine) as log:
        page = client.get(f"/authoring/courses/{folder}")
    assert page.status_code == 200
    # The editor links only (other parts' slots add links under each file, such as its history).
    edit_links = re.findall(rf'href="/authoring/files/{folder}/[^/"]+"', page.get_data(as_text=True))
    assert len(edit_links) == modules + 1
    return len(log.queries)


def test_the_course_page_makes_the_same_queries_for_3_or_12_modules(app, db, tmp_path, make_user, sign_in):
    few = _course_page_queries(app, db, tmp_path / "few", make_user, sign_in, 3)
    db.session.rollback()
    many = _course_page_queries(app, db, tmp_path / "many", make_user, sign_in, 12)
    assert few == many, (few, many)
    assert few <= 12, few
