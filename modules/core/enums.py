"""Enums that carry the words people read (and, for statuses, the GOV.UK tag that shows them)."""
from __future__ import annotations

import enum


class LabelledEnum(enum.Enum):
    """The member name is what is stored; the value is the words people read."""

    @property
    def label(self) -> str:
        return self.value


class TaggedStatus(enum.Enum):
    """A status shown as a GOV.UK tag: value is ``(words, tag class)``.

    The words carry the meaning; the tag colour only repeats it (no meaning by colour alone).
    """

    @property
    def label(self) -> str:
        return self.value[0]

    @property
    def tag_class(self) -> str:
        return self.value[1]
