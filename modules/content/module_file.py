"""Parsing one module file into what is stored: sections, decision points, reflections,
questions and quiz settings, all rendered and sanitised, with problems located by line."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modules.content.blocks import (
    OPTION_RE,
    Heading,
    Line,
    body_lines,
    item_text,
    join,
    paragraph,
    parse_heading,
    read_items,
    split_sections,
    trim_blank,
)
from modules.content.body import (
    LOCAL_CONTACTS,
    PreparedBody,
    box_body_problem,
    option_footnotes_ok,
    prepare_body,
    reserve_fixed,
)
from modules.content.frontmatter import FrontMatter, node_position
from modules.content.links import FileLinks, LinkRef, find_links, split_target
from modules.content.problems import Problems
from modules.content.questions import REGISTRY
from modules.content.questions.base import (
    QuestionContext,
    QuestionSource,
    read_chunks,
    short_hash,
    unique_key,
)
from modules.content.rendering import FileRenderer, slugify
from modules.content.sanitise import MODULE_LINK_PREFIX, plain_text
from modules.content.settings import (
    MODULE_SETTINGS,
    NAME_RE,
    QUIZ_ONLY,
    SLUG_RE,
    ReadSettings,
    read_settings,
)
from modules.content.slots import SlotTokens

DEFAULT_POOL = "default"
DECISION_RE = re.compile(r"^Decision:\s*(.*)$", re.I | re.S)
PRACTICE_RE = re.compile(r"^\*\*Practice point:?\*\*:?\s*", re.I)
CONSEQUENCE_RE = re.compile(r"^(\*\*)?Consequence:?(\*\*)?:?\s*", re.I)
REFLECT_RE = re.compile(r'^!!! ?reflect(?:\s+"(.*?)")?\s*$')
SUMMARY_RE = re.compile(r'^!!! ?summary(?:\s+"(.*?)")?\s*$')
LOCAL_CONTACTS_RE = re.compile(r"^\s*\[\[\s*local-contacts\s*\]\]\s*$")
QUESTION_ATTRS = ("type", "pool", "id", "revisit")


@dataclass
class SectionData:
    anchor: str
    title: str
    html: str
    plain_text: str
    anchors: list[str]
    # The summary a learner may read instead (a section marked with a ``!!! summary`` box).
    summary_html: str | None = None
    line: int = 1


@dataclass
class DecisionData:
    key: str
    section_anchor: str
    prompt_html: str
    intro_html: str
    options: list[dict[str, Any]]
    practice_point_html: str


@dataclass
class ReflectionData:
    key: str
    section_anchor: str
    title: str
    prompt_html: str


@dataclass
class QuestionData:
    key: str
    type: str
    pool: str
    data: dict[str, Any]
    line: int
    # The quiz quality lints that apply to the question's type (QuestionType.quiz_lints).
    lints: frozenset[str] = frozenset()


@dataclass
class ModuleHeader:
    """What is known from the front matter alone (enough to resolve links between files)."""

    path: Path
    text: str
    front: FrontMatter
    settings: ReadSettings
    slug: str
    slug_line: int = 1
    slug_col: int = 1

    @property
    def kind(self) -> str | None:
        return self.settings.values.get("kind")


@dataclass
class ParsedModule:
    header: ModuleHeader
    sections: list[SectionData] = field(default_factory=list)
    decision_points: list[DecisionData] = field(default_factory=list)
    reflections: list[ReflectionData] = field(default_factory=list)
    questions: list[QuestionData] = field(default_factory=list)
    toc: list[dict[str, Any]] = field(default_factory=list)
    search_text: str | None = None
    links: list[LinkRef] = field(default_factory=list)
    file_links: FileLinks | None = None
    lines: list[Line] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    content_hash: str = ""
    # Line ranges the question types mark as deliberate examples of wording to avoid.
    example_lines: list[tuple[int, int]] = field(default_factory=list)
    # The register's entries for the ``sources:`` setting ({key, title, publisher, year} each).
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.header.slug

    @property
    def path(self) -> Path:
        return self.header.path

    def value(self, key: str, default: Any = None) -> Any:
        return self.header.settings.values.get(key, default)


def module_id_from_filename(path: Path) -> str:
    """``03-language-matters.md`` -> ``language-matters``."""
    return re.sub(r"^\d+[-_ .]*", "", path.stem) or path.stem


def read_module_header(path: Path, text: str, front: FrontMatter, problems: Problems) -> ModuleHeader:
    settings = read_settings(front, MODULE_SETTINGS, problems, what="module")
    kind = settings.values.get("kind")
    if kind and kind != "quiz":
        for key in QUIZ_ONLY:
            setting = front.get(key)
            if setting is not None:
                problems.error(setting.key_line, setting.key_col, f"setting '{key}' only applies to quiz modules")
                settings.ok = False
    if kind == "case_study" and "content_note" not in front.settings:
        problems.error(1, 1, "a case study needs a content_note setting: what difficult material it contains")
        settings.ok = False
    if "id" in settings.values:
        slug = settings.values["id"]
        slug_line, slug_col = settings.position("id")
    else:
        slug, slug_line, slug_col = module_id_from_filename(path), 1, 1
        if not SLUG_RE.match(slug) or len(slug) > 100:
            problems.error(
                1, 1,
                f"module id '{slug}' (from the file name) must be lower case letters, digits and "
                "hyphens: rename the file or set id:",
            )
            settings.ok = False
    return ModuleHeader(path, text, front, settings, slug, slug_line, slug_col)


def parse_module_body(header: ModuleHeader, links: FileLinks, problems: Problems) -> ParsedModule:
    """Render and structure the body of a module whose settings were readable."""
    module = ParsedModule(header=header, file_links=links)
    kind = header.kind
    lines = body_lines(header.front.body, header.front.body_first_line)
    module.lines = lines
    module.links = find_links(lines)
    prepared = prepare_body(lines, problems, allow_reflect=kind != "quiz")
    renderer = FileRenderer(links.rewrite, prepared.footnotes, prepared.references)
    reserve_fixed(renderer.anchors, prepared)
    if kind == "quiz":
        _parse_quiz(module, prepared, renderer, problems)
    else:
        _parse_pages(module, prepared, renderer, problems)
    module.anchors = {s.anchor for s in module.sections} | {a for s in module.sections for a in s.anchors}
    if kind == "handbook":
        module.search_text = "\n".join(
            f"{s.title}\n{s.plain_text}" for s in module.sections
        )
    return module


# Lessons, case studies and handbooks ---------------------------------------------------------

def _section_heads(module: ParsedModule, prepared: PreparedBody, renderer: FileRenderer,
                   problems: Problems):
    intro, sections = split_sections(prepared.lines)
    heads: list[tuple[str, str, list[Line]]] = []
    if any(not line.blank for line in intro):
        heads.append((renderer.anchors.claim("introduction"), module.value("title", ""), intro))
    for section in sections:
        heading = section.heading
        title = renderer.text(heading.text) if heading.text else ""
        if not title:
            problems.error(heading.line.number, 1, "heading has no text")
        anchor = heading.anchor if heading.anchor in prepared.fixed_anchors else None
        heads.append((anchor or renderer.anchors.claim(slugify(title)), title, section.lines))
    return heads


def _parse_pages(module: ParsedModule, prepared: PreparedBody, renderer: FileRenderer,
                 problems: Problems) -> None:
    used_keys: set[str] = set()
    for anchor, title, lines in _section_heads(module, prepared, renderer, problems):
        tokens = SlotTokens()
        flow: list[Line] = []
        summary_html: str | None = None
        i = 0
        while i < len(lines):
            line = lines[i]
            if SUMMARY_RE.match(line.text):
                html, i = _read_summary(lines, i, renderer, problems, module.header.kind)
                if html is not None and summary_html is not None:
                    problems.error(line.number, 1, "this section already has a summary box: give it one only")
                summary_html = summary_html or html
                continue
            heading = parse_heading(line) if line.text.startswith("###") else None
            if heading is not None and heading.level == 3 and DECISION_RE.match(heading.text):
                decision, i = _read_decision(lines, i, heading, anchor, renderer, problems, used_keys)
                if decision is not None:
                    module.decision_points.append(decision)
                    flow += _token_lines(line, tokens.token(f"decision:{decision.key}"))
                continue
            reflect = REFLECT_RE.match(line.text)
            if reflect:
                reflection, i = _read_reflection(lines, i, reflect, anchor, renderer, problems, used_keys)
                if reflection is not None:
                    module.reflections.append(reflection)
                    flow += _token_lines(line, tokens.token(f"reflection:{reflection.key}"))
                continue
            if LOCAL_CONTACTS_RE.match(line.text):
                flow += _token_lines(line, tokens.token(LOCAL_CONTACTS))
                i += 1
                continue
            flow.append(line)
            i += 1
        rendered = renderer.block(join(flow))
        html = tokens.replace(rendered.html)
        module.sections.append(
            SectionData(anchor, title, html, plain_text(re.sub(r'<div class="sl-slot"[^>]*></div>', " ", html)),
                        rendered.ids, summary_html, lines[0].number if lines else 1)
        )
        module.toc.append({"level": 2, "anchor": anchor, "title": title})
        module.toc.extend(t for t in rendered.toc if t["level"] > 2)


def _indented_box(lines: list[Line], start: int) -> tuple[str, int]:
    """The text of the box whose ``!!!`` line is ``lines[start]`` (its lines indented by four
    spaces), and the index of the first line after it."""
    body: list[Line] = []
    i = start + 1
    while i < len(lines) and (lines[i].blank or lines[i].indent >= 4):
        body.append(lines[i])
        i += 1
    body = trim_blank(body)
    return "\n".join(line.text.expandtabs(4)[4:] for line in body).strip(), i


def _read_summary(lines, start, renderer, problems, kind) -> tuple[str | None, int]:
    """A ``!!! summary`` box: the section is one a learner may skip, reading this instead."""
    text, i = _indented_box(lines, start)
    number = lines[start].number
    if kind == "handbook":
        problems.error(number, 1, "a handbook is for looking things up, so its sections cannot be skipped: "
                                  "remove the summary box")
        return None, i
    if not text:
        if box_body_problem(lines, start) is None:
            problems.error(number, 1, "summary box has no text: indent, under the !!! summary line, what "
                                      "a learner who skips this section needs to know")
        return None, i
    return renderer.block(text).html, i


def _token_lines(at: Line, token: str) -> list[Line]:
    return [Line(at.number, ""), Line(at.number, token), Line(at.number, "")]


def _read_decision(lines, start, heading: Heading, section_anchor, renderer, problems, used_keys):
    """A ``### Decision:`` block: intro, options with consequences, then the practice point."""
    line_no = heading.line.number
    end = start + 1
    while end < len(lines):
        other = parse_heading(lines[end]) if lines[end].text.startswith("#") else None
        if other is not None and other.level <= 3:
            break
        end += 1
    block = lines[start + 1:end]
    prompt = DECISION_RE.match(heading.text).group(1).strip()
    ok = True
    if not prompt:
        problems.error(line_no, 1, "decision point has no question after 'Decision:'")
        ok = False
    first = next((k for k, line in enumerate(block) if OPTION_RE.match(line.text)), None)
    if first is None:
        problems.error(line_no, 1, "decision point has no options: list them as '- [ ] ...' and '- [x] ...'")
        return None, end
    items, after = read_items(block, first, OPTION_RE)
    k = after
    while k < len(block) and block[k].blank:
        k += 1
    practice_html = ""
    if k < len(block) and PRACTICE_RE.match(block[k].text):
        para, k = paragraph(block, k)
        text = PRACTICE_RE.sub("", join(para), count=1)
        practice_html = renderer.block(text).html
        consumed = start + 1 + k
    else:
        problems.error(
            line_no, 1,
            "decision point has no practice point: end it with a paragraph that starts **Practice point:**",
        )
        ok = False
        consumed = start + 1 + after
    if len(items) < 2:
        problems.error(line_no, 1, "decision point needs at least two options")
        ok = False
    if not any(item.checked for item in items):
        problems.error(line_no, 1, "decision point has no correct option: mark the best option(s) with [x]")
        ok = False
    options = []
    option_keys: set[str] = set()
    for item in items:
        text = item_text(item)
        if not text:
            problems.error(item.line.number, 1, "option has no text")
            ok = False
        if not option_footnotes_ok(item, problems):
            ok = False
        consequence = trim_blank(item.body)
        if not consequence:
            problems.error(item.line.number, 1, "option has no consequence: indent it under the option")
            ok = False
            continue
        consequence_text = CONSEQUENCE_RE.sub("", join(consequence), count=1)
        options.append({
            "key": unique_key("o-" + short_hash(text, 6), option_keys),
            "html": renderer.inline(text),
            "consequence_html": renderer.block(consequence_text).html,
            "correct": item.checked,
        })
    if not ok:
        return None, consumed
    return DecisionData(
        key=unique_key("d-" + short_hash(prompt), used_keys),
        section_anchor=section_anchor,
        prompt_html=renderer.inline(prompt),
        intro_html=renderer.block(join(trim_blank(block[:first]))).html,
        options=options,
        practice_point_html=practice_html,
    ), consumed


