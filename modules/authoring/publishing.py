"""Publishing a course folder's drafts: the same check and the same importer as ``content
import`` (so the same version rules: a changed file becomes the next immutable version, and
learners mid-course keep theirs), recorded with who, why and how. Nothing is committed here."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete

from modules.authoring.models import ContentDraft
from modules.authoring.workspace import (
    check_folder,
    materialised,
    relative_problems,
    working_files,
)
from modules.content.importer import ImportSummary, import_result
from modules.content.models import PublicationOrigin
from modules.content.problems import Problem
from modules.core.extensions import db


@dataclass
class PublishOutcome:
    """What publishing did: the import summary, or the problems that stopped it (paths relative
    to the content folder). Warnings are reported either way."""

    problems: list[Problem] = field(default_factory=list)
    summary: ImportSummary | None = None

    @property
    def published(self) -> bool:
        return self.summary is not None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def publish_files(files: dict[str, bytes], *, actor, note: str,
                  origin: PublicationOrigin) -> PublishOutcome:
    """Check the whole content folder ``files`` and import what changed, or nothing if there is
    any error (in any file: the folder is published as a whole, as ``content import`` does)."""
    with materialised(files) as root:
        result = check_folder(root)
        problems = relative_problems(result.problems, root)
        if not result.ok:
            return PublishOutcome(problems=problems)
        summary = import_result(result, actor=actor, note=note, origin=origin)
    return PublishOutcome(problems=problems, summary=summary)


def publish_drafts(folder: str, *, actor, note: str,
                   origin: PublicationOrigin = PublicationOrigin.browser) -> PublishOutcome:
    """Publish the drafts of course folder ``folder``; on success they are gone (they are the
    published text now)."""
    outcome = publish_files(working_files(folder), actor=actor, note=note, origin=origin)
    if outcome.published:
        db.session.execute(
            delete(ContentDraft).where(ContentDraft.path.startswith(f"{folder}/", autoescape=True))
        )
    return outcome
