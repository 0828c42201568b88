"""Moodle's GIFT question format, read into questions that remember their line numbers.

Written from Moodle's published GIFT documentation and the behaviour of its importer
(``question/format/gift``): questions are separated by blank lines; ``//`` starts a comment line;
``::title::`` names a question; ``$CATEGORY: a/b`` puts the questions after it in a category; the
answers go in ``{...}``; ``\\`` escapes ``~ = # { } :`` and ``\\`` itself, and ``\\n`` is a new line.

The question type follows from the answers, as in Moodle: nothing in braces is an essay, ``#``
first is numerical, any ``~`` is multiple choice, ``=`` with ``->`` is matching, ``T``/``TRUE``/
``F``/``FALSE`` is true/false and anything else is short answer; no braces at all is a
description. Nothing here raises on bad input: what cannot be read becomes a :class:`GiftProblem`
with its line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

FORMATS = ("moodle", "html", "plain", "markdown")

# An escaped character becomes one private-use character while the structure is read, so that
# offsets (and so line numbers) stay the same and no escaped character is taken for syntax.
_ESCAPABLE = {":": "\ue000", "#": "\ue001", "=": "\ue002", "{": "\ue003", "}": "\ue004",
              "~": "\ue005", "n": "\ue006", "\\": "\ue007"}
_UNESCAPE = {mark: ("\n" if char == "n" else char) for char, mark in _ESCAPABLE.items()}
_MARKS = re.compile("[\ue000-\ue007]")
BLANK = "\ue100"  # where a missing-word question's answers were
_RESERVED = re.compile("[\ue000-\ue007\ue100]")
# Control characters show as nothing and PostgreSQL cannot store NUL in text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPE = re.compile(r"\\(.)")
_WEIGHT = re.compile(r"^%\s*(-?\d+(?:\.\d+)?)\s*%")
_FORMAT = re.compile(r"^\[(moodle|html|plain|markdown)\]", re.IGNORECASE)
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@dataclass(frozen=True)
class GiftProblem:
    line: int
    title: str  # the question's title, or the start of its text
    message: str
    left_out: bool = True  # False: the question was still read


@dataclass
class GiftText:
    """A piece of text and the GIFT format it is written in (``moodle`` unless ``[...]`` says)."""

    text: str
    format: str = "moodle"


@dataclass
class GiftAnswer:
    text: GiftText
    weight: float  # Moodle's fraction: 1 for "=", 0 for a plain "~", "%50%" is 0.5
    feedback: GiftText
    line: int
    marker: str  # "=" or "~"


@dataclass
class GiftQuestion:
    line: int  # the question's first line in the file
    kind: str  # multichoice, truefalse, shortanswer, numerical, matching, essay, description
    name: str | None
    text: GiftText
    category: str | None = None
    answers: list[GiftAnswer] = field(default_factory=list)
    general_feedback: GiftText | None = None
    missing_word: bool = False
    # true/false: the right answer, and the feedback for a wrong and for a right answer
    truth: bool | None = None
    wrong_feedback: GiftText | None = None
    right_feedback: GiftText | None = None

    @property
    def label(self) -> str:
        """The question as the report names it: its title, or the start of its text."""
        if self.name:
            return self.name
        words = " ".join(re.sub(r"<[^>]*>", " ", self.text.text.replace(BLANK, "_____")).split())
        return words if len(words) <= 40 else words[:39].rstrip() + "…"


@dataclass
class GiftFile:
    questions: list[GiftQuestion] = field(default_factory=list)
    problems: list[GiftProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the whole file, e.g. its encoding


def decode(data: bytes) -> tuple[str, list[str]]:
    """The file's text, without a byte order mark, and notes about how it was read.

    GIFT files should be UTF-8; files saved by older Windows editors are often Windows-1252, so
    those are read as that and the trainer is told to check the accented letters.
    """
    notes: list[str] = []
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), notes
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        notes.append("the file is not UTF-8: it was read as Windows-1252 (Western European); "
                     "check that accented letters and curly quotes came out right")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        notes.append("the file is not UTF-8: it was read as Latin-1; check that accented letters "
                     "came out right")
    return text, notes


def parse_bytes(data: bytes) -> GiftFile:
    text, notes = decode(data)
    result = parse(text)
    result.notes[:0] = notes
    return result


def parse(text: str) -> GiftFile:
    """Read GIFT text into questions (in file order) and problems (each with its line)."""
    result = GiftFile()
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Private-use characters mean nothing in a question and would be taken for escapes.
    text = _CONTROL.sub("", _RESERVED.sub("\ufffd", text))
    category: str | None = None
    for first_line, lines in _blocks(text.split("\n")):
        category = _read_block(first_line, lines, category, result)
    return result


def _blocks(lines: list[str]):
    """Questions are separated by blank lines; comment lines are kept as empty lines so that
    offsets still give line numbers."""
    block: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if any(part.strip() for part in block):
                yield start, block
            block = []
            continue
        if not block:
            start = number
        block.append("" if line.strip().startswith("//") else line.rstrip())
    if any(part.strip() for part in block):
        yield start, block


def _escape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPABLE.get(m.group(1), m.group(0)), text)


def unescape(text: str) -> str:
    return _MARKS.sub(lambda m: _UNESCAPE[m.group(0)], text)


def _with_format(raw: str, default: str) -> GiftText:
    raw = raw.strip()
    match = _FORMAT.match(raw)
    if match:
        return GiftText(unescape(raw[match.end():]).strip(), match.group(1).lower())
    return GiftText(unescape(raw).strip(), default)


def _read_block(first_line: int, lines: list[str], category: str | None, result: GiftFile) -> str | None:
    # Leading comment lines (now empty) move the question's first line down.
    while lines and not lines[0].strip():
        lines = lines[1:]
        first_line += 1
    text = _escape("\n".join(lines))
    if text.lstrip().startswith("$CATEGORY:"):
        head, _, rest = text.lstrip().partition("\n")
        category = unescape(head[len("$CATEGORY:"):]).strip() or None
        if not rest.strip():
            return category
        # A question straight under the category line (Moodle would take it as part of the name).
        text = rest
        first_line += 1
    _read_question(first_line, text, category, result)
    return category


def _short(text: str) -> str:
    words = " ".join(unescape(text).split())
    return words if len(words) <= 40 else words[:39].rstrip() + "…"


def _line_at(first_line: int, text: str, offset: int) -> int:
    return first_line + text.count("\n", 0, offset)


def _read_question(first_line: int, text: str, category: str | None, result: GiftFile) -> None:
    problems = result.problems
    # The block's leading whitespace (and blank lines) do not count for positions.
    stripped = text.lstrip()
    first_line += text.count("\n", 0, len(text) - len(stripped))
    text = stripped.rstrip()
    name = None
    body_start = 0
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            problems.append(GiftProblem(first_line, _short(text[2:]), "the title has no closing '::': "
                                                    "it was read as part of the question text", left_out=False))
            body_start = 2
        else:
            name = " ".join(unescape(text[2:end]).split()) or None
            body_start = end + 2
    opening = text.find("{", body_start)
    closing = text.find("}", body_start)
    label = name or _short(text[body_start:])
    if opening == -1 and closing == -1:
        result.questions.append(GiftQuestion(first_line, "description", name,
                                             _with_format(text[body_start:], "moodle"), category))
        return
    if opening == -1 or closing == -1 or closing < opening:
        where = _line_at(first_line, text, closing if opening == -1 or closing < opening else opening)
        missing = "'{'" if opening == -1 or (closing != -1 and closing < opening) else "'}'"
        problems.append(GiftProblem(where, label, f"the answers have no {missing}: write {{ and }} "
                                                  "around the answers, or \\{ and \\} for the characters; "
                                                  "it was left out"))
        return
    if text.find("{", closing) != -1:
        problems.append(GiftProblem(_line_at(first_line, text, text.find("{", closing)), label,
                                    "a question may have only one {...} with answers (write \\{ "
                                    "and \\} for the characters; a blank line ends a question); "
                                    "it was left out"))
        return
    before, after = text[body_start:opening], text[closing + 1:]
    missing_word = bool(after.strip())
    question_raw = before.rstrip() + (f" {BLANK} " if missing_word else "") + after.lstrip()
    question_text = _with_format(question_raw if missing_word else before, "moodle")
    answers_offset = opening + 1
    answer_text = text[answers_offset:closing]
    general = None
    separator = answer_text.rfind("####")
    if separator != -1:
        general = _with_format(answer_text[separator + 4:], question_text.format)
        answer_text = answer_text[:separator]
    question = GiftQuestion(first_line, "", name, question_text, category, general_feedback=general,
                            missing_word=missing_word)
    fmt = question_text.format
    body = answer_text.strip()
    if not body:
        question.kind = "essay"
    elif body.startswith("#"):
        question.kind = "numerical"
    elif "~" in body:
        question.kind = "multichoice"
        if not _choice_answers(question, first_line, text, answers_offset, answer_text, problems):
            return
    elif "=" in body and "->" in body:
        question.kind = "matching"
    elif body.split("#", 1)[0].strip().upper() in _TRUE_FALSE:
        question.kind = "truefalse"
        parts = body.split("#", 2)
        question.truth = _TRUE_FALSE[parts[0].strip().upper()]
        question.wrong_feedback = _with_format(parts[1], fmt) if len(parts) > 1 else None
        question.right_feedback = _with_format(parts[2], fmt) if len(parts) > 2 else None
    else:
        question.kind = "shortanswer"
        question.answers = [
            GiftAnswer(_with_format(part.split("#", 1)[0], fmt), 1.0, GiftText(""), first_line, "=")
            for part in body.split("=") if part.strip()
        ]
    result.questions.append(question)


def _choice_answers(question: GiftQuestion, first_line: int, text: str, offset: int,
                    answer_text: str, problems: list[GiftProblem]) -> bool:
    fmt = question.text.format
    for match in re.finditer(r"([~=])([^~=]*)", answer_text):
        marker, raw = match.group(1), match.group(2)
        line = _line_at(first_line, text, offset + match.start())
        raw = raw.strip()
        weight = 1.0 if marker == "=" else 0.0
        weight_match = _WEIGHT.match(raw)
        if weight_match:
            weight = float(weight_match.group(1)) / 100
            raw = raw[weight_match.end():]
            if not -1 <= weight <= 1:
                problems.append(GiftProblem(line, question.label, f"the weight "
                                                  f"{weight_match.group(0).strip()} is not between "
                                                  "-100% and 100%; it was left out"))
                return False
        answer, _, feedback = raw.partition("#")
        question.answers.append(GiftAnswer(_with_format(answer, fmt), weight,
                                           _with_format(feedback, fmt), line, marker))
    stray = answer_text.split("~", 1)[0].split("=", 1)[0].strip()
    if stray:
        problems.append(GiftProblem(question.line, question.label, f"'{unescape(stray)[:40]}' comes "
                                                   "before the first answer: start each answer with ~ "
                                                   "or =; it was left out"))
        return False
    return True
