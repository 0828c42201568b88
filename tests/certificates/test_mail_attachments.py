"""modules.notifications.mail can attach files (certificates are emailed as PDFs)."""
from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy

from modules.notifications.mail import Attachment, build_message, read_outbox, send

CONFIG = {"MAIL_FROM": "Sightline <no-reply@example.org>"}


def test_a_message_carries_its_attachment_intact():
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 4
    message = build_message(
        CONFIG, to="a@example.org", subject="Your certificate", body="Attached.",
        attachments=[Attachment("NSCP-2026-000001.pdf", "application/pdf", pdf)],
    )
    parsed = message_from_bytes(message.as_bytes(), policy=default_policy)
    [part] = list(parsed.iter_attachments())
    assert part.get_content_type() == "application/pdf"
    assert part.get_filename() == "NSCP-2026-000001.pdf"
    assert part.get_content() == pdf
    assert parsed.get_body(preferencelist=("plain",)).get_content().strip() == "Attached."


def test_without_attachments_the_message_stays_plain_text():
    message = build_message(CONFIG, to="a@example.org", subject="Hi", body="Body")
    assert message.get_content_type() == "text/plain"


def test_the_outbox_lists_attachments(tmp_path):
    config = {**CONFIG, "MAIL_OUTBOX_DIR": str(tmp_path)}
    send(config, to="a@example.org", subject="Your certificate", body="Attached.",
         attachments=[Attachment("c.pdf", "application/pdf", b"x" * 3000)])
    [entry] = read_outbox(str(tmp_path))
    assert entry.attachments == (("c.pdf", 3000),)
    assert entry.body.strip() == "Attached."


def test_the_outbox_page_names_the_attachments(app, client):
    app.config["SIGHTLINE_DEV_OUTBOX"] = "loopback"  # off by default in testing
    send(app.config, to="a@example.org", subject="Your certificate", body="Attached.",
         attachments=[Attachment("NSCP-2026-000001 CSE-L1.pdf", "application/pdf", b"x" * 5000)])
    [entry] = read_outbox(app.config["MAIL_OUTBOX_DIR"])
    page = client.get(f"/dev/outbox/{entry.name}").get_data(as_text=True)
    assert "Attachments" in page and "NSCP-2026-000001 CSE-L1.pdf (5 KB)" in page
