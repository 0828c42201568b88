"""Trainer pages for content: the list on the trainer home page, a course, module previews;
pictures; links between modules."""
from __future__ import annotations

import re

from sqlalchemy import select

from modules.accounts.models import Role
from modules.content.checker import check_paths
from modules.content.importer import import_checked
from modules.content.models import ContentAsset
from modules.content.services import current_module_version
from tests.content.conftest import CERTIFICATES


def publish(path):
    import_checked(check_paths([path], CERTIFICATES))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_trainer_home_before_anything_is_published(client, make_user, sign_in):
    sign_in(make_user(roles=(Role.trainer,)))
    response = client.get("/trainer")
    assert response.status_code == 200
    assert "No courses have been published yet" in text_of(response)


def test_trainer_home_lists_courses_with_their_current_version(client, make_user, sign_in, good_courses):
    publish(good_courses)
    (good_courses / "drivers" / "01-driver-lesson.md").write_text(
        (good_courses / "drivers" / "01-driver-lesson.md").read_text().replace("hotels", "a hotel"))
    publish(good_courses)
    sign_in(make_user(roles=(Role.partnership_admin,)))
    page = client.get("/trainer").get_data(as_text=True)
    assert '<a class="govuk-link" href="/content/courses/awareness">Fixture awareness course</a>' in page
    assert '<a class="govuk-link" href="/content/courses/drivers">Fixture course for drivers</a>' in page
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)[1:]
    cells = [re.findall(r">([^<>]+)</t[dh]>", row) for row in rows]
    assert [c[:4] for c in cells] == [["FIX-A1", "1", "5", "1"], ["FIX-D2", "2", "2", "2"]]


def test_course_page_lists_modules_in_order(client, make_user, sign_in, good_courses):
    publish(good_courses)
    sign_in(make_user(roles=(Role.trainer,)))
    response = client.get("/content/courses/awareness")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    titles = re.findall(r'href="/content/modules/[a-z-]+/versions/1">([^<]+)</a>', page)
    assert titles == ["An introductory lesson", "Story: a made-up composite", "Shared language quiz",
                      "Handbook basics", "Final check"]
    assert "<strong>content engine's tests</strong>" in page  # the stored, sanitised description
    assert "Final assessment" in page and "Everyone" in page and "Level 1: awareness" in page


def test_case_study_preview_shows_decisions_and_reflections_in_place(client, make_user, sign_in, good_courses):
    publish(good_courses)
    sign_in(make_user(roles=(Role.trainer,)))
    response = client.get("/content/modules/story")
    assert response.status_code == 200
    page = text_of(response)
    assert "Content note: Describes grooming in general terms." in page
    order = [page.index(s) for s in (
        "Alex is 15", "Pause and reflect", "What might these changes", "Decision point",
        "Note it and close the record.", "Not the best option", "Consequence The record describes",
        "Best option", "Practice point A child cannot consent", "Two weeks later", "What happened next")]
    assert order == sorted(order)
    assert 'data-slot' not in response.get_data(as_text=True)


def test_quiz_preview_shows_answers_unless_hidden(client, make_user, sign_in, good_courses):
    publish(good_courses)
    sign_in(make_user(roles=(Role.trainer,)))
    page = text_of(client.get("/content/modules/shared-quiz"))
    assert "Questions (5)" in page
    assert "2 from pool “terms” (4 questions), 1 from pool “rewrite” (1 questions)" in page
    assert "Correct" in page and "This names what the adults are doing." in page
    assert 'Avoid "putting herself at risk"' in page and "Expect one of exploited, groomed, adult, adults" in page
    hidden = text_of(client.get("/content/modules/shared-quiz?answers=hide"))
    assert "This names what the adults are doing." not in hidden and "Expect one of" not in hidden
    assert "Which wording should go in the record?" in hidden


def test_handbook_preview_has_contents_and_marks_the_local_contacts(client, make_user, sign_in, good_courses):
    publish(good_courses)
    sign_in(make_user(roles=(Role.trainer,)))
    page = client.get("/content/modules/handbook-basics").get_data(as_text=True)
    assert '<a class="govuk-link" href="#use-the-childs-words">Use the child&#39;s words</a>' in page
    assert "Learners see the partnership's local contacts here." in page


def test_earlier_versions_stay_viewable(client, make_user, sign_in, good_courses):
    publish(good_courses)
    lesson = good_courses / "drivers" / "01-driver-lesson.md"
    lesson.write_text(lesson.read_text().replace("Signs in a taxi", "Signs in a car"))
    publish(good_courses)
    sign_in(make_user(roles=(Role.trainer,)))
    assert "Signs in a car" in text_of(client.get("/content/modules/driver-lesson"))
    old = text_of(client.get("/content/modules/driver-lesson/versions/1"))
    assert "Signs in a taxi" in old and "(an earlier version)" in old
    assert client.get("/content/modules/driver-lesson/versions/3").status_code == 404


def test_pictures_are_served_from_the_database_safely(db, client, make_user, sign_in, good_courses):
    publish(good_courses)
    sign_in(make_user(roles=(Role.learner,)))
    stored = db.session.scalar(select(ContentAsset))
    assert f"/content/assets/{stored.sha256}.svg" in current_module_version("intro-lesson").sections[1].html
    response = client.get(f"/content/assets/{stored.sha256}.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data == (good_courses / "awareness" / "images" / "diagram.svg").read_bytes()
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/content/assets/" + "0" * 64 + ".svg").status_code == 404


def test_links_between_modules_lead_trainers_to_the_preview_and_learners_onwards(app, client, make_user, sign_in, good_courses):
    publish(good_courses)
    sign_in(make_user(roles=(Role.learner,)))
    app.config["CONTENT_MODULE_LINK_ENDPOINT"] = None  # no player registered: the learner's home page
    response = client.get("/content/go/story")
    assert response.status_code == 302 and response.location in ("/", "http://localhost/")
    app.config["CONTENT_MODULE_LINK_ENDPOINT"] = "content.module"  # any endpoint taking slug=
    response = client.get("/content/go/story")
    assert response.status_code == 302 and response.location.endswith("/content/modules/story")
    client.post("/sign-out")
    sign_in(make_user(roles=(Role.trainer,)))
    response = client.get("/content/go/story")
    assert response.status_code == 302 and response.location.endswith("/content/modules/story")
    assert client.get("/content/go/no-such-module").status_code == 404


def test_learners_cannot_see_previews(client, make_user, sign_in, good_courses):
    publish(good_courses)
    sign_in(make_user(roles=(Role.learner, Role.manager)))
    assert client.get("/content/courses/awareness").status_code == 403
    assert client.get("/content/modules/story").status_code == 403
    assert client.get("/trainer").status_code == 403


def test_quiz_preview_shows_a_rewrites_own_correct_feedback(client, make_user, sign_in, good_courses):
    quiz = good_courses / "awareness" / "03-shared-quiz.md"
    rule = '- expect "exploited", "groomed", "adult", "adults": Say what the adults are doing to her.\n'
    assert rule in quiz.read_text()
    quiz.write_text(quiz.read_text().replace(rule, rule + "- correct: You named the adults.\n"))
    publish(good_courses)
    sign_in(make_user(roles=(Role.trainer,)))
    page = text_of(client.get("/content/modules/shared-quiz"))
    assert "When the answer is right You named the adults." in page
    assert "When the answer is right" not in text_of(client.get("/content/modules/shared-quiz?answers=hide"))
