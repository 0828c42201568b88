"""What ``content check`` runs on every parsed module from this package: the personal-data and
language checks, the rewrite-question checks and the quiz quality lint, reported as problems.

- Personal data is an **error** in a case study (it blocks the import) and a warning elsewhere.
- Language findings are warnings. What a question type marks as a deliberate example (a rewrite
  question's sentence, which must contain what the learner is to remove, and its avoid rules), a
  wrong option, and anything in quotation marks in a module with ``quoted_examples: true`` are not
  reported.
- The quiz lint reports patterns that let learners guess: the right option usually the longest or
  always in the same place, "tick all that apply" with one wrong option.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modules.checks.findings import Finding
from modules.checks.language import check_language
from modules.checks.personal_data import LABELS, find_personal_data, phrase_key
from modules.checks.quiz_quality import lint_decisions, lint_questions
from modules.checks.reading_time import estimate, far_from

if TYPE_CHECKING:  # pragma: no cover
    from modules.content.module_file import ParsedModule
    from modules.content.problems import Problems

_KIND_PLURALS = {"case_study": "case studies", "lesson": "lessons", "quiz": "quizzes", "handbook": "handbooks"}
_FRONT_MATTER_TEXT = ("title", "summary", "content_note")


def check_module(module: ParsedModule, problems: Problems) -> None:
    """Report every personal-data, language and quiz-quality problem in ``module``."""
    text, first_line = _body(module)
    examples = _question_examples(module) + _wrong_options(module)
    pseudonyms = module.value("pseudonyms", [])
    _report_personal_data(module, problems, text, first_line, pseudonyms)
    _report_language(module, problems, text, first_line, examples)
    for warning in lint_questions(module.questions) + lint_decisions(module.decision_points):
        problems.warning(warning.line or module.header.front.end_line, 1, warning.message)
    _report_content_note(module, problems)
    _report_time(module, problems)


# A box in the body that repeats the content note (the start page shows the setting already).
_NOTE_BOX = re.compile(r'^!!! ?\w+ +"(?:content note|content warning|trigger warning)s?"', re.I)


def _report_content_note(module: ParsedModule, problems: Problems) -> None:
    for line in module.lines:
        if _NOTE_BOX.match(line.text.strip()):
            problems.warning(
                line.number, 1,
                "a content note box in the text shows the warning a second time: the module's start "
                "page shows its content_note setting before the learner begins. Put what it says in "
                "content_note and delete this box",
            )


def _report_time(module: ParsedModule, problems: Problems) -> None:
    stated = module.value("minutes")
    if not isinstance(stated, int):
        return
    found = estimate(module)
    if far_from(stated, found.minutes):
        line, col = module.header.settings.position("minutes")
        problems.warning(
            line, col,
            f"minutes: {stated} is far from the time this module takes, about {found.minutes} "
            f"({found.explained()}): learners plan by it and certificates print it as CPD time, so set "
            "it to what the module needs",
        )


# Markup that is not prose: a heading's {type=... id=...}, a link's or picture's address, an
# anchor, an HTML comment. It is blanked out (keeping every offset) before the checks read the text.
_MARKUP = re.compile(r"\{[^{}\n]*\}[ \t]*$|\]\([^)\n]*\)|^\[[^\]\n]+\]:[ \t]*\S+|<!--.*?-->|https?://\S+", re.M | re.S)


def _body(module: ParsedModule) -> tuple[str, int]:
    lines = module.lines
    text = "\n".join(line.text for line in lines)
    text = _MARKUP.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return text, (lines[0].number if lines else 1)


def _front_matter_texts(module: ParsedModule):
    for key in _FRONT_MATTER_TEXT:
        value = module.value(key)
        if isinstance(value, str):
            line, col = module.header.settings.position(key)
            yield value, line, col


def _report_personal_data(module, problems, text: str, first_line: int, pseudonyms: list[str]) -> None:
    case_study = module.header.kind == "case_study"
    what = _KIND_PLURALS.get(module.header.kind, "modules")
    report = problems.error if case_study else problems.warning
    findings = find_personal_data(text, pseudonyms=pseudonyms, first_line=first_line)
    for value, line, col in _front_matter_texts(module):
        findings += [_moved(f, line, col) for f in find_personal_data(value, pseudonyms=pseudonyms)]
    # A trainer's dismissal (false_alarms:) names the exact words; language findings are never
    # dismissed this way, and a dismissal that matches nothing is stale, so it is pointed out.
    alarms = module.value("false_alarms", [])
    dismissed = {phrase_key(a["text"]) for a in alarms}
    used: set[str] = set()
    for finding in findings:
        key = phrase_key(finding.text)
        if key in dismissed:
            used.add(key)
            continue
        report(
            finding.line, finding.column,
            f"'{finding.text}' looks like {LABELS[finding.kind]}: {what} must not contain real "
            f"personal details. {finding.why} Instead, {finding.instead}.",
            checker="personal_data", subject=finding.text,
        )
    for alarm in alarms:
        if phrase_key(alarm["text"]) not in used:
            problems.warning(
                alarm["line"], alarm["col"],
                f"'{alarm['text']}' is listed in false_alarms but does not appear in this module as "
                "something that looks like personal data: remove it from false_alarms",
            )


def _report_language(module, problems, text: str, first_line: int, examples) -> None:
    quoted = bool(module.value("quoted_examples", False))
    findings = check_language(text, first_line=first_line, quoted_examples=quoted, skip=examples)
    for value, line, col in _front_matter_texts(module):
        findings += [_moved(f, line, col) for f in check_language(value, quoted_examples=quoted)]
    for finding in findings:
        problems.warning(finding.line, finding.column, language_message(finding),
                         checker="language", subject=finding.text)


def language_message(finding: Finding) -> str:
    return (
        f"'{finding.text}' can blame the child: {finding.why} Instead: {finding.instead}. "
        f"(Language guide: {finding.kind}; source: {finding.source}.) For a deliberate example, "
        "quote it and set quoted_examples: true"
    )


def _moved(finding: Finding, line: int, col: int) -> Finding:
    """A finding in a one-line front matter value, placed at the value's position."""
    from dataclasses import replace

    return replace(finding, line=line, column=col + finding.start)


