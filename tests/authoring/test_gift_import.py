"""The GIFT import page: upload, report and preview, then a draft quiz listed in course.md."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from modules.authoring.course_text import add_module
from modules.authoring.models import ContentDraft
from modules.core.models import AuditEvent
from modules.core.roles import Role

FILES = Path(__file__).resolve().parents[1] / "content" / "gift" / "files"
URL = "/authoring/courses/cse-level-1/gift"


@pytest.fixture
def trainer_client(bundled, client, make_user, sign_in):
    return sign_in(make_user(roles=(Role.trainer,), name="Sam Trainer"))


def upload(client, name="mixed.gift", data=None, **fields):
    data = (FILES / name).read_bytes() if data is None else data
    return client.post(URL, data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def add_fields(html: str) -> dict[str, str]:
    import re

    return {name: value.replace("&#34;", '"').replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
            .replace("&amp;", "&")
            for name, value in re.findall(r'name="(add-[a-z_]+)"[^>]*value="([^"]*)"', html)}


def test_the_course_page_links_to_the_import(trainer_client):
    html = trainer_client.get("/authoring/courses/cse-level-1").get_data(as_text=True)
    assert f'href="{URL}"' in html


def test_the_page_asks_for_a_file(trainer_client):
    page = trainer_client.get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    assert "Add as a draft module" not in html


def test_upload_shows_the_report_and_the_markdown_and_saves_nothing(trainer_client, db):
    page = upload(trainer_client, title="CSE awareness check", module_id="cse-gift-check")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "5 questions converted, 4 left out." in html
    assert "Line 31, &lsquo;How many&rsquo;: numerical questions" in html
    assert 'data-left-out="yes"' in html and "Left out" in html
    assert "## Child sexual exploitation is a form of: {pool=default-for-cse-awareness}" in html
    assert "Add as a draft module" in html
    assert db.session.scalars(select(ContentDraft)).all() == []


def test_adding_creates_the_draft_module_and_lists_it_in_course_md(trainer_client, db):
    html = upload(trainer_client, title="CSE awareness check", module_id="cse-gift-check").get_data(as_text=True)
    fields = add_fields(html)
    assert fields["add-module_id"] == "cse-gift-check" and fields["add-title"] == "CSE awareness check"
    response = trainer_client.post(URL, data={**fields, "add-add": "Add as a draft module"})
    assert response.status_code == 302
    drafts = {d.path: d for d in db.session.scalars(select(ContentDraft))}
    (path,) = [p for p in drafts if p.endswith("-cse-gift-check.md")]
    assert response.headers["Location"].endswith(f"/authoring/files/{path}")
    assert path.startswith("cse-level-1/") and drafts[path].text.startswith('---\ntitle: "CSE awareness check"\nkind: quiz\n')
    course = drafts["cse-level-1/course.md"].text
    published = (Path(__file__).resolve().parents[2] / "courses" / "cse-level-1" / "course.md").read_text(encoding="utf-8")
    assert course == add_module(published, "cse-gift-check")
    assert course.replace("  - cse-gift-check\n", "") == published
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "content.gift_imported")).one()
    assert event.details == {"path": path, "questions": 5, "left_out": 4}
    # The course with its drafts passes the checker, as publishing will check it.
    from modules.authoring.workspace import check_folder, materialised, working_files

    with materialised(working_files("cse-level-1")) as root:
        result = check_folder(root)
    assert result.ok, [str(p) for p in result.errors]


def test_an_id_already_used_is_refused_and_nothing_is_saved(trainer_client, db):
    html = upload(trainer_client, module_id="what-is-cse").get_data(as_text=True)
    response = trainer_client.post(URL, data={**add_fields(html), "add-add": "Add as a draft module"})
    assert response.status_code == 400
    assert "a module with the id &#39;what-is-cse&#39; already exists" in response.get_data(as_text=True)
    assert db.session.scalars(select(ContentDraft)).all() == []


@pytest.mark.parametrize(("name", "data", "fields", "message"), [
    ("notes.docx", b"x", {}, "The file must be a GIFT file ending .gift or .txt"),
    ("numbers.gift", (FILES / "numerical.gift").read_bytes(), {}, "None of the questions in this file can be converted"),
    ("x.gift", b"Q {=a ~b}", {"module_id": "Not An Id"}, "The module id must be lower case letters"),
    ("---.gift", b"Q {=a ~b}", {}, "Enter a module id"),
])
def test_bad_uploads_are_refused_with_a_clear_message(trainer_client, name, data, fields, message):
    response = upload(trainer_client, name, data, **fields)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "govuk-error-summary" in html


def test_a_file_over_the_size_limit_is_refused(trainer_client, monkeypatch):
    # A small limit: a real 1 MB body makes the test client spool to a file it never closes.
    monkeypatch.setattr("modules.authoring.gift_views.GIFT_MAX_BYTES", 2048)
    response = upload(trainer_client, "big.gift", b"Q {=a ~b}\n\n" * 300)
    assert response.status_code == 400
    assert "The file is larger than 2 KB: split it into smaller files" in response.get_data(as_text=True)


def test_a_moodle_txt_export_in_windows_1252_is_read(trainer_client):
    html = upload(trainer_client, "export.txt", (FILES / "windows_1252.gift").read_bytes()).get_data(as_text=True)
    assert "1 question converted, 0 left out." in html
    assert "The file is not UTF-8" in html
    assert "Is the café’s name “read” right?" in html


def test_no_file_is_refused(trainer_client):
    response = trainer_client.post(URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Select a GIFT file" in response.get_data(as_text=True)


def test_an_unknown_course_is_404(trainer_client):
    assert trainer_client.get("/authoring/courses/no-such-course/gift").status_code == 404


def test_a_manager_cannot_import(bundled, client, make_user, sign_in):
    manager = sign_in(make_user(roles=(Role.manager,)))
    assert manager.get(URL).status_code == 403
