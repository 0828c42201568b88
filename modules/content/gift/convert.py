"""GIFT questions -> one quiz module in Sightline's Markdown, and a report of what changed.

What maps (no ``type=`` is written: the number of ``[x]`` options decides): multiple choice (one
right option), multiple answer with weights (the options with a positive weight are the ones to
tick; Sightline gives no partial credit, so the weights themselves are reported, not kept),
true/false (a choice of True and False, with the right- and wrong-answer feedback under the
matching option), missing word (a multiple-choice question whose answers sit in
the sentence: the blank is shown as _____), per-answer feedback (under each option), general
feedback (the "why" quote), categories (pools). Descriptions go to the quiz's front page.

What does not map is left out and reported by question, with its GIFT line: short answer (a typed
answer matched word for word: Sightline has no such question), numerical, matching and essay
questions, and any question the content check would refuse.

Text formats: ``[markdown]`` is kept as written; ``[html]``, and ``[moodle]`` text that holds HTML,
is converted to Markdown (paragraphs, line breaks, bold, italic, code, lists and web links; any
other tag is dropped and its text kept; scripts, styles and pictures are removed and reported);
``[plain]`` and ``[moodle]`` text without HTML is escaped so that it shows exactly as written.
The result is checked with the same checker as ``content check`` before anyone sees it.
"""
from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from modules.content.checker import check_paths
from modules.content.gift.parse import BLANK, GiftFile, GiftQuestion, GiftText

_BLANK_MARKDOWN = r"\_\_\_\_\_"
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]>{}#])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([-+>!]|\d+(?=[.)]))", re.MULTILINE)
_LOOKS_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9]*[\s>/]|&#?[A-Za-z0-9]+;")
_BLOCK_START = re.compile(r"^\s*([-*+>|]|\d+[.)]|#|```|~~~|!!!|\s{4})")
_REMOVED = {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math",
            "textarea", "select", "button", "canvas", "audio", "video", "head", "title"}
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr",
           "section", "article", "header", "footer", "ul", "ol", "dl", "dt", "dd", "hr"}
_INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
_LINK_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class ReportLine:
    """One line of the report: a question left out, or something about it that changed."""

    line: int
    title: str
    message: str
    left_out: bool = False

    def __str__(self) -> str:
        return f"line {self.line}, '{self.title}': {self.message}"


@dataclass
class Conversion:
    markdown: str
    converted: int  # questions in the module
    report: list[ReportLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the whole file

    @property
    def left_out(self) -> list[ReportLine]:
        return [line for line in self.report if line.left_out]

    def lines(self) -> list[str]:
        """The report as the command line prints it."""
        out = [*self.notes, *(str(line) for line in self.report)]
        left = len(self.left_out)
        out.append(f"{self.converted} question{'s' if self.converted != 1 else ''} converted, "
                   f"{left} left out.")
        return out


# --- text ---------------------------------------------------------------------------------------

def escape_plain(text: str) -> str:
    """Plain text as Markdown that shows exactly these characters."""
    # "<" as an entity: Python-Markdown has no escape for it, and an entity is never raw HTML.
    text = _INLINE_SPECIAL.sub(r"\\\1", _ENTITY.sub("&amp;", text)).replace("<", "&lt;")
    return _LINE_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit()
                                                   else "\\" + m.group(2)), text)


