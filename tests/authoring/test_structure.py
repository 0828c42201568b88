"""New courses and modules from starters, reordering and retiring: all as drafts."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from modules.authoring import course_text, structure
from modules.authoring.drafts import DraftConflict, current_text, draft_for, save_draft
from modules.authoring.structure import NewCourse, StructureError
from modules.content.checker import check_paths
from modules.content.settings import MODULE_KINDS
from modules.core.audit import AuditEvent
from modules.core.roles import Role

ROOT = Path(__file__).resolve().parents[2]


def _course(**changes) -> NewCourse:
    values = dict(title="Exploitation: a course for youth workers", folder="youth-workers", code="CSE-YW",
                  level=2, audience=["youth_voluntary", "education"], refresher_months=24, pass_mark=80,
                  cpd_minutes=90)
    values.update(changes)
    return NewCourse(**values)


@pytest.mark.parametrize("kind", MODULE_KINDS)
def test_every_starter_passes_content_check_with_no_findings(tmp_path, kind):
    folder = tmp_path / "content" / "starter-course"
    folder.mkdir(parents=True)
    text = structure.starter(kind, "Starter: its \"title\" # 2")
    # A course of this one module: its CPD time is the module's minutes (check compares them).
    minutes = int(re.search(r"^minutes: (\d+)$", text, re.M).group(1))
    (folder / "course.md").write_text(structure.course_starter(_course(cpd_minutes=minutes), "the-starter"))
    (folder / "01-the-starter.md").write_text(text)
    result = check_paths([tmp_path / "content"], ROOT / "certificates")
    assert [str(p) for p in result.problems] == []
    (module,) = result.modules
    assert module.value("title") == "Starter: its \"title\" # 2"
    assert module.value("kind") == kind


def test_the_case_study_starter_has_what_a_case_study_needs():
    text = structure.starter("case_study", "Case study")
    for part in ("content_note:", "pseudonyms:", "### Decision:", "!!! reflect", "**Practice point:**",
                 "anonymised composite"):
        assert part in text


def test_the_quiz_starter_has_each_main_question_type():
    text = structure.starter("quiz", "Quiz")
    for kind in ("{type=single}", "{type=multiple}", "{type=true-false}"):
        assert kind in text


def test_slugs_and_codes_are_suggested_from_the_title():
    assert structure.suggest_slug("Café talk — it’s 2 o'clock!") == "cafe-talk-its-2-oclock"
    assert structure.suggest_code("Exploitation for youth workers") == "EXPLOITATION-FOR"


def test_a_new_course_is_a_course_md_and_a_first_lesson_that_check(bundled, db, make_user):
    sam = make_user(roles=(Role.trainer,))
    paths = structure.create_course(_course(), first_module_title="Introduction", actor=sam)
    assert paths == ["youth-workers/course.md", "youth-workers/01-youth-workers-introduction.md"]
    course = current_text("youth-workers/course.md")
    assert course_text.module_ids(course) == ["youth-workers-introduction"]
    assert "audience: [youth_voluntary, education]" in course
    assert db.session.query(AuditEvent).filter_by(action="content.course_created").count() == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"folder": "cse-level-1"}, "folder", "already a course in the folder"),
    ({"folder": "Youth Workers"}, "folder", "lower case letters"),
    ({"code": "CSE-L1"}, "code", "already used by the course in 'cse-level-1'"),
    ({"code": "cse yw"}, "code", "capital letters"),
])
def test_a_new_course_must_not_clash(bundled, db, make_user, changes, field, message):
    with pytest.raises(StructureError, match=message) as refused:
        structure.create_course(_course(**changes), first_module_title="Intro", actor=make_user())
    assert refused.value.field == field
    assert draft_for("youth-workers/course.md") is None


def test_a_new_module_is_numbered_next_and_listed_last(bundled, db, make_user):
    sam = make_user(roles=(Role.trainer,))
    path = structure.create_module("cse-taxi-drivers", kind="case_study", title="Case study: a late fare",
                                   ident="case-study-late-fare", course_revision=0, actor=sam)
    assert path == "cse-taxi-drivers/06-case-study-late-fare.md"
    assert "kind: case_study" in current_text(path)
    ids = course_text.module_ids(current_text("cse-taxi-drivers/course.md"))
    assert ids[-1] == "case-study-late-fare"


def test_a_module_id_is_unique_across_all_courses(bundled, db, make_user):
    with pytest.raises(StructureError, match="cse-level-1/07-language-matters.md") as refused:
        structure.create_module("cse-taxi-drivers", kind="lesson", title="Words", ident="language-matters",
                                course_revision=0, actor=make_user())
    assert refused.value.field == "module_id"


def test_a_new_module_after_a_colleague_changed_the_course_is_a_conflict(bundled, db, make_user):
    sam, alex = make_user(roles=(Role.trainer,)), make_user(roles=(Role.trainer,), email="alex@example.org")
    structure.move_module("cse-taxi-drivers", "criminal-exploitation", by=-1, course_revision=0, actor=alex)
    with pytest.raises(DraftConflict):
        structure.create_module("cse-taxi-drivers", kind="quiz", title="Quiz", ident="taxi-quiz",
                                course_revision=0, actor=sam)


def test_moving_changes_the_course_md_draft_only_in_its_list(bundled, db, make_user):
    before = current_text("cse-level-1/course.md")
    structure.move_module("cse-level-1", "practice-handbook", by=1, course_revision=0, actor=make_user())
    after = current_text("cse-level-1/course.md")
    assert course_text.module_ids(after)[-2:] == ["final-assessment", "practice-handbook"]
    assert sorted(after.splitlines()) == sorted(before.splitlines())
    with pytest.raises(DraftConflict):
        structure.move_module("cse-level-1", "practice-handbook", by=-1, course_revision=0, actor=make_user())


def test_retiring_a_module_only_this_course_lists_removes_its_file(bundled, db, make_user):
    plan = structure.plan_retirement("cse-taxi-drivers", "signs-for-drivers")
    assert plan.file_path == "cse-taxi-drivers/02-signs-for-drivers.md" and plan.other_courses == []
    structure.retire_module(plan, course_revision=plan.course_revision, file_revision=plan.file_revision,
                            actor=make_user())
    assert "signs-for-drivers" not in course_text.module_ids(current_text("cse-taxi-drivers/course.md"))
    assert draft_for(plan.file_path).removed
    assert db.session.query(AuditEvent).filter_by(action="content.module_retired").count() == 1


def test_retiring_a_shared_module_keeps_its_file(bundled, db, make_user):
    plan = structure.plan_retirement("cse-taxi-drivers", "criminal-exploitation")
    assert plan.file_path is None and plan.other_courses == ["cse-level-1", "cse-night-time-economy"]
    structure.retire_module(plan, course_revision=0, file_revision=0, actor=make_user())
    assert draft_for("cse-level-1/06-criminal-exploitation.md") is None
    assert "criminal-exploitation" not in course_text.module_ids(current_text("cse-taxi-drivers/course.md"))
    for other in plan.other_courses:
        assert "criminal-exploitation" in course_text.module_ids(current_text(f"{other}/course.md"))


def test_retiring_after_a_colleague_saved_is_a_conflict(bundled, db, make_user):
    plan = structure.plan_retirement("cse-taxi-drivers", "signs-for-drivers")
    save_draft(plan.file_path, expected_revision=0, actor=make_user(), text="changed\n")
    with pytest.raises(DraftConflict):
        structure.retire_module(plan, course_revision=0, file_revision=0, actor=make_user(email="b@example.org"))