def _read_reflection(lines, start, match, section_anchor, renderer, problems, used_keys):
    """A ``!!! reflect "Title"`` box: its indented lines are the prompt."""
    # Blank lines after the box belong to the flow again.
    text, i = _indented_box(lines, start)
    if not text:
        if box_body_problem(lines, start) is None:  # (otherwise reported with the misplaced text)
            problems.error(lines[start].number, 1,
                           "reflect box has no question: indent it under the !!! reflect line")
        return None, i
    return ReflectionData(
        key=unique_key("r-" + short_hash(text), used_keys),
        section_anchor=section_anchor,
        title=renderer.text(match.group(1) or "") or "Pause and reflect",
        prompt_html=renderer.block(text).html,
    ), i


# Quizzes -------------------------------------------------------------------------------------

def _parse_quiz(module: ParsedModule, prepared: PreparedBody, renderer: FileRenderer,
                problems: Problems) -> None:
    intro, sections = split_sections(prepared.lines)
    if any(not line.blank for line in intro):
        anchor = renderer.anchors.claim("introduction")
        rendered = renderer.block(join(intro))
        module.sections.append(
            SectionData(anchor, module.value("title", ""), rendered.html, rendered.text, rendered.ids)
        )
        module.toc.append({"level": 2, "anchor": anchor, "title": module.value("title", "")})
    ctx = QuestionContext(renderer=renderer, problems=problems)
    used: set[str] = set()
    for section in sections:
        question = _read_question(section.heading, section.lines, ctx, used)
        if question is not None:
            module.questions.append(question)
            _read_revisit(section.heading, question, module, ctx)
    module.example_lines = ctx.examples
    if not sections:
        problems.error(
            module.header.front.end_line, 1, "quiz has no questions: each question starts with a ## heading"
        )
    elif len(module.questions) == len(sections):
        # (When a question has errors, counting the pools would only add confusing messages.)
        _check_draw(module, problems)