class _HtmlToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.lists: list[list] = []  # ["ul"|"ol", next number]
        self.links: list[str | None] = []
        self.opened: list[tuple[str, int]] = []  # inline markers: (tag, index in current)
        self.skip = 0
        self.last_was_item = False
        self.notes: list[str] = []

    def _note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def flush(self) -> None:
        for _, index in self.opened:  # never closed: a lone ** would show as it is
            self.current[index] = ""
        text = re.sub(r"[ \t]+", " ", "".join(self.current)).strip()
        text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
        if text:
            text = _LINE_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit()
                                                           else "\\" + m.group(2)), text)
            if self.prefix:
                text = self.prefix + text.replace("\n", "\n" + " " * len(self.prefix))
                if self.blocks and self.last_was_item:  # one list, not a paragraph per item
                    text = self.blocks.pop() + "\n" + text
            self.blocks.append(text)
            self.last_was_item = bool(self.prefix)
        self.current = []
        self.opened = []
        self.prefix = ""

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _REMOVED:
            self.skip += 1
            self._note(f"<{tag}> was removed with what it held")
            return
        if self.skip:
            return
        if tag in ("ul", "ol"):
            self.flush()
            self.last_was_item = False
            self.lists.append([tag, 1])
        elif tag == "li":
            self.flush()
            kind = self.lists[-1] if self.lists else ["ul", 1]
            self.prefix = "- " if kind[0] == "ul" else f"{kind[1]}. "
            kind[1] += 1
        elif tag in _BLOCKS:
            self.flush()
        elif tag == "br":
            self.current.append("\n")
        elif tag in _INLINE:
            self.opened.append((tag, len(self.current)))
            self.current.append(_INLINE[tag])
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(_LINK_SCHEMES):
                self.links.append(href)
                self.current.append("[")
            else:
                self.links.append(None)
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            self._note("a picture (<img>) was left out" + (f" (its text was '{alt}')" if alt else "")
                       + ": add it to the module as a picture file")

    def handle_endtag(self, tag) -> None:
        if tag in _REMOVED:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in ("ul", "ol"):
            self.flush()
            self.last_was_item = False
            if self.lists:
                self.lists.pop()
        elif tag in _BLOCKS or tag == "li":
            self.flush()
        elif tag in _INLINE:
            for position in range(len(self.opened) - 1, -1, -1):
                opened, index = self.opened[position]
                if opened == tag:
                    del self.opened[position]
                    inner = "".join(self.current[index + 1:])
                    if inner.strip() and inner == inner.strip():
                        self.current.append(_INLINE[tag])
                    else:  # emphasis around nothing, or with spaces inside, would not render
                        del self.current[index]
                    break
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href is not None:
                self.current.append(f"]({href.replace(')', '%29').replace(' ', '%20')})")

    def handle_data(self, data) -> None:
        if not self.skip:
            self.current.append(escape_plain(re.sub(r"\s+", " ", data)))


def html_to_markdown(text: str) -> tuple[str, list[str]]:
    """HTML as Markdown, and notes about what was removed."""
    parser = _HtmlToMarkdown()
    parser.feed(text)
    parser.close()
    parser.flush()
    return "\n\n".join(parser.blocks), parser.notes


def text_to_markdown(text: GiftText) -> tuple[str, list[str]]:
    """Text in any GIFT format as Markdown (see the module's docstring), and notes."""
    if text.format == "markdown":
        return text.text.strip(), []
    if text.format == "html" or (text.format == "moodle" and _LOOKS_HTML.search(text.text)):
        return html_to_markdown(text.text)
    paragraphs = re.split(r"\n\s*\n", text.text.strip())
    return "\n\n".join(escape_plain(p.strip()) for p in paragraphs if p.strip()), []


# --- questions ----------------------------------------------------------------------------------

@dataclass
class _Piece:
    question: GiftQuestion
    lines: list[str]
    report: list[ReportLine]


class _LeftOut(Exception):
    pass


_NOT_MAPPED = {
    "essay": "essay questions (a written answer marked by a person) do not map to Sightline's "
             "question types; it was left out",
    "numerical": "numerical questions (a number, with a range or tolerance) do not map to "
                 "Sightline's question types; it was left out",
    "matching": "matching questions (pairs to match) do not map to Sightline's question types; "
                "it was left out",
    "shortanswer": "short-answer questions (a typed answer matched word for word) do not map to "
                   "Sightline's question types; it was left out",
}


def _percent(weight: float) -> str:
    return f"{weight * 100:g}%"


def _block(text: GiftText | None, notes: list[str]) -> str:
    if text is None or not text.text.strip():
        return ""
    markdown, more = text_to_markdown(text)
    notes.extend(more)
    return markdown.replace(BLANK, _BLANK_MARKDOWN)


def _one_line(text: GiftText, notes: list[str]) -> str:
    return " ".join(_block(text, notes).split())


def _indented(markdown: str) -> list[str]:
    return ["", *("    " + line if line.strip() else "" for line in markdown.split("\n"))]


