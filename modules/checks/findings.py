"""The one result shape of every check: what was found, where, why it matters and what to write
instead. The content checker turns findings into ``path:line:col`` problems, the quiz marker into
feedback for the learner, and an editor can underline them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    start: int  # offset in the text checked
    end: int
    kind: str  # personal data: "name", "postcode", ...; language: the guide entry's id
    text: str  # the words found, as written
    line: int = 1  # from 1, in the text checked (or the file, when the caller gave a first line)
    column: int = 1
    why: str = ""  # why it matters
    instead: str = ""  # what to write instead
    checker: str = ""  # "personal_data" or "language"
    source: str = ""  # where the guidance comes from (language findings)

    @property
    def label(self) -> str:
        """What the finding looks like, for messages ("a postcode", "a personal name")."""
        from modules.checks.personal_data import LABELS

        return LABELS.get(self.kind, self.kind)

    def to_data(self) -> dict:
        return {
            "checker": self.checker, "kind": self.kind, "line": self.line, "column": self.column,
            "text": self.text, "why": self.why, "instead": self.instead, "source": self.source,
        }


def without_overlaps(findings: list[Finding]) -> list[Finding]:
    """The findings in order, dropping any that overlaps one already kept; the longer of two
    overlapping findings is kept (so "boyfriend model" wins over "boyfriend")."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (-(f.end - f.start), f.start)):
        if not any(finding.start < k.end and k.start < finding.end for k in kept):
            kept.append(finding)
    return sorted(kept)
