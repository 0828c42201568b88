"""Sending email: SMTP when configured, otherwise a file outbox (instance/outbox) for development.

The outbox keeps every message as an .eml file so a developer can read password-reset links in the
browser at /dev/outbox without a mail server.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import make_msgid
from pathlib import Path

from flask import after_this_request

log = logging.getLogger(__name__)

# What sending needs from the app's config; copied so that sending after the response needs no app.
_MAIL_SETTINGS = (
    "MAIL_FROM", "MAIL_OUTBOX_DIR", "MAIL_SMTP_HOST", "MAIL_SMTP_PORT", "MAIL_SMTP_USERNAME",
    "MAIL_SMTP_PASSWORD", "MAIL_SMTP_STARTTLS", "MAIL_SMTP_CA_FILE",
)


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message, e.g. ``Attachment("certificate.pdf", "application/pdf", pdf)``."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class OutboxEntry:
    name: str
    subject: str
    to: str
    sent_at: datetime
    body: str
    # (filename, size in bytes) of each attachment, so the outbox can show what was sent.
    attachments: tuple[tuple[str, int], ...] = ()


def build_message(
    config: Mapping, *, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="sightline.invalid")
    message.set_content(body)
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def send(
    config: Mapping, *, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> None:
    _deliver(config, build_message(config, to=to, subject=subject, body=body, attachments=attachments))


def send_after_response(
    config: Mapping, *, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> None:
    """Send once the response has gone to the visitor (when the server closes it), from inside a
    request. The message is built now; a failure to send is logged, as nobody is left to tell.

    For mail whose sending time must not show in the response time, such as a reset link that
    would otherwise tell a known address from an unknown one.
    """
    message = build_message(config, to=to, subject=subject, body=body, attachments=attachments)
    settings = {key: config.get(key) for key in _MAIL_SETTINGS}

    def deliver() -> None:
        try:
            _deliver(settings, message)
        except Exception:
            log.exception("could not send %r", subject)

    @after_this_request
    def send_when_closed(response):
        response.call_on_close(deliver)
        return response


def _deliver(config: Mapping, message: EmailMessage) -> None:
    if config.get("MAIL_SMTP_HOST"):
        _send_smtp(config, message)
    else:
        _write_outbox(Path(config["MAIL_OUTBOX_DIR"]), message)


@contextmanager
def transport(config: Mapping) -> Iterator[Callable[[EmailMessage], None]]:
    """A function that delivers messages, over one SMTP connection for the whole ``with`` block
    (or into the development outbox when no SMTP host is configured).

    For the mail queue, which sends a batch at a time: one connection, one STARTTLS handshake
    and one login per batch rather than per message.

    :raise OSError, smtplib.SMTPException: when the server cannot be reached, refuses STARTTLS or
        the login (on entering), or refuses a message (from the function).
    """
    if not config.get("MAIL_SMTP_HOST"):
        outbox = Path(config["MAIL_OUTBOX_DIR"])
        yield lambda message: _write_outbox(outbox, message)
        return
    with _smtp_connection(config) as smtp:
        yield smtp.send_message


def _send_smtp(config: Mapping, message: EmailMessage) -> None:
    with _smtp_connection(config) as smtp:
        smtp.send_message(message)


@contextmanager
def _smtp_connection(config: Mapping) -> Iterator[smtplib.SMTP]:
    with smtplib.SMTP(config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"], timeout=20) as smtp:
        if config.get("MAIL_SMTP_STARTTLS", True):
            # The system's CAs, or a private CA's certificate for an internal relay (SMTP_CA_FILE).
            # Certificate and host name are checked either way: a refused certificate stops the send.
            context = ssl.create_default_context(cafile=config.get("MAIL_SMTP_CA_FILE") or None)
            smtp.starttls(context=context)
        if config.get("MAIL_SMTP_USERNAME"):
            smtp.login(config["MAIL_SMTP_USERNAME"], config["MAIL_SMTP_PASSWORD"])
        yield smtp


def _write_outbox(outbox: Path, message: EmailMessage) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    moment = datetime.now()
    # The queue can write several messages within one microsecond: never overwrite one.
    while True:
        path = outbox / f"{moment.strftime('%Y%m%dT%H%M%S%f')}.eml"
        try:
            with path.open("xb") as handle:
                handle.write(message.as_bytes())
            return path
        except FileExistsError:
            moment += timedelta(microseconds=1)


def read_outbox(outbox_dir: str) -> list[OutboxEntry]:
    """Outbox messages, newest first."""
    outbox = Path(outbox_dir)
    if not outbox.is_dir():
        return []
    entries = []
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        parsed = BytesParser(policy=default_policy).parsebytes(path.read_bytes())
        entries.append(
            OutboxEntry(
                name=path.stem,
                subject=str(parsed["Subject"]),
                to=str(parsed["To"]),
                sent_at=datetime.strptime(path.stem, "%Y%m%dT%H%M%S%f"),
                body=parsed.get_body(preferencelist=("plain",)).get_content(),
                attachments=tuple(
                    (part.get_filename() or "attachment", len(part.get_content()))
                    for part in parsed.iter_attachments()
                ),
            )
        )
    return entries
