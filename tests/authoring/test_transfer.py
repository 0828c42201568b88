"""One system with courses/: ZIP export and import, and imports that never silently replace a
change made in the browser."""
from __future__ import annotations

import io
import shutil
import stat
import warnings
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from modules.accounts.models import Role
from modules.authoring import transfer
from modules.authoring.models import ContentDraft
from modules.authoring.publishing import publish_drafts
from modules.authoring.workspace import published_files, working_files
from modules.content.checker import check_paths
from modules.content.models import ModuleVersion, Publication, PublicationOrigin
from modules.content.services import current_module_version
from modules.core.models import AuditEvent
from tests.authoring.conftest import ROOT

MODULE = "cse-level-1/01-what-is-cse.md"


@pytest.fixture
def trainer(make_user):
    return make_user(roles=(Role.trainer,), email="trainer.h5@example.org")


@pytest.fixture
def signed_in(client, sign_in, trainer, app, tmp_path):
    app.instance_path = str(tmp_path / "instance")  # uploads kept between steps go here
    return sign_in(trainer)


def _unzip(data: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(into)
    return into


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _folder_zip(folder: str = "cse-level-1", changes: dict[str, bytes] | None = None) -> bytes:
    files = {path: f.data for path, f in published_files().items() if path.startswith(f"{folder}/")}
    files.update(changes or {})
    return _zip(files)


def _publish_in_browser(db, trainer, text_added="\nA line added in the browser.\n"):
    text = working_files("cse-level-1")[MODULE].decode() + text_added
    db.session.add(ContentDraft(path=MODULE, text=text, updated_by_id=trainer.id))
    db.session.flush()
    outcome = publish_drafts("cse-level-1", actor=trainer, note="Browser change")
    db.session.commit()
    assert outcome.published
    return text


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# Export -------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder, expected", [
    ("cse-level-1", ["cse-level-1"]),
    # It lists modules that live in cse-level-1 and links to one, so cse-level-1 goes whole.
    ("cse-taxi-drivers", ["cse-level-1", "cse-taxi-drivers"]),
])
def test_export_round_trip_changes_nothing(bundled, signed_in, runner, tmp_path, folder, expected):
    response = signed_in.get(f"/authoring/courses/{folder}/export.zip")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert f'filename="{folder}.zip"' in response.headers["Content-Disposition"]
    assert signed_in.get(f"/authoring/courses/{folder}/export.zip").data == response.data  # stable bytes

    root = _unzip(response.data, tmp_path / "export")
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == expected
    assert "content import" in (root / "README.txt").read_text()
    exported = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")}
    on_disk = {p.relative_to(ROOT / "courses").as_posix(): p.read_bytes()
               for name in expected for p in (ROOT / "courses" / name).rglob("*.md")}
    assert exported == on_disk

    assert check_paths([root], ROOT / "certificates").ok
    result = runner.invoke(args=["content", "import", str(root)])
    assert result.exit_code == 0, result.output
    assert "Nothing changed" in result.output


def test_export_with_drafts_is_labelled_and_holds_the_draft(bundled, signed_in, db, tmp_path):
    db.session.add(ContentDraft(path=MODULE, text="---\ntitle: Draft only\n---\n"))
    db.session.commit()
    response = signed_in.get("/authoring/courses/cse-level-1/export.zip?drafts=1")
    assert 'filename="cse-level-1-with-drafts.zip"' in response.headers["Content-Disposition"]
    root = _unzip(response.data, tmp_path / "drafts")
    assert (root / MODULE).read_text() == "---\ntitle: Draft only\n---\n"
    assert "unpublished drafts" in (root / "README.txt").read_text()
    plain = _unzip(signed_in.get("/authoring/courses/cse-level-1/export.zip").data, tmp_path / "plain")
    assert (plain / MODULE).read_bytes() == (ROOT / "courses" / MODULE).read_bytes()


def test_export_of_an_unknown_folder_is_not_found(bundled, signed_in):
    assert signed_in.get("/authoring/courses/no-such-course/export.zip").status_code == 404


# The refusal rule on the command line -------------------------------------------------------


def test_a_stale_folder_import_is_refused_naming_the_browser_edit(bundled, db, trainer, runner):
    _publish_in_browser(db, trainer)
    versions = _count(db, ModuleVersion)
    result = runner.invoke(args=["content", "import", str(ROOT / "courses")])
    assert result.exit_code == 1
    assert "01-what-is-cse.md: the module what-is-cse is at version 2" in result.output
    assert "published in the browser by trainer.h5@example.org" in result.output
    assert "--overwrite-browser-edits" in result.output and "Export the course" in result.output
    # course.md is unchanged text, even though its version changed with the module: not named.
    assert "course.md" not in result.output
    assert _count(db, ModuleVersion) == versions
    assert current_module_version("what-is-cse").number == 2