def _read_question(heading: Heading, lines: list[Line], ctx: QuestionContext, used: set[str]):
    line_no = heading.line.number
    ok = True
    for name, value, col in heading.attrs:
        if name not in QUESTION_ATTRS:
            shown = f"{name}{value}" if name in ("#", ".") else name
            ctx.error(line_no, f"unknown question setting '{shown}' (use type=, pool=, id= or revisit=)", col)
            ok = False
    for token, col in heading.bad_attrs:
        ctx.error(line_no, f"cannot read '{token}': question settings look like {{type=single pool=terms}}", col)
        ok = False
    if not heading.text:
        ctx.error(line_no, "question has no text")
        ok = False
    question = QuestionSource(heading=heading, chunks=read_chunks(lines))
    type_name = heading.attr("type")
    if type_name is not None:
        qtype = REGISTRY.get(type_name)
        if qtype is None:
            ctx.error(
                line_no,
                f"unknown question type '{type_name}' (use {', '.join(sorted(REGISTRY))})",
                heading.attr_col("type"),
            )
            return None
    else:
        qtype = next((t for t in REGISTRY.values() if t.default_for(question)), None)
        if qtype is None:
            if question.of_kind("options"):
                ctx.error(line_no, "question has no correct answer: mark the right option with [x]")
            else:
                ctx.error(line_no, "question has no options: list them as '- [ ] ...' and '- [x] ...'")
            return None
    pool = heading.attr("pool") or DEFAULT_POOL
    if not NAME_RE.match(pool) or len(pool) > 100:
        ctx.error(line_no, f"pool name '{pool}' must be lower case letters, digits and hyphens",
                  heading.attr_col("pool"))
        ok = False
    explicit_id = heading.attr("id")
    if explicit_id is not None and (not NAME_RE.match(explicit_id) or len(explicit_id) > 100):
        ctx.error(line_no, f"question id '{explicit_id}' must be lower case letters, digits and hyphens",
                  heading.attr_col("id"))
        ok = False
    data = qtype.parse(question, ctx)
    if data is None or not ok:
        return None
    if explicit_id:
        if explicit_id in used:
            ctx.error(line_no, f"question id '{explicit_id}' is used twice in this quiz", heading.attr_col("id"))
            return None
        used.add(explicit_id)
        key = explicit_id
    else:
        key = unique_key("q-" + short_hash(_identity_text(question)), used)
    return QuestionData(key=key, type=qtype.name, pool=pool, data=data, line=line_no, lints=qtype.quiz_lints)


