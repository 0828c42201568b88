"""Saving and discarding drafts, never silently over a colleague's save.

Whoever changes a file (the editor, creating a module, reordering a course, a dismissed false
alarm, a picture, a GIFT import) says which revision of the draft they started from: 0 when there
was no draft. A save from an older revision raises :class:`DraftConflict`, which names who saved
in between, so the page can keep the text and say so. Nothing here commits.
"""
from __future__ import annotations

from sqlalchemy import select

from modules.authoring.models import ContentDraft
from modules.authoring.workspace import published_files, valid_path
from modules.core import audit
from modules.core.extensions import db
from modules.core.models import utcnow


class DraftConflict(Exception):
    """Someone saved this file after the revision the change started from."""

    def __init__(self, draft: ContentDraft | None, expected_revision: int):
        self.draft = draft
        self.expected_revision = expected_revision
        who = getattr(getattr(draft, "updated_by", None), "name", None) or "someone else"
        if draft is None:
            message = "the draft you started from has been published or discarded since you opened it"
        else:
            message = (f"{who} saved this file at {draft.updated_at:%H:%M on %-d %B %Y} (UTC), "
                       "after you opened it")
        super().__init__(message)


def draft_for(path: str, *, for_update: bool = False) -> ContentDraft | None:
    query = select(ContentDraft).where(ContentDraft.path == path)
    if for_update:
        query = query.with_for_update()
    return db.session.scalar(query)


def current_revision(path: str) -> int:
    """The revision a change to ``path`` starts from now (0: no draft)."""
    draft = draft_for(path)
    return draft.revision if draft else 0


def current_text(path: str) -> str | None:
    """The text of ``path`` as trainers see it now: the draft, else the published file."""
    draft = draft_for(path)
    if draft is not None:
        return None if draft.removed else draft.text
    published = published_files(with_pictures=False).get(path)
    return published.data.decode("utf-8") if published else None


def save_draft(path: str, *, expected_revision: int, actor, text: str | None = None,
               asset_sha256: str | None = None, removed: bool = False) -> ContentDraft:
    """Save ``text`` (or a picture, or the file's removal) as the draft of ``path``.

    :raise DraftConflict: if the draft's revision is not ``expected_revision``.
    :raise ValueError: if ``path`` is not inside the content folder.
    """
    if not valid_path(path):
        raise ValueError(f"not a path inside the content folder: {path!r}")
    draft = draft_for(path, for_update=True)
    if (draft.revision if draft else 0) != expected_revision:
        raise DraftConflict(draft, expected_revision)
    if draft is None:
        published = published_files(with_pictures=False).get(path)
        draft = ContentDraft(path=path, base_hash=published.content_hash if published else None,
                             revision=0)
        db.session.add(draft)
    draft.text = None if removed or asset_sha256 else text
    draft.asset_sha256 = asset_sha256
    draft.removed = removed
    draft.revision += 1
    draft.updated_by_id = getattr(actor, "id", None)
    draft.updated_at = utcnow()
    db.session.flush()
    audit.record("content.draft_saved", actor=actor, path=path, revision=draft.revision,
                 removed=removed)
    return draft


def discard_draft(path: str, *, expected_revision: int, actor) -> None:
    """Throw the draft of ``path`` away (the published file, if any, is what remains).

    :raise DraftConflict: if someone saved since ``expected_revision``.
    """
    draft = draft_for(path, for_update=True)
    if draft is None or draft.revision != expected_revision:
        raise DraftConflict(draft, expected_revision)
    db.session.delete(draft)
    audit.record("content.draft_discarded", actor=actor, path=path, revision=expected_revision)
