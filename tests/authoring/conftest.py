"""Fixtures for authoring: the bundled courses imported, as `make run` does."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bundled(app, db):
    """The bundled courses imported from courses/ (the content folder a partnership starts with)."""
    from modules.content.checker import check_paths
    from modules.content.importer import import_checked

    result = check_paths([ROOT / "courses"], ROOT / "certificates")
    assert result.ok, [str(p) for p in result.errors]
    import_checked(result)
    return result
