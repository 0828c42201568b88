"""Reading a setting at request time: ``setting("SIGHTLINE_REFRESHER_WINDOW_DAYS")``.

Every setting is loaded and checked once, at start-up, by :mod:`modules.core.config` (where the
defaults are declared); areas read them here rather than through ``current_app.config`` ad hoc,
so a name is spelt in one way and a missing one fails loudly (KeyError) instead of falling back
to a default written somewhere else.
"""
from __future__ import annotations

from typing import Any

from flask import current_app


def setting(name: str) -> Any:
    """The current app's value of ``name``."""
    return current_app.config[name]