def _choice(question: GiftQuestion, notes: list[str], changes: list[str]) -> list[tuple[bool, str, str]]:
    answers = question.answers
    if len(answers) < 2:
        raise _LeftOut("a choice question needs at least two answers; it was left out")
    if any(answer.marker == "=" for answer in answers):
        right = [answer for answer in answers if answer.marker == "="]
        if len(right) > 1:
            raise _LeftOut(f"it has {len(right)} right answers (=) of which the learner picks one; "
                           "a Sightline single-answer question has exactly one; it was left out")
        partial = [answer for answer in answers if answer.marker == "~" and answer.weight != 0]
        if partial:
            changes.append("partial credit is not kept (Sightline marks only the = answer right): "
                           + ", ".join(f"'{answer.text.text[:30]}' {_percent(answer.weight)}" for answer in partial))
    else:
        right = [answer for answer in answers if answer.weight > 0]
        if not right:
            raise _LeftOut("no answer has a positive weight, so none is right; it was left out")
        if len(right) > 1 or any(answer.weight not in (0, 1) for answer in answers):
            changes.append("the weights (" + ", ".join(_percent(answer.weight) for answer in answers)
                           + ") are not kept: the learner must tick exactly the answers with a "
                           "positive weight, and there is no partial credit")
    options = []
    for number, answer in enumerate(answers, start=1):
        text = _one_line(answer.text, notes)
        if not text:
            raise _LeftOut(f"answer {number} is empty; it was left out")
        options.append((answer in right, text, _block(answer.feedback, notes)))
    return options


def _question_lines(question: GiftQuestion, number: int, pool: str | None, notes: list[str],
                    changes: list[str]) -> list[str]:
    if question.kind in _NOT_MAPPED:
        raise _LeftOut(_NOT_MAPPED[question.kind])
    if question.kind == "truefalse":
        right, wrong = (_block(question.right_feedback, notes), _block(question.wrong_feedback, notes))
        options = [(question.truth is True, "True", right if question.truth else wrong),
                   (question.truth is False, "False", wrong if question.truth else right)]
    else:
        options = _choice(question, notes, changes)
    if question.missing_word:
        changes.append("a missing-word question: the blank is shown as _____")
    body = _block(question.text, notes)
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    if paragraphs and not _BLOCK_START.match(paragraphs[0]):
        heading, scenario = " ".join(paragraphs[0].split()), paragraphs[1:]
    else:
        heading, scenario = escape_plain(question.name or f"Question {number}"), paragraphs
    if not heading:
        raise _LeftOut("the question has no text; it was left out")
    heading = re.sub(r"(?<!\\)([{}])", r"\\\1", heading)
    # No type=: one [x] makes a single-answer question and several a multiple-answer one, and
    # true/false is a single-answer question with the options True and False.
    lines = [f"## {heading}" + (f" {{pool={pool}}}" if pool else ""), ""]
    for paragraph in scenario:
        lines += [paragraph, ""]
    for is_right, text, feedback in options:
        lines.append(f"- [{'x' if is_right else ' '}] {text}")
        if feedback:
            lines += _indented(feedback)
        lines.append("")
    why = _block(question.general_feedback, notes)
    if why:
        lines += [("> " + line).rstrip() for line in why.split("\n")] + [""]
    return lines


def _pools(questions: list[GiftQuestion]) -> tuple[dict[str, str], list[str]]:
    """Category -> pool name (lower case letters, digits, hyphens), and notes saying so."""
    pools: dict[str, str] = {}
    used: set[str] = set()
    notes = []
    for question in questions:
        category = question.category
        if category is None or category in pools:
            continue
        parts = [part for part in category.split("/") if part.strip() and not part.strip().startswith("$")]
        base = re.sub(r"[^a-z0-9]+", "-", (parts[-1] if parts else category).lower()).strip("-")[:40] or "pool"
        name, counter = base, 2
        while name in used:
            name, counter = f"{base}-{counter}", counter + 1
        used.add(name)
        pools[category] = name
        notes.append(f"category '{category}' became the pool '{name}'")
    return pools, notes


def _front_matter(title: str, questions: int) -> list[str]:
    title = " ".join(title.split()) or "Imported questions"
    return ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "kind: quiz",
            f"minutes: {max(1, questions)}", "---", ""]


