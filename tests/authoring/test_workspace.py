"""The working copy: published files rebuilt from the database, drafts laid over them, and
publishing through the one importer."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from modules.authoring.models import ContentDraft
from modules.authoring.publishing import publish_drafts
from modules.authoring.workspace import published_files, valid_path, working_files
from modules.content.models import ModuleVersion, Publication, PublicationOrigin
from modules.content.services import current_module_version
from tests.authoring.conftest import ROOT


def test_published_files_are_the_folder_byte_for_byte(bundled):
    files = published_files()
    # The register of sources is the project's, not published content: a browser workspace (and
    # a folder checked elsewhere) uses the project's own (modules.content.sources).
    on_disk = {
        p.relative_to(ROOT / "courses").as_posix(): p.read_bytes()
        for p in (ROOT / "courses").rglob("*") if p.is_file() and p.name not in ("README.md", "sources.yaml")
    }
    assert {path: f.data for path, f in files.items()} == on_disk


def test_a_folder_import_is_recorded_as_a_publication(bundled, db):
    publication = db.session.scalar(select(Publication))
    assert publication.origin is PublicationOrigin.folder
    assert publication.operator.startswith("command line")
    assert all(v.publication_id == publication.id for v in db.session.scalars(select(ModuleVersion)))


def test_publishing_a_draft_makes_the_next_version_with_who_and_why(bundled, db, make_user):
    trainer = make_user(email="t@example.org")
    path = "cse-level-1/01-what-is-cse.md"
    text = working_files("cse-level-1")[path].decode() + "\nOne more line.\n"
    db.session.add(ContentDraft(path=path, text=text, updated_by_id=trainer.id))
    db.session.flush()
    outcome = publish_drafts("cse-level-1", actor=trainer, note="Adds a line")
    db.session.commit()
    assert outcome.published and not outcome.errors
    version = current_module_version("what-is-cse")
    assert version.number == 2
    assert version.publication.note == "Adds a line"
    assert version.publication.actor_id == trainer.id
    assert version.publication.origin is PublicationOrigin.browser
    assert db.session.scalar(select(ContentDraft)) is None
    assert published_files()[path].data.decode() == text


def test_a_draft_with_errors_publishes_nothing(bundled, db):
    path = "cse-level-1/01-what-is-cse.md"
    db.session.add(ContentDraft(path=path, text="---\ntitle: Broken\n---\nNo kind.\n"))
    db.session.flush()
    outcome = publish_drafts("cse-level-1", actor=None, note="x")
    assert not outcome.published
    assert any(p.path == Path(path) for p in outcome.errors)
    assert current_module_version("what-is-cse").number == 1


def test_paths_stay_inside_the_content_folder():
    assert valid_path("cse-level-1/course.md")
    assert valid_path("cse-level-1/images/map.png")
    for bad in ("/etc/passwd", "../x/y.md", "a/../../b.md", "course.md", "a/.git/config", "a\\b/c.md"):
        assert not valid_path(bad), bad


def test_a_course_without_recorded_texts_is_left_out_and_named(bundled, db, client, make_user, sign_in):
    """A course imported before texts were kept does not stop the others being written."""
    from modules.authoring.workspace import unrecorded_courses
    from modules.content.models import ContentSource, CourseVersion
    from modules.core.roles import Role

    taxi = db.session.scalar(select(CourseVersion).where(CourseVersion.code == "CSE-TAXI"))
    db.session.execute(ContentSource.__table__.delete().where(ContentSource.content_hash == taxi.content_hash))
    db.session.commit()
    assert unrecorded_courses() == ["cse-taxi-drivers/course.md"]
    published = published_files()
    # Only the module the night-time economy course also lists stays: that course was recorded.
    assert {path for path in published if path.startswith("cse-taxi-drivers/")} == {
        "cse-taxi-drivers/03-describing-what-you-saw.md"}
    assert "cse-level-1/course.md" in published and "cse-night-time-economy/course.md" in published
    sign_in(make_user(roles=(Role.trainer,)))
    page = client.get("/authoring/").get_data(as_text=True)
    assert "<code>cse-taxi-drivers/course.md</code>" in page and "imported before Sightline kept" in page
    assert client.get("/authoring/courses/cse-level-1").status_code == 200
