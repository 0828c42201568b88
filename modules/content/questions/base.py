"""What every question type shares: the parsed source of a question, the marking result, the
registry. A question type is one folder in this package (a subpackage with a class decorated
``@register`` and, beside it, a ``templates/`` folder); it turns a question's source into
JSON-serialisable data (stored with the module version), reads a learner's answer from the quiz
form, marks it against that data, shows it through its own templates, and knows a right answer."""
from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from modules.content.blocks import (
    OPTION_RE,
    Heading,
    Line,
    ListItem,
    item_text,
    join,
    paragraph,
    quote_text,
    read_items,
)
from modules.content.problems import Problems
from modules.content.rendering import FileRenderer

# Rewrite rules: "- avoid ...", "- expect ...", "- concept ...", "- keep ..." and "- correct: ...",
# "- model: ...", "- formative: ..." (the colon is required for the last three, so that an ordinary
# bullet such as "- Correct spelling..." is not read as a rule).
RULE_RE = re.compile(
    r"^ {0,3}[-*+][ \t]+(avoid\b|expect\b|concept\b|keep(?=[ \t]*[\"“])|(?:correct|model|formative)(?=[ \t]*:))"
    r"[ \t]*(.*)$",
    re.I,
)
QUOTE_RE = re.compile(r"^ {0,3}>")
SOURCE_RE = re.compile(r"^Source:", re.I)


class InvalidAnswer(ValueError):
    """The answer is not something this question can mark (e.g. an option key it does not have)."""


class UnreadableAnswer(ValueError):
    """The quiz form holds no usable answer; the message says what to do, in the learner's words."""


@dataclass
class Chunk:
    """A block of a question's body: ``options``, ``rules``, ``quote``, ``source`` or ``text``."""

    kind: str
    line: int
    lines: list[Line] = field(default_factory=list)
    items: list[ListItem] = field(default_factory=list)


@dataclass
class QuestionSource:
    heading: Heading
    chunks: list[Chunk]

    @property
    def line(self) -> int:
        return self.heading.line.number

    def of_kind(self, kind: str) -> list[Chunk]:
        return [chunk for chunk in self.chunks if chunk.kind == kind]


def read_chunks(lines: list[Line]) -> list[Chunk]:
    """Split a question's body into options, rule lists, quotes, the Source line and other text."""
    chunks: list[Chunk] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank:
            i += 1
        elif OPTION_RE.match(line.text):
            items, i = read_items(lines, i, OPTION_RE)
            chunks.append(Chunk("options", line.number, items=items))
        elif RULE_RE.match(line.text):
            items, i = read_items(lines, i, RULE_RE)
            chunks.append(Chunk("rules", line.number, items=items))
        elif QUOTE_RE.match(line.text):
            para, i = paragraph(lines, i)
            chunks.append(Chunk("quote", line.number, lines=quote_text(para)))
        elif SOURCE_RE.match(line.text):
            para, i = paragraph(lines, i)
            chunks.append(Chunk("source", line.number, lines=para))
        else:
            para, i = paragraph(lines, i)
            chunks.append(Chunk("text", line.number, lines=para))
    return chunks


@dataclass
class QuestionContext:
    """What a question type needs while parsing: rendering, somewhere to report problems, and
    somewhere to mark the lines that are deliberate examples of wording to avoid (the language
    checks then leave them alone)."""

    renderer: FileRenderer
    problems: Problems
    examples: list[tuple[int, int]] = field(default_factory=list)

    def example(self, first_line: int, last_line: int) -> None:
        """Lines ``first_line`` to ``last_line`` quote wording to avoid on purpose."""
        self.examples.append((first_line, last_line))

    def inline(self, text: str) -> str:
        return self.renderer.inline(text)

    def block(self, lines: list[Line]) -> str:
        return self.renderer.block(join(lines)).html

    def blocks(self, chunks: list[Chunk]) -> str:
        """Render quotes and text chunks as one piece (quotes keep their quote styling)."""
        parts = []
        for chunk in chunks:
            if chunk.kind == "quote":
                parts.append("\n".join("> " + line.text for line in chunk.lines))
            else:
                parts.append(join(chunk.lines))
        return self.renderer.block("\n\n".join(parts)).html if parts else ""

    def source_html(self, chunks: list[Chunk]) -> str:
        texts = [re.sub(r"^Source:\s*", "", join(c.lines), flags=re.I).strip() for c in chunks]
        return self.renderer.inline(" ".join(t for t in texts if t)) if texts else ""

    def error(self, line: int, message: str, col: int = 1) -> None:
        self.problems.error(line, col, message)


