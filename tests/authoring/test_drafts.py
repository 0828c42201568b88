"""Drafts are shared and never silently overwritten."""
from __future__ import annotations

import pytest

from modules.authoring.drafts import DraftConflict, current_text, discard_draft, save_draft
from modules.core.roles import Role

PATH = "cse-level-1/01-what-is-cse.md"


def test_a_save_from_an_older_revision_is_refused_and_names_who_saved(bundled, db, make_user):
    sam = make_user(roles=(Role.trainer,), email="sam@example.org", name="Sam Trainer")
    alex = make_user(roles=(Role.trainer,), email="alex@example.org", name="Alex Trainer")
    first = save_draft(PATH, expected_revision=0, actor=sam, text="Sam's text\n")
    assert first.revision == 1 and first.base_hash
    with pytest.raises(DraftConflict) as refused:
        save_draft(PATH, expected_revision=0, actor=alex, text="Alex's text\n")
    assert "Sam Trainer saved this file" in str(refused.value)
    assert current_text(PATH) == "Sam's text\n"
    assert save_draft(PATH, expected_revision=1, actor=alex, text="Alex's text\n").revision == 2


def test_discarding_brings_back_the_published_text(bundled, db, make_user):
    sam = make_user(roles=(Role.trainer,))
    published = current_text(PATH)
    save_draft(PATH, expected_revision=0, actor=sam, text="changed\n")
    with pytest.raises(DraftConflict):
        discard_draft(PATH, expected_revision=0, actor=sam)
    discard_draft(PATH, expected_revision=1, actor=sam)
    assert current_text(PATH) == published


def test_a_path_outside_the_content_folder_is_refused(bundled, db):
    with pytest.raises(ValueError):
        save_draft("../../etc/passwd", expected_revision=0, actor=None, text="x")
