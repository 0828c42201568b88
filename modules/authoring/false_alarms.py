"""Dismissing a personal-data finding as a false alarm, with a reason.

The dismissal is written into the module file's own settings (``false_alarms:``), so ``content
check`` and ``content import`` of an exported folder agree with the browser. Only the settings
block changes: the rest of the file stays byte for byte as it was. Nothing here commits.
"""
from __future__ import annotations

import re

import yaml

from modules.authoring import drafts
from modules.authoring.preview import preview_file
from modules.content.settings import MAX_FALSE_ALARM
from modules.core import audit

_FENCE = re.compile(r"^---[ \t]*$")
_BLOCK_KEY = re.compile(r"^false_alarms[ \t]*:(.*)$")
_TOP_LEVEL = re.compile(r"^[^\s#-]")  # a new setting; "- " at column 0 is still an entry
_ITEM = re.compile(r"^([ \t]*)-[ \t]")


class NotDismissable(ValueError):
    """The words are not a personal-data finding of the file as it is now; the message says why."""


def _scalar_line(key: str, value: str) -> str:
    # safe_dump quotes whatever YAML would misread (a colon, a leading quote, "yes", "12:30").
    return yaml.safe_dump({key: value}, allow_unicode=True, width=10**6,
                          default_flow_style=False).rstrip("\n")


def with_false_alarm(text: str, words: str, reason: str) -> str:
    """``text`` with ``{text: words, reason: reason}`` added to its ``false_alarms:`` settings.

    :raise NotDismissable: when the file has no settings block, or ``false_alarms`` is written in
        a form that cannot be extended safely (for example on one line).
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if not lines or not _FENCE.match(lines[0]):
        raise NotDismissable("the file has no settings between two '---' lines to add the false alarm to")
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        raise NotDismissable("the file's settings have no closing '---' line")
    start = next((i for i in range(1, end) if _BLOCK_KEY.match(lines[i])), None)
    indent = "  "
    if start is None:
        at, header = end, ["false_alarms:"]
    else:
        inline = _BLOCK_KEY.match(lines[start]).group(1).split("#", 1)[0].strip()
        header = []
        if inline == "[]":
            lines[start] = "false_alarms:"
        elif inline:
            raise NotDismissable("false_alarms is written on one line: write it as a list of "
                                 "entries (one '- text:' line each) to add to it here")
        at = start + 1
        while at < end and not _TOP_LEVEL.match(lines[at]):
            at += 1
        while at > start + 1 and not lines[at - 1].strip():
            at -= 1  # after the block's last entry, not after blank lines that follow it
        item = next((m for m in map(_ITEM.match, lines[start + 1:at]) if m), None)
        if item:
            indent = item.group(1)
    entry = [f"{indent}- {_scalar_line('text', words)}", f"{indent}  {_scalar_line('reason', reason)}"]
    return newline.join(lines[:at] + header + entry + lines[at:])


def personal_data_subjects(problems) -> list[str]:
    """The words of each personal-data finding, once each, in order (what may be dismissed)."""
    seen: list[str] = []
    for problem in problems:
        if problem.checker == "personal_data" and problem.subject not in seen:
            seen.append(problem.subject)
    return seen


def dismiss(path: str, *, words: str, reason: str, expected_revision: int, actor):
    """Dismiss the personal-data finding ``words`` of ``path`` as a false alarm, in its draft.

    :raise NotDismissable: when ``words`` is not a personal-data finding of the file now.
    :raise drafts.DraftConflict: when someone saved the file after ``expected_revision``.
    """
    reason = " ".join(reason.split())
    words = " ".join(words.split())
    if not reason:
        raise NotDismissable("Enter why this is not personal data")
    if len(words) > MAX_FALSE_ALARM:
        raise NotDismissable(f"The words must be {MAX_FALSE_ALARM} characters or fewer")
    if drafts.current_revision(path) != expected_revision:
        raise drafts.DraftConflict(drafts.draft_for(path), expected_revision)
    text = drafts.current_text(path)
    if text is None:
        raise NotDismissable("This file no longer exists")
    if words not in personal_data_subjects(preview_file(path, text).problems):
        raise NotDismissable(f"'{words}' is not a personal-data finding of this file as it is now: "
                             "only personal-data findings can be dismissed")
    draft = drafts.save_draft(path, expected_revision=expected_revision, actor=actor,
                              text=with_false_alarm(text, words, reason))
    audit.record("content.false_alarm_dismissed", actor=actor, path=path, text=words, reason=reason)
    return draft
