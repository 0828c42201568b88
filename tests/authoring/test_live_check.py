"""Check as you type: the fast preview reports what ``content check`` of the whole working copy
reports for the file, and the JSON check endpoint (shape, no write, who may use it)."""
from __future__ import annotations

from sqlalchemy import func, select

from modules.accounts.models import Role
from modules.authoring.models import ContentDraft
from modules.authoring.preview import preview_file
from modules.authoring.workspace import check_folder, materialised, relative_problems, working_files
from modules.content.models import ContentSource, ModuleVersion
from modules.content.source import MAX_FILE_BYTES

CASE_STUDY = "cse-level-1/09-case-study-missing-episodes.md"
BROKEN = """---
title: "Case study: a broken one"
kind: case_study
minutes: 5
summary: Broken on purpose.
content_note: Made up.
pseudonyms: [Nadia]
---
## Start

Nadia lives at 14 Acacia Avenue, Leeds LS6 2AB with Jonathan Whitfield.
See [the signs](04-signs-and-indicators.md#shared-signs), [nowhere](04-signs-and-indicators.md#nowhere)
and [a missing module](99-nothing.md).

<script>alert(1)</script>

### Decision: What do you do?

- [ ] Wait and see what happens next week.

    Consequence: Nothing changes, and nobody else is told.

- [x] Tell the safeguarding lead the same day.

    Consequence: The lead calls children's social care.

**Practice point:** Share a worry the same day.
"""


def _whole_check(folder: str, overrides: dict[str, str]) -> dict[str, list]:
    files = working_files(folder, overrides=overrides)
    with materialised(files) as root:
        problems = relative_problems(check_folder(root).problems, root)
    by_path: dict[str, list] = {}
    for problem in problems:
        by_path.setdefault(problem.path.as_posix(), []).append(problem)
    return by_path


def _key(problems):
    return [(p.path.as_posix(), p.line, p.col, p.severity, p.message) for p in problems]


def test_the_preview_of_each_bundled_file_has_the_whole_checks_problems(bundled):
    files = {path: data.decode() for path, data in working_files().items() if path.endswith(".md")}
    assert len(files) == 24
    whole = _whole_check("cse-level-1", {})
    for path, text in files.items():
        preview = preview_file(path, text)
        assert _key(preview.problems) == _key(whole.get(path, [])), path
        if path.endswith("course.md"):
            assert preview.course is not None and preview.module is None
        else:
            assert preview.module is not None and preview.module.slug


def test_a_broken_module_and_a_broken_course_file(bundled, db):
    # A saved draft of another file is part of the working copy the preview checks against.
    course = working_files()["cse-level-1/course.md"].decode()
    db.session.add(ContentDraft(path="cse-level-1/course.md",
                                text=course.replace("  - final-assessment\n", "  - final-assessment\n  - no-such-module\n")))
    db.session.flush()
    overrides = {CASE_STUDY: BROKEN}
    whole = _whole_check("cse-level-1", overrides)
    preview = preview_file(CASE_STUDY, BROKEN)
    assert _key(preview.problems) == _key(whole[CASE_STUDY])
    messages = " | ".join(p.message for p in preview.errors)
    assert "#nowhere" in messages and "99-nothing.md" in messages and "LS6 2AB" in messages
    assert "#shared-signs" not in messages
    course_preview = preview_file("cse-level-1/course.md", working_files()["cse-level-1/course.md"].decode())
    assert any("no-such-module" in p.message for p in course_preview.errors)
    assert _key(course_preview.problems) == _key(_whole_check("cse-level-1", {})["cse-level-1/course.md"])


def _trainer_client(client, make_user, sign_in, role=Role.trainer):
    return sign_in(make_user(roles=(role,)))


def test_the_check_returns_findings_and_the_preview_as_json(bundled, db, client, make_user, sign_in):
    _trainer_client(client, make_user, sign_in)
    before = (db.session.scalar(select(func.count()).select_from(ContentDraft)),
              db.session.scalar(select(func.count()).select_from(ModuleVersion)),
              db.session.scalar(select(func.count()).select_from(ContentSource)))
    response = client.post(f"/authoring/files/{CASE_STUDY}/check", data={"text": BROKEN})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"findings", "html", "counts"}
    postcode = [f for f in body["findings"] if "LS6 2AB" in f["message"]]
    assert postcode and postcode[0]["line"] == 11 and postcode[0]["severity"] == "error"
    assert postcode[0]["checker"] == "personal_data"
    assert postcode[0]["length"] == len("LS6 2AB")
    assert set(postcode[0]) == {"line", "col", "length", "severity", "message", "checker"}
    assert body["counts"]["errors"] == sum(f["severity"] == "error" for f in body["findings"]) >= 4
    # The preview is the learners' rendering: the decision point and its best option are shown,
    # the script is gone.
    assert "Decision point" in body["html"] and "Tell the safeguarding lead the same day" in body["html"]
    assert "Best option" in body["html"]
    assert "<script" not in body["html"]
    after = (db.session.scalar(select(func.count()).select_from(ContentDraft)),
             db.session.scalar(select(func.count()).select_from(ModuleVersion)),
             db.session.scalar(select(func.count()).select_from(ContentSource)))
    assert after == before


def test_a_clean_module_has_no_errors(bundled, client, make_user, sign_in):
    _trainer_client(client, make_user, sign_in, Role.partnership_admin)
    text = working_files()[CASE_STUDY].decode()
    body = client.post(f"/authoring/files/{CASE_STUDY}/check", data={"text": text}).get_json()
    assert body["counts"]["errors"] == 0
    assert "Month 1: what school saw" in body["html"]


def test_refusals_are_json_with_a_reason(bundled, client, make_user, sign_in):
    _trainer_client(client, make_user, sign_in)
    big = client.post(f"/authoring/files/{CASE_STUDY}/check", data={"text": "x" * (MAX_FILE_BYTES + 1)})
    assert big.status_code == 413 and "too large" in big.get_json()["error"]
    missing = client.post(f"/authoring/files/{CASE_STUDY}/check", data={})
    assert missing.status_code == 400 and "no text" in missing.get_json()["error"]
    outside = client.post("/authoring/files/../etc/passwd.md/check", data={"text": "x"})
    assert outside.status_code == 404
    picture = client.post("/authoring/files/cse-level-1/images/a.png/check", data={"text": "x"})
    assert picture.status_code == 404 and "error" in picture.get_json()
    unreadable = client.post("/authoring/files/cse-level-1/new.md/check", data={"text": "no front matter"})
    assert unreadable.status_code == 200 and unreadable.get_json()["counts"]["errors"] >= 1


def test_only_trainers_and_admins_may_check(bundled, client, make_user, sign_in):
    for role in (Role.learner, Role.manager):
        user_client = client.application.test_client()
        sign_in(make_user(roles=(role,)), test_client=user_client)
        assert user_client.post(f"/authoring/files/{CASE_STUDY}/check", data={"text": BROKEN}).status_code == 403
    anonymous = client.application.test_client().post(f"/authoring/files/{CASE_STUDY}/check", data={"text": BROKEN})
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
