"""Slots: places in stored section HTML where a page inserts something of its own.

A section's HTML holds ``<div class="sl-slot" data-slot="NAME"></div>`` where the Markdown had:

- a decision point -- ``decision:<key>`` (the key of a DecisionPoint of the same module version);
- a "Pause and reflect" box -- ``reflection:<key>``;
- ``[[local-contacts]]`` -- ``local-contacts`` (the partnership's contacts from configuration).

Slots are written after sanitising, so content can never forge other markup through them. Pages
call :func:`fill_slots` with a function that returns the (safe) HTML for each slot name.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from markupsafe import Markup, escape

from modules.content.display import prepare

SLOT_RE = re.compile(r'<div class="sl-slot" data-slot="([a-z0-9:_-]+)"></div>')


def slot_html(name: str) -> str:
    return f'<div class="sl-slot" data-slot="{escape(name)}"></div>'


def fill_slots(html: str, fill: Callable[[str], str]) -> Markup:
    """Replace every slot in stored ``html`` with ``fill(name)`` (which must return safe HTML;
    return "" to drop a slot). The stored HTML itself is already sanitised. Its tables are put
    in scrolling regions and its telephone numbers linked first (modules.content.display), so
    what ``fill`` adds is left alone."""
    return Markup(SLOT_RE.sub(lambda m: str(fill(m.group(1))), prepare(html)))


class SlotTokens:
    """Placeholders that survive Markdown rendering and sanitising as plain paragraphs, then
    become slots. A random nonce per file means text in the content cannot imitate them."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(6)
        self.names: dict[str, str] = {}

    def token(self, name: str) -> str:
        token = f"slslot{self.nonce}n{len(self.names)}x"
        self.names[token] = name
        return token

    def replace(self, html: str) -> str:
        if not self.names:
            return html
        pattern = re.compile(
            r'(?:<p class="govuk-body">\s*)?(slslot' + self.nonce + r'n\d+x)(?:\s*</p>)?'
        )
        return pattern.sub(lambda m: slot_html(self.names.get(m.group(1), "")), html)