def _read_revisit(heading: Heading, question: QuestionData, module: ParsedModule, ctx: QuestionContext) -> None:
    """``revisit=02-signs-and-indicators.md#missing-episodes``: the module (and heading) a learner
    who gets the question wrong is sent back to. It is a link to a module file, so it is checked
    (and stored) like one; the link check reports a module or heading that does not exist."""
    target = heading.attr("revisit")
    if target is None:
        return
    col = heading.attr_col("revisit")
    path, fragment = split_target(target)
    if not path.lower().endswith(".md") or ":" in path:
        ctx.error(heading.line.number,
                  f"revisit='{target}' must name a module file, like revisit=02-signs-and-indicators.md "
                  "(add #anchor for one heading)", col)
        return
    module.links.append(LinkRef(heading.line.number, col, target, False))
    url = module.file_links.rewrite(target, False) if module.file_links is not None else None
    if url and url.startswith(MODULE_LINK_PREFIX):
        slug, _, anchor = url[len(MODULE_LINK_PREFIX):].partition("#")
        question.data["revisit"] = {"module": slug, "anchor": anchor}


def _identity_text(question: QuestionSource) -> str:
    """What identifies a question across imports: its heading and the text before its options."""
    parts = [question.heading.text]
    for chunk in question.chunks:
        if chunk.kind in ("options", "rules"):
            break
        parts.append(join(chunk.lines))
    return "\n".join(parts)


