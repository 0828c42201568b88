"""Dismissing a personal-data finding as a false alarm: written into the module's settings (the rest
of the file unchanged), audited, refused over a colleague's save, and it unblocks publishing."""
from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from modules.authoring import false_alarms
from modules.authoring.drafts import DraftConflict, current_text, save_draft
from modules.authoring.publishing import publish_drafts
from modules.core.models import AuditEvent
from modules.core.roles import Role

PATH = "cse-level-1/09-case-study-missing-episodes.md"
FOUND = "12 Hope Street"
SENTENCE = "Over three weeks, Lorraine reports Nadia missing twice."


def _front(text: str) -> dict:
    return yaml.safe_load(text.split("---", 2)[1])


def test_a_new_block_goes_before_the_closing_line_and_nothing_else_changes():
    text = "---\ntitle: T\nkind: lesson\nminutes: 5\n---\nBody: with: colons\n"
    out = false_alarms.with_false_alarm(text, "Hope Street", "made up: for the story")
    assert out == ("---\ntitle: T\nkind: lesson\nminutes: 5\nfalse_alarms:\n  - text: Hope Street\n"
                   "    reason: 'made up: for the story'\n---\nBody: with: colons\n")
    assert _front(out)["false_alarms"] == [{"text": "Hope Street", "reason": "made up: for the story"}]


def test_an_existing_block_is_extended_with_its_own_indent_and_line_endings():
    text = ("---\r\ntitle: T\r\nfalse_alarms:\r\n- text: A Road\r\n  reason: r\r\n\r\n"
            "minutes: 5\r\n---\r\nBody\r\n")
    out = false_alarms.with_false_alarm(text, "yes", "'quoted'")
    assert out == ("---\r\ntitle: T\r\nfalse_alarms:\r\n- text: A Road\r\n  reason: r\r\n"
                   "- text: 'yes'\r\n  reason: '''quoted'''\r\n\r\nminutes: 5\r\n---\r\nBody\r\n")
    assert _front(out.replace("\r\n", "\n"))["false_alarms"][1] == {"text": "yes", "reason": "'quoted'"}


def test_an_empty_flow_list_is_replaced_and_a_one_line_list_is_refused():
    out = false_alarms.with_false_alarm("---\nfalse_alarms: []\n---\nB\n", "X Lane", "r")
    assert _front(out)["false_alarms"] == [{"text": "X Lane", "reason": "r"}]
    with pytest.raises(false_alarms.NotDismissable, match="on one line"):
        false_alarms.with_false_alarm("---\nfalse_alarms: [{text: a, reason: b}]\n---\nB\n", "X", "r")
    with pytest.raises(false_alarms.NotDismissable):
        false_alarms.with_false_alarm("no settings\n", "X", "r")


@pytest.fixture
def blocked(bundled, db, make_user):
    """The bundled case study with a made-up street that the check takes for an address."""
    trainer = make_user(roles=(Role.trainer,), name="Sam Trainer")
    bundled_text = current_text(PATH)
    assert bundled_text.count(SENTENCE) == 1
    text = bundled_text.replace(SENTENCE, f"{SENTENCE} The family moved to {FOUND}.")
    save_draft(PATH, expected_revision=0, actor=trainer, text=text)
    db.session.commit()
    return trainer


def test_the_dismissal_makes_the_blocked_case_study_publishable(blocked, db):
    refused = publish_drafts("cse-level-1", actor=blocked, note="new street")
    assert not refused.published
    assert any(p.subject == FOUND and p.checker == "personal_data" for p in refused.errors)
    db.session.rollback()
    before = current_text(PATH)
    false_alarms.dismiss(PATH, words=FOUND, reason="a made-up street", expected_revision=1, actor=blocked)
    after = current_text(PATH)
    assert _front(after)["false_alarms"] == [{"text": FOUND, "reason": "a made-up street"}]
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]  # the body, byte for byte
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "content.false_alarm_dismissed"))
    assert event.details == {"path": PATH, "text": FOUND, "reason": "a made-up street"}
    assert publish_drafts("cse-level-1", actor=blocked, note="new street").published


def test_a_dismissal_from_an_older_revision_is_refused(blocked, db, make_user):
    save_draft(PATH, expected_revision=1, actor=make_user(roles=(Role.trainer,), name="Alex"),
               text=current_text(PATH) + "\nMore.\n")
    with pytest.raises(DraftConflict, match="Alex saved this file"):
        false_alarms.dismiss(PATH, words=FOUND, reason="made up", expected_revision=1, actor=blocked)
    assert "false_alarms" not in current_text(PATH)


def test_only_personal_data_findings_can_be_dismissed(blocked):
    with pytest.raises(false_alarms.NotDismissable, match="only personal-data findings"):
        false_alarms.dismiss(PATH, words="Nobody", reason="x", expected_revision=1, actor=blocked)


def test_the_page_dismisses_audits_and_goes_back_to_the_editor(blocked, client, sign_in, db):
    sign_in(blocked)
    response = client.post(f"/authoring/files/{PATH}/false-alarms",
                           data={"text": FOUND, "reason": "a made-up street", "revision": "1"})
    assert response.status_code == 302 and response.location.endswith(f"/authoring/files/{PATH}")
    assert "reason: a made-up street" in current_text(PATH)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "content.false_alarm_dismissed"))


def test_the_page_keeps_the_reason_when_it_refuses(blocked, client, sign_in):
    sign_in(blocked)
    stale = client.post(f"/authoring/files/{PATH}/false-alarms",
                        data={"text": FOUND, "reason": "my careful reason", "revision": "0"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 200
    assert "Your dismissal was not saved" in html and "my careful reason" in html
    empty = client.post(f"/authoring/files/{PATH}/false-alarms", data={"text": FOUND, "reason": " ", "revision": "1"})
    assert "Enter why this is not personal data" in empty.get_data(as_text=True)
    assert "false_alarms" not in current_text(PATH)


def test_the_editor_slot_offers_a_form_for_each_personal_data_finding(blocked, app):
    from flask import render_template

    from modules.authoring.preview import preview_file

    preview = preview_file(PATH, current_text(PATH))
    with app.test_request_context():
        html = render_template("authoring/slots/editor_false_alarms.html", path=PATH, preview=preview, revision=1)
    assert html.count('name="reason"') == 1
    assert f'name="text" value="{FOUND}"' in html and 'name="revision" value="1"' in html
