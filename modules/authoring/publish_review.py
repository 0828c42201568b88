"""What publishing a course folder's drafts would do, shown before anyone presses Publish: the
check of the whole working copy (as ``publishing.publish_drafts`` runs it) and the files that
change. Nothing is written."""
from __future__ import annotations

from dataclasses import dataclass, field

from modules.authoring.models import ContentDraft
from modules.authoring.workspace import (
    check_folder,
    drafts,
    materialised,
    relative_problems,
    working_files,
)
from modules.content.problems import Problem


@dataclass
class PublishReview:
    folder: str
    changes: list[tuple[ContentDraft, str]] = field(default_factory=list)  # (draft, "Changed"/"New"/"Removed")
    problems: list[Problem] = field(default_factory=list)  # paths relative to the content folder

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def can_publish(self) -> bool:
        return bool(self.changes) and not self.errors


def _change(draft: ContentDraft) -> str:
    if draft.removed:
        return "Removed"
    return "Changed" if draft.base_hash else "New"


def review(folder: str) -> PublishReview:
    """The check ``publish_drafts(folder)`` would make, and the files it would publish."""
    with materialised(working_files(folder)) as root:
        problems = relative_problems(check_folder(root).problems, root)
    return PublishReview(folder=folder, changes=[(d, _change(d)) for d in drafts(folder)],
                         problems=sorted(problems, key=lambda p: (str(p.path), p.line, p.col)))
