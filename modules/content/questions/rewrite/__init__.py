"""``type=rewrite``: the learner rewrites a sentence in their own words, marked by meaning.

Rules, as a list after the sentence (a quote):

- ``- avoid "phrase", ...: feedback`` -- each phrase must be in the sentence; an answer that keeps
  it, in any inflection, gets the feedback and is wrong. Everything the language guide says to
  avoid is caught as well, without a rule (see :mod:`modules.checks.rewrite_marking`);
- ``- expect "word", ...: feedback`` -- at least one of the words, in any inflection or a word of
  its family ("groomed": "grooming", "groomer"; "adult": "men", "perpetrator"), must be used;
- ``- concept name, ...: feedback`` -- at least one of the named concepts must be expressed
  (``adults-act``, ``harm-named``, ``services-own``: see ``modules/checks/rewrite_concepts.yaml``);
- ``- keep "Jade", "14": feedback`` (optional) -- what identifies the child (by default the
  names and age in the sentence): the answer must keep one of them;
- ``- model: text`` -- the author's model answer, shown after marking (it must itself be marked
  right, and the sentence copied out unchanged must be marked wrong: both are checked);
- ``- correct: feedback`` (optional, once) -- shown when the answer is right;
- ``- formative: text`` (optional) -- the question is not counted in the score; the text says why.

At least one ``expect`` or ``concept`` rule is required.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from modules.checks.rewrite_marking import (
    concept_names,
    derived_keep,
    expected_words_in_sentence,
    mark_rewrite,
)
from modules.content.blocks import ListItem, item_text
from modules.content.questions.base import (
    RULE_RE,
    InvalidAnswer,
    MarkResult,
    QuestionContext,
    QuestionSource,
    QuestionType,
    UnreadableAnswer,
    register,
)

_PHRASES_RE = re.compile(r'^((?:\s*["“”][^"“”]+["“”]\s*,?)+)\s*:\s*(.+)$', re.S)
_PHRASE_RE = re.compile(r'["“”]([^"“”]+)["“”]')
_CONCEPTS_RE = re.compile(r"^([a-z][a-z-]*(?:\s*,\s*[a-z][a-z-]*)*)\s*:\s*(.+)$", re.S)
MAX_ANSWER = 5000
# The longest answer the quiz form takes (marking reads at most MAX_ANSWER of a stored one).
MAX_LENGTH = 2000
_SINGLE = ("correct", "model", "formative")


@register
class Rewrite(QuestionType):
    name = "rewrite"
    label = "Rewrite the sentence"

    def default_for(self, question: QuestionSource) -> bool:
        return bool(question.of_kind("rules")) and not question.of_kind("options")

    def parse(self, question: QuestionSource, ctx: QuestionContext) -> dict[str, Any] | None:
        ok = True
        for options in question.of_kind("options"):
            ctx.error(options.line, "rewrite questions have no options: give avoid and expect rules")
            ok = False
        rule_chunks = question.of_kind("rules")
        chunks = question.chunks
        first_rules = chunks.index(rule_chunks[0]) if rule_chunks else len(chunks)
        before = [c for c in chunks[:first_rules] if c.kind in ("text", "quote")]
        after = [c for c in chunks[first_rules:] if c.kind in ("text", "quote")]
        quotes = [c for c in before if c.kind == "quote"]
        if not quotes:
            ctx.error(question.line, "rewrite question needs the sentence to rewrite, as a quote ('> ...')")
            ok = False
        sentence = quotes[0] if quotes else None
        stem = [c for c in before if c is not sentence]
        if sentence is not None and sentence.lines:
            # The sentence must hold the wording the learner is to remove.
            ctx.example(sentence.lines[0].number, sentence.lines[-1].number)

        rules: dict[str, list] = {"avoid": [], "expect": [], "concept": [], "keep": []}
        single: dict[str, tuple[ListItem, str]] = {}
        avoid_items: list[tuple[ListItem, dict[str, Any]]] = []
        for chunk in rule_chunks:
            for item in chunk.items:
                keyword = RULE_RE.match(item.line.text).group(1).lower()
                text = item_text(item)
                if keyword == "avoid":
                    ctx.example(item.line.number, item.line.number)  # it quotes what to avoid
                if keyword in _SINGLE:
                    ok = _read_single(keyword, item, text, single, ctx) and ok
                    continue
                if keyword == "concept":
                    rule = _read_concepts(item, text, ctx)
                else:
                    rule = _read_phrases(keyword, item, text, ctx)
                if rule is None:
                    ok = False
                    continue
                rules[keyword].append(rule)
                if keyword == "avoid":
                    avoid_items.append((item, rule))
        if not rules["expect"] and not rules["concept"] and ok:
            ctx.error(
                question.line,
                'rewrite question has no expect or concept rule: add - concept adults-act: feedback '
                'or - expect "word", "word": feedback',
            )
            ok = False
        if sentence is None:
            return None
        sentence_source = "\n".join(line.text for line in sentence.lines)
        data: dict[str, Any] = {
            "prompt_html": ctx.inline(question.heading.text),
            "stem_html": ctx.blocks(stem),
            "sentence_html": ctx.renderer.inline(sentence_source),
            "sentence_text": ctx.renderer.text(sentence_source),
            "avoid": rules["avoid"],
            "expect": rules["expect"],
            "explanation_html": ctx.blocks(after),
            "source_html": ctx.source_html(question.of_kind("source")),
        }
        # Newer rules are stored only when written, so that older questions keep exactly the
        # data (and so the content hash) they had.
        if rules["concept"]:
            data["concepts"] = rules["concept"]
        if rules["keep"]:
            data["keep"] = [p for rule in rules["keep"] for p in rule["phrases"]]
            data["keep_feedback"] = rules["keep"][0]["feedback_text"]
        elif derived_keep(data["sentence_text"]):
            data["keep"] = derived_keep(data["sentence_text"])
        else:
            ctx.problems.warning(
                question.line, 1,
                "the sentence names no child (no name or age), so answers are not checked for being "
                "about this child: give the child a name or age, or add - keep \"...\": feedback",
            )
        for rule in rules["avoid"] + rules["expect"] + rules["keep"]:
            rule.pop("feedback_text", None)
        for keyword, (_item, text) in single.items():
            data[f"{keyword}_html"] = ctx.renderer.block(text).html
        if "formative" in single:
            data["formative"] = True
        if "model" in single:
            data["model_text"] = ctx.renderer.text(single["model"][1])
        if not _avoid_phrases_in_sentence(data, avoid_items, ctx) or not ok:
            return None
        if not _marking_works(data, question, single, ctx):
            return None
        for word in expected_words_in_sentence(data):
            ctx.problems.warning(
                question.line, 1,
                f'expected word "{word}" is already in the sentence to rewrite, so copying the '
                "sentence meets that rule: expect what a good rewrite adds, or use a concept rule",
            )
        return data

    def read_answer(self, data: dict[str, Any], form: Mapping[str, list[str]]) -> str:
        text = ((form.get("answer") or [""])[0]).strip()
        if not text:
            raise UnreadableAnswer("Write your version of the sentence.")
        if len(text) > MAX_LENGTH:
            raise UnreadableAnswer(f"Your answer must be {MAX_LENGTH} characters or fewer.")
        return text

    def form_data(self, answer: Any) -> dict[str, list[str]]:
        return {"answer": [answer]}

    def example_answer(self, data: dict[str, Any]) -> str | None:
        """The author's model answer (parsing checked that it is marked right); a question
        written without ``- model:`` has none."""
        return data.get("model_text")

    def mark(self, data: dict[str, Any], answer: Any) -> MarkResult:
        if not isinstance(answer, str):
            raise InvalidAnswer("answer must be text")
        marked = mark_rewrite(data, answer[:MAX_ANSWER])
        return MarkResult(
            correct=marked.correct,
            score=1.0 if marked.correct else 0.0,
            feedback=marked.feedback,
            explanation_html=data.get("explanation_html", ""),
            source_html=data.get("source_html", ""),
            notes=marked.notes,
        )


def _read_single(keyword: str, item: ListItem, text: str, single: dict, ctx: QuestionContext) -> bool:
    feedback = text.split(":", 1)[1].strip() if ":" in text else ""
    if keyword in single:
        ctx.error(item.line.number, f"a rewrite question may have only one '- {keyword}:' line: join them into one")
        return False
    if not feedback:
        what = {
            "correct": "what a right answer did well",
            "model": "your model answer",
            "formative": "why this rewrite is not counted in the score",
        }[keyword]
        ctx.error(item.line.number, f"'- {keyword}:' has no text: after the colon, write {what}")
        return False
    single[keyword] = (item, feedback)
    return True


def _read_phrases(keyword: str, item: ListItem, text: str, ctx: QuestionContext) -> dict[str, Any] | None:
    parsed = _PHRASES_RE.match(text)
    if not parsed:
        ctx.error(item.line.number, f'cannot read this rule: write it as - {keyword} "phrase": feedback')
        return None
    feedback = parsed.group(2).strip()
    return {
        "phrases": [p.strip() for p in _PHRASE_RE.findall(parsed.group(1)) if p.strip()],
        "feedback_html": ctx.inline(feedback),
        "feedback_text": feedback,
    }


def _read_concepts(item: ListItem, text: str, ctx: QuestionContext) -> dict[str, Any] | None:
    parsed = _CONCEPTS_RE.match(text.strip())
    known = concept_names()
    if not parsed:
        ctx.error(
            item.line.number,
            f"cannot read this rule: write it as - concept {known[0]}: feedback (concepts: {', '.join(known)})",
        )
        return None
    names = [n.strip() for n in parsed.group(1).split(",")]
    unknown = [n for n in names if n not in known]
    if unknown:
        ctx.error(item.line.number, f"unknown concept '{unknown[0]}' (use {', '.join(known)})")
        return None
    return {"names": names, "feedback_html": ctx.inline(parsed.group(2).strip())}


def _avoid_phrases_in_sentence(data: dict[str, Any], avoid_items, ctx: QuestionContext) -> bool:
    """Report every ``avoid`` phrase that is not in the sentence (matched as answers are): such a
    rule cannot catch a learner who copies the sentence out unchanged."""
    from modules.checks.rewrite_marking import _phrase_matches, _tokens

    sentence = _tokens(data["sentence_text"])
    ok = True
    for item, rule in avoid_items:
        for phrase in rule["phrases"]:
            if _phrase_matches(phrase, sentence, family=False):
                continue
            line, col = _phrase_position(item, phrase)
            ctx.error(
                line,
                f'avoid phrase "{phrase}" is not in the sentence to rewrite: use the words as the '
                "sentence has them, so that copying the sentence unchanged is marked wrong",
                col,
            )
            ok = False
    return ok


def _marking_works(data: dict[str, Any], question: QuestionSource, single: dict, ctx: QuestionContext) -> bool:
    """The sentence copied out must be marked wrong, and the model answer right: otherwise the
    rules cannot tell a good rewrite from a bad one."""
    ok = True
    if mark_rewrite(data, data["sentence_text"]).correct:
        ctx.error(
            question.line,
            "the sentence copied out unchanged is marked right: add an avoid rule for the words "
            "that blame the child, or an expect or concept rule that the sentence does not meet",
        )
        ok = False
    if "model" in single:
        marked = mark_rewrite(data, data["model_text"])
        if not marked.correct:
            reasons = "; ".join(
                f"{f['rule']} {', '.join(f['phrases'])}".strip() for f in marked.feedback
            )
            ctx.error(single["model"][0].line.number, f"the model answer is marked wrong ({reasons}): "
                      "reword it, or change the rules")
            ok = False
    return ok


def _phrase_position(item: ListItem, phrase: str) -> tuple[int, int]:
    """Line and column (of the opening quote) of ``phrase`` in a rule as written."""
    for line in item.source:
        at = line.text.find(phrase)
        if at > 0:
            return line.number, at
    return item.line.number, 1
