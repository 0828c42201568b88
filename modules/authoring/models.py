"""Drafts: the files of a content folder as trainers are changing them, before they publish.

One row per file of the content folder (``cse-level-1/09-case-study-missing-episodes.md``,
``cse-level-1/images/map.png``): a draft is shared by every trainer (the course team edits one
text, as in a shared document) and never seen by learners. ``revision`` goes up on every save, so
a save based on an older revision is refused rather than silently overwriting a colleague.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.core.extensions import db
from modules.core.models import UTCDateTime, utcnow


class ContentDraft(db.Model):
    __tablename__ = "content_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Relative to the content folder, with "/" separators: "<course folder>/<file>".
    path: Mapped[str] = mapped_column(String(300), unique=True)
    # Markdown text, or None for a picture (then ``asset_sha256`` names its ContentAsset).
    text: Mapped[str | None] = mapped_column(Text)
    asset_sha256: Mapped[str | None] = mapped_column(String(64))
    # The file is to be removed from the folder when the course is next published.
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The content hash of the published file this draft started from (None: a new file).
    base_hash: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    updated_by = relationship("User", foreign_keys=[updated_by_id])

    @property
    def course_folder(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def file_name(self) -> str:
        return self.path.split("/", 1)[1]