def test_overwrite_browser_edits_replaces_them_with_the_folder(bundled, db, trainer, runner):
    _publish_in_browser(db, trainer)
    result = runner.invoke(args=["content", "import", "--overwrite-browser-edits", str(ROOT / "courses")])
    assert result.exit_code == 0, result.output
    assert current_module_version("what-is-cse").number == 3
    assert published_files()[MODULE].data == (ROOT / "courses" / MODULE).read_bytes()


def test_keep_browser_edits_imports_the_rest_and_keeps_them(bundled, db, trainer, runner, tmp_path):
    browser_text = _publish_in_browser(db, trainer)
    folder = tmp_path / "courses"
    shutil.copytree(ROOT / "courses", folder)
    other = folder / "cse-level-1" / "04-signs-and-indicators.md"
    other.write_text(other.read_text() + "\nA line added in git.\n")
    result = runner.invoke(args=["content", "import", "--keep-browser-edits", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Kept the browser's version 2 of module what-is-cse" in result.output
    assert current_module_version("what-is-cse").number == 2
    assert published_files()[MODULE].data.decode() == browser_text
    assert current_module_version("signs-and-indicators").number == 2
    # Run again (as `make run` does each start): nothing more changes.
    again = runner.invoke(args=["content", "import", "--keep-browser-edits", str(folder)])
    assert again.exit_code == 0 and "Nothing changed" in again.output, again.output


def test_the_two_modes_cannot_be_combined(bundled, runner):
    result = runner.invoke(args=["content", "import", "--keep-browser-edits", "--overwrite-browser-edits"])
    assert result.exit_code == 2 and "Choose one" in result.output


# Reading an upload --------------------------------------------------------------------------


def _symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("cse-level-1/evil.md")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _duplicate_zip() -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we mean to write
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("cse-level-1/course.md", "a")
            archive.writestr("cse-level-1/course.md", "b")
    return buffer.getvalue()


def _not_utf8_zip() -> bytes:
    data = _zip({"cse-level-1/X.md": b"x"})
    return data.replace(b"cse-level-1/X.md", b"cse-level-1/\xff.md")


def _big_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cse-level-1/big.md", b"a" * (transfer.MAX_TOTAL_BYTES + 1))
    return buffer.getvalue()


HOSTILE = {
    "not a zip": (lambda: b"hello", "is not a ZIP file"),
    "too many entries": (lambda: _zip({f"c/{i}.md": b"" for i in range(transfer.MAX_ENTRIES + 1)}),
                         f"the most it may have is {transfer.MAX_ENTRIES}"),
    "too big unzipped": (_big_zip, "MB unzipped"),
    "nested zip by name": (lambda: _zip({"cse-level-1/inner.zip": b"x"}), "a ZIP file inside the ZIP"),
    "nested zip by content": (lambda: _zip({"cse-level-1/inner.md": _zip({"a/b.md": b"x"})}),
                              "a ZIP file inside the ZIP"),
    "absolute path": (lambda: _zip({"/etc/cse/course.md": b"x"}), "is an absolute path"),
    "dot dot": (lambda: _zip({"cse-level-1/../../x.md": b"x"}), "points outside the folder"),
    "symlink": (_symlink_zip, "is a symbolic link"),
    "not utf-8": (_not_utf8_zip, "is not UTF-8 text"),
    "duplicate": (_duplicate_zip, "is in the ZIP twice"),
    "empty": (lambda: _zip({}), "has no files"),
    "loose file": (lambda: _zip({"notes.md": b"x", "cse-level-1/course.md": b"x"}), "is not in a course folder"),
    "too deep": (lambda: _zip({"cse-level-1/course.md": b"x", "cse-level-1/a/b/c/d.md": b"x"}), "nested too deeply"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_zip_is_refused_with_its_reason(case):
    make, message = HOSTILE[case]
    with pytest.raises(transfer.ZipRefused, match=message):
        transfer.read_zip(make(), "upload.zip")


@pytest.mark.parametrize("case", ["symlink", "dot dot", "too big unzipped"])
def test_a_hostile_upload_says_why_and_writes_nothing(bundled, signed_in, db, case):
    make, message = HOSTILE[case]
    publications = _count(db, Publication)
    response = signed_in.post("/authoring/import", data={"file": (io.BytesIO(make()), "upload.zip")},
                              content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(db, Publication) == publications


def test_layouts_a_content_folder_inside_a_top_folder_and_one_course_folder(bundled):
    nested = transfer.read_zip(_zip({"courses/cse-level-1/course.md": b"x", "README.md": b"r"}))
    assert nested.files == {"cse-level-1/course.md": b"x"} and nested.prefix == "courses/"
    assert nested.shown("cse-level-1/course.md") == "courses/cse-level-1/course.md"
    single = transfer.read_zip(_zip({"course.md": b"x", "01-a.md": b"y"}), "my-course.zip")
    assert sorted(single.files) == ["my-course/01-a.md", "my-course/course.md"]
    assert single.shown("my-course/01-a.md") == "01-a.md"
    with pytest.raises(transfer.ZipRefused, match="named after the course"):
        transfer.read_zip(_zip({"course.md": b"x"}), "My Course (1).zip")
    skipped = transfer.read_zip(_zip({"cse-level-1/course.md": b"x", "__MACOSX/cse-level-1/._course.md": b"",
                                      "cse-level-1/.DS_Store": b""}))
    assert list(skipped.files) == ["cse-level-1/course.md"]


# Uploading in the browser -------------------------------------------------------------------


def _upload(client, data: bytes, name="cse-level-1.zip"):
    return client.post("/authoring/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _token(page: str) -> str:
    marker = 'name="upload" type="hidden" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def test_an_upload_with_an_error_shows_it_by_zip_path_and_publishes_nothing(bundled, signed_in, db):
    broken = _folder_zip(changes={MODULE: b"---\ntitle: Broken\n---\nNo kind.\n"})
    publications = _count(db, Publication)
    page = _upload(signed_in, _zip({f"courses/{k}": v for k, v in
                                    zipfile_items(broken)})).get_data(as_text=True)
    assert "courses/cse-level-1/01-what-is-cse.md" in page
    assert "Nothing has been published" in page
    assert "Publish the folder" not in page
    assert _count(db, Publication) == publications


def zipfile_items(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def test_an_upload_is_checked_then_published_with_its_note(bundled, signed_in, db, trainer):
    text = (ROOT / "courses" / MODULE).read_bytes() + b"\nA line from git.\n"
    page = _upload(signed_in, _folder_zip(changes={MODULE: text})).get_data(as_text=True)
    assert "Changed module what-is-cse: version 1 becomes 2" in page
    assert current_module_version("what-is-cse").number == 1  # checking publishes nothing
    token = _token(page)

    refused = signed_in.post("/authoring/import/confirm", data={"upload": token, "note": " "})
    assert refused.status_code == 400
    assert "Enter a change note" in refused.get_data(as_text=True)
    assert current_module_version("what-is-cse").number == 1

    done = signed_in.post("/authoring/import/confirm", data={"upload": token, "note": "From git"})
    assert done.status_code == 302
    version = current_module_version("what-is-cse")
    assert version.number == 2
    assert version.publication.origin is PublicationOrigin.upload
    assert version.publication.note == "From git" and version.publication.actor_id == trainer.id
    assert published_files()[MODULE].data == text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "content.uploaded")) is not None
    # The kept file is gone: the same confirm cannot publish twice.
    again = signed_in.post("/authoring/import/confirm", data={"upload": token, "note": "From git"})
    assert "no longer on the server" in again.get_data(as_text=True)


def test_an_upload_over_a_browser_edit_needs_the_box_ticked(bundled, signed_in, db, trainer):
    _publish_in_browser(db, trainer)
    page = _upload(signed_in, _folder_zip(changes={MODULE: (ROOT / "courses" / MODULE).read_bytes()}))
    text = page.get_data(as_text=True)
    assert "cse-level-1/01-what-is-cse.md: the module what-is-cse is at version 2" in text
    token = _token(text)
    refused = signed_in.post("/authoring/import/confirm", data={"upload": token, "note": "Git wins"})
    assert refused.status_code == 400
    assert "Tick this to replace the changes made in the browser" in refused.get_data(as_text=True)
    assert current_module_version("what-is-cse").number == 2
    done = signed_in.post("/authoring/import/confirm", data={"upload": token, "note": "Git wins", "overwrite": "y"})
    assert done.status_code == 302
    assert current_module_version("what-is-cse").number == 3


def test_an_upload_over_drafts_needs_them_discarded(bundled, signed_in, db, trainer):
    other = "cse-level-1/04-signs-and-indicators.md"
    db.session.add(ContentDraft(path=other, text="draft", updated_by_id=trainer.id))
    db.session.commit()
    text = (ROOT / "courses" / MODULE).read_bytes() + b"\nFrom git.\n"
    page = _upload(signed_in, _folder_zip(changes={MODULE: text})).get_data(as_text=True)
    assert f"{other}, saved by {trainer.name}" in page
    token = _token(page)
    refused = signed_in.post("/authoring/import/confirm", data={"upload": token, "note": "x"})
    assert "Tick this to discard the drafts" in refused.get_data(as_text=True)
    assert db.session.scalar(select(ContentDraft)) is not None
    done = signed_in.post("/authoring/import/confirm", data={"upload": token, "note": "x", "discard_drafts": "y"})
    assert done.status_code == 302
    assert db.session.scalar(select(ContentDraft)) is None
    assert current_module_version("what-is-cse").number == 2


def test_someone_elses_upload_cannot_be_confirmed(bundled, signed_in, app, make_user, sign_in):
    text = (ROOT / "courses" / MODULE).read_bytes() + b"\nFrom git.\n"
    token = _token(_upload(signed_in, _folder_zip(changes={MODULE: text})).get_data(as_text=True))
    other = sign_in(make_user(roles=(Role.trainer,)), test_client=app.test_client())
    response = other.post("/authoring/import/confirm", data={"upload": token, "note": "x"})
    assert "no longer on the server" in response.get_data(as_text=True)
    assert current_module_version("what-is-cse").number == 1
