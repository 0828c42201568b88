"""Question types, one class per file in this package (a new type is one new file).

``REGISTRY`` maps the ``type=`` name used in Markdown to the type; :func:`mark` marks an answer
against a stored question's data.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from modules.content.questions.base import (  # noqa: F401  (the package's public names)
    REGISTRY,
    InvalidAnswer,
    MarkResult,
    QuestionType,
    register,
)

_SHARED = {"base", "choice"}

for _info in pkgutil.iter_modules(__path__):
    if _info.name not in _SHARED and not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")


def question_type(name: str) -> QuestionType:
    """:raise KeyError: for an unknown type name."""
    return REGISTRY[name]


def mark(type_name: str, data: dict[str, Any], answer: Any) -> MarkResult:
    """Mark ``answer`` to a question of type ``type_name`` with stored ``data``.

    Answers: an option key (``single``, ``true-false``, ``better-wording``), a list of option keys
    (``multiple``) or text (``rewrite``). :raise InvalidAnswer: when the answer cannot be marked.
    """
    return question_type(type_name).mark(data, answer)