@dataclass
class MarkResult:
    """The outcome of marking one answer.

    ``feedback`` for choice questions: one entry per option, in order,
    ``{key, selected, correct, feedback_html}``; for rewrite questions: one entry per rule the
    answer broke, ``{rule, phrases, feedback_html}`` with rule one of "language" (the language
    guide), "avoid", "expect", "concept", "keep" (the child's name or age), "sentence", "length".
    """

    correct: bool
    score: float
    feedback: list[dict[str, Any]] = field(default_factory=list)
    explanation_html: str = ""
    source_html: str = ""
    # Remarks that do not change the mark (rewrite answers that look like personal data).
    notes: list[dict[str, Any]] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        return asdict(self)


def short_hash(text: str, length: int = 8) -> str:
    normalised = " ".join(text.lower().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:length]


def unique_key(base: str, used: set[str]) -> str:
    key, n = base, 2
    while key in used:
        key = f"{base}-{n}"
        n += 1
    used.add(key)
    return key


# The templates every type provides, in its ``templates/`` folder (or inherits from the folder of
# the class it extends), found by the pages as ``questions/<type name>/<file>``.
TEMPLATES = ("input.html", "answer.html", "feedback.html", "preview.html")


class QuestionType:
    """Base class of question types. Subclasses set ``name`` (the ``type=`` value) and ``label``.

    Templates (rendered with ``question``, its ``data`` and ``qtype``, this object):
    ``input.html`` the learner's form fields (with ``answer_form``, what the fields hold, and ``error``;
    the first field has ``id="answer"``, where the error summary links), ``answer.html`` the answer
    on "Check your answers" (with ``answer``), ``feedback.html`` the marked answer on the results
    page (with ``answer`` and ``result``, the stored :class:`MarkResult`) and ``preview.html`` the
    question on the trainers' preview (with ``show_answers``).
    """

    name: ClassVar[str]
    label: ClassVar[str]
    # Which of the quiz quality lints (modules.checks.quiz_quality) read this type's options:
    # "longest" (the right option is usually the longest), "position" (always in the same place),
    # "one-wrong" (tick all that apply with one wrong option).
    quiz_lints: ClassVar[frozenset[str]] = frozenset()

    def parse(self, question: QuestionSource, ctx: QuestionContext) -> dict[str, Any] | None:
        """Return the question's data, or None after reporting problems through ``ctx``."""
        raise NotImplementedError

    def read_answer(self, data: dict[str, Any], form: Mapping[str, list[str]]) -> Any:
        """The answer in the submitted quiz form (field name to its list of values), as
        :meth:`mark` takes it and as it is stored (JSON).

        :raise UnreadableAnswer: with the message to show when the form holds no usable answer.
        """
        raise NotImplementedError

    def form_data(self, answer: Any) -> dict[str, list[str]]:
        """The quiz form's fields filled in with a stored ``answer`` (the reverse of
        :meth:`read_answer`): shown when the learner comes back to a question."""
        raise NotImplementedError

    def mark(self, data: dict[str, Any], answer: Any) -> MarkResult:
        """Mark ``answer``; raise :class:`InvalidAnswer` if it cannot be an answer to this question."""
        raise NotImplementedError

    def example_answer(self, data: dict[str, Any]) -> Any:
        """An answer :meth:`mark` marks right, or None when the question does not say what one is."""
        raise NotImplementedError

    @classmethod
    def template_dirs(cls) -> list[Path]:
        """The ``templates/`` folders beside this class and the classes it extends, own first:
        a type that extends another uses the other's templates unless it has its own."""
        dirs: list[Path] = []
        for klass in cls.__mro__:
            module_file = getattr(sys.modules.get(klass.__module__), "__file__", None)
            if module_file is None:
                continue
            folder = Path(module_file).parent / "templates"
            if folder.is_dir() and folder not in dirs:
                dirs.append(folder)
        return dirs

    def default_for(self, question: QuestionSource) -> bool:
        """Whether this type is the default for a question without ``type=``."""
        return False


REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    if cls.name in REGISTRY:
        raise RuntimeError(f"question type {cls.name!r} is registered twice")
    REGISTRY[cls.name] = cls()
    return cls


def item_plain(item: ListItem) -> str:
    return item_text(item)
