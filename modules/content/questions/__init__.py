"""Question types, one folder each in this package (a new type is one new folder).

Every subpackage is imported when this package is (:func:`discover`): its ``@register`` classes
are the types, and its ``templates/`` folder holds their pages' partials. Scanning, rather than a
list of names, is what keeps a new type to one folder; a folder that registers nothing (``choice``)
is shared code other types extend. ``REGISTRY`` maps the ``type=`` name used in Markdown to the
type; :func:`mark` marks an answer against a stored question's data; :func:`template_loader`
is the Jinja loader that finds ``questions/<type name>/<file>``.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader

from modules.content.questions.base import (  # noqa: F401  (the package's public names)
    REGISTRY,
    TEMPLATES,
    InvalidAnswer,
    MarkResult,
    QuestionType,
    UnreadableAnswer,
    register,
)


def discover(package: str) -> list[str]:
    """Import every subpackage (folder) of ``package``, so that their types register.

    :return: the names of the types registered by doing so.
    """
    before = set(REGISTRY)
    module = importlib.import_module(package)
    for info in pkgutil.iter_modules(module.__path__):
        if info.ispkg and not info.name.startswith("_"):
            importlib.import_module(f"{package}.{info.name}")
    return [name for name in REGISTRY if name not in before]


discover(__name__)


def question_type(name: str) -> QuestionType:
    """:raise KeyError: for an unknown type name."""
    return REGISTRY[name]


def mark(type_name: str, data: dict[str, Any], answer: Any) -> MarkResult:
    """Mark ``answer`` to a question of type ``type_name`` with stored ``data``.

    The answer is what the type's ``read_answer`` gives (for the built-in types: an option key, a
    list of option keys for ``multiple``, or text for ``rewrite``). :raise InvalidAnswer: when the
    answer cannot be marked.
    """
    return question_type(type_name).mark(data, answer)


def template_loader() -> BaseLoader:
    """Jinja loader for ``questions/<type name>/<file>``: each registered type's own templates
    folder, then those of the types it extends. Built once, when the app starts."""
    return PrefixLoader({
        "questions": PrefixLoader({
            name: ChoiceLoader([FileSystemLoader(str(folder)) for folder in qtype.template_dirs()])
            for name, qtype in REGISTRY.items()
        })
    })
