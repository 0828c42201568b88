"""``content import``: versions, what is stored for the player, idempotence, all-or-nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from modules.content import importer
from modules.content.checker import check_paths
from modules.content.importer import ContentNotValid, import_checked
from modules.content.models import (
    ContentAsset,
    Course,
    CourseVersion,
    CourseVersionModule,
    DecisionPoint,
    Module,
    ModuleKind,
    ModuleSection,
    ModuleVersion,
    Question,
    Reflection,
)
from modules.content.services import current_course_version, current_module_version
from modules.core.models import AuditEvent
from tests.content.conftest import CERTIFICATES

COUNTED = (Course, CourseVersion, CourseVersionModule, Module, ModuleVersion, ModuleSection,
           DecisionPoint, Reflection, Question, ContentAsset, AuditEvent)


def counts(db) -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in COUNTED}


def do_import(path: Path, runner=None):
    result = check_paths([path], CERTIFICATES)
    assert result.errors == [], [str(p) for p in result.errors]
    return import_checked(result)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_first_import_stores_everything_the_player_needs(db, good_courses):
    summary = do_import(good_courses)
    assert [c.describe("module") for c in summary.modules][:2] == [
        "new module intro-lesson (version 1)", "new module story (version 1)",
    ]
    assert counts(db) == {
        "Course": 2, "CourseVersion": 2, "CourseVersionModule": 7, "Module": 6, "ModuleVersion": 6,
        "ModuleSection": 11, "DecisionPoint": 1, "Reflection": 1, "Question": 6, "ContentAsset": 1,
        "AuditEvent": 1,
    }
    awareness = current_course_version("awareness")
    assert (awareness.title, awareness.code, awareness.level, awareness.audience) == (
        "Fixture awareness course", "FIX-A1", 1, ["all"])
    assert (awareness.cpd_minutes, awareness.refresher_months, awareness.pass_mark) == (23, 24, 75)
    assert awareness.certificate_design == "default" and awareness.number == 1
    assert awareness.summary == "This fixture course exists only for the content engine's tests."
    assert 'href="/content/go/intro-lesson"' in awareness.description_html
    assert [m.slug for m in awareness.module_versions] == [
        "intro-lesson", "story", "shared-quiz", "handbook-basics", "final-check"]
    drivers = current_course_version("drivers")
    assert drivers.audience == ["licensing", "other"] and drivers.is_for_agency_kind("licensing")
    assert not drivers.is_for_agency_kind("police") and awareness.is_for_agency_kind("police")
    # The shared module is one identity, and both courses point at the same version of it.
    assert drivers.module_versions[1].id == awareness.module_versions[2].id

    lesson = current_module_version("intro-lesson")
    assert lesson.kind is ModuleKind.lesson and lesson.minutes == 5 and lesson.source_path == "awareness/01-intro-lesson.md"
    assert [(s.anchor, s.title) for s in lesson.sections] == [
        ("introduction", "An introductory lesson"), ("meaning", "What the words mean"), ("next-steps", "Next steps")]
    assert "who-to-call" in lesson.sections[1].anchors
    asset = db.session.scalar(select(ContentAsset))
    assert asset.media_type == "image/svg+xml"
    assert f'src="/content/assets/{asset.sha256}.svg"' in lesson.sections[1].html

    story = current_module_version("story")
    assert story.content_note == "Describes grooming in general terms."
    (decision,) = story.decision_points
    assert decision.section_anchor == "first-contact"
    assert decision.prompt_html == 'Alex says an adult of 24 is "looking after" them. What do you do?'
    assert [o["correct"] for o in decision.options] == [False, True]
    assert decision.options[0]["consequence_html"] == (
        '<p class="govuk-body">The record describes an adult as a friend. Nobody asks why.</p>')
    assert decision.practice_point_html == '<p class="govuk-body">A child cannot consent to their own exploitation.</p>'
    (reflection,) = story.reflections
    assert (reflection.section_anchor, reflection.title) == ("first-contact", "Pause and reflect")
    html = story.sections[1].html
    assert html.index(f'data-slot="reflection:{reflection.key}"') < html.index(f'data-slot="decision:{decision.key}"')
    assert html.index(f'data-slot="decision:{decision.key}"') < html.index("Two weeks later")

    quiz = current_module_version("shared-quiz")
    assert (quiz.pass_mark, quiz.assessment, quiz.draw) == (70, False, {"terms": 2, "rewrite": 1})
    assert [(q.type, q.pool) for q in quiz.questions] == [
        ("better-wording", "terms"), ("multiple", "terms"), ("single", "terms"), ("true-false", "terms"),
        ("rewrite", "rewrite")]
    final = current_module_version("final-check")
    assert final.assessment is True and final.pass_mark is None

    handbook = current_module_version("handbook-basics")
    assert handbook.sections[1].html == '<div class="sl-slot" data-slot="local-contacts"></div>'
    assert [t["anchor"] for t in handbook.toc] == [
        "introduction", "who-to-call", "recording-a-concern", "use-the-childs-words", "share-the-same-day"]
    assert "Write down what the child said" in handbook.search_text
    assert current_module_version("intro-lesson").search_text is None

    event = db.session.scalar(select(AuditEvent))
    assert event.action == "content.imported"
    assert "new course awareness (version 1)" in event.details["courses"]


def test_importing_unchanged_content_again_creates_nothing(db, good_courses):
    do_import(good_courses)
    before = counts(db)
    summary = do_import(good_courses)
    assert not summary.changed
    assert summary.lines() == ["Nothing changed (2 courses and 6 modules are already up to date)."]
    assert counts(db) == before  # not even an audit event


def test_editing_one_module_makes_exactly_one_new_version_and_new_versions_of_its_courses_only(db, good_courses):
    do_import(good_courses)
    old_awareness = current_course_version("awareness")
    old_drivers = current_course_version("drivers")
    old_lesson = current_module_version("driver-lesson")
    before = counts(db)

    edit(good_courses / "drivers" / "01-driver-lesson.md", "who are not family", "who are not their family")
    summary = do_import(good_courses)

    assert [c.describe("module") for c in summary.modules] == ["changed module driver-lesson: version 1 -> 2"]
    assert [c.describe("course") for c in summary.courses] == [
        "changed course drivers: version 1 -> 2 (module driver-lesson changed)"]
    after = counts(db)
    assert after["ModuleVersion"] == before["ModuleVersion"] + 1
    assert after["CourseVersion"] == before["CourseVersion"] + 1
    assert after["Module"] == before["Module"] and after["Course"] == before["Course"]
    assert current_course_version("awareness").id == old_awareness.id
    new_drivers = current_course_version("drivers")
    assert new_drivers.number == 2
    new_lesson = current_module_version("driver-lesson")
    assert new_lesson.number == 2 and new_lesson.id != old_lesson.id
    assert [mv.id for mv in new_drivers.module_versions] == [new_lesson.id, old_drivers.module_versions[1].id]
    # The old versions are still there, unchanged, for learners who took them.
    assert [mv.id for mv in db.session.get(CourseVersion, old_drivers.id).module_versions][0] == old_lesson.id
    assert "who are not family" in db.session.get(ModuleVersion, old_lesson.id).sections[0].html


def test_editing_a_shared_module_versions_every_course_that_uses_it(db, good_courses):
    do_import(good_courses)
    edit(good_courses / "awareness" / "03-shared-quiz.md", "Each attempt asks three questions.", "Three questions.")
    summary = do_import(good_courses)
    assert [c.slug for c in summary.modules] == ["shared-quiz"]
    assert sorted(c.slug for c in summary.courses) == ["awareness", "drivers"]
    quiz = current_module_version("shared-quiz")
    assert current_course_version("awareness").module_versions[2].id == quiz.id
    assert current_course_version("drivers").module_versions[1].id == quiz.id


def test_changing_a_picture_makes_a_new_version(db, good_courses):
    do_import(good_courses)
    (good_courses / "awareness" / "images" / "diagram.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>')
    summary = do_import(good_courses)
    assert [c.slug for c in summary.modules] == ["intro-lesson"]
    assert summary.assets_added == 1
    assert db.session.scalar(select(func.count()).select_from(ContentAsset)) == 2


def test_stable_ids_survive_reimport_of_unchanged_text(db, good_courses):
    do_import(good_courses)
    quiz_v1 = current_module_version("shared-quiz")
    story_v1 = current_module_version("story")
    keys = [q.key for q in quiz_v1.questions]
    story_keys = ([d.key for d in story_v1.decision_points], [r.key for r in story_v1.reflections],
                  [d.options[1]["key"] for d in story_v1.decision_points])

    quiz_file = good_courses / "awareness" / "03-shared-quiz.md"
    quiz_file.write_text(quiz_file.read_text().replace(
        "## Which of these", "## A new first question {pool=terms}\n\n- [x] Yes\n- [ ] No\n\n## Which of these"))
    edit(good_courses / "awareness" / "02-story.md", "minutes: 5", "minutes: 6")
    do_import(good_courses)

    quiz_v2 = current_module_version("shared-quiz")
    story_v2 = current_module_version("story")
    assert quiz_v2.number == 2 and story_v2.number == 2
    assert [q.key for q in quiz_v2.questions if q.key in keys] == keys
    assert len(quiz_v2.questions) == len(keys) + 1
    assert ([d.key for d in story_v2.decision_points], [r.key for r in story_v2.reflections],
            [d.options[1]["key"] for d in story_v2.decision_points]) == story_keys
    assert quiz_v2.question(keys[0]).data == quiz_v1.question(keys[0]).data


def test_content_with_errors_is_refused_and_nothing_is_written(db, good_courses):
    result = check_paths([good_courses / "no-such-folder"])
    with pytest.raises(ContentNotValid):
        import_checked(result)
    assert counts(db) == dict.fromkeys(counts(db), 0)


def test_a_failing_import_changes_nothing(db, runner, good_courses):
    do_import(good_courses)
    before = counts(db)
    edit(good_courses / "drivers" / "01-driver-lesson.md", "who are not family", "who are not their family")
    edit(good_courses / "awareness" / "05-final-check.md", "- [x] The adults", "- [ ] The adults")
    response = runner.invoke(args=["content", "import", str(good_courses)])
    assert response.exit_code == 1
    assert "05-final-check.md:7:1: question has no correct answer: mark the right option with [x]" in response.output
    assert "Nothing was imported" in response.output
    assert counts(db) == before
    assert current_module_version("driver-lesson").number == 1


def test_a_database_failure_part_way_rolls_back_everything(db, good_courses, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importer, "_import_course", explode)
    with pytest.raises(RuntimeError):
        do_import(good_courses)
    assert counts(db) == dict.fromkeys(counts(db), 0)


def test_versions_are_immutable(db, good_courses):
    do_import(good_courses)
    version = current_module_version("story")
    version.title = "Changed in place"
    with pytest.raises(RuntimeError, match="immutable"):
        db.session.commit()
    db.session.rollback()


def test_cli_import_prints_what_changed(db, runner, good_courses):
    response = runner.invoke(args=["content", "import", str(good_courses)])
    assert response.exit_code == 0, response.output
    assert "All 8 files are fine." in response.output
    assert "new course drivers (version 1)" in response.output
    assert "Imported 6 module versions and 2 course versions" in response.output
    response = runner.invoke(args=["content", "import", str(good_courses)])
    assert response.exit_code == 0
    assert "Nothing changed (2 courses and 6 modules are already up to date)." in response.output


def test_cli_check_exit_codes(db, runner, good_courses, tmp_path):
    response = runner.invoke(args=["content", "check", str(good_courses)])
    assert (response.exit_code, response.output.strip()) == (0, "All 8 files are fine.")
    (good_courses / "awareness" / "06-spare.md").write_text("---\ntitle: Spare\nkind: lesson\nminutes: 1\n---\n")
    response = runner.invoke(args=["content", "check", str(good_courses)])
    assert response.exit_code == 0  # warnings do not fail
    assert "06-spare.md:1:1: warning: module 'spare' is not used by any course" in response.output
    assert "0 errors, 1 warning in 9 files." in response.output
    (good_courses / "awareness" / "06-spare.md").write_text("no front matter\n")
    response = runner.invoke(args=["content", "check", str(good_courses)])
    assert response.exit_code == 1
    assert "06-spare.md:1:1: file must start with settings between two '---' lines (front matter)" in response.output
    assert counts(db) == dict.fromkeys(counts(db), 0)  # check never writes


def test_cli_reports_a_database_failure_without_a_traceback(db, runner, good_courses, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    def clash(*args, **kwargs):
        raise IntegrityError("INSERT INTO courses ...", {}, Exception("duplicate key value"))

    monkeypatch.setattr(importer, "_import_course", clash)
    response = runner.invoke(args=["content", "import", str(good_courses)])
    assert response.exit_code == 1
    assert "The import failed and nothing was written: IntegrityError: duplicate key value" in response.output
    assert counts(db) == dict.fromkeys(counts(db), 0)