_WRONG_OPTION = re.compile(r"^ {0,3}[-*+][ \t]+\[ \][ \t]")


def _line_starts(module: ParsedModule) -> list[int]:
    starts = [0]
    for line in module.lines[:-1]:
        starts.append(starts[-1] + len(line.text) + 1)
    return starts


def _wrong_options(module: ParsedModule) -> list[tuple[int, int]]:
    """Offsets of the options marked ``[ ]`` (a quiz's wrong answers, a decision point's poor
    choices): deliberate examples of what not to do. Their feedback and consequences are the
    author's own words, and are checked."""
    starts = _line_starts(module)
    spans = []
    lines = module.lines
    for i, line in enumerate(lines):
        if _WRONG_OPTION.match(line.text):
            j = i
            while j + 1 < len(lines) and not lines[j + 1].blank and not lines[j + 1].text.lstrip().startswith(("-", "*", "+")):
                j += 1
            spans.append((starts[i], starts[j] + len(lines[j].text)))
    return spans


def _question_examples(module: ParsedModule) -> list[tuple[int, int]]:
    """Offsets in the body of the lines the question types marked as deliberate examples while
    parsing (including questions that then failed: their own errors are reported already)."""
    starts = _line_starts(module)
    by_number = {line.number: i for i, line in enumerate(module.lines)}
    spans = []
    for first, last in module.example_lines:
        if first in by_number and last in by_number:
            i, j = by_number[first], by_number[last]
            spans.append((starts[i], starts[j] + len(module.lines[j].text)))
    return spans
