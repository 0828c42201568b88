"""History of a file: every version with who, when, how and why; comparing two; restoring one."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from modules.accounts.models import Role
from modules.authoring.drafts import current_revision, save_draft
from modules.authoring.history import BEFORE_HISTORY, file_history, restore_version, version_texts
from modules.authoring.publishing import publish_drafts
from modules.content.checker import check_paths
from modules.content.importer import import_checked
from modules.content.models import (
    ContentSource,
    Course,
    CourseVersion,
    ModuleVersion,
    Publication,
    PublicationOrigin,
)
from modules.content.services import current_module_version
from modules.core.audit import AuditEvent
from tests.authoring.conftest import ROOT
from tests.content.conftest import lesson, write_course
from tests.sql_statements import recorded_statements

FOLDER = "hist-course"
PATH = f"{FOLDER}/01-first-steps.md"
COURSE = f"{FOLDER}/course.md"
FIRST = lesson("The first text.\n\nIt has a second paragraph.", title="First steps")


@pytest.fixture
def small_course(app, db, tmp_path):
    """A course of two lessons imported from a folder, as ``content import`` does."""
    root = tmp_path / "content"
    write_course(root, FOLDER, {"01-first-steps.md": FIRST,
                                "02-next-steps.md": lesson("More.", title="Next steps")}, code="HIST-1")
    result = check_paths([root], ROOT / "certificates")
    assert result.ok, [str(p) for p in result.errors]
    import_checked(result)
    return root


@pytest.fixture
def trainer(make_user):
    return make_user(roles=(Role.trainer,), email="tess@example.org", name="Tess Trainer")


def publish(db, path, text, *, actor, note):
    save_draft(path, expected_revision=current_revision(path), actor=actor, text=text)
    outcome = publish_drafts(path.split("/")[0], actor=actor, note=note)
    assert outcome.published, [str(p) for p in outcome.errors]
    db.session.commit()
    return outcome


def test_a_folder_import_is_version_one_by_the_command_line(small_course):
    history = file_history(PATH)
    assert [v.number for v in history.versions] == [1]
    (first,) = history.versions
    assert first.who.startswith("command line")
    assert first.how == PublicationOrigin.folder.label
    assert first.current and first.has_text
    assert history.title == "First steps" and history.kind == "module"


def test_a_browser_publish_shows_who_when_and_the_note_newest_first(small_course, db, trainer):
    publish(db, PATH, FIRST + "\nA third paragraph.\n", actor=trainer, note="Adds a third paragraph")
    history = file_history(PATH)
    assert [v.number for v in history.versions] == [2, 1]
    newest, oldest = history.versions
    assert (newest.who, newest.note, newest.how) == ("Tess Trainer", "Adds a third paragraph",
                                                      PublicationOrigin.browser.label)
    assert newest.current and not oldest.current
    assert newest.published_at >= oldest.published_at
    assert version_texts(history, [1, 2]) == {1: FIRST, 2: FIRST + "\nA third paragraph.\n"}


def test_versions_from_before_publications_were_recorded_say_so(small_course, db):
    # Versions are immutable through the ORM; this is how rows imported before this release look.
    db.session.execute(update(ModuleVersion).values(publication_id=None))
    db.session.commit()
    (version,) = file_history(PATH).versions
    assert version.who == BEFORE_HISTORY
    assert version.how == "" and version.note == ""


def test_the_course_file_has_its_own_history(small_course, db, trainer):
    history = file_history(COURSE)
    assert history.kind == "course" and [v.number for v in history.versions] == [1]
    # A changed module makes a new course version too (it points at the new module version).
    publish(db, PATH, FIRST + "\nMore.\n", actor=trainer, note="Module change")
    assert [v.number for v in file_history(COURSE).versions] == [2, 1]


def test_a_renamed_file_keeps_its_modules_history(small_course, db, trainer):
    renamed = f"{FOLDER}/01-first-steps-renamed.md"
    text = FIRST.replace("title: First steps", "title: First steps\nid: first-steps")
    save_draft(PATH, expected_revision=0, actor=trainer, removed=True)
    save_draft(renamed, expected_revision=0, actor=trainer, text=text)
    assert publish_drafts(FOLDER, actor=trainer, note="Renamed").published
    db.session.commit()
    history = file_history(renamed)
    assert history.slug == "first-steps"
    assert [(v.number, v.source_path) for v in history.versions] == [(2, renamed), (1, PATH)]


def test_a_file_that_was_never_published_has_no_history(small_course):
    assert file_history(f"{FOLDER}/09-not-there.md") is None
    assert file_history("no-such-course/course.md") is None
    assert file_history("../etc/passwd") is None


def test_history_costs_the_same_queries_for_two_or_ten_versions(small_course, db, trainer):
    def count():
        db.session.expire_all()
        with recorded_statements(db.engine) as log:
            history = file_history(PATH)
        return len(history.versions), len(log.queries)

    publish(db, PATH, FIRST + "\nEdit 1\n", actor=trainer, note="Edit 1")
    two = count()
    for n in range(2, 10):
        publish(db, PATH, FIRST + f"\nEdit {n}\n", actor=trainer, note=f"Edit {n}")
    ten = count()
    assert two[0] == 2 and ten[0] == 10
    assert two[1] == ten[1] <= 3


# Restoring -------------------------------------------------------------------------------------

def test_restoring_makes_the_next_version_with_the_old_text(small_course, db, trainer, make_user):
    from modules.learning.progress import start_course

    publish(db, PATH, FIRST + "\nA mistake.\n", actor=trainer, note="Adds a mistake")
    learner = make_user(email="lee@example.org")
    course = db.session.scalar(select(Course).where(Course.slug == FOLDER))
    start_course(learner, course)
    db.session.commit()
    pinned_course_version = course.current_version_id

    outcome = restore_version(file_history(PATH), 1, actor=trainer, note="Restores version 1")
    db.session.commit()
    assert outcome.new_number == 3
    history = file_history(PATH)
    assert [v.number for v in history.versions] == [3, 2, 1]
    assert version_texts(history, [3])[3] == version_texts(history, [1])[1] == FIRST
    newest = history.versions[0]
    assert newest.current and newest.how == PublicationOrigin.restore.label
    assert newest.note == "Restores version 1" and newest.who == "Tess Trainer"
    assert current_module_version("first-steps").number == 3
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "content.restored"))
    assert event.details == {"path": PATH, "from_version": 1, "new_version": 3,
                             "note": "Restores version 1"}
    # The learner part way through keeps the course version (and module version 2) they started.
    from modules.learning.models import Enrolment

    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id))
    assert enrolment.course_version_id == pinned_course_version
    assert [mv.number for mv in enrolment.course_version.module_versions][:1] == [2]


def test_restoring_the_text_learners_already_get_publishes_nothing(small_course, db, trainer):
    publish(db, PATH, FIRST + "\nA mistake.\n", actor=trainer, note="Adds a mistake")
    restore_version(file_history(PATH), 1, actor=trainer, note="Back")
    db.session.commit()
    publications = db.session.scalar(select(func.count()).select_from(Publication))
    outcome = restore_version(file_history(PATH), 1, actor=trainer, note="Back again")
    assert outcome.unchanged and outcome.new_number is None
    assert db.session.scalar(select(func.count()).select_from(Publication)) == publications


def test_restoring_a_course_file_that_lists_a_retired_module_publishes_nothing(small_course, db, trainer):
    course_text = (small_course / COURSE).read_text()
    save_draft(COURSE, expected_revision=0, actor=trainer,
               text=course_text.replace("  - next-steps\n", ""))
    save_draft(f"{FOLDER}/02-next-steps.md", expected_revision=0, actor=trainer, removed=True)
    assert publish_drafts(FOLDER, actor=trainer, note="Retires next steps").published
    db.session.commit()
    versions = db.session.scalar(select(func.count()).select_from(CourseVersion))

    outcome = restore_version(file_history(COURSE), 1, actor=trainer, note="Restores version 1")
    assert not outcome.publish.published and outcome.new_number is None
    assert any(p.path == Path(COURSE) and "next-steps" in p.message for p in outcome.publish.errors)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CourseVersion)) == versions


def test_a_file_with_a_draft_is_not_restored(small_course, db, trainer):
    from modules.authoring.history import RestoreRefused

    publish(db, PATH, FIRST + "\nTwo.\n", actor=trainer, note="Two")
    save_draft(PATH, expected_revision=0, actor=trainer, text=FIRST + "\nUnfinished.\n")
    with pytest.raises(RestoreRefused, match="Publish or discard the draft first"):
        restore_version(file_history(PATH), 1, actor=trainer, note="Restores version 1")


def test_other_files_drafts_stay_drafts_when_one_file_is_restored(small_course, db, trainer):
    publish(db, PATH, FIRST + "\nTwo.\n", actor=trainer, note="Two")
    other = f"{FOLDER}/02-next-steps.md"
    save_draft(other, expected_revision=0, actor=trainer, text=lesson("Unfinished.", title="Next steps"))
    restore_version(file_history(PATH), 1, actor=trainer, note="Restores version 1")
    db.session.commit()
    assert current_module_version("next-steps").number == 1
    assert db.session.get(ContentSource, current_module_version("next-steps").content_hash).text \
        == lesson("More.", title="Next steps")