def _check_draw(module: ParsedModule, problems: Problems) -> None:
    draw = module.value("draw")
    setting = module.header.front.get("draw")
    if draw is None or setting is None:
        return
    pools = Counter(q.pool for q in module.questions)
    total = len(module.questions)
    if isinstance(draw, int):
        if draw > total:
            problems.error(setting.line, setting.col,
                           f"draw asks for {draw} questions, but the quiz has only {total}")
        return
    _warn_undrawn_pools(draw, pools, setting, problems)
    first_line = setting.line - setting.node.start_mark.line
    for key_node, value_node in setting.node.value:
        pool = key_node.value
        line, col = node_position(key_node, first_line)
        if pool not in pools:
            problems.error(line, col, f"draw names pool '{pool}', but no question is in that pool")
        elif draw[pool] > pools[pool]:
            vline, vcol = node_position(value_node, first_line)
            problems.error(
                vline, vcol,
                f"draw asks for {draw[pool]} questions from pool '{pool}', but it has only {pools[pool]}",
            )


def _warn_undrawn_pools(draw: dict[str, int], pools: Counter, setting, problems: Problems) -> None:
    """A per-pool ``draw`` asks nothing from the pools it does not name (questions without
    ``pool=`` are in the pool ``default``): warn, naming them, since their questions are never asked."""
    undrawn = [pool for pool in pools if pool not in draw]
    if not undrawn:
        return

    def described(pool: str) -> str:
        count = f"{pools[pool]} question{'s' if pools[pool] != 1 else ''}"
        return f"'{pool}' ({count}{' without pool=' if pool == DEFAULT_POOL else ''})"

    several = len(undrawn) > 1
    problems.warning(
        setting.key_line, setting.key_col,
        f"draw does not name pool{'s' if several else ''} {', '.join(described(p) for p in undrawn)}, "
        f"so {'their' if several else 'its'} questions will never be asked: add "
        f"{'them' if several else 'it'} to draw (for example {undrawn[0]}: 1) or delete those questions",
    )
