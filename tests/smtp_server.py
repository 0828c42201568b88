"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives: the reminders' tests and
the staff-import browser journey read the mail that actually arrived."""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the server received: one parsed message per delivery."""

    def __init__(self):
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    def recipients(self) -> set[str]:
        return {m["To"] for m in self.messages}


def body(message: Message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox
    controller: Controller | None = None
    kwargs: dict = field(default_factory=dict)

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **self.kwargs)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