def _check(markdown: str, module_id: str) -> list:
    """The checker's problems for the module, each with its line in ``markdown``."""
    with tempfile.TemporaryDirectory(prefix="sightline-gift-") as root:
        folder = Path(root) / "gift-check"
        folder.mkdir()
        (folder / "course.md").write_text(
            "---\ntitle: GIFT check\ncode: GIFT-CHECK\nlevel: 1\naudience: all\ncpd_minutes: 10\n"
            f"refresher_months: 12\npass_mark: 50\nmodules:\n  - {module_id}\n---\nA check.\n",
            encoding="utf-8")
        module = folder / f"01-{module_id}.md"
        module.write_text(markdown, encoding="utf-8")
        result = check_paths([folder])
        return [problem for problem in result.problems if Path(problem.path).name == module.name]


def convert(gift: GiftFile, *, title: str, module_id: str = "gift-import") -> Conversion:
    """The quiz module's Markdown, and the report: every question left out or changed, by line.

    :param module_id: the id the module will have (used only to check it as it will be checked).
    """
    report = [ReportLine(problem.line, problem.title, problem.message,
                         left_out=problem.left_out)
              for problem in gift.problems]
    pools, pool_notes = _pools([q for q in gift.questions if q.kind not in ("description",)])
    intro: list[str] = []
    pieces: list[_Piece] = []
    for question in gift.questions:
        notes: list[str] = []
        if question.kind == "description":
            text = _block(question.text, notes)
            if text:
                intro += [text, ""]
            report.append(ReportLine(question.line, question.label, "a description (no answers): its "
                                     "text is on the quiz's front page"))
            report += [ReportLine(question.line, question.label, note) for note in notes]
            continue
        changes: list[str] = []
        try:
            lines = _question_lines(question, len(pieces) + 1, pools.get(question.category), notes, changes)
        except _LeftOut as reason:
            report.append(ReportLine(question.line, question.label, str(reason), left_out=True))
            continue
        pieces.append(_Piece(question, lines, [ReportLine(question.line, question.label, message)
                                               for message in [*changes, *notes]]))
    markdown, warnings = _checked(title, intro, pieces, module_id, report)
    for piece in pieces:
        report += piece.report
    report += warnings
    report.sort(key=lambda line: (line.line, not line.left_out))
    return Conversion(markdown, len(pieces), report, [*gift.notes, *pool_notes])


def _assemble(title: str, intro: list[str], pieces: list[_Piece]) -> tuple[str, list[int]]:
    lines = _front_matter(title, len(pieces)) + intro
    starts = []
    for piece in pieces:
        starts.append(len(lines) + 1)
        lines += piece.lines
    return "\n".join(lines).rstrip("\n") + "\n", starts


def _owner(starts: list[int], line: int) -> int:
    """The index of the piece that holds ``line`` (-1: the front matter or the front page)."""
    owner = -1
    for index, start in enumerate(starts):
        if line >= start:
            owner = index
    return owner


def _checked(title: str, intro: list[str], pieces: list[_Piece], module_id: str,
             report: list[ReportLine]) -> tuple[str, list[ReportLine]]:
    """Leave out every question the checker refuses (and say why) until what is left passes."""
    while True:
        markdown, starts = _assemble(title, intro, pieces)
        if not pieces:
            return markdown, []  # nothing to check: nothing will be written or added
        problems = _check(markdown, module_id)
        errors = [p for p in problems if p.is_error]
        if not errors:
            break
        refused: dict[int, str] = {}
        for problem in errors:
            refused.setdefault(_owner(starts, problem.line), problem.message)
        if -1 in refused and intro:
            report.append(ReportLine(1, "front page", "the descriptions' text was refused by the check "
                                     f"({refused.pop(-1)}); it was left out", left_out=True))
            intro = []
        refused.pop(-1, None)
        if not refused:
            break  # a problem with the module as a whole (no question left): nothing to remove
        for index in sorted(refused, reverse=True):
            question = pieces[index].question
            report.append(ReportLine(question.line, question.label,
                                     f"the content check refused it ({refused[index]}); it was left out",
                                     left_out=True))
            del pieces[index]
    warnings = []
    for problem in problems:
        if not problem.is_error:
            index = _owner(starts, problem.line)
            question = pieces[index].question if index >= 0 else None
            warnings.append(ReportLine(question.line if question else 1,
                                       question.label if question else "the quiz",
                                       f"warning from the content check: {problem.message}"))
    return markdown, warnings
